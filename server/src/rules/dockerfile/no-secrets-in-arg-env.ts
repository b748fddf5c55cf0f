import type { Range, TextEdit } from 'vscode-languageserver-types';
import { classicDeclined, dockerfileRule } from '../types';
import { finalStage, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { escapeRegExp } from '../../text/regexp';
import { join } from 'node:path';
import type { FileAccess } from '../types';
import { buildContextOf } from '../../project/buildContext';

/**
 * Secret-looking names, by word. Names are split into words at `_`, `-`, `.` and camelCase
 * humps; BuildKit's SecretsUsedInArgOrEnv and hadolint's DL3064 match substrings or any word,
 * which reports GOPRIVATE, AWS_WEB_IDENTITY_TOKEN_FILE, CHAMBER_KMS_KEY_ALIAS, GPG_KEY and
 * NEXT_PUBLIC_API_KEY (moby/buildkit#5775, #5504; hadolint#1245, #1230). Here the secret word
 * must be the name's head noun: the last word, or followed only by words that describe a form of
 * the same value (SECRET_KEY_BASE, TOKEN_B64).
 */
const STRONG_WORDS = new Set(['password', 'passwd', 'pswd', 'pword', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'creds', 'privatekey', 'secretkey', 'accesskey', 'authtoken']);
/** Words that are a secret only as the last word of a longer name (`DB_PASS`, `BASIC_AUTH`, `API_KEY`). */
const TAIL_WORDS = new Set(['pass', 'pwd', 'key', 'keys', 'auth', 'authorization']);
/** Words after the secret word that still name the secret's value. */
const VALUE_QUALIFIERS = new Set(['key', 'keys', 'base', 'value', 'b64', 'base64', 'hex', 'pem', 'der', 'json', 'data', 'raw', 'plain', 'plaintext', 'encoded', 'str', 'string', 'content', 'contents']);
/** Names with these words hold public material or are not secrets at all. */
const PUBLIC_WORDS = /^(public|pub|gpg\w*|pgp\w*|gnupg\w*|fingerprint|fingerprints|checksum|sha\d*|md5)$/;
/** A `KEY` after these words is an identifier in a data structure, not a credential. */
const NOT_CREDENTIAL_KEYS = new Set(['cache', 'sort', 'primary', 'partition', 'foreign', 'routing', 'idempotency', 'hot', 'short', 'hash', 'map', 'lookup', 'index', 'object', 'bucket', 'redis', 's3', 'storage']);

export function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-.]+/).filter(Boolean);
}

/** The word that makes a name look like a secret, or null. */
export function secretWord(name: string): string | null {
  const words = nameWords(name);
  if (words.some((w) => PUBLIC_WORDS.test(w))) return null;
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i];
    const last = i === words.length - 1;
    let secret = STRONG_WORDS.has(word);
    if (!secret && TAIL_WORDS.has(word) && last && i > 0) {
      secret = !((word === 'key' || word === 'keys') && NOT_CREDENTIAL_KEYS.has(words[i - 1]));
    }
    if (!secret) continue;
    // `TOKEN_FILE`, `PASSWORD_MIN_LENGTH`, `KEY_ALIAS`: the name describes the secret, it does not hold it.
    return words.slice(i + 1).every((w) => VALUE_QUALIFIERS.has(w)) ? word : null;
  }
  return null;
}

/** Well-known credential formats, found in any value whatever its name. */
const CREDENTIAL_FORMATS: { name: string; pattern: RegExp }[] = [
  { name: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: 'an AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'a Stripe secret key', pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}/ },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'a password in a URL', pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^/\s:@$]+:(?!\$)[^/\s@]+@/i },
];

export function credentialIn(value: string): string | null {
  return CREDENTIAL_FORMATS.find((f) => f.pattern.test(value))?.name ?? null;
}

/** Values that cannot be a secret: switches, paths, plain URLs. */
function harmlessValue(value: string): boolean {
  const v = value.trim();
  if (/^(true|false|yes|no|on|off|enabled?|disabled?|none|null)$/i.test(v)) return true;
  // A path to a secret (`/run/secrets/db`) is the recommended way to pass one.
  if (/^(\/|\.\/|\.\.\/|~\/)[^\s]*$/.test(v) && !v.includes('$')) return true;
  return /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v) && !v.includes('$');
}

interface Declaration {
  instruction: DockerInstruction;
  name: string;
  value: string | null;
  nameRange: Range;
  range: Range;
  index: number;
  count: number;
}

function declarations(instruction: DockerInstruction): Declaration[] {
  const node = instruction.ast as unknown as { getProperties?(): { getName(): string; getValue(): string | null; getNameRange(): Range; getRange(): Range }[] };
  const properties = typeof node.getProperties === 'function' ? node.getProperties() : [];
  return properties.map((p, index) => ({
    instruction, name: p.getName(), value: p.getValue(), nameRange: p.getNameRange(), range: p.getRange(), index, count: properties.length,
  }));
}

function stageLabel(model: DockerfileModel, stage: Stage | undefined): 'final' | 'builder' | 'global' {
  if (!stage) return 'global';
  return stage === finalStage(model) ? 'final' : 'builder';
}

/**
 * ARG and ENV values are part of the image: ENV in its configuration, which every `docker
 * inspect` shows and every container inherits; build args in the history of each RUN that uses
 * them (`docker history --no-trunc`). A secret passed either way reaches anyone who can pull the
 * image; a secret mount exposes it to one RUN and leaves no trace
 * (https://docs.docker.com/build/building/secrets/).
 */
export default dockerfileRule({
  id: 'no-secrets-in-arg-env',
  aliases: ['SecretsUsedInArgOrEnv', 'DL3064'],
  title: 'Pass secrets with secret mounts, not ARG or ENV',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report }) {
    const reportedGlobals = new Set<string>();
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
      const stage = dockerfile.stages[instruction.stage];
      for (const d of declarations(instruction)) {
        const credential = d.value ? credentialIn(d.value) : null;
        if (credential) {
          report({
            range: d.nameRange,
            message: `\`${instruction.keyword} ${d.name}\` holds what looks like ${credential}, written into the Dockerfile and the image${instruction.keyword === 'ENV' ? ' configuration' : ' history'} for anyone who can read them; revoke it and pass it with \`RUN --mount=type=secret\` instead.`,
            data: { name: d.name, keyword: instruction.keyword, reason: 'value', credential, stage: stageLabel(dockerfile, stage) }, severity: 'error',
          });
          continue;
        }
        const word = secretWord(d.name);
        if (!word) continue;
        if (d.value !== null && (d.value.trim() === '' || harmlessValue(d.value))) continue;
        if (instruction.keyword === 'ARG') {
          // `ARG NPM_TOKEN` in a stage re-imports the global ARG, reported once where declared.
          if (instruction.stage >= 0 && d.value === null && reportedGlobals.has(d.name)) continue;
          if (instruction.stage < 0) reportedGlobals.add(d.name);
          report({
            range: d.nameRange,
            message: d.value === null
              ? `Build arg \`${d.name}\` looks like a secret, and the value passed with --build-arg is recorded in the history of every RUN that uses it, where anyone who can pull the image reads it; use \`RUN --mount=type=secret,id=${d.name.toLowerCase()},env=${d.name}\` instead.`
              : `Build arg \`${d.name}\` looks like a secret and has a default written in the Dockerfile and recorded in the image history, where anyone who can pull the image reads it; drop the default and use \`RUN --mount=type=secret,id=${d.name.toLowerCase()},env=${d.name}\` instead.`,
            data: { name: d.name, keyword: 'ARG', reason: 'name', word, stage: stageLabel(dockerfile, stage) }, severity: 'warning',
          });
        } else {
          report({
            range: d.nameRange,
            message: `\`ENV ${d.name}\` looks like a secret and is stored in the image configuration, readable with \`docker inspect\` by anyone who can pull the image; pass it at run time (a secrets file or the orchestrator's secrets) or to a build step with \`RUN --mount=type=secret\`.`,
            data: { name: d.name, keyword: 'ENV', reason: 'name', word, stage: stageLabel(dockerfile, stage) }, severity: 'error',
          });
        }
      }
    }
  },
  fix(finding, dockerfile, context) {
    const name = finding.data?.name;
    if (typeof name !== 'string') return undefined;
    if (context.builder === 'classic') return classicDeclined('Pass it as a build secret', '`RUN --mount=type=secret`');
    const instruction = dockerfile.instructions.find((i) => (i.keyword === 'ARG' || i.keyword === 'ENV') && declarations(i).some((d) => sameStart(d.nameRange, finding.range)));
    if (!instruction || instruction.stage < 0) return undefined;
    const declaration = declarations(instruction).find((d) => sameStart(d.nameRange, finding.range))!;
    const fix = secretMountFix(dockerfile, instruction, declaration);
    // An ENV is also the container's environment: code of the context that reads it loses its value.
    if (fix && instruction.keyword === 'ENV' && context.path) {
      const reader = codeReading(buildContextOf(context.path, dockerfile, context.files).dir, name, context.files);
      // Removing it would change what the app does: declined, with what to do first.
      if (reader) return { title: fix.title, edits: [], safe: false, declined: { summary: 'not fixed', reason: `\`${reader}\` reads ${name} at run time, so removing the ENV would leave the app without it; give it to the container another way first (a Compose secret or \`environment:\` from a variable, \`docker run -e\`), then remove the ENV` } };
    }
    return fix;
  },
});

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

function references(text: string, raw: string): boolean {
  const name = escapeRegExp(raw);
  return new RegExp(`\\$(?:\\{${name}(?:[:?+\\-=}][^}]*)?\\}|${name}(?![A-Za-z0-9_]))`).test(text);
}

/** Syntax directives that support `--mount=type=secret,env=…` (Dockerfile frontend 1.10 and later). */
function syntaxSupportsSecretEnv(value: string): boolean {
  const m = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:(.+)$/.exec(value.trim());
  if (!m) return false;
  const tag = m[1];
  if (/^1(-labs)?$/.test(tag) || /^latest$/.test(tag)) return true;
  const minor = /^1\.(\d+)/.exec(tag);
  return minor !== null && Number(minor[1]) >= 10;
}

/**
 * Removes the declaration and gives every RUN of the stage that reads the variable a secret
 * mount of the same name, so the commands see it as an environment variable during that step
 * only. The build then needs `--secret id=<id>,env=<NAME>`: not safe to apply unasked.
 */
function secretMountFix(model: DockerfileModel, instruction: DockerInstruction, declaration: Declaration) {
  const stage = model.stages[instruction.stage];
  const { name } = declaration;
  const document = model.document;
  const after = stage.instructions.slice(stage.instructions.indexOf(instruction) + 1);
  // The variable must be read only by RUN commands of this stage: anything else (another ENV,
  // a CMD, a later stage built FROM this one) would lose its value.
  const later = model.stages.filter((s) => s.index > stage.index && s.base.stageRef === stage.index);
  if (later.some((s) => s.instructions.some((i) => references(document.getText(i.range), name)))) return undefined;
  const readers = after.filter((i) => references(document.getText(i.range), name));
  if (readers.some((i) => i.keyword !== 'RUN' || i.execForm)) return undefined;
  const redeclared = after.some((i) => (i.keyword === 'ARG' || i.keyword === 'ENV') && declarations(i).some((d) => d.name === name));
  if (redeclared) return undefined;
  const syntax = model.directives.find((d) => d.name === 'syntax');
  if (syntax && !syntaxSupportsSecretEnv(syntax.value)) return undefined;

  const edits: TextEdit[] = [];
  if (!syntax) edits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# syntax=docker/dockerfile:1\n' });
  if (declaration.count === 1) {
    edits.push({ range: { start: { line: instruction.range.start.line, character: 0 }, end: { line: instruction.range.end.line + 1, character: 0 } }, newText: '' });
  } else {
    const all = declarations(instruction);
    const i = declaration.index;
    // Take the separator on one side with it: the one before, or after for the first property.
    const range = i > 0
      ? { start: all[i - 1].range.end, end: declaration.range.end }
      : { start: declaration.range.start, end: all[1].range.start };
    edits.push({ range, newText: '' });
  }
  const id = name.toLowerCase();
  for (const run of readers) {
    const mounted = run.flags.some((f) => f.name === 'mount' && f.options.get('type') === 'secret' && f.options.get('env') === name);
    if (mounted) continue;
    edits.push({ range: { start: run.keywordRange.end, end: run.keywordRange.end }, newText: ` --mount=type=secret,id=${id},env=${name}` });
  }
  return {
    title: readers.length > 0 ? `Pass ${name} as a build secret` : `Remove ${instruction.keyword} ${name}`,
    edits,
    safe: false,
  };
}

/** Source files worth reading for a variable's name, and folders never worth walking. */
const SOURCE = /\.(?:[cm]?[jt]sx?|py|go|rb|php|java|kt|cs|rs|sh|ex|exs|scala|json|ya?ml|toml|ini|properties|conf|env)$/i;
/** Configuration, named only when no code names the variable (a `package.json` script may set it for a local run). */
const CONFIG = /\.(?:json|ya?ml|toml|ini|properties|conf|env)$/i;
const SKIPPED = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', 'target', '.venv', 'venv', '__pycache__']);
const WALK_LIMIT = 3000;

/**
 * The first source file of the build context (as a path relative to it) that names the variable,
 * or null: a bounded walk, since the answer only words the fix's title.
 */
function codeReading(contextDir: string, name: string, files: FileAccess): string | null {
  if (!files.list) return null;
  const word = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(name)}(?![A-Za-z0-9_])`);
  const pending = [''];
  let seen = 0;
  let config: string | null = null;
  while (pending.length > 0) {
    const rel = pending.shift()!;
    for (const entry of files.list(rel ? join(contextDir, rel) : contextDir) ?? []) {
      if (++seen > WALK_LIMIT) return config;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.directory) {
        if (!SKIPPED.has(entry.name)) pending.push(path);
        continue;
      }
      if (!SOURCE.test(entry.name) || /dockerfile|compose/i.test(entry.name) || (config !== null && CONFIG.test(entry.name))) continue;
      const text = files.read(join(contextDir, path));
      if (text === null || text.length >= 500_000 || !word.test(text)) continue;
      if (!CONFIG.test(entry.name)) return path;
      config = path;
    }
  }
  return config;
}
