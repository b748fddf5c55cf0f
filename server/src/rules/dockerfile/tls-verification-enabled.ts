import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shellOf, positionals, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';
import { deleteWords } from './no-sudo';

/** What turning the check off exposes, which decides what the message recommends. */
type Kind = 'tls' | 'signature';

interface Detection {
  range: Range;
  /** How the setting is written, quoted in the message (`curl -k`). */
  what: string;
  kind: Kind;
  /** What to do instead, when it is more specific than the generic advice. */
  instead?: string;
  /** For ENV/ARG: where the setting applies. */
  scope?: string;
  edits?: () => TextEdit[] | undefined;
}

const TLS_ADVICE = 'trust the server\'s CA instead (install `ca-certificates`, or COPY your CA into /usr/local/share/ca-certificates and run `update-ca-certificates`)';
const SIGNATURE_ADVICE = 'import the repository\'s signing key instead';

/** curl's short options that take a value: in `-fsSLo` the `o` ends the cluster. */
const CURL_VALUE_OPTIONS = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz'.split(''));

/** Environment variables that turn verification off, and the values that do it. */
const ENV_SETTINGS: { name: RegExp; off: (value: string) => boolean; tool: string; instead: string }[] = [
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, off: (v) => v === '0', tool: 'Node.js', instead: 'point NODE_EXTRA_CA_CERTS at your CA instead' },
  { name: /^PYTHONHTTPSVERIFY$/, off: (v) => v === '0', tool: 'Python', instead: 'add your CA to the system store (or SSL_CERT_FILE) instead' },
  // Git skips verification when the variable is set at all, even to `false` or nothing.
  { name: /^GIT_SSL_NO_VERIFY$/, off: () => true, tool: 'git', instead: 'point `http.sslCAInfo` at your CA instead' },
  { name: /^npm_config_strict_ssl$/i, off: (v) => /^(false|0|no)$/i.test(v), tool: 'npm', instead: 'set `cafile` (or NODE_EXTRA_CA_CERTS) to your CA instead' },
  { name: /^PIP_TRUSTED_HOST$/, off: (v) => v.trim() !== '', tool: 'pip', instead: 'give pip your CA with PIP_CERT instead' },
];

const FALSE = /^(false|0|no|off)$/i;

function word(model: DockerfileModel, range: Range, value: string | null): ShellWord {
  return { text: model.document.getText(range), value, range };
}

function span(a: ShellWord, b: ShellWord): Range {
  return { start: a.range.start, end: b.range.end };
}

/** A flag that takes the next word as its value (`--trusted-host pypi.org`), or `--flag=value`. */
function flagWithValue(command: ShellCommand, names: string[], test: (value: string) => boolean): { words: ShellWord[]; value: string }[] {
  const found: { words: ShellWord[]; value: string }[] = [];
  command.args.forEach((arg, i) => {
    const v = arg.value;
    if (v === null) return;
    for (const name of names) {
      if (v === name && command.args[i + 1]?.value != null && test(command.args[i + 1].value!)) found.push({ words: [arg, command.args[i + 1]], value: command.args[i + 1].value! });
      else if (name.startsWith('--') && v.startsWith(`${name}=`) && test(v.slice(name.length + 1))) found.push({ words: [arg], value: v.slice(name.length + 1) });
      else if (/^-[a-zA-Z]$/.test(name) && v.length > 2 && v.startsWith(name) && test(v.slice(2))) found.push({ words: [arg], value: v.slice(2) });
    }
  });
  return found;
}

function flags(command: ShellCommand, names: string[]): ShellWord[] {
  return command.args.filter((a) => a.value !== null && names.includes(a.value));
}

function removal(model: DockerfileModel, words: ShellWord[]): () => TextEdit[] | undefined {
  return () => {
    const edit = deleteWords(model, words);
    return edit ? [edit] : undefined;
  };
}

function commandDetections(model: DockerfileModel, command: ShellCommand): Detection[] {
  const program = command.program ?? '';
  const out: Detection[] = [];
  const single = (words: ShellWord[], what: string, kind: Kind, instead?: string) =>
    out.push({ range: span(words[0], words[words.length - 1]), what, kind, instead, edits: removal(model, words) });

  if (program === 'curl') {
    for (const arg of command.args) {
      const v = arg.value;
      if (v === '-k' || v === '--insecure' || v === '--proxy-insecure') single([arg], `curl ${v}`, 'tls');
      else if (v && /^-[a-zA-Z0-9]{2,}$/.test(v)) {
        const letters = v.slice(1);
        const end = [...letters].findIndex((c) => CURL_VALUE_OPTIONS.has(c));
        const flagsPart = end < 0 ? letters : letters.slice(0, end + 1);
        const k = flagsPart.indexOf('k');
        if (k < 0 || (end >= 0 && k === end)) continue;
        const rest = `-${letters.slice(0, k)}${letters.slice(k + 1)}`;
        out.push({
          range: arg.range,
          what: `curl ${v}`,
          kind: 'tls',
          // `-fsSLk` → `-fsSL`: only the `k` goes.
          edits: () => (model.document.getText(arg.range) === v ? [{ range: arg.range, newText: rest }] : undefined),
        });
      }
    }
  } else if (program === 'wget') {
    for (const arg of flags(command, ['--no-check-certificate'])) single([arg], `wget ${arg.value}`, 'tls');
    for (const f of flagWithValue(command, ['--check-certificate'], (v) => /^(off|no|0|quiet)$/i.test(v))) single(f.words, `wget --check-certificate=${f.value}`, 'tls');
  } else if (/^pip\d*(\.\d+)?$/.test(program) || (/^python\d*(\.\d+)?$/.test(program) && command.args[0]?.value === '-m' && /^pip\d*$/.test(command.args[1]?.value ?? ''))) {
    for (const f of flagWithValue(command, ['--trusted-host'], () => true)) single(f.words, `pip --trusted-host ${f.value}`, 'tls', 'give pip your CA with `--cert` (or PIP_CERT) instead');
    const words = command.args.map((a) => a.value);
    const key = words.findIndex((w) => w !== null && /^(global|install|download)\.trusted-host$/.test(w));
    if (key > 0 && words[key - 1] === 'set') out.push({ range: command.args[key].range, what: `pip config set ${words[key]}`, kind: 'tls', instead: 'give pip your CA with `--cert` (or PIP_CERT) instead' });
  } else if (program === 'npm' || program === 'yarn' || program === 'pnpm') {
    const words = command.args.map((a) => a.value);
    // `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set enableStrictSsl false`.
    const key = words.findIndex((w) => w !== null && /^(strict-ssl|enableStrictSsl)(=.*)?$/.test(w));
    if (key >= 0 && words.slice(0, key).includes('set')) {
      const inline = words[key]!.includes('=');
      const value = inline ? words[key]!.split('=')[1] : words[key + 1];
      if (value != null && FALSE.test(value)) {
        const last = inline ? command.args[key] : command.args[key + 1];
        out.push({ range: span(command.args[key], last), what: `${program} config set ${words[key]!.split('=')[0]} ${value}`, kind: 'tls', instead: 'set `cafile` to your CA instead' });
      }
    }
    for (const arg of command.args) {
      const v = arg.value;
      if (v === '--no-strict-ssl' || (v && /^--strict-ssl=(false|0|no)$/i.test(v))) single([arg], `${program} ${v}`, 'tls', 'set `cafile` to your CA instead');
    }
  } else if (program === 'git') {
    const words = command.args.map((a) => a.value);
    const key = words.findIndex((w) => w !== null && /^http\.(.+\.)?sslverify$/i.test(w));
    if (key >= 0 && words.includes('config') && words[key + 1] != null && FALSE.test(words[key + 1]!)) {
      out.push({ range: span(command.args[key], command.args[key + 1]), what: `git config ${words[key]} ${words[key + 1]}`, kind: 'tls', instead: 'point `http.sslCAInfo` at your CA instead' });
    }
    for (const f of flagWithValue(command, ['-c'], (v) => /^http\.(.+\.)?sslverify=(false|0|no|off)$/i.test(v))) {
      single(f.words, `git -c ${f.value}`, 'tls', 'point `http.sslCAInfo` at your CA instead');
    }
  } else if (program === 'apk') {
    // Installing only local `.apk` files (built in an earlier stage) is how such files are installed.
    // `apk index --allow-untrusted` builds an index of local packages, to be signed afterwards.
    const words = positionals(command);
    const packages = words.slice(1);
    const fromRepositories = words[0]?.value !== 'index' && packages.some((w) => !(w.value ?? w.text).replace(/["']/g, '').endsWith('.apk'));
    if (fromRepositories) for (const arg of flags(command, ['--allow-untrusted'])) single([arg], `apk ${arg.value}`, 'signature');
  } else if (program === 'apt-get' || program === 'apt' || program === 'aptitude') {
    for (const arg of flags(command, ['--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes'])) {
      single([arg], `${program} ${arg.value}`, arg.value === '--allow-insecure-repositories' ? 'tls' : 'signature');
    }
    const insecure = /^(Acquire::https?(::[^:=]+)?::Verify-(Peer|Host)=(false|0|no|off)|APT::Get::AllowUnauthenticated=(true|1|yes|on)|Acquire::Allow(DowngradeTo)?InsecureRepositories=(true|1|yes|on))$/i;
    for (const f of flagWithValue(command, ['-o', '--option'], (v) => insecure.test(v))) {
      single(f.words, `${program} -o ${f.value}`, /Verify-/i.test(f.value) ? 'tls' : 'signature');
    }
  } else if (/^(yum|dnf|tdnf|microdnf|yum-config-manager)$/.test(program)) {
    for (const arg of flags(command, ['--nogpgcheck'])) single([arg], `${program} ${arg.value}`, 'signature');
    for (const f of flagWithValue(command, ['--setopt'], (v) => /^([\w.-]+\.)?(sslverify|gpgcheck|repo_gpgcheck)=(false|0|no|off)$/i.test(v))) {
      single(f.words, `${program} --setopt=${f.value}`, /sslverify/i.test(f.value) ? 'tls' : 'signature');
    }
  } else if (program === 'rpm') {
    for (const arg of flags(command, ['--nosignature', '--nodigest', '--noverify', '--nofiledigest'])) single([arg], `rpm ${arg.value}`, 'signature');
  }

  // `NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci`: the setting applies to that one command.
  for (const assignment of command.assignments) {
    const setting = ENV_SETTINGS.find((s) => s.name.test(assignment.name));
    if (!setting || assignment.value === null || !setting.off(assignment.value)) continue;
    const w = word(model, assignment.range, null);
    out.push({ range: assignment.range, what: `${assignment.name}=${assignment.value}`, kind: 'tls', instead: setting.instead, scope: `${setting.tool} in this command`, edits: removal(model, [w]) });
  }
  return out;
}

/**
 * `export NAME=value` and a bare `NAME=value` in a RUN are declarations, which the parsed command
 * list does not include; they are found by their exact spelling, since these names mean nothing else.
 */
function declaredInRun(model: DockerfileModel, instruction: DockerInstruction, seen: Set<number>): Detection[] {
  const out: Detection[] = [];
  const document = model.document;
  const start = document.offsetAt(instruction.range.start);
  const text = document.getText(instruction.range);
  const pattern = /(^|[\s;&|(])((?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)]*)/g;
  for (const m of text.matchAll(pattern)) {
    const setting = ENV_SETTINGS.find((s) => s.name.test(m[3]));
    if (!setting) continue;
    const offset = start + m.index! + m[1].length + m[2].length;
    if (seen.has(offset)) continue;
    const value = m[4].replace(/^(["'])(.*)\1$/, '$2');
    if (!setting.off(value)) continue;
    const range = { start: document.positionAt(offset), end: document.positionAt(offset + m[3].length + 1 + m[4].length) };
    out.push({ range, what: `${m[2]}${m[3]}=${m[4]}`, kind: 'tls', instead: setting.instead, scope: `${setting.tool} in the rest of this RUN` });
  }
  return out;
}

interface Property {
  getName(): string;
  getValue(): string | null;
  getRange(): Range;
}

function propertyDetections(model: DockerfileModel, instruction: DockerInstruction, finalChain: Set<number>): Detection[] {
  const node = instruction.ast as unknown as { getProperties?(): Property[] };
  const properties = typeof node.getProperties === 'function' ? node.getProperties() : [];
  const out: Detection[] = [];
  for (const property of properties) {
    // `ARG NAME` in a stage brings in the default of a global ARG of that name; without one, the
    // setting only applies when the build passes a value.
    const value = property.getValue() ?? (instruction.keyword === 'ARG' ? model.globalArgs.get(property.getName()) ?? null : null);
    if (value === null) continue;
    const setting = ENV_SETTINGS.find((s) => s.name.test(property.getName()));
    if (!setting || !setting.off(value)) continue;
    const scope = instruction.keyword === 'ARG'
      ? `${setting.tool} in every RUN of this stage`
      : finalChain.has(instruction.stage)
        ? `${setting.tool} in the build and in the running container`
        : `${setting.tool} in every RUN of this stage`;
    out.push({
      range: property.getRange(),
      what: property.getValue() === null ? `ARG ${property.getName()}=${value}` : `${instruction.keyword} ${model.document.getText(property.getRange())}`,
      kind: 'tls',
      instead: setting.instead,
      scope,
      edits: () => [propertyRemoval(model, instruction, property, properties.length)],
    });
  }
  return out;
}

/** Deletes one `NAME=value` of an ENV/ARG, or the whole instruction when it is the only one. */
function propertyRemoval(model: DockerfileModel, instruction: DockerInstruction, property: Property, count: number): TextEdit {
  const document = model.document;
  if (count === 1) {
    const start = { line: instruction.range.start.line, character: 0 };
    const end = instruction.range.end.line + 1 < document.lineCount ? { line: instruction.range.end.line + 1, character: 0 } : instruction.range.end;
    return { range: { start, end }, newText: '' };
  }
  const range = property.getRange();
  return deleteWords(model, [word(model, range, null)]) ?? { range, newText: '' };
}

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

function detectAll(model: DockerfileModel, final: Stage | undefined): Detection[] {
  const finalChain = new Set(final ? stageAncestry(model, final).map((s) => s.index) : []);
  const out: Detection[] = [];
  for (const instruction of model.instructions) {
    // An ARG before the first FROM only reaches the FROM lines, unless a stage declares it again.
    if (instruction.stage < 0) continue;
    if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') out.push(...propertyDetections(model, instruction, finalChain));
  }
  for (const stage of model.stages) {
    for (const instruction of posixRuns(model, stage.index)) {
      const seen = new Set<number>();
      for (const command of shellOf(model, instruction).commands) {
        // `export NAME=value` reaches the rest of the RUN: declaredInRun reads it, with that scope.
        if (command.program !== null && DECLARATIONS.has(command.program)) continue;
        for (const a of command.assignments) seen.add(model.document.offsetAt(a.range.start));
        out.push(...commandDetections(model, command));
      }
      out.push(...declaredInRun(model, instruction, seen));
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function messageOf(d: Detection): string {
  if (d.scope) {
    return `\`${d.what}\` turns off certificate verification for ${d.scope}, so a machine in the middle can read and change its HTTPS traffic; remove it and ${d.instead ?? TLS_ADVICE}.`;
  }
  if (d.kind === 'signature') {
    return `\`${d.what}\` installs packages without checking their signatures, so a tampered mirror or proxy can put anything into the image; remove it and ${d.instead ?? SIGNATURE_ADVICE}.`;
  }
  return `\`${d.what}\` turns off TLS certificate verification, so a machine in the middle can replace what the build downloads; remove it and ${d.instead ?? TLS_ADVICE}.`;
}

/**
 * A build that does not verify certificates or package signatures takes whatever a proxy, a
 * compromised mirror or a spoofed DNS answer hands it, and ships it in the image.
 */
export default dockerfileRule({
  id: 'tls-verification-enabled',
  aliases: [
    'CKV2_DOCKER_2', 'CKV2_DOCKER_3', 'CKV2_DOCKER_4', 'CKV2_DOCKER_5', 'CKV2_DOCKER_6', 'CKV2_DOCKER_7', 'CKV2_DOCKER_8',
    'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11', 'CKV2_DOCKER_12', 'CKV2_DOCKER_13', 'CKV2_DOCKER_14', 'CKV2_DOCKER_15', 'CKV2_DOCKER_16',
  ],
  title: 'Keep TLS certificate and package signature verification on',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    for (const d of detectAll(dockerfile, shippedStage({ dockerfile, path, files }))) report({ range: d.range, message: messageOf(d) });
  },
  fix(finding, dockerfile, context) {
    const d = detectAll(dockerfile, shippedStage({ dockerfile, ...context })).find((x) => x.range.start.line === finding.range.start.line && x.range.start.character === finding.range.start.character);
    const edits = d?.edits?.();
    if (!d || !edits) return undefined;
    // Unsafe: without the switch the build fails until the CA or key it lacked is installed.
    return { title: `Remove \`${d.what}\``, edits, safe: false };
  },
});
