import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { composeRule, type Fix, type FixContext } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { serviceFamily } from '../../compose/services';
import { appendToMap, insertAt, replaceNode, unitOf } from '../../compose/edit';
import { eol } from '../../compose/layout';
import { isBlockMap } from '../../compose/layout';
import { addSequenceItem, definitionOf, ownPair } from '../../compose/hardening';
import { escapeRegExp } from '../../text/regexp';

/** Words that make a variable name a credential (`DB_PASSWORD`, `EventBusPassword`, `api_key`). */
const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'pass', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials']);
/** Two-word credentials; `access key` alone is not one (AWS_ACCESS_KEY_ID names an identifier). */
const SECRET_PAIRS = new Set(['api key', 'private key', 'encryption key', 'signing key', 'master key', 'session key', 'auth key', 'jwt key', 'app key', 'license key']);
/**
 * A last word that says the variable holds something about the credential, not the credential:
 * `PASSWORD_FILE`, `TOKEN_URL`, `SECRET_KEY_ID`, `PASSWORD_MIN_LENGTH`, `TOKEN_EXPIRY`.
 */
const QUALIFIERS = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'url', 'uri', 'endpoint', 'host', 'hostname', 'server', 'port', 'id', 'ids', 'name', 'user',
  'username', 'type', 'kind', 'version', 'length', 'len', 'size', 'enabled', 'enable', 'disabled', 'disable', 'required', 'expiry', 'expires',
  'expiration', 'lifetime', 'ttl', 'timeout', 'age', 'header', 'method', 'algorithm', 'alg', 'location', 'mode', 'format', 'region', 'issuer',
  'audience', 'scope', 'scopes', 'prefix', 'suffix', 'policy', 'hash', 'min', 'max', 'complexity', 'strength', 'rotation', 'field', 'param',
  'source', 'provider', 'backend', 'store', 'count', 'interval', 'duration', 'days', 'hours', 'minutes', 'seconds', 'cost', 'rounds',
  'validity', 'pattern', 'regex', 'rules', 'check', 'encoding', 'charset', 'limit', 'attempts', 'retries', 'reset', 'expire', 'lifespan',
]);

/** Splits a variable name into lower-case words: `EventBusPassword` → event, bus, password. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a variable name says it holds a credential. */
export function isSecretName(name: string): boolean {
  const w = words(name);
  if (w.length === 0 || /^FILE__/i.test(name) || name.toUpperCase() === 'PWD') return false;
  if (QUALIFIERS.has(w[w.length - 1])) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  return w.some((x, i) => i > 0 && SECRET_PAIRS.has(`${w[i - 1]} ${x}`));
}

/** Credentials recognisable by their format, whatever the variable is called. */
const FORMATS: [RegExp, string][] = [
  [/^gh[pousr]_[A-Za-z0-9]{36,}$/, 'GitHub token'],
  [/^github_pat_[A-Za-z0-9_]{40,}$/, 'GitHub token'],
  [/^glpat-[A-Za-z0-9_-]{20,}$/, 'GitLab token'],
  [/^xox[abposr]-[A-Za-z0-9-]{10,}$/, 'Slack token'],
  [/^(sk|rk)_live_[A-Za-z0-9]{20,}$/, 'Stripe key'],
  [/^sk-(proj-|ant-)?[A-Za-z0-9_-]{32,}$/, 'API key'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'Google API key'],
  [/^npm_[A-Za-z0-9]{36}$/, 'npm token'],
  [/^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/, 'SendGrid key'],
  [/^hf_[A-Za-z0-9]{34,}$/, 'Hugging Face token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key'],
];

/** What a value is before interpolation: written out, a default behind a variable, or a reference. */
type Value =
  | { kind: 'literal'; value: string }
  | { kind: 'default'; variable: string; value: string; operator: string }
  | { kind: 'reference'; variable: string }
  | { kind: 'other' };

export function analyseValue(raw: string): Value {
  if (!/\$(?!\$)/.test(raw.replace(/\$\$/g, ''))) return { kind: 'literal', value: raw.replace(/\$\$/g, '$') };
  let m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?\?[\s\S]*)?\}$/.exec(raw) ?? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(raw);
  if (m) return { kind: 'reference', variable: m[1] };
  m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-=])([\s\S]*)\}$/.exec(raw);
  if (m && !/\$(?!\$)/.test(m[3].replace(/\$\$/g, ''))) return { kind: 'default', variable: m[1], value: m[3].replace(/\$\$/g, '$'), operator: m[2] };
  return { kind: 'other' };
}

/** Values that cannot be the credential itself: flags, file paths, template placeholders. */
function isPlaceholderOrFlag(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(true|false|yes|no|on|off|0|1)$/i.test(v)) return true;
  if (/^(\.{0,2}\/|~\/)\S*$/.test(v) || /\.(pem|key|crt|cert|p12|pfx|jks|json|txt)$/i.test(v)) return true;
  return /^\{\{.*\}\}$/.test(v) || /^<[^<>]*>$/.test(v);
}

/** A password written inside a connection URL or string: `postgres://user:pw@db`, `…;Password=pw;`. */
function embeddedPassword(raw: string): string | null {
  // The scheme starts where no scheme character precedes it: a long run of letters is scanned once,
  // not once per letter (quadratic on a 100,000-character value).
  const url = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@/\s]+)@/i.exec(raw);
  if (url && !url[1].includes('$')) return url[1];
  const connection = /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]+)/i.exec(raw);
  if (connection && !connection[1].includes('$') && !isPlaceholderOrFlag(connection[1])) return connection[1].trim();
  return null;
}

/** A credential shown in a message: enough to recognise it, not enough to use it from a CI log. */
function mask(value: string): string {
  const v = value.trim();
  if (v.length <= 4) return '*'.repeat(v.length);
  return `${v.slice(0, 2)}${'*'.repeat(Math.min(v.length - 2, 6))}`;
}

/** One variable as written in one file's `environment` or `build.args`. */
interface Variable {
  compose: ComposeModel;
  service: string;
  where: 'environment' | 'args';
  name: string;
  /** The mapping or list the entry is in. */
  container: Node;
  /** The list item, or the mapping's key. */
  entry: Node;
  /** The mapping's value node (null for list items and empty values). */
  valueNode: Node | null;
  /** The value before interpolation, or null when it is passed through from the shell. */
  raw: string | null;
}

/** The entries of one `environment` or `args` value, in the order written. */
function variablesOf(compose: ComposeModel, service: string, where: Variable['where'], node: Node | null): (Variable | { reset: string })[] {
  const value = compose.resolve(node);
  const out: (Variable | { reset: string })[] = [];
  if (isMap(value)) {
    for (const e of compose.entries(value)) {
      const v = compose.resolve(e.value);
      if ((e.value as { tag?: string } | null)?.tag === '!reset') {
        out.push({ reset: e.key });
        continue;
      }
      const raw = isScalar(v) && (v as Scalar).value !== null && (v as Scalar).value !== undefined ? String((v as Scalar).value) : null;
      out.push({ compose, service, where, name: e.key, container: value as Node, entry: e.keyNode, valueNode: isScalar(v) ? (v as Node) : null, raw });
    }
  } else if (isSeq(value)) {
    for (const item of compose.items(value)) {
      const resolved = compose.resolve(item);
      if (!isScalar(resolved)) continue;
      const text = String((resolved as Scalar).value ?? '');
      const eq = text.indexOf('=');
      const name = (eq < 0 ? text : text.slice(0, eq)).trim();
      if (!name) continue;
      out.push({ compose, service, where, name, container: value as Node, entry: resolved as Node, valueNode: null, raw: eq < 0 ? null : text.slice(eq + 1) });
    }
  }
  return out;
}

/** The effective variables of a service (last file wins, per name), each where it is written. */
function effective(project: ComposeProject, service: ProjectService, where: Variable['where']): Variable[] {
  const byName = new Map<string, Variable>();
  const path = where === 'environment' ? ['environment'] : ['build', 'args'];
  for (const { compose, node } of project.all(service, path)) {
    if ((node as { tag?: string } | null)?.tag === '!override') byName.clear();
    for (const v of variablesOf(compose, service.name, where, node)) {
      if ('reset' in v) byName.delete(v.reset);
      else byName.set(v.name, v);
    }
  }
  return [...byName.values()];
}

/** Whether the Dockerfile the service builds declares the argument; null when it is not known. */
function declaresArg(project: ComposeProject, service: ProjectService, name: string): boolean | null {
  const built = project.dockerfile(service);
  if (!built) return null;
  const pattern = new RegExp(`(^|\\s)${escapeRegExp(name)}(=|\\s|$)`, 'i');
  return built.model.instructions.some((i) => i.keyword === 'ARG' && pattern.test(i.args));
}

/** Official images that read `<NAME>_FILE` instead of `<NAME>` (their entrypoints' `file_env`). */
const FILE_VARIANTS: Record<string, string[]> = {
  postgres: ['POSTGRES_PASSWORD'],
  mysql: ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'],
  mariadb: ['MARIADB_ROOT_PASSWORD', 'MARIADB_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'],
  mongo: ['MONGO_INITDB_ROOT_PASSWORD'],
};

interface Credential {
  variable: Variable;
  message: string;
  /** The node reported: the value, or the list item. */
  node: Node;
  reason: 'literal' | 'default' | 'format' | 'embedded' | 'build-arg';
}

function credentials(project: ComposeProject): Credential[] {
  const result: Credential[] = [];
  for (const service of project.services) {
    const family = serviceFamily(project, service);
    for (const v of effective(project, service, 'environment')) {
      const found = judgeEnvironment(v, family);
      if (found) result.push(found);
    }
    for (const v of effective(project, service, 'args')) {
      if (!isSecretName(v.name)) continue;
      const value = v.raw === null ? null : analyseValue(v.raw);
      if (value?.kind === 'literal' && isPlaceholderOrFlag(value.value)) continue;
      // An argument the Dockerfile never declares is not used, so it is not recorded either.
      if (declaresArg(project, service, v.name) === false) continue;
      const literal = value?.kind === 'literal' ? ` the literal value \`${mask(value.value)}\`,` : '';
      result.push({
        variable: v,
        node: v.valueNode ?? v.entry,
        reason: 'build-arg',
        message: `\`${service.name}\` passes \`${v.name}\` to the build as an argument,${literal} and build arguments persist in the image (its history and build provenance), where anyone who pulls it can read them; pass it as a build secret (\`build.secrets\`, read with \`RUN --mount=type=secret\`).`,
      });
    }
  }
  return result;
}

function judgeEnvironment(v: Variable, family: string | null): Credential | null {
  if (v.raw === null) return null;
  const value = analyseValue(v.raw);
  const node = v.valueNode ?? v.entry;
  const shown = value.kind === 'literal' || value.kind === 'default' ? value.value.trim() : '';
  const format = shown ? FORMATS.find(([pattern]) => pattern.test(shown)) : undefined;
  const supported = family ? FILE_VARIANTS[family]?.includes(v.name) : false;
  const where = 'in the Compose file, where anyone who can read the repository or run `docker inspect` sees it';
  const advice = supported
    ? `set \`${v.name}_FILE\` to a Compose secret instead`
    : `pass it from the environment (\`\${${v.name}:?}\`) or mount it as a Compose secret`;
  if (format && value.kind === 'literal') {
    return { variable: v, node, reason: 'format', message: `\`${v.service}\` sets \`${v.name}\` to what looks like a real ${format[1]} (\`${mask(shown)}\`) ${where}; revoke it, then ${advice}.` };
  }
  if (isSecretName(v.name)) {
    if (value.kind === 'literal' && !isPlaceholderOrFlag(value.value)) {
      return { variable: v, node, reason: 'literal', message: `\`${v.service}\` sets \`${v.name}\` to a literal value (\`${mask(value.value)}\`) ${where}; ${advice}.` };
    }
    if (value.kind === 'default' && !isPlaceholderOrFlag(value.value)) {
      return {
        variable: v,
        node,
        reason: 'default',
        message: `\`${v.service}\` falls back to a literal \`${v.name}\` (\`${mask(value.value)}\`) when \`${value.variable}\` is not set, so a deployment that forgets the variable runs with a credential written in the repository; drop the default (\`\${${value.variable}:?}\`) so that Compose refuses to start without it.`,
      };
    }
  }
  const embedded = value.kind === 'literal' || value.kind === 'default' ? embeddedPassword(shown) : value.kind === 'other' ? embeddedPassword(v.raw) : null;
  if (embedded && value.kind === 'default') {
    return {
      variable: v,
      node,
      reason: 'default',
      message: `\`${v.service}\` falls back to a \`${v.name}\` with a password in it (\`${mask(embedded)}\`) when \`${value.variable}\` is not set, so a deployment that forgets the variable runs with a credential written in the repository; drop the default (\`\${${value.variable}:?}\`) so that Compose refuses to start without it.`,
    };
  }
  if (embedded) {
    return { variable: v, node, reason: 'embedded', message: `\`${v.service}\` writes a password (\`${mask(embedded)}\`) into \`${v.name}\` ${where}; build the value from variables (\`\${DB_PASSWORD:?}\`) or read the password from a Compose secret.` };
  }
  return null;
}

/** Replaces a scalar keeping its quoting style (plain where that stays valid YAML). */
function rewriteScalar(compose: ComposeModel, node: Node, text: string, flow: boolean): TextEdit | undefined {
  const type = (node as Scalar).type;
  if (type === 'QUOTE_SINGLE' && !text.includes("'")) return replaceNode(compose, node, `'${text}'`);
  const plainSafe = !flow && !/^[\s"'&*!|>%@`#,[\]{}-]|: | #|\s$/.test(text);
  return replaceNode(compose, node, type === 'QUOTE_DOUBLE' || !plainSafe ? JSON.stringify(text) : text);
}

/** A secret id not yet defined at the top level, or the existing one defined the same way. */
function secretId(compose: ComposeModel, base: string, definition: string): { id: string; exists: boolean } {
  const secrets = compose.get(compose.root, 'secrets')?.value ?? null;
  const clean = base.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_');
  for (let n = 1; n < 50; n++) {
    const id = n === 1 ? clean : `${clean}_${n}`;
    const existing = compose.get(secrets, id);
    if (!existing) return { id, exists: false };
    const [key, value] = definition.split(': ');
    if (compose.text(compose.get(existing.value, key)?.value) === value) return { id, exists: true };
  }
  return { id: clean, exists: true };
}

/** The top-level secret definition, added to `secrets:` (or a new `secrets:` at the end of the file). */
function topLevelSecret(compose: ComposeModel, id: string, definition: string): TextEdit | undefined {
  const root = compose.root;
  if (!isBlockMap(root)) return undefined;
  const unit = unitOf(compose);
  const pair = ownPair(root, 'secrets');
  if (!pair) return compose.get(root, 'secrets') ? undefined : appendToMap(compose, root, ['secrets:', `${unit}${id}:`, `${unit}${unit}${definition}`]);
  return isBlockMap(pair.value) ? appendToMap(compose, pair.value, [`${id}:`, `${unit}${definition}`]) : undefined;
}

/** Whether a scalar under the service's healthcheck, command or entrypoint names the variable. */
function referencedInCommands(compose: ComposeModel, own: YAMLMap, name: string): boolean {
  const pattern = new RegExp(`\\$\\$?\\{?${escapeRegExp(name)}\\b`);
  const seen: string[] = [];
  const collect = (node: Node | null, depth = 0) => {
    const v = compose.resolve(node);
    if (!v || depth > 6) return;
    if (isScalar(v)) seen.push(String((v as Scalar).value ?? ''));
    else if (isSeq(v)) for (const i of compose.items(v)) collect(i, depth + 1);
    else if (isMap(v)) for (const e of compose.entries(v)) collect(e.value, depth + 1);
  };
  for (const key of ['healthcheck', 'command', 'entrypoint']) collect(compose.get(own, key)?.value ?? null);
  return seen.some((s) => pattern.test(s));
}

/** `X_PASSWORD: literal` → `X_PASSWORD_FILE: /run/secrets/<id>`, with the secret granted and defined. */
function fileVariantFix(credential: Credential, compose: ComposeModel, own: YAMLMap, context: FixContext): Fix | undefined {
  const v = credential.variable;
  const value = v.raw === null ? null : analyseValue(v.raw);
  if (value?.kind !== 'literal' || !context.path) return undefined;
  // The environment must be the service's own: a shared anchor would change other services.
  if (ownPair(own, 'environment')?.value !== v.container) return undefined;
  const fileName = `${v.name}_FILE`;
  if (variablesOf(compose, v.service, 'environment', v.container).some((x) => 'name' in x && x.name === fileName)) return undefined;
  // A healthcheck such as `mysqladmin ping -p$$MYSQL_ROOT_PASSWORD` would lose its password.
  if (referencedInCommands(compose, own, v.name)) return undefined;
  const { id, exists } = secretId(compose, `${v.service}_${v.name}`, `file: ./secrets/${v.service}_${v.name}.txt`.toLowerCase());
  if (exists) return undefined;
  const file = join(dirname(context.path), 'secrets', `${id}.txt`);
  if (context.files.exists(file)) return undefined;
  const edits: (TextEdit | undefined)[] = [];
  const flow = Boolean((v.container as YAMLMap | YAMLSeq).flow);
  if (isMap(v.container)) {
    if (!v.valueNode?.range || !v.entry.range) return undefined;
    edits.push({ range: { start: compose.rangeOf(v.entry).start, end: compose.rangeOf(v.valueNode).end }, newText: `${fileName}: /run/secrets/${id}` });
  } else {
    edits.push(rewriteScalar(compose, v.entry, `${fileName}=/run/secrets/${id}`, flow));
  }
  edits.push(addSequenceItem(compose, own, 'secrets', id));
  edits.push(topLevelSecret(compose, id, `file: ./secrets/${id}.txt`));
  if (edits.some((e) => !e)) return undefined;
  return {
    title: `Read \`${v.name}\` from a secret file (\`${fileName}\`)`,
    edits: edits as TextEdit[],
    createFiles: [{ path: file, text: value.value }],
    safe: false,
  };
}

/** `${VAR:-literal}` → `${VAR:?…}`: Compose then refuses to start without the variable. */
function requireVariableFix(credential: Credential, compose: ComposeModel): Fix | undefined {
  const v = credential.variable;
  const value = v.raw === null ? null : analyseValue(v.raw);
  if (value?.kind !== 'default') return undefined;
  const required = `\${${value.variable}:?${value.variable} must be set}`;
  const flow = Boolean((v.container as YAMLMap | YAMLSeq).flow);
  const edit = v.valueNode ? rewriteScalar(compose, v.valueNode, required, flow) : rewriteScalar(compose, v.entry, `${v.name}=${required}`, flow);
  return edit ? { title: `Require \`${value.variable}\` instead of falling back to a literal`, edits: [edit], safe: false } : undefined;
}

/**
 * Deletes the lines from `start` to `end`, from the line break before them to the end of the last
 * line: an insertion at the end of the file or of a mapping that ends there touches the deletion
 * instead of falling inside it.
 */
function removeLines(compose: ComposeModel, start: number, end: number): TextEdit | undefined {
  const text = compose.document.getText();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (lineStart === 0 || !/^\s*(-\s+)?$/.test(text.slice(lineStart, start))) return undefined;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const from = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  return { range: { start: compose.document.positionAt(from), end: compose.document.positionAt(lineEnd) }, newText: '' };
}

/** A build argument → a build secret: removed from `args`, listed in `build.secrets`, defined at the top. */
function buildSecretFix(credential: Credential, compose: ComposeModel, own: YAMLMap, context: FixContext): Fix | undefined {
  const v = credential.variable;
  const buildPair = ownPair(own, 'build');
  const build = buildPair?.value ?? null;
  if (!isBlockMap(build)) return undefined;
  const argsPair = ownPair(build, 'args');
  if (!argsPair || argsPair.value !== v.container) return undefined;
  const value = v.raw === null ? null : analyseValue(v.raw);
  let definition: string;
  let createFiles: Fix['createFiles'];
  let id: string;
  let exists: boolean;
  if (value === null || value.kind === 'reference') {
    definition = `environment: ${value === null ? v.name : value.variable}`;
    ({ id, exists } = secretId(compose, v.name, definition));
  } else if (value.kind === 'literal' && context.path) {
    ({ id, exists } = secretId(compose, v.name, `file: ./secrets/${v.name.toLowerCase()}.txt`));
    definition = `file: ./secrets/${id}.txt`;
    const file = join(dirname(context.path), 'secrets', `${id}.txt`);
    if (context.files.exists(file) && !exists) return undefined;
    createFiles = exists ? undefined : [{ path: file, text: value.value }];
  } else {
    return undefined;
  }
  const args = v.container as YAMLMap | YAMLSeq;
  const argsKey = argsPair.key as Node;
  if (!argsKey.range || !args.range || args.flow) return undefined;
  const edits: (TextEdit | undefined)[] = [];
  // Either the whole `args:` goes (its only entry is this one) or just the entry's line.
  const wholeArgs = args.items.length === 1;
  const entryEnd = isMap(args) ? (v.valueNode ? compose.endOf(v.valueNode) : compose.endOf(v.entry)) : compose.endOf(v.entry);
  const removal = wholeArgs ? removeLines(compose, argsKey.range[0], compose.endOf(args)) : removeLines(compose, (v.entry.range ?? [0])[0], entryEnd);
  if (!removal) return undefined;
  edits.push(removal);
  const secretsPair = ownPair(build, 'secrets');
  if (secretsPair) {
    edits.push(addSequenceItem(compose, build, 'secrets', id));
  } else if (compose.get(build, 'secrets')) {
    return undefined;
  } else {
    const text = compose.document.getText();
    const lineStart = text.lastIndexOf('\n', argsKey.range[0] - 1) + 1;
    const indent = text.slice(lineStart, argsKey.range[0]);
    if (wholeArgs) removal.newText = `${eol(compose)}${indent}secrets: [${id}]`;
    else edits.push(insertAt(compose, lineStart, `${indent}secrets: [${id}]${eol(compose)}`));
  }
  if (!exists) edits.push(topLevelSecret(compose, id, definition));
  if (edits.some((e) => !e)) return undefined;
  return {
    title: `Pass \`${v.name}\` as a build secret (then read it with \`RUN --mount=type=secret,id=${id},env=${v.name}\`)`,
    edits: edits as TextEdit[],
    ...(createFiles ? { createFiles } : {}),
    safe: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Credentials on a service's command line: `command: ["--admin-password=admin"]`.

/** A word of a command line, with the offset of its first character in the scalar's value (-1 when not known). */
interface Word {
  text: string;
  start: number;
  /** The scalar the word is written in. */
  node?: Node;
}

/** Splits a command string the way Compose does (on blanks, with quotes and backslashes), keeping where each word starts. */
function splitWords(value: string): Word[] {
  const words: Word[] = [];
  let text = '';
  let start = -1;
  let raw = true;
  let quote: string | null = null;
  const end = () => {
    if (start >= 0) words.push({ text, start: raw ? start : -1 });
    text = '';
    start = -1;
    raw = true;
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < value.length) text += value[++i];
      else text += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      end();
      continue;
    }
    if (start < 0) start = i;
    if (ch === '"' || ch === "'") {
      // A word that is one quoted string still maps to its text one character in; other quoting does not.
      if (i === start && value.indexOf(ch, i + 1) > i) start = i + 1;
      else raw = false;
      quote = ch;
    } else if (ch === '\\' && i + 1 < value.length) {
      text += value[++i];
      raw = false;
    } else {
      text += ch;
    }
  }
  end();
  return words;
}

/** Options that take a password on the command line of well-known programs, by program. */
const SHORT_PASSWORD_OPTIONS: Record<string, { option: string; attached: boolean }> = {
  mongo: { option: '-p', attached: false }, mongosh: { option: '-p', attached: false }, mongodump: { option: '-p', attached: false },
  mongorestore: { option: '-p', attached: false }, mongoexport: { option: '-p', attached: false }, mongoimport: { option: '-p', attached: false },
  // `mysql -p secret` prompts and takes `secret` as the database: only `-psecret` passes a password.
  mysql: { option: '-p', attached: true }, mysqladmin: { option: '-p', attached: true }, mysqldump: { option: '-p', attached: true },
  mariadb: { option: '-p', attached: true }, 'mariadb-admin': { option: '-p', attached: true }, 'mariadb-dump': { option: '-p', attached: true },
  'redis-cli': { option: '-a', attached: false },
};
/** Long options whose name hides the credential word: Redis's `--requirepass` and `--masterauth`. */
const PASSWORD_OPTIONS = new Set(['requirepass', 'masterauth', 'masterpass', 'pass', 'passwd']);

/** A credential found among the words of one command line: the option that names it and its value. */
function commandLineCredentials(words: Word[], depth = 0): { option: string; value: Word }[] {
  const out: { option: string; value: Word }[] = [];
  let program = '';
  for (let i = 0; i < words.length; i++) {
    const { text } = words[i];
    const next = words[i + 1];
    if (i === 0 || /^(?:&&|\|\||;|\|)$/.test(words[i - 1].text)) program = text.slice(text.lastIndexOf('/') + 1);
    // `sh -c "…"`: the script is a command line of its own.
    if (/^-[a-z]*c[a-z]*$/.test(text) && /^(?:ba|da|z|k|a)?sh$/.test(program) && next && depth < 2) {
      const inner = commandLineCredentials(splitWords(next.text), depth + 1);
      out.push(...inner.map((c) => ({ option: c.option, value: { text: c.value.text, start: next.start >= 0 && c.value.start >= 0 ? next.start + c.value.start : -1, node: next.node } })));
      i++;
      continue;
    }
    const long = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(text);
    if (long && text.startsWith('--')) {
      const name = long[1];
      if (!isSecretName(name) && !PASSWORD_OPTIONS.has(name.toLowerCase())) continue;
      if (long[2] !== undefined) out.push({ option: `--${name}`, value: { text: long[2], start: words[i].start >= 0 ? words[i].start + name.length + 3 : -1, node: words[i].node } });
      else if (next && !next.text.startsWith('-')) out.push({ option: `--${name}`, value: next });
      continue;
    }
    const short = SHORT_PASSWORD_OPTIONS[program];
    if (short && text.startsWith(short.option)) {
      if (text.length > short.option.length) out.push({ option: short.option, value: { text: text.slice(short.option.length), start: words[i].start >= 0 ? words[i].start + short.option.length : -1, node: words[i].node } });
      else if (!short.attached && next && !next.text.startsWith('-')) out.push({ option: short.option, value: next });
      continue;
    }
    // `env DB_PASSWORD=secret app`.
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
    if (assignment && isSecretName(assignment[1])) out.push({ option: assignment[1], value: { text: assignment[2], start: words[i].start >= 0 ? words[i].start + assignment[1].length + 1 : -1, node: words[i].node } });
  }
  // Interpolated (`${VAR}`), shell-expanded (`$$VAR`, `$$(cat …)`) and file values are not written here.
  return out.filter((c) => !c.value.text.includes('$') && !isPlaceholderOrFlag(c.value.text));
}

interface CommandCredential {
  service: string;
  key: 'command' | 'entrypoint' | 'healthcheck';
  option: string;
  value: string;
  range: Range;
}

const COMMAND_LINES = [['command'], ['entrypoint'], ['healthcheck', 'test']] as const;

/** The credentials each service's effective `command`, `entrypoint` and healthcheck `test` carry, where `compose` writes them. */
function commandCredentials(project: ComposeProject, compose: ComposeModel): CommandCredential[] {
  const out: CommandCredential[] = [];
  for (const service of project.services) {
    for (const path of COMMAND_LINES) {
      const key = path[0];
      const located = project.get(service, [...path]);
      if (!located?.node || located.compose !== compose) continue;
      const node = compose.resolve(located.node);
      const scalars = isSeq(node) ? compose.items(node).map((i) => compose.resolve(i)) : [node];
      // Each list item is one word; a string is split into words.
      const words: Word[] = [];
      for (const scalar of scalars) {
        if (!isScalar(scalar)) continue;
        const value = String((scalar as Scalar).value ?? '');
        // A healthcheck's `["CMD-SHELL", "…"]` (or its string form) is a shell command line; `["CMD", …]` is the words.
        const shell = !isSeq(node) || (key === 'healthcheck' && words.length === 1 && words[0].text === 'CMD-SHELL');
        if (shell) words.push(...splitWords(value).map((w) => ({ ...w, node: scalar as Node })));
        else words.push({ text: value, start: 0, node: scalar as Node });
      }
      if (key === 'healthcheck' && /^CMD(?:-SHELL)?$/.test(words[0]?.text ?? '')) words.shift();
      for (const found of commandLineCredentials(words)) {
        const scalar = found.value.node;
        if (!scalar) continue;
        out.push({ service: service.name, key, option: found.option, value: found.value.text, range: valueRange(compose, scalar, found.value) });
      }
    }
  }
  return out;
}

/** The range of a value inside a scalar when its source text maps one to one (plain, or quoted without escapes); else the scalar's. */
function valueRange(compose: ComposeModel, scalar: Node, value: Word): Range {
  const whole = compose.rangeOf(scalar);
  if (value.start < 0) return whole;
  const source = compose.document.getText(whole);
  const text = String((scalar as Scalar).value ?? '');
  const offset = source === text ? 0 : source.length === text.length + 2 && source.slice(1, -1) === text ? 1 : -1;
  if (offset < 0 || text.slice(value.start, value.start + value.text.length) !== value.text) return whole;
  const base = compose.document.offsetAt(whole.start) + offset + value.start;
  return { start: compose.document.positionAt(base), end: compose.document.positionAt(base + value.text.length) };
}

/**
 * A credential written in a Compose file is in every clone of the repository and in the output of
 * `docker inspect`; a build argument is also in the image's history. Compose secrets and build
 * secrets are mounted as files instead. https://docs.docker.com/compose/how-tos/use-secrets/
 */
export default composeRule({
  id: 'no-secrets-in-environment',
  aliases: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'],
  title: 'Keep credentials out of `environment`, command lines and build arguments',
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const c of credentials(project)) {
      if (c.variable.compose !== compose) continue;
      report({ range: compose.rangeOf(c.node), message: c.message, data: { service: c.variable.service, where: c.variable.where, name: c.variable.name } });
    }
    for (const c of commandCredentials(project, compose)) {
      report({
        range: c.range,
        message: `\`${c.service}\` passes a literal credential to \`${c.option}\` (\`${mask(c.value)}\`) on its command line in the Compose file, where anyone who can read the repository, run \`docker inspect\` or list the host's processes sees it; pass it from the environment (\`\${VAR:?}\` interpolation) or point the program at a Compose secret file if it can read one.`,
        data: { service: c.service, where: c.key, name: c.option },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const credential = credentials(project).find((c) => {
      if (c.variable.compose !== compose) return false;
      const start = compose.rangeOf(c.node).start;
      return start.line === finding.range.start.line && start.character === finding.range.start.character;
    });
    if (!credential) return undefined;
    const v = credential.variable;
    const own = definitionOf(compose, v.service)?.node ?? null;
    if (!isBlockMap(own)) return undefined;
    if (credential.reason === 'build-arg') return buildSecretFix(credential, compose, own, context);
    if (credential.reason === 'default') return requireVariableFix(credential, compose);
    const family = serviceFamily(project, project.service(v.service));
    if (credential.reason === 'literal' && family && FILE_VARIANTS[family]?.includes(v.name)) return fileVariantFix(credential, compose, own, context);
    return undefined;
  },
});
