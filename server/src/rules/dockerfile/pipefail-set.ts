import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule, type Fix } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { shellOf, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { distroOf } from '../../text/images';
import { effectiveShell, posixRuns, shellProgram } from '../../dockerfile/shells';
import { packageCommand, unwrap } from '../../dockerfile/packages';

/**
 * Producers that cannot fail in a way worth catching: they write fixed text, or read a fact about
 * the system that is always there.
 */
const CANNOT_FAIL = new Set(['echo', 'printf', 'true', ':', 'yes', 'uname', 'arch', 'nproc', 'id', 'whoami', 'date', 'env', 'printenv', 'pwd', 'getconf']);

function cannotFail(command: ShellCommand): boolean {
  if (command.program === null) return false;
  if (CANNOT_FAIL.has(command.program)) return true;
  const args = command.args.map((a) => a.value);
  // `dpkg --print-architecture`, `apk --print-arch`: the package manager names its own architecture.
  return (command.program === 'dpkg' && args.length === 1 && args[0] === '--print-architecture')
    || (command.program === 'apk' && args.length === 1 && args[0] === '--print-arch');
}

/**
 * Consumers that fail on empty or cut-off input: when the producer fails, so do they, and the
 * pipeline's status already tells. (Checked with GNU tar, sha256sum and gpg: all exit non-zero.)
 */
function checksItsInput(command: ShellCommand): boolean {
  // `sudo apt-key add -`: the wrapper's status is the command's.
  const run = command.program === 'xargs' ? null : unwrap(command);
  const program = run?.program ?? command.program ?? '';
  const args = (run?.args ?? command.args).map((a) => a.value ?? '');
  if (/^(sha(1|224|256|384|512)|md5|b2)sum$/.test(program)) return args.some((a) => a === '--check' || /^-[a-zA-Z]*c/.test(a));
  if (program === 'tar') return args.some((a) => a === '--extract' || a === '--list' || /^-?[a-zA-Z]*[xt]/.test(a));
  if (/^(gpg|gpg2|gpgv|apt-key)$/.test(program)) return true;
  if (/^(gunzip|unxz|bunzip2|unzstd|zcat|xzcat|bzcat)$/.test(program)) return true;
  if (/^(gzip|xz|bzip2|zstd)$/.test(program)) return args.some((a) => a === '--decompress' || /^-[a-zA-Z]*d/.test(a));
  // `locale -a | grep en_US`: grep without -v fails when nothing matches, which is the check.
  if (program === 'grep' || program === 'egrep' || program === 'fgrep') return !args.some((a) => a === '--invert-match' || /^-[a-zA-Z]*v/.test(a) || a === '-c' || a === '--count');
  return false;
}

/** Shells whose `set -o pipefail` works; dash, Debian's /bin/sh, rejects it before Debian 13. */
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh', 'busybox']);

/** `-o pipefail` among words (`-o pipefail`, `-euo pipefail`, `-exo pipefail`). */
function setsPipefail(words: (string | null)[]): boolean {
  return words.some((w, i) => w === 'pipefail' && i > 0 && /^-[a-zA-Z]*o$/.test(words[i - 1] ?? ''));
}

function isSetPipefail(command: ShellCommand): boolean {
  return command.program === 'set' && setsPipefail(command.args.map((a) => a.value));
}

function startsBefore(a: Range, b: Range): boolean {
  return a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character <= b.start.character);
}

/**
 * Consumers that stop reading early (`head`, `grep -q`) make the producer die of SIGPIPE: with
 * pipefail such a pipeline fails at random, so pipefail is no cure there and it is not reported.
 */
function stopsReadingEarly(command: ShellCommand): boolean {
  if (command.program === 'head') return true;
  if (command.program === 'grep' || command.program === 'egrep' || command.program === 'fgrep') {
    return command.args.some((a) => a.value !== null && (/^-[a-zA-Z]*[qm]/.test(a.value) || a.value === '--quiet' || a.value === '--silent' || a.value.startsWith('--max-count')));
  }
  return false;
}

/** The first pipeline of a RUN whose earlier commands can fail unnoticed, or null. */
function unguardedPipeline(model: DockerfileModel, instruction: DockerInstruction): ShellCommand[] | null {
  const shell = effectiveShell(model, instruction);
  if (shell && setsPipefail(shell.json!)) return null;
  const script = shellOf(model, instruction);
  if (script.pipelines.length === 0) return null;
  const guards = script.commands.filter(isSetPipefail);
  // `bash -o pipefail -c '…'`: the pipelines inside that string are covered.
  const pipefailShell = script.commands.some((c) => c.program !== null && PIPEFAIL_SHELLS.has(c.program) && setsPipefail(c.args.map((a) => a.value)));
  for (const pipeline of script.pipelines) {
    // In an argument, a `for` list or a test, `$(a | b)` gives its output, never its status.
    if (pipeline[0].substitution === 'word') continue;
    const producers = pipeline.slice(0, -1);
    if (producers.every(cannotFail)) continue;
    const consumer = pipeline[pipeline.length - 1];
    if (stopsReadingEarly(consumer) || checksItsInput(consumer) || cleansUp(consumer)) continue;
    if (writesCheckedKeyring(model, instruction, script.commands, pipeline) || installerUsedLater(model, instruction, script.commands, pipeline)) continue;
    if (guards.some((g) => g.nested === pipeline[0].nested && startsBefore(g.range, pipeline[0].range))) continue;
    if (pipeline[0].nested && pipefailShell) continue;
    if (ignoresFailure(model, script.commands, pipeline)) continue;
    if (statusDiscarded(model, instruction, script.commands, pipeline)) continue;
    if (onlyUnmarks(pipeline[pipeline.length - 1]) || smokeTestFollows(model, instruction, script.commands, pipeline)) continue;
    if (pipeline.some(failsOnSomeInputs) || smokeTestInLaterRun(model, instruction)) continue;
    return pipeline;
  }
  return null;
}

/** `find … | xargs rm -rf`: a failure only leaves files behind, a larger image that works. */
function cleansUp(consumer: ShellCommand): boolean {
  return consumer.program === 'xargs' && unwrap(consumer)?.program === 'rm';
}

/** The commands that run after the pipeline: later in its RUN, then in later RUNs of its stage and of stages built FROM it. */
function laterCommands(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[], pipeline: ShellCommand[]): ShellCommand[] {
  const doc = model.document;
  const end = doc.offsetAt(pipeline[pipeline.length - 1].range.end);
  const out = commands.filter((c) => doc.offsetAt(c.range.start) >= end);
  const stages = new Set([instruction.stage]);
  for (const stage of model.stages) if (stage.base.stageRef !== null && stages.has(stage.base.stageRef)) stages.add(stage.index);
  for (const other of model.instructions) {
    if (other.keyword !== 'RUN' || !stages.has(other.stage) || doc.offsetAt(other.range.start) <= doc.offsetAt(instruction.range.end)) continue;
    out.push(...shellOf(model, other).commands);
  }
  return out;
}

/**
 * `curl … | gpg --dearmor | tee /etc/apt/keyrings/x.gpg`, then `apt-get update`: a failed
 * download leaves an empty keyring, and apt-get update fails on the repository it should verify.
 */
function writesCheckedKeyring(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[], pipeline: ShellCommand[]): boolean {
  const keyring = pipeline.some((c) => ['gpg', 'gpg2'].includes(unwrap(c)?.program ?? ''))
    || pipeline.some((c) => unwrap(c)?.program === 'tee' && c.args.some((a) => a.value !== null && /keyrings?\/|trusted\.gpg/.test(a.value)));
  if (!keyring) return false;
  return laterCommands(model, instruction, commands, pipeline).some((c) => {
    const pc = packageCommand(c);
    return pc?.manager === 'apt' && pc.action === 'update' && !c.conditional;
  });
}

/** Programs that run a script read from standard input (`curl … | sh`, `| python3 -`). */
const INTERPRETERS = /^(?:sh|bash|dash|ash|zsh|ksh|python[\d.]*|php[\d.]*|perl|ruby|node)$/;
/** URL words that name no tool: hosts, file types, and the usual path segments of an installer. */
const GENERIC_WORDS = new Set([
  'www', 'com', 'org', 'net', 'io', 'sh', 'dev', 'co', 'rs', 'py', 'php', 'js', 'txt', 'raw', 'githubusercontent', 'github', 'gitlab', 'get', 'install',
  'installer', 'download', 'downloads', 'releases', 'release', 'latest', 'master', 'main', 'static', 'cdn', 'scripts', 'script', 'setup', 'https', 'http',
  'bash', 'the', 'tools', 'bin', 'dist', 'files', 'refs', 'heads', 'tags',
]);

/** The words of a URL that may name what it installs (`bun`, `poetry`, `nvm`, `golangci`, `lint`). */
function urlWords(url: string): string[] {
  const body = url.replace(/^[a-z]+:\/\//i, '').replace(/[?#].*$/, '');
  return [...new Set(body.split(/[/._\-:]+/).map((w) => w.toLowerCase()).filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w) && !/^v?\d/.test(w)))];
}

/**
 * `curl … | bash` of an installer whose tool a later step runs (`bun install`, `. $NVM_DIR/nvm.sh`,
 * `poetry install`): a failed download gives the shell an empty script, nothing is installed, and
 * that step fails with "not found", loudly. (remote-script-verified reports the unverified script.)
 */
function installerUsedLater(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[], pipeline: ShellCommand[]): boolean {
  if (pipeline.length !== 2) return false;
  const [download, shell] = pipeline;
  if (!['curl', 'wget'].includes(download.program ?? '') || !INTERPRETERS.test(shell.program ?? '')) return false;
  const url = download.args.find((a) => a.value !== null && /^https?:\/\//.test(a.value))?.value;
  if (!url) return false;
  const words = urlWords(url);
  if (words.length === 0) return false;
  return laterCommands(model, instruction, commands, pipeline).some((c) => !c.conditional && c.words.some((w, i) => {
    const text = w.text.toLowerCase();
    return words.some((word) => (i === 0 && (c.program ?? '').toLowerCase().includes(word)) || new RegExp(`[/.]${word}`).test(text));
  }));
}

/** `a | b || true`: the author already decided that a failure here does not matter. */
function ignoresFailure(model: DockerfileModel, commands: ShellCommand[], pipeline: ShellCommand[]): boolean {
  const last = pipeline[pipeline.length - 1];
  const next = commands.find((c) => c.range.start.line > last.range.end.line || (c.range.start.line === last.range.end.line && c.range.start.character >= last.range.end.character));
  if (!next || (next.program !== 'true' && next.program !== ':')) return false;
  return /^[\s\\]*\|\|[\s\\]*$/.test(withoutRedirections(model.document.getText({ start: last.range.end, end: next.range.start })));
}

/**
 * `apt-mark showmanual | xargs apt-mark auto`, as the official images write it before a build:
 * a failure only leaves packages marked manual, which `apt-get purge --auto-remove` then keeps,
 * so the image is larger but works.
 */
function onlyUnmarks(consumer: ShellCommand): boolean {
  if (consumer.program !== 'xargs') return false;
  const values = consumer.args.map((a) => a.value);
  const at = values.indexOf('apt-mark');
  return at >= 0 && (values[at + 1] === 'auto' || values[at + 1] === 'markauto');
}

/** `node --version`, `go version`, `java -version`: a smoke test that fails when an install went wrong. */
const VERSION_ARGUMENTS = new Set(['--version', '-version', 'version', '-V', '-v']);

function isSmokeTest(command: ShellCommand): boolean {
  return command.program !== null && !cannotFail(command) && command.args.length === 1 && VERSION_ARGUMENTS.has(command.args[0].value ?? '');
}

/**
 * A later `<tool> --version` in the same RUN whose failure fails the build: the official images
 * end their install steps so (`… | xargs -r apt-mark manual && apt-get purge … && node --version`),
 * and a pipeline that failed unnoticed leaves a tool that does not start, which that test catches.
 */
function smokeTestFollows(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[], pipeline: ShellCommand[]): boolean {
  const doc = model.document;
  const end = doc.offsetAt(pipeline[pipeline.length - 1].range.end);
  const after = commands.filter((c) => c.nested === pipeline[0].nested && doc.offsetAt(c.range.start) >= end);
  const test = after.find(isSmokeTest);
  if (!test || ignoresFailure(model, commands, [test])) return false;
  if (errexitOn(model, instruction, commands)) return true;
  // Without `set -e`, only a chain of `&&` from the pipeline to the test makes the test count.
  let previous = doc.offsetAt(pipeline[pipeline.length - 1].range.end);
  for (const command of after) {
    const start = doc.offsetAt(command.range.start);
    if (start < previous) continue; // inside the previous command (a substitution in its arguments)
    const between = withoutRedirections(doc.getText({ start: doc.positionAt(previous), end: command.range.start }));
    if (!/^[\s\\`]*&&[\s\\`]*$/.test(between)) return false;
    if (command === test) return true;
    previous = doc.offsetAt(command.range.end);
  }
  return false;
}

/**
 * `dpkg-query --search` and `apk info --installed` (directly or through xargs) exit non-zero when
 * one of the files or so-names they are given belongs to no installed package, which the official
 * images' library-marking pipelines (`ldd … | xargs -r dpkg-query --search | … | xargs apt-mark
 * manual`, `scanelf --needed … | xargs -r apk info --installed`) expect: pipefail would fail those
 * builds, so it is no cure there.
 */
function failsOnSomeInputs(command: ShellCommand): boolean {
  const values = command.args.map((a) => a.value);
  const words = command.program === 'xargs' ? values.slice(values.findIndex((v) => v !== null && !v.startsWith('-'))) : [command.program, ...values];
  const [program, ...rest] = words;
  if (program === 'dpkg-query' || program === 'dpkg') return rest.some((v) => v === '--search' || v === '-S');
  if (program === 'apk') return rest[0] === 'info' && rest.some((v) => v === '--installed' || v === '-e');
  return false;
}

/**
 * A later RUN of the same stage whose status is a `<tool> --version` smoke test (its last
 * command, or any command under `set -e`): a pipeline that failed unnoticed earlier leaves a tool
 * that does not start, and that RUN fails the build (the official JDK images verify so).
 */
function smokeTestInLaterRun(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const stage = model.stages[instruction.stage];
  if (!stage) return false;
  for (const later of stage.instructions.slice(stage.instructions.indexOf(instruction) + 1)) {
    if (later.keyword !== 'RUN') continue;
    const commands = shellOf(model, later).commands.filter((c) => !c.nested && c.substitution === null);
    const tests = commands.filter((c) => isSmokeTest(c) && !c.conditional && !ignoresFailure(model, commands, [c]));
    if (tests.length === 0) continue;
    if (errexitOn(model, later, commands) || tests.includes(commands[commands.length - 1])) return true;
  }
  return false;
}

/** Drops `> file`, `2>&1`, `< in` from the text between two commands: they belong to the first. */
function withoutRedirections(text: string): string {
  return text.replace(/\d*(?:>>|>&|<&|&>|>\||[<>])-?[ \t]*(?:"[^"]*"|'[^']*'|[^\s;&|()]+)/g, '');
}

/** `-e` among `set`/shell options (`-eux`, `-exo pipefail`, `-o errexit`). */
function setsErrexit(words: (string | null)[]): boolean {
  return words.some((w, i) => (w !== null && /^-[a-zA-Z]*e/.test(w) && !w.startsWith('--')) || (w === 'errexit' && words[i - 1] === '-o'));
}

/** `set -e` in the RUN, or a SHELL (or a `bash -e -c`) that turns it on. */
function errexitOn(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[]): boolean {
  const shell = effectiveShell(model, instruction);
  if (shell && setsErrexit(shell.json!.slice(1))) return true;
  return commands.some((c) => (c.program === 'set' || (c.program !== null && PIPEFAIL_SHELLS.has(c.program))) && setsErrexit(c.args.map((a) => a.value)));
}

/**
 * Without `set -e`, a pipeline followed by `;` or a new line has its status thrown away whatever
 * pipefail says: only the last command of the RUN decides, so pipefail would change nothing.
 */
function statusDiscarded(model: DockerfileModel, instruction: DockerInstruction, commands: ShellCommand[], pipeline: ShellCommand[]): boolean {
  if (errexitOn(model, instruction, commands)) return false;
  const last = pipeline[pipeline.length - 1];
  const next = commands.find((c) => c.range.start.line > last.range.end.line || (c.range.start.line === last.range.end.line && c.range.start.character >= last.range.end.character));
  if (!next) return false;
  const between = withoutRedirections(model.document.getText({ start: last.range.end, end: next.range.start }));
  const folded = between.replace(model.escape === '`' ? /`\r?\n/g : /\\\r?\n/g, ' ');
  return /^[ \t]*(;|\r?\n)\s*$/.test(folded);
}

function pipelineText(pipeline: ShellCommand[]): string {
  const text = pipeline.map((c) => (c.program === null ? c.text : c.words.length > 1 ? `${c.program} …` : c.program)).join(' | ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * What the fix does for a RUN: `set -o pipefail` in the RUN itself where its shell has the option
 * (`shell` names it for the message), or, where /bin/sh is dash (Debian, Ubuntu: dash 0.5.12
 * rejects `set -o pipefail`), a bash SHELL for that RUN alone, with the shell in effect before it
 * (`restore`, JSON as written) set again after it: a SHELL that stayed would change how every
 * later RUN, CMD and ENTRYPOINT of the stage runs, and the `Shell` of the image, which images
 * built FROM it inherit (an official or a company base image).
 */
type Plan = { kind: 'set'; shell: string } | { kind: 'shell'; restore: string } | null;

function planFor(model: DockerfileModel, instruction: DockerInstruction): Plan {
  const shell = effectiveShell(model, instruction);
  if (shell) {
    const program = shellProgram(shell);
    if (PIPEFAIL_SHELLS.has(program)) return { kind: 'set', shell: `${program}, this stage's SHELL,` };
    // `SHELL ["/bin/sh", …]` on Debian is still dash.
    if (program !== 'sh' && program !== 'dash') return null;
  }
  const stage = model.stages[instruction.stage];
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1].base;
  switch (distroOf(root.ref, root.scratch)) {
    // BusyBox ash and Red Hat's bash-as-sh both understand `set -o pipefail`.
    case 'alpine':
      return shell && shellProgram(shell) === 'dash' ? null : { kind: 'set', shell: 'BusyBox ash, /bin/sh here,' };
    case 'redhat':
      return shell && shellProgram(shell) === 'dash' ? null : { kind: 'set', shell: 'bash, /bin/sh here,' };
    // Debian's /bin/sh is dash; bash is installed (it is essential there), so the RUN can use it.
    case 'debian':
      return { kind: 'shell', restore: shell ? model.document.getText(shell.argsRange!) : '["/bin/sh", "-c"]' };
    default:
      return null;
  }
}

/** How to turn pipefail on, for the message. */
function advice(plan: Plan): string {
  if (plan?.kind === 'set') return `start the RUN with \`set -o pipefail &&\` (${plan.shell} has it)`;
  if (plan?.kind === 'shell') return `run this RUN with bash: \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` before it (dash, /bin/sh here, has no pipefail), and \`SHELL ${plan.restore}\` after it so that later RUNs and images built on this one keep their shell`;
  return 'turn on pipefail (`set -o pipefail` where /bin/sh is ash or bash; where it is dash, as on Debian and Ubuntu, `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN)';
}

function fixFor(model: DockerfileModel, instruction: DockerInstruction): Fix | undefined {
  if (instruction.execForm || instruction.heredocs.length > 0) return undefined;
  const plan = planFor(model, instruction);
  if (!plan) return undefined;
  if (plan.kind === 'shell') {
    const line = instruction.range.start.line;
    const indent = /^\s*/.exec(model.document.getText({ start: { line, character: 0 }, end: instruction.range.start }))?.[0] ?? '';
    const position = { line, character: 0 };
    const after = { line: instruction.range.end.line + 1, character: 0 };
    const atEnd = after.line >= model.document.lineCount;
    return {
      title: 'Run this RUN with bash and pipefail (dash, /bin/sh here, has no pipefail): SHELL before it, /bin/sh again after it',
      edits: [
        { range: { start: position, end: position }, newText: `${indent}SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n` },
        atEnd
          ? { range: { start: instruction.range.end, end: instruction.range.end }, newText: `\n${indent}SHELL ${plan.restore}` }
          : { range: { start: after, end: after }, newText: `${indent}SHELL ${plan.restore}\n` },
      ],
      safe: false,
    };
  }
  const args = instruction.ast.getArguments();
  if (args.length === 0) return undefined;
  const commands = shellOf(model, instruction).commands;
  const first = commands[0];
  let edit: TextEdit;
  // `set -eux; …` at the start gains `-o pipefail`; otherwise the RUN starts with it.
  if (first && first.program === 'set' && !first.nested && startsBefore(args[0].getRange(), first.range) && sameStart(args[0].getRange(), first.range) && lastWordWritten(model, first)) {
    edit = { range: { start: first.range.end, end: first.range.end }, newText: ' -o pipefail' };
  } else {
    const start = args[0].getRange().start;
    edit = { range: { start, end: start }, newText: 'set -o pipefail && ' };
  }
  return { title: 'Turn on pipefail in this RUN', edits: [edit], safe: false };
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

function lastWordWritten(model: DockerfileModel, command: ShellCommand): boolean {
  const last: ShellWord | undefined = command.words[command.words.length - 1];
  return last !== undefined && model.document.getText(last.range) === last.text && sameEnd(last.range, command.range);
}

function sameEnd(a: Range, b: Range): boolean {
  return a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * A pipeline's status is its last command's: in `curl … | tar -x` a failed download that writes
 * nothing, or half a file, passes if tar copes, and the build goes on with missing files. With
 * pipefail any failing member fails the RUN.
 */
export default dockerfileRule({
  id: 'pipefail-set',
  aliases: ['DL4006', 'efbf148a-67e9-42d2-ac47-02fa1c0d0b22'],
  title: 'Set pipefail before piping in RUN',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index)) {
        const pipeline = unguardedPipeline(dockerfile, instruction);
        if (!pipeline) continue;
        const first = pipeline[0].range;
        const last = pipeline[pipeline.length - 1].range;
        report({
          range: { start: first.start, end: last.end },
          message: `\`${pipelineText(pipeline)}\` reports only the status of \`${pipeline[pipeline.length - 1].program ?? 'its last command'}\`, so a failing \`${pipeline.find((c) => !cannotFail(c))?.program ?? pipeline[0].program ?? 'producer'}\` goes unnoticed and the build continues with missing or partial output; ${advice(planFor(dockerfile, instruction))}.`,
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find((i) => i.keyword === 'RUN' && i.range.start.line <= finding.range.start.line && i.range.end.line >= finding.range.start.line);
    return instruction ? fixFor(dockerfile, instruction) : undefined;
  },
});
