import { dirname, join, posix } from 'node:path';
import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { contextCopy, contextPath } from '../../dockerfile/dockerignore';

/** What a secret file is, for messages. */
interface SecretFile {
  kind: string;
}

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
  if (lower === '.env' || (lower.startsWith('.env.') && !TEMPLATE_SUFFIX.test(lower))) return { kind: 'an environment file' };
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_[\w-]+)?$/.test(name)) return { kind: 'an SSH private key' };
  if (lower === '.ssh' || parts.includes('.ssh') && !lower.endsWith('.pub') && lower !== 'known_hosts' && lower !== 'config') return { kind: 'SSH keys' };
  if (lower === '.aws' || (parts.includes('.aws') && lower === 'credentials')) return { kind: 'AWS credentials' };
  if (parts.includes('.docker') && lower === 'config.json') return { kind: 'Docker registry credentials' };
  if (lower === '.dockercfg') return { kind: 'Docker registry credentials' };
  if (parts.includes('.kube') && lower === 'config') return { kind: 'a Kubernetes config' };
  if (lower === '.git-credentials') return { kind: 'git credentials' };
  if (lower === '.pgpass') return { kind: 'database passwords' };
  if (/\.(p12|pfx)$/.test(lower)) return { kind: 'a certificate with its private key' };
  if (/\.(pem|key)$/.test(lower)) {
    const text = read(clean);
    if (text !== null) return CONTENT_CHECKS.key(text) ? { kind: 'a private key' } : null;
    return PUBLIC_MATERIAL.test(lower.replace(/\.(pem|key)$/, '')) ? null : { kind: 'a private key' };
  }
  for (const [file, kind] of [['.npmrc', 'npm'], ['.pypirc', 'pypirc'], ['.netrc', 'netrc'], ['_netrc', 'netrc']] as const) {
    if (lower !== file) continue;
    const text = read(clean);
    // A config file that can be read and holds no credential is only configuration.
    if (text !== null && !CONTENT_CHECKS[kind === 'npm' ? 'npmrc' : kind](text)) return null;
    return { kind: kind === 'npm' ? 'npm registry tokens' : kind === 'pypirc' ? 'PyPI credentials' : 'login credentials' };
  }
  return null;
}

function reader(path: string | null, files: FileAccess): (relative: string) => string | null {
  if (!path) return () => null;
  const contextDir = dirname(path);
  return (relative) => files.read(join(contextDir, relative));
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
        const inFinal = shipped.has(instruction.stage);
        report({
          range: source.range,
          message: inFinal
            ? `\`${source.text}\` is ${secret.kind}, and once copied it stays in an image layer anyone who pulls the image can extract, even if a later step deletes it; mount it for the step that needs it with \`RUN --mount=type=secret\` or supply it at run time.`
            : `\`${source.text}\` is ${secret.kind}, and although this build stage is not shipped its layer stays in the build cache and any registry cache export; mount it for the step that needs it with \`RUN --mount=type=secret\`.`,
          data: { file: relative, kind: secret.kind, stage: inFinal ? 'final' : 'builder' }, severity: inFinal ? 'error' : 'warning',
        });
      }
    }
  },
});
