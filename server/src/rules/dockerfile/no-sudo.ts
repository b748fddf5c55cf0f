import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { expandVariables } from '../../text/variables';
import { shellOf, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';

/** sudo options that only change how the command is started, not as whom it runs. */
const HARMLESS_OPTIONS = new Set(['-E', '--preserve-env', '-H', '--set-home', '-n', '--non-interactive']);

/**
 * An edit deleting a run of words written in the document, with the blank space after them (or,
 * at the end of a line, before them), so `sudo apt-get` becomes `apt-get`. Undefined when the words
 * are not written as they are parsed (exec form, `sh -c` strings whose text was unescaped).
 */
export function deleteWords(model: DockerfileModel, words: ShellWord[]): TextEdit | undefined {
  const document = model.document;
  if (words.some((w) => document.getText(w.range) !== w.text)) return undefined;
  const start = document.offsetAt(words[0].range.start);
  const end = document.offsetAt(words[words.length - 1].range.end);
  const text = document.getText();
  let after = end;
  while (text[after] === ' ' || text[after] === '\t') after++;
  if (after > end) return { range: { start: document.positionAt(start), end: document.positionAt(after) }, newText: '' };
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { range: { start: document.positionAt(from), end: document.positionAt(end) }, newText: '' };
}

/** The words `sudo` adds before the real command, or null when sudo changes who runs it (`-u`…). */
function sudoPrefix(command: ShellCommand): ShellWord[] | null {
  const words = [command.words[0]];
  for (const arg of command.args) {
    if (arg.value === null) return null;
    if (arg.value === '--') {
      words.push(arg);
      break;
    }
    if (!arg.value.startsWith('-')) break;
    if (!HARMLESS_OPTIONS.has(arg.value)) return null;
    words.push(arg);
  }
  // `sudo` alone, or `sudo -E`: nothing would be left to run.
  return words.length < command.words.length ? words : null;
}

/** The user a RUN runs as: the last USER before it in its stage or the stages it builds on; null for the image's default. */
function userAt(model: DockerfileModel, instruction: DockerInstruction): string | null {
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  for (const s of stageAncestry(model, stage)) {
    const users = s.instructions.filter((i) => i.keyword === 'USER' && (s !== stage || i.range.start.line < instruction.range.start.line));
    const last = users[users.length - 1];
    if (last) return last.args.trim().split(':')[0] || null;
  }
  return null;
}

/** The user of `sudo -u NAME` (also `--user=NAME`), read only among sudo's own options. */
function sudoUser(command: ShellCommand): string | null {
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null || !v.startsWith('-') || v === '--') return null;
    if (v === '-u' || v === '--user') return args[i + 1]?.value ?? args[i + 1]?.text ?? null;
    if (v.startsWith('--user=')) return v.slice(7);
    if (/^-u./.test(v)) return v.slice(2);
  }
  return null;
}

/** How a RUN uses sudo: to become root after an unprivileged USER, to switch to another user, or for nothing (already root). */
type Use = 'escalate' | 'switch' | 'root';

interface SudoCommand {
  command: ShellCommand;
  /** The user the RUN runs as (null for the image's default). */
  user: string | null;
  use: Use;
}

const isRoot = (user: string | null) => user === null || user === 'root' || user === '0';

function shown(command: ShellCommand): string {
  const text = command.text.replace(/\s+/g, ' ');
  return `\`${text.length > 50 ? `${text.slice(0, 47)}…` : text}\``;
}

/** The sudo commands of a stage's RUNs (and ONBUILD RUNs), in order, each with how it is used. */
function sudoCommands(model: DockerfileModel, stageIndex: number): SudoCommand[] {
  const out: SudoCommand[] = [];
  for (const instruction of posixRuns(model, stageIndex, true)) {
    for (const command of shellOf(model, instruction).commands) {
      if (command.program !== 'sudo' || !command.words[0]) continue;
      const user = userAt(model, instruction);
      out.push({ command, user, use: !isRoot(user) ? 'escalate' : sudoUser(command) ? 'switch' : 'root' });
    }
  }
  return out;
}

/** The user the image that ships runs as: its last USER, or null when it keeps its base image's. */
function shippedUser(model: DockerfileModel, chain: Stage[]): string | null {
  for (const stage of chain) {
    const users = stage.instructions.filter((i) => i.keyword === 'USER');
    const last = users[users.length - 1];
    if (last) return (expandVariables(last.args.trim(), stage.variables) ?? last.args.trim()).split(':')[0] || null;
  }
  return null;
}

function messageFor(commands: SudoCommand[], warn: boolean): string {
  const first = commands[0];
  const subject = commands.length === 1 ? shown(first.command) : `\`sudo\` on ${commands.length} commands of this stage (${shown(first.command)}, …)`;
  const escalating = commands.find((c) => c.use === 'escalate');
  if (escalating && warn) {
    return `${subject} after \`USER ${escalating.user}\` works only with a password-less sudo rule, which lets anyone who gets into the container become root; put \`USER root\` before these steps and switch back after them.`;
  }
  const target = commands.map((c) => sudoUser(c.command)).find((u) => u !== null);
  const advice = [commands.some((c) => c.use === 'root') ? 'drop it' : null, target ? `switch users with \`runuser -u ${target} --\` or \`setpriv\`` : null].filter((a) => a !== null).join(', and ');
  if (escalating) return `${subject} after \`USER ${escalating.user}\` needs a password-less sudo rule for \`${escalating.user}\`; \`USER root\` before these steps and a switch back after them need none.`;
  return `${subject} is not needed, because RUN already runs as root here; ${advice}.`;
}

/**
 * RUN already runs as root unless a USER says otherwise, so `sudo` there adds nothing. After an
 * unprivileged USER it works only with a password-less sudoers rule for that user: in the image
 * that ships, running as that user, that is a way back to root for anyone who gets into the
 * container (a warning). Everywhere else the claim would not hold (sudo may be a runtime package
 * of an image that runs as root by design, as discourse's is), so the finding is an info. One
 * finding per stage, with the count, rather than one per command.
 */
export default dockerfileRule({
  id: 'no-sudo',
  aliases: ['DL3004', 'CKV2_DOCKER_1', '8ada6e80-0ade-439e-b176-0b28f6bce35a'],
  title: 'Do not use sudo in RUN',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const shipped = shippedStage({ dockerfile, path, files });
    const chain = shipped ? stageAncestry(dockerfile, shipped) : [];
    // A password-less rule matters where it ships, in an image that does not run as root anyway.
    const escalationShips = (stage: Stage) => chain.includes(stage) && !isRoot(shippedUser(dockerfile, chain));
    for (const stage of dockerfile.stages) {
      const commands = sudoCommands(dockerfile, stage.index);
      if (commands.length === 0) continue;
      const warn = commands.some((c) => c.use === 'escalate') && escalationShips(stage);
      report({
        range: commands[0].command.words[0].range,
        message: messageFor(commands, warn),
        severity: warn ? 'warning' : 'info',
        data: { stage: stage.index },
      });
    }
  },
  fix(finding, dockerfile) {
    const stage = typeof finding.data?.stage === 'number' ? finding.data.stage : -1;
    const edits: TextEdit[] = [];
    for (const { command } of sudoCommands(dockerfile, stage)) {
      const prefix = sudoPrefix(command);
      const edit = prefix && deleteWords(dockerfile, prefix);
      if (edit) edits.push(edit);
    }
    if (edits.length === 0) return undefined;
    // Unsafe: after a USER switch the command now runs as that user and may lack permissions.
    return { title: edits.length === 1 ? 'Remove sudo' : `Remove sudo from ${edits.length} commands`, edits, safe: false };
  },
});
