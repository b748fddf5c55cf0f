import { dirname, join, posix } from 'node:path';
import { dockerfileRule, type FileAccess } from '../types';
import { copySourceStage, stageAncestry, workdirBefore, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { contextCopy, contextPath } from '../../dockerfile/dockerignore';
import { pathArguments } from '../../dockerfile/copyArguments';
import { globToRegExp } from '../../text/regexp';

/** What a secret file is, for messages. */
interface SecretFile {
  kind: string;
  /** What follows the file's name in a message: `is an environment file`, `holds an npm registry token`. */
  described: string;
}

const is = (kind: string): SecretFile => ({ kind, described: `is ${kind}` });
/** A file whose name says it can hold a credential, which could not be read to know. */
const mayHold = (kind: string, what: string): SecretFile => ({ kind, described: `can hold ${what} (it could not be read here to tell)` });

/** `.env` templates hold placeholders, not secrets. */
const TEMPLATE_SUFFIX = /\.(example|sample|template|tmpl|tpl|dist|defaults?|schema|ci|test|testing)$/i;
/** Names that mark a certificate, a public key or a CA bundle rather than a private key. */
const PUBLIC_MATERIAL = /(^|[._-])(cert|certs|certificate|crt|ca|cacert|chain|fullchain|bundle|root|pub|public|gpg|pgp|asc|trust|truststore)([._-]|$)/i;

/** Text that settles whether a key or config file holds a secret, when the file can be read. */
const CONTENT_CHECKS: Record<string, (text: string) => boolean> = {
  key: (text) => /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(text),
  // `//registry.npmjs.org/:_authToken=${NPM_TOKEN}` reads the token from the environment.
  npmrc: (text) => /(?:_authToken|_auth|_password)\s*=\s*(?!\$\{)\S/.test(text),
  pypirc: (text) => /^\s*password\s*[=:]\s*\S/m.test(text),
  netrc: (text) => /\bpassword\s+\S/.test(text),
};

/**
 * Classifies a context path; null for anything that is not a secret file. `read` gives the
 * file's text when it can be read, to tell a certificate from a private key.
 */
export function secretFile(path: string, read: (path: string) => string | null): SecretFile | null {
  const clean = path.replace(/\/+$/, '');
  const name = posix.basename(clean);
  const lower = name.toLowerCase();
  const parts = clean.split('/');
  if (lower === '.env' || (lower.startsWith('.env.') && !TEMPLATE_SUFFIX.test(lower))) return is('an environment file');
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_[\w-]+)?$/.test(name)) return is('an SSH private key');
  if (lower === '.ssh' || parts.includes('.ssh') && !lower.endsWith('.pub') && lower !== 'known_hosts' && lower !== 'config') return { kind: 'SSH keys', described: 'holds SSH keys' };
  if (lower === '.aws' || (parts.includes('.aws') && lower === 'credentials')) return { kind: 'AWS credentials', described: 'holds AWS credentials' };
  if (parts.includes('.docker') && lower === 'config.json') return { kind: 'Docker registry credentials', described: 'holds Docker registry credentials' };
  if (lower === '.dockercfg') return { kind: 'Docker registry credentials', described: 'holds Docker registry credentials' };
  if (parts.includes('.kube') && lower === 'config') return is('a Kubernetes config');
  if (lower === '.git-credentials') return { kind: 'git credentials', described: 'holds git credentials' };
  if (lower === '.pgpass') return { kind: 'database passwords', described: 'holds database passwords' };
  if (/\.(p12|pfx)$/.test(lower)) return is('a certificate with its private key');
  if (/\.(pem|key)$/.test(lower)) {
    const text = read(clean);
    if (text !== null) return CONTENT_CHECKS.key(text) ? { kind: 'a private key', described: 'holds a private key' } : null;
    return PUBLIC_MATERIAL.test(lower.replace(/\.(pem|key)$/, '')) ? null : mayHold('a private key', 'a private key');
  }
  for (const [file, kind] of [['.npmrc', 'npm'], ['.pypirc', 'pypirc'], ['.netrc', 'netrc'], ['_netrc', 'netrc']] as const) {
    if (lower !== file) continue;
    const text = read(clean);
    const [noun, found, possible] = kind === 'npm'
      ? ['npm registry tokens', 'an npm registry token', 'npm registry tokens']
      : kind === 'pypirc' ? ['PyPI credentials', 'a PyPI password', 'PyPI credentials'] : ['login credentials', 'a login password', 'login credentials'];
    // A config file that can be read and holds no credential is only configuration.
    if (text === null) return mayHold(noun, possible);
    return CONTENT_CHECKS[kind === 'npm' ? 'npmrc' : kind](text) ? { kind: noun, described: `holds ${found}` } : null;
  }
  return null;
}

/**
 * Reads a COPY source from the build context. The context is usually the Dockerfile's folder,
 * but `docker build -f sub/Dockerfile .` and Compose's `build.context` often make it a folder
 * above: a source that is not beside the Dockerfile is looked for in the folders above it, up to
 * the repository's root (the first with a `.git`), and never past it.
 */
function reader(path: string | null, files: FileAccess): (relative: string) => string | null {
  if (!path) return () => null;
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (files.exists(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  // Without a repository root in sight, only the Dockerfile's folder is known to be in the context.
  const candidates = files.exists(join(dirs[dirs.length - 1], '.git')) ? dirs : dirs.slice(0, 1);
  return (relative) => {
    for (const dir of candidates) {
      const text = files.read(join(dir, relative));
      if (text !== null) return text;
    }
    return null;
  };
}

/**
 * A file copied into an image is in one of its layers for good: deleting it in a later step
 * only hides it, and anyone who pulls the image (or reads the build cache) can extract it.
 * Credentials that a build step needs belong in a secret mount, and the ones the application
 * needs at run time in the orchestrator's secrets (https://docs.docker.com/build/building/secrets/).
 */
export default dockerfileRule({
  id: 'no-secret-files-copied',
  aliases: [],
  title: 'Do not copy keys, credentials or .env files into the image',
  category: 'security',
  severity: 'error',
  check({ dockerfile, report, path, files }) {
    const final = shippedStage({ dockerfile, path, files });
    const shipped = new Set(final ? stageAncestry(dockerfile, final).map((s) => s.index) : []);
    const read = reader(path, files);
    for (const instruction of dockerfile.instructions) {
      const copy = contextCopy(dockerfile, instruction);
      if (!copy) continue;
      for (const source of copy.sources) {
        if (source.value === null) continue;
        const relative = contextPath(source.value);
        if (relative === null || relative === '.') continue;
        const secret = secretFile(relative, read);
        if (!secret) continue;
        const carrier = shipped.has(instruction.stage) || !final ? null : carriedToFinal(dockerfile, instruction, relative, copy.sources.length, copy.dest.value, final.index);
        const inFinal = shipped.has(instruction.stage) || carrier !== null;
        const named = `\`${source.text}\` ${secret.described}`;
        const via = carrier && `\`${dockerfile.document.getText(carrier.copy.range).replace(/\s+/g, ' ').trim()}\` (line ${carrier.copy.range.start.line + 1})`;
        report({
          range: source.range,
          message: carrier
            ? `${named}, and ${via} ${carrier.sure ? 'copies' : 'may copy'} it into the final image, where anyone who pulls the image can extract it; mount it for the step that needs it with \`RUN --mount=type=secret\` instead, or copy only the build output.`
            : inFinal
              ? `${named}, and once copied it stays in an image layer anyone who pulls the image can extract, even if a later step deletes it; mount it for the step that needs it with \`RUN --mount=type=secret\` or supply it at run time.`
              : `${named}, and although this build stage is not shipped its layer stays in the build cache and any registry cache export; mount it for the step that needs it with \`RUN --mount=type=secret\`.`,
          data: { file: relative, kind: secret.kind, stage: inFinal ? 'final' : 'builder' }, severity: inFinal ? 'error' : 'warning',
        });
      }
    }
  },
});

// ---------------------------------------------------------------------------------------------
// What ships: a file of a build stage reaches the final image when a stage the final one is built
// FROM copies it with `COPY --from` (directly or through other stages).

/** Where a file is in a stage: absolute paths, or null when they are not known. */
type Places = Set<string> | null;

/** The absolute path(s) a COPY writes a source to; null when the destination is not known. */
function destinations(model: DockerfileModel, instruction: DockerInstruction, dest: string | null, name: string, sources: number): Places {
  if (dest === null) return null;
  const stage = model.stages[instruction.stage];
  const cwd = dest.startsWith('/') ? '/' : stage ? workdirBefore(model, stage, instruction) : null;
  if (cwd === null || cwd.startsWith('<base>')) return null;
  const target = posix.join(cwd, dest);
  const clean = target.length > 1 ? target.replace(/\/+$/, '') : target;
  // `COPY a b /dir/` or `COPY a /dir/` puts the file inside; `COPY a /x` may name the file or a folder that exists.
  if (dest.endsWith('/') || sources > 1) return new Set([posix.join(clean, name)]);
  return new Set([clean, posix.join(clean, name)]);
}

/** Whether a `COPY --from` source (absolute, in the source stage) takes `path`: itself, a folder above it, or a glob naming either. */
function takes(source: string, path: string): boolean {
  const parts = path.split('/');
  const above = parts.map((_, n) => parts.slice(0, n + 1).join('/') || '/');
  if (!/[*?]/.test(source)) return above.includes(source);
  const pattern = globToRegExp(source);
  return above.some((p) => pattern.test(p));
}

/** Where a copied folder or file puts `path`: `COPY --from=x /app /srv` puts `/app/.npmrc` at `/srv/.npmrc`. */
function moved(source: string, path: string, to: Places): Places {
  if (to === null || /[*?]/.test(source)) return null;
  const out = new Set<string>();
  for (const base of to) {
    if (source === path) out.add(base);
    else out.add(posix.join(base, path.slice(source === '/' ? 0 : source.length)));
  }
  return out;
}

/**
 * The `COPY --from` that carries a secret copied by `instruction` into the final image, and
 * whether that is certain (every path known) or only possible; null when it stays behind.
 */
function carriedToFinal(model: DockerfileModel, instruction: DockerInstruction, relative: string, sources: number, dest: string | null, finalIndex: number): { copy: DockerInstruction; sure: boolean } | null {
  const name = posix.basename(relative);
  /** Per stage: where the file is, the first COPY --from that brought it along, and whether surely. */
  const held = new Map<number, { places: Places; via: DockerInstruction | null; sure: boolean }>();
  held.set(instruction.stage, { places: destinations(model, instruction, dest, name, sources), via: null, sure: true });
  for (const stage of model.stages) {
    if (stage.index <= instruction.stage) continue;
    // A stage built FROM one that holds the file holds it too.
    let entry = stage.base.stageRef !== null ? held.get(stage.base.stageRef) : undefined;
    for (const copy of stage.instructions) {
      if (copy.keyword !== 'COPY' && copy.keyword !== 'ADD') continue;
      const from = copySourceStage(model, copy);
      const holder = from && held.get(from.index);
      if (!holder) continue;
      const args = pathArguments(model, copy);
      if (!args) continue;
      for (const src of args.sources) {
        const source = src.value === null ? null : posix.join('/', src.value);
        const clean = source && source.length > 1 ? source.replace(/\/+$/, '') : source;
        const known = clean !== null && holder.places !== null;
        if (known && ![...holder.places!].some((p) => takes(clean!, p))) continue;
        const to = destinations(model, copy, args.dest.value, name, args.sources.length);
        const places = known ? [...holder.places!].filter((p) => takes(clean!, p)).map((p) => moved(clean!, p, to)).reduce<Places>((all, x) => (all === null || x === null ? null : new Set([...all, ...x])), new Set()) : null;
        const sure = known && holder.sure;
        if (!entry || (!entry.sure && sure)) entry = { places, via: copy, sure };
      }
    }
    if (entry) held.set(stage.index, { ...entry, via: entry.via ?? null });
  }
  const result = held.get(finalIndex);
  return result?.via ? { copy: result.via, sure: result.sure } : null;
}
