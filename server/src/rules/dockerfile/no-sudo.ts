import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
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

function messageFor(command: ShellCommand, user: string | null): string {
  const text = command.text.replace(/\s+/g, ' ');
  const shown = `\`${text.length > 50 ? `${text.slice(0, 47)}…` : text}\``;
  const target = sudoUser(command);
  if (target) {
    return `${shown} needs sudo in the image just to switch users, which leaves a way back to root for anyone who gets into the container; run the step after \`USER ${target}\`, or with \`runuser -u ${target} --\` or \`setpriv\`.`;
  }
  if (user !== null && user !== 'root' && user !== '0') {
    return `${shown} after \`USER ${user}\` works only with a password-less sudo rule, which lets anyone in the container become root; put \`USER root\` before this step and switch back after it.`;
  }
  return `${shown} gains nothing, because RUN already runs as root here, and needs sudo in the image, a way back to root for anyone who gets into the container; drop \`sudo\`.`;
}

/**
 * RUN already runs as root unless a USER says otherwise, so `sudo` adds nothing but a package in
 * the image and a privilege-escalation path; without a terminal or a NOPASSWD rule it also fails.
 */
export default dockerfileRule({
  id: 'no-sudo',
  aliases: ['DL3004', 'CKV2_DOCKER_1', '8ada6e80-0ade-439e-b176-0b28f6bce35a'],
  title: 'Do not use sudo in RUN',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index, true)) {
        for (const command of shellOf(dockerfile, instruction).commands) {
          if (command.program !== 'sudo' || !command.words[0]) continue;
          report({ range: command.words[0].range, message: messageFor(command, userAt(dockerfile, instruction)) });
        }
      }
    }
  },
  fix(finding, dockerfile) {
    const command = dockerfile.instructions
      .filter((i) => i.keyword === 'RUN')
      .flatMap((i) => shellOf(dockerfile, i).commands)
      .find((c) => c.program === 'sudo' && c.words[0] && c.words[0].range.start.line === finding.range.start.line && c.words[0].range.start.character === finding.range.start.character);
    if (!command) return undefined;
    const prefix = sudoPrefix(command);
    const edit = prefix && deleteWords(dockerfile, prefix);
    if (!edit) return undefined;
    // Unsafe: after a USER switch the command now runs as that user and may lack permissions.
    return { title: 'Remove sudo', edits: [edit], safe: false };
  },
});
