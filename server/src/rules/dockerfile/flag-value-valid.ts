import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel } from '../../dockerfile/parse';
import { checkedFlags, closest, instructionWords, type RawFlag } from '../../dockerfile/syntax';
import { durationFix, parseDuration } from '../compose/healthcheck-valid';

const DURATIONS = new Set(['interval', 'timeout', 'start-period', 'start-interval']);
const NETWORKS = ['default', 'none', 'host'];
const SECURITY = ['insecure', 'sandbox'];
const MOUNT_TYPES = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING = ['shared', 'private', 'locked'];
/** The `--mount` keys BuildKit knows (commands_runmount.go; `size` for tmpfs and `env` for secrets are documented too). */
const MOUNT_KEYS = ['type', 'from', 'source', 'src', 'target', 'dst', 'destination', 'readonly', 'ro', 'readwrite', 'rw', 'id', 'sharing', 'required', 'mode', 'uid', 'gid', 'size', 'env'];
const GO_BOOL = /^(?:1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
/** chmod's symbolic modes (`u+x`, `go=rx,u=rwx`), which BuildKit accepts besides octal since Dockerfile 1.14. */
const SYMBOLIC_MODE = /^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*$/;

interface Problem {
  range: Range;
  message: string;
  replacement?: string;
}

/**
 * Flag values BuildKit rejects when it parses the instruction: HEALTHCHECK durations and retries,
 * `--chmod`, `--network`, `--security`, booleans, a flag without its value, and the options of
 * `RUN --mount` per mount type. Values with a `$` are expanded at build time and not judged.
 * https://docs.docker.com/reference/dockerfile/#run---mount
 */
export default dockerfileRule({
  id: 'flag-value-valid',
  aliases: ['dockerfile-utils:13', 'dockerfile-utils:15', 'dockerfile-utils:16', 'dockerfile-utils:17', 'dockerfile-utils:18', 'dockerfile-utils:19', 'dockerfile-utils:47', 'dockerfile-utils:48'],
  title: 'Give flags values BuildKit accepts',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const problem of problems(dockerfile)) {
      report({ range: problem.range, message: problem.message, data: problem.replacement !== undefined ? { replacement: problem.replacement } : undefined });
    }
  },
  fix(finding) {
    const replacement = finding.data?.replacement;
    if (typeof replacement !== 'string') return undefined;
    return { title: `Change to ${replacement}`, edits: [{ range: finding.range, newText: replacement }], safe: false };
  },
});

function problems(model: DockerfileModel): Problem[] {
  const out: Problem[] = [];
  for (const instruction of model.instructions) {
    const known = checkedFlags(model, instruction);
    if (!known) continue;
    for (const flag of instructionWords(model, instruction).flags) {
      const kind = known[flag.name];
      if (kind === undefined) continue; // flag-known's finding
      const stop = `so the build stops before it starts`;
      if (kind === 'bool') {
        if (flag.value !== null && !/^(?:true|false)$/i.test(flag.value)) {
          out.push({ range: flag.valueRange ?? flag.range, message: `\`--${flag.name}\` takes \`true\` or \`false\` (or nothing), not \`${flag.value}\`, ${stop}; write \`--${flag.name}\`.` });
        }
        continue;
      }
      if (flag.value === null) {
        out.push({ range: flag.range, message: `\`--${flag.name}\` has no value, ${stop}; write \`--${flag.name}=<value>\`.` });
        continue;
      }
      const value = flag.value;
      const range = flag.valueRange ?? flag.range;
      if (value.includes('$')) continue;
      if (instruction.keyword === 'HEALTHCHECK') {
        if (DURATIONS.has(flag.name)) {
          if (value === '') continue;
          // Go's time.ParseDuration, in nanoseconds (shared with Compose's healthcheck-valid).
          const ns = parseDuration(value);
          if (ns === null) {
            const valid = durationFix(value);
            out.push({
              range,
              message: `\`--${flag.name}=${value}\` is not a duration (a number with its unit: \`30s\`, \`1m30s\`, \`500ms\`), ${stop}; ${valid ? `write \`${valid}\`` : 'write a number with its unit'}.`,
              replacement: valid ?? undefined,
            });
          } else if (ns !== 0 && ns < 1e6) {
            out.push({ range, message: `\`--${flag.name}=${value}\` is below BuildKit's minimum of 1ms${ns < 0 ? ' (it is negative)' : ''}, ${stop}; write a positive duration such as \`30s\`.` });
          }
        } else if (flag.name === 'retries' && value !== '') {
          if (!/^[+-]?\d+$/.test(value) || Math.abs(Number(value)) > 2 ** 31 - 1) {
            out.push({ range, message: `\`--retries=${value}\` is not a whole number, ${stop}; write a count such as \`--retries=3\`.` });
          } else if (Number(value) < 0) {
            out.push({ range, message: `\`--retries=${value}\` is negative, ${stop}; write a count such as \`--retries=3\`.` });
          }
        }
        continue;
      }
      if (flag.name === 'chmod' && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) {
        if (!/^[0-7]{1,11}$/.test(value) && !SYMBOLIC_MODE.test(value)) {
          out.push({ range, message: `\`--chmod=${value}\` is neither an octal mode (\`755\`, \`0644\`) nor a symbolic one (\`u+x\`), ${stop}; write the mode in octal.` });
        }
        continue;
      }
      if (instruction.keyword !== 'RUN') continue;
      if (flag.name === 'network') oneOf(out, flag, value, NETWORKS, 'network mode');
      else if (flag.name === 'security') oneOf(out, flag, value, SECURITY, 'security mode');
      else if (flag.name === 'mount') out.push(...mountProblems(model, flag, value));
    }
  }
  return out;
}

function oneOf(out: Problem[], flag: RawFlag, value: string, allowed: string[], what: string): void {
  if (allowed.includes(value)) return;
  const suggestion = allowed.includes(value.toLowerCase()) ? value.toLowerCase() : closest(value, allowed);
  out.push({
    range: flag.valueRange ?? flag.range,
    message: `\`${value}\` is not a ${what} of \`--${flag.name}\` (${allowed.map((a) => `\`${a}\``).join(', ')}), so the build stops before it starts; ${suggestion ? `did you mean \`${suggestion}\`?` : 'write one of them.'}`,
    replacement: suggestion ?? undefined,
  });
}

/** One `key=value` field of a `--mount` value, with where it sits in the document. */
interface Field {
  key: string;
  value: string | null;
  text: string;
  range: Range;
  valueRange: Range | null;
}

/** The fields of a `--mount` value: comma-separated, double quotes protecting commas (Go's CSV reader). */
function mountFields(model: DockerfileModel, flag: RawFlag): Field[] {
  if (!flag.valueRange) return [];
  let raw = model.document.getText(flag.valueRange);
  let base = model.document.offsetAt(flag.valueRange.start);
  // BuildKit removes the shell quotes around a flag's value before reading its fields:
  // `--mount="type=cache,target=/q"` and `--mount='type=secret,id=x'` are plain mounts.
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0] && !raw.slice(1, -1).includes(raw[0])) {
    raw = raw.slice(1, -1);
    base += 1;
  }
  const position = (offset: number) => model.document.positionAt(base + offset);
  const fields: Field[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    if (i < raw.length && (ch !== ',' || quoted)) continue;
    const text = raw.slice(start, i).replace(/"/g, '');
    const eq = raw.slice(start, i).indexOf('=');
    fields.push({
      key: (eq < 0 ? text : text.slice(0, text.indexOf('='))).toLowerCase(),
      value: eq < 0 ? null : text.slice(text.indexOf('=') + 1),
      text,
      range: { start: position(start), end: position(i) },
      valueRange: eq < 0 ? null : { start: position(start + eq + 1), end: position(i) },
    });
    start = i + 1;
  }
  return fields.filter((f) => f.text !== '' || fields.length === 1);
}

function mountProblems(model: DockerfileModel, flag: RawFlag, value: string): Problem[] {
  if (value.trim() === '') return [{ range: flag.range, message: '`--mount=` is empty, so the build stops before it starts; write `--mount=type=cache,target=<dir>` or remove the flag.' }];
  const out: Problem[] = [];
  const fields = mountFields(model, flag);
  const typeField = fields.find((f) => f.key === 'type');
  const type = typeField?.value?.toLowerCase() ?? 'bind';
  const stop = 'so the build stops before it starts';
  if (typeField?.value !== null && typeField !== undefined && !MOUNT_TYPES.includes(type)) {
    const suggestion = closest(type, MOUNT_TYPES);
    out.push({
      range: typeField.valueRange ?? typeField.range,
      message: `\`type=${typeField.value}\` is not a mount type (${MOUNT_TYPES.map((t) => `\`${t}\``).join(', ')}), ${stop}; ${suggestion ? `did you mean \`${suggestion}\`?` : 'write one of them.'}`,
      replacement: suggestion ?? undefined,
    });
    return out;
  }
  const fileInfo = type === 'cache' || type === 'secret' || type === 'ssh';
  for (const field of fields) {
    const { key } = field;
    const v = field.value;
    if (v === null) {
      if (['readonly', 'ro', 'readwrite', 'rw'].includes(key)) continue;
      if (key === 'required') {
        if (type !== 'secret' && type !== 'ssh') out.push({ range: field.range, message: `\`required\` applies only to secret and ssh mounts, not to a ${type} mount, ${stop}; remove it.` });
        continue;
      }
      if (!MOUNT_KEYS.includes(key)) {
        const suggestion = closest(key, MOUNT_KEYS);
        out.push({ range: field.range, message: `\`${field.text}\` is not a \`key=value\` option of \`--mount\`, ${stop}; ${suggestion ? `did you mean \`${suggestion}=…\`?` : 'write it as `key=value`.'}` });
      } else {
        out.push({ range: field.range, message: `\`${key}\` needs a value (\`${key}=…\`), ${stop}; write the value.` });
      }
      continue;
    }
    if (!MOUNT_KEYS.includes(key)) {
      const suggestion = closest(key, MOUNT_KEYS);
      const keyRange = { start: field.range.start, end: model.document.positionAt(model.document.offsetAt(field.range.start) + key.length) };
      out.push({
        range: keyRange,
        message: `\`${key}\` is not an option of \`--mount\`, ${stop}; ${suggestion ? `did you mean \`${suggestion}\`?` : `the options are ${MOUNT_KEYS.filter((k) => !['src', 'dst', 'destination', 'ro', 'rw'].includes(k)).map((k) => `\`${k}\``).join(', ')}.`}`,
        replacement: suggestion ?? undefined,
      });
      continue;
    }
    if (v.includes('$')) continue;
    const at = field.valueRange ?? field.range;
    switch (key) {
      case 'sharing':
        if (!SHARING.includes(v.toLowerCase())) {
          const suggestion = closest(v, SHARING);
          out.push({ range: at, message: `\`sharing=${v}\` is not a sharing mode (\`shared\`, \`private\`, \`locked\`), ${stop}; ${suggestion ? `did you mean \`${suggestion}\`?` : 'write one of them.'}`, replacement: suggestion ?? undefined });
        } else if (type !== 'cache') {
          out.push({ range: field.range, message: `\`sharing\` applies only to cache mounts, not to a ${type} mount, ${stop}; remove it.` });
        }
        break;
      case 'mode':
        if (!/^[0-7]{1,11}$/.test(v)) out.push({ range: at, message: `\`mode=${v}\` is not an octal file mode (\`0644\`, \`0400\`), ${stop}; write it in octal.` });
        else if (!fileInfo) out.push({ range: field.range, message: `\`mode\` applies only to cache, secret and ssh mounts, not to a ${type} mount, ${stop}; remove it.` });
        break;
      case 'uid':
      case 'gid':
        if (!/^\d{1,10}$/.test(v) || Number(v) > 2 ** 32 - 1) out.push({ range: at, message: `\`${key}=${v}\` is not a numeric ${key === 'uid' ? 'user' : 'group'} id (names are not accepted here), ${stop}; write the number (\`${key}=1000\`).` });
        else if (!fileInfo) out.push({ range: field.range, message: `\`${key}\` applies only to cache, secret and ssh mounts, not to a ${type} mount, ${stop}; remove it.` });
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw':
      case 'required':
        if (!GO_BOOL.test(v)) out.push({ range: at, message: `\`${key}=${v}\` is not a boolean, ${stop}; write \`${key}=true\` or \`${key}=false\`.` });
        else if (key === 'required' && type !== 'secret' && type !== 'ssh') out.push({ range: field.range, message: `\`required\` applies only to secret and ssh mounts, not to a ${type} mount, ${stop}; remove it.` });
        break;
      case 'from':
        if (type === 'secret') out.push({ range: field.range, message: `a secret mount cannot take \`from\`, ${stop}; remove it.` });
        break;
    }
  }
  if (type === 'secret') {
    const has = (...keys: string[]) => fields.some((f) => keys.includes(f.key) && f.value);
    if (!has('source', 'src', 'target', 'dst', 'destination', 'id', 'env')) {
      out.push({ range: flag.range, message: `a secret mount needs \`id\` (the secret's name) or \`target\`, ${stop}; write \`--mount=type=secret,id=<name>\`.` });
    } else if (has('source', 'src') && has('id')) {
      out.push({ range: flag.range, message: `a secret mount takes \`id\` or \`source\`, not both, ${stop}; keep \`id\`.` });
    }
  }
  return out;
}
