import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { shellOf, positionals, type ShellCommand } from '../../dockerfile/shell';
import { distroOf } from '../../text/images';
import { posixRuns } from '../../dockerfile/shells';

/** GNU wget's short options that take a value: in `-qO-` the `O` ends the cluster. */
const VALUE_OPTIONS = new Set('aeiBtOTwQPUlARDXI'.split(''));

/** Options after which wget prints no per-kilobyte progress: quieter output, or output to a log file. */
function quiet(command: ShellCommand): boolean {
  return command.args.some((a) => {
    const v = a.value;
    if (v === null) return false;
    if (v.startsWith('--')) {
      return /^--(progress|quiet|no-verbose|output-file|append-output|spider|version|help)(=|$)/.test(v);
    }
    if (!v.startsWith('-') || v.length < 2) return false;
    if (v.startsWith('-n')) return v === '-nv';
    for (const c of v.slice(1)) {
      if (c === 'q' || c === 'o' || c === 'a' || c === 'V' || c === 'h') return true;
      if (VALUE_OPTIONS.has(c)) return false;
    }
    return false;
  });
}

/** Signatures, checksums and keys: a few hundred bytes, a line of output at most. */
const SMALL_FILE = /\.(asc|sig|sign|sha1|sha256|sha512|md5|sha256sum|sha512sum|pub|key|gpg)$|SHA\d*SUMS[^/]*$/i;

function downloadsOnlySmallFiles(command: ShellCommand): boolean {
  const urls = positionals(command).map((w) => (w.value ?? w.text).replace(/["']/g, '')).filter((u) => /:\/\/|^\$/.test(u));
  return urls.length > 0 && urls.every((u) => SMALL_FILE.test(u.split(/[?#]/)[0]));
}

/** The stage installs GNU wget with apk, replacing BusyBox's applet. */
function installsGnuWget(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const stage = model.stages[instruction.stage];
  return stageAncestry(model, stage).some((s) => s.instructions.some((i) => i.keyword === 'RUN' && i.range.start.line <= instruction.range.start.line
    && shellOf(model, i).commands.some((c) => c.program === 'apk' && positionals(c).some((w) => w.value === 'add') && positionals(c).some((w) => w.value === 'wget'))));
}

/**
 * Which wget runs: GNU wget (Debian, Red Hat, or installed on Alpine) prints dots outside a
 * terminal; BusyBox's applet, Alpine's default, has no `--progress` and keeps its output short.
 */
function wgetKind(model: DockerfileModel, instruction: DockerInstruction): 'gnu' | 'busybox' | 'unknown' {
  const stage = model.stages[instruction.stage];
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1].base;
  switch (distroOf(root.ref, root.scratch)) {
    case 'alpine':
      return installsGnuWget(model, instruction) ? 'gnu' : 'busybox';
    case 'debian':
    case 'redhat':
      return 'gnu';
    default:
      return 'unknown';
  }
}

/**
 * Outside a terminal, GNU wget prints a line of dots for every 50 KB it downloads: a large file
 * fills the build log with thousands of lines, and the CI log limit cuts off the errors after them.
 */
export default dockerfileRule({
  id: 'wget-progress',
  aliases: ['DL3047'],
  title: 'Quiet wget\'s progress output',
  category: 'style',
  severity: 'info',
  enabledByDefault: false,
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index)) {
        for (const command of shellOf(dockerfile, instruction).commands) {
          if (command.program !== 'wget' || !command.words[0] || quiet(command) || downloadsOnlySmallFiles(command)) continue;
          if (wgetKind(dockerfile, instruction) === 'busybox') continue;
          report({
            range: command.words[0].range,
            message: '`wget` without `--progress=dot:giga` (or `-nv`) prints a line of dots for every 50 KB when no terminal is attached, so a large download floods the build log and pushes errors out of view; add `--progress=dot:giga`.',
          });
        }
      }
    }
  },
  fix(finding, dockerfile) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN' || instruction.range.start.line > finding.range.start.line || instruction.range.end.line < finding.range.start.line) continue;
      const command = shellOf(dockerfile, instruction).commands.find(
        (c) => c.program === 'wget' && c.words[0] && c.words[0].range.start.line === finding.range.start.line && c.words[0].range.start.character === finding.range.start.character,
      );
      if (!command) continue;
      const name = command.words[0];
      // Only GNU wget knows `--progress`; on an image of unknown make-up the option may break the RUN.
      if (wgetKind(dockerfile, instruction) !== 'gnu' || dockerfile.document.getText(name.range) !== name.text) return undefined;
      return { title: 'Add --progress=dot:giga to wget', edits: [{ range: { start: name.range.end, end: name.range.end }, newText: ' --progress=dot:giga' }], safe: true };
    }
    return undefined;
  },
});
