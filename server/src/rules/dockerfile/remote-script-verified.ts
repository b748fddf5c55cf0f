import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel } from '../../dockerfile/parse';
import { shellOf, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';
import { unwrap } from '../../dockerfile/packages';

/** Interpreters a downloaded script is run with, and the options that give them their program some other way. */
const INTERPRETERS = /^(?:sh|bash|ash|dash|zsh|ksh|mksh|python(?:\d+(?:\.\d+)?)?|pypy3?|php\d*|perl|ruby|node|nodejs)$/;
const CODE_OPTIONS = new Set(['-c', '-e', '-E', '-r', '-m', '-p', '--eval', '--print', '--command', '--run']);
/** Programs that check a file against a known digest or signature. */
const VERIFIERS = /^(?:sha(?:1|224|256|384|512)sum|shasum|md5sum|b2sum|gpg2?|gpgv2?|cosign|minisign|signify|openssl)$/;
/** curl's short options that take a value, so the rest of a cluster (`-fsSLo x`) is that value. */
const CURL_VALUED = new Set(['o', 'H', 'd', 'u', 'A', 'e', 'x', 'X', 'w', 'T', 'K', 'm', 'r', 'b', 'c', 'E', 'F', 'U', 'Y', 'y', 'z', 'C', 'P', 'Q', 't']);
const WGET_VALUED = new Set(['O', 'o', 'a', 'i', 'P', 'U', 't', 'T', 'w', 'e', 'B', 'Q', 'l', 'A', 'R', 'D', 'X', 'I']);

/** A download by curl or wget: where it writes (`-` for standard output, null when unknown) and from where. */
interface Download {
  command: ShellCommand;
  output: string | null;
  url: string | null;
}

function download(command: ShellCommand): Download | null {
  const run = unwrap(command);
  if (!run || (run.program !== 'curl' && run.program !== 'wget')) return null;
  const curl = run.program === 'curl';
  const valued = curl ? CURL_VALUED : WGET_VALUED;
  const flag = curl ? 'o' : 'O';
  let output: string | null = curl ? '-' : null;
  let url: string | null = null;
  let remoteName = false;
  const values = run.args.map((a) => a.value);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    if (v.startsWith('--')) {
      const [name, inline] = v.split(/=(.*)/s, 2);
      if (curl ? name === '--output' : name === '--output-document') output = inline ?? values[++i] ?? null;
      else if (curl && (name === '--remote-name' || name === '--remote-name-all')) remoteName = true;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      for (let k = 1; k < v.length; k++) {
        const letter = v[k];
        if (curl && letter === 'O') remoteName = true;
        if (!valued.has(letter)) continue;
        const value = k + 1 < v.length ? v.slice(k + 1) : values[++i] ?? null;
        if (letter === flag) output = value;
        break;
      }
      continue;
    }
    url ??= /^(?:https?|ftp):\/\//i.test(v) ? v : null;
  }
  // Without -O, wget saves to the URL's last path part; curl -O does the same.
  if ((curl && remoteName && output === '-') || (!curl && output === null)) output = url ? url.replace(/[?#].*$/, '').split('/').pop() || null : null;
  if (output === '/dev/stdout') output = '-';
  return { command, output, url };
}

/** The interpreter a command runs, and whether it reads its program from standard input. */
function interpreter(command: ShellCommand): { program: string; operands: ShellWord[]; stdin: boolean } | null {
  const run = unwrap(command);
  if (!run || !INTERPRETERS.test(run.program)) return null;
  const operands: ShellWord[] = [];
  for (const arg of run.args) {
    const v = arg.value;
    if (v !== null && CODE_OPTIONS.has(v)) return { program: run.program, operands, stdin: false };
    // `sh -s -- args`, `php -- --install-dir=…`, `python3 - --yes`: what follows are the script's arguments.
    if (v === '-s' || v === '--' || v === '-') return { program: run.program, operands, stdin: operands.length === 0 };
    if (v !== null && v.startsWith('-')) continue;
    operands.push(arg);
  }
  return { program: run.program, operands, stdin: operands.length === 0 };
}

/** The word of `host` that is nothing but a substitution starting with `download`: `"$(curl …)"`, `<(wget …)`. */
function substitutionWord(host: ShellCommand, download: ShellCommand, doc: DockerfileModel['document']): ShellWord | undefined {
  const start = doc.offsetAt(download.range.start);
  return host.words.find((w) => {
    const from = doc.offsetAt(w.range.start);
    const to = doc.offsetAt(w.range.end);
    if (start <= from || start >= to) return false;
    return /^"?(?:\$|<)\(\s*$/.test(doc.getText({ start: w.range.start, end: download.range.start })) && /\)"?$/.test(w.text);
  });
}

/**
 * Whether `host` runs what the substitution downloads: `eval`/`source`/`.` of it, an
 * interpreter's `-c` program, or an interpreter's script file (`bash <(curl …)`).
 */
function runsSubstitution(host: ShellCommand, download: ShellCommand, doc: DockerfileModel['document']): boolean {
  const word = substitutionWord(host, download, doc);
  if (!word) return false;
  if (host.program === 'eval' || host.program === 'source' || host.program === '.') return true;
  const i = interpreter(host);
  if (!i) return false;
  const index = host.words.indexOf(word);
  if (!i.stdin && host.words[index - 1]?.value !== null && CODE_OPTIONS.has(host.words[index - 1]?.value ?? '')) return true;
  return i.operands[0] === word;
}

interface Unverified {
  range: Range;
  /** How the script runs, for the message: `curl … | sh`. */
  how: string;
  url: string | null;
}

const sameFile = (a: string, b: string) => {
  const clean = (p: string) => p.replace(/^\.\//, '');
  return clean(a) === clean(b) || ((!a.includes('/') || !b.includes('/')) && clean(a).split('/').pop() === clean(b).split('/').pop());
};

function findings(model: DockerfileModel, commands: ShellCommand[]): Unverified[] {
  const doc = model.document;
  const out: Unverified[] = [];
  const at = (c: ShellCommand) => doc.offsetAt(c.range.start);
  const inside = (outer: ShellCommand, inner: ShellCommand) => at(inner) > at(outer) && doc.offsetAt(inner.range.end) <= doc.offsetAt(outer.range.end);
  const downloads = commands.map(download).filter((d): d is Download => d !== null);
  for (const d of downloads) {
    const name = d.command.program;
    if (d.output === '-') {
      // `curl … | sh`: an interpreter later in the same pipeline reads the download as its program.
      const pipeline = d.command.pipeline;
      const index = pipeline.indexOf(d.command);
      const runner = index >= 0 ? pipeline.slice(index + 1).find((c) => interpreter(c)?.stdin) : undefined;
      if (runner) {
        out.push({ range: { start: d.command.range.start, end: runner.range.end }, how: `${name} … | ${interpreter(runner)!.program}`, url: d.url });
        continue;
      }
      // `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(curl …)"`: the download is the program text or file.
      const host = commands.find((c) => c !== d.command && inside(c, d.command) && runsSubstitution(c, d.command, doc));
      if (host) out.push({ range: host.range, how: `${host.program} … ${/^\s*"?</.test(substitutionWord(host, d.command, doc)?.text ?? '') ? '<' : '$'}(${name} …)`, url: d.url });
      continue;
    }
    if (d.output === null) continue;
    // Saved to a file, then run in the same RUN with nothing checking it in between.
    const output = d.output;
    const later = commands.filter((c) => at(c) > at(d.command));
    const runs = later.find((c) => {
      const i = interpreter(c);
      if (i && i.operands[0]?.value && sameFile(i.operands[0].value, output)) return true;
      return c.name !== null && c.name.includes('/') && sameFile(c.name, output);
    });
    if (!runs) continue;
    const checked = later.some((c) => at(c) < at(runs) && c.program !== null && VERIFIERS.test(c.program));
    if (!checked) out.push({ range: { start: d.command.range.start, end: runs.range.end }, how: `${name} -o ${output} … then ${runs.program ?? output}`, url: d.url });
  }
  return out;
}

/**
 * A script fetched at build time runs whatever the server sends that day: a compromised release,
 * mirror or account changes the image with no change to the Dockerfile, and the build cannot tell.
 * Saving it, checking its digest (or signature) against one written in the Dockerfile, then running
 * it makes the build fail instead.
 */
export default dockerfileRule({
  id: 'remote-script-verified',
  aliases: [],
  title: 'Verify a downloaded script before running it',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index, true)) {
        const script = shellOf(dockerfile, instruction);
        for (const f of findings(dockerfile, script.commands)) {
          const from = f.url ? ` from \`${f.url.length > 60 ? `${f.url.slice(0, 57)}…` : f.url}\`` : '';
          report({
            range: f.range,
            message: `\`${f.how}\` runs a script downloaded${from} without checking it, so whatever that server (or anyone who tampers with the download) sends runs in the build; save it to a file, check it with \`sha256sum -c\` against a digest written in the Dockerfile (or its signature with \`gpg --verify\`), then run it.`,
          });
        }
      }
    }
  },
});
