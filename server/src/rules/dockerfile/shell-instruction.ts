import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { shellOf, positionals, type ShellCommand } from '../../dockerfile/shell';
import { distroOf } from '../../text/images';

/** Shells that read POSIX `sh` syntax, the language every rule about RUN commands assumes. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

/**
 * The `SHELL` array in effect for an instruction: the last `SHELL` before it in its stage, else the
 * last one of the stages it is built `FROM` (an image keeps its shell). Null means Docker's default,
 * `["/bin/sh", "-c"]` on Linux and `["cmd", "/S", "/C"]` on Windows.
 */
export function effectiveShell(model: DockerfileModel, instruction: DockerInstruction): DockerInstruction | null {
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  for (const s of stageAncestry(model, stage)) {
    const before = s === stage ? s.instructions.filter((i) => i.range.start.line < instruction.range.start.line) : s.instructions;
    const shell = [...before].reverse().find((i) => i.keyword === 'SHELL' && i.json && i.json.length > 0);
    if (shell) return shell;
  }
  return null;
}

/** The program of a `SHELL` array (`bash` for `["/bin/bash", "-c"]`), lower-case. */
export function shellProgram(shell: DockerInstruction): string {
  const first = shell.json?.[0] ?? '';
  return first.slice(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1).toLowerCase().replace(/\.exe$/, '');
}

/**
 * True when the instruction's commands run in a POSIX shell, so that parsing them as `sh` is
 * meaningful: not under PowerShell or cmd, and not in a Windows image using its default shell.
 */
export function runsPosixShell(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const shell = effectiveShell(model, instruction);
  if (shell) return POSIX_SHELLS.has(shellProgram(shell));
  const stage = model.stages[instruction.stage];
  if (!stage) return false;
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1].base;
  return distroOf(root.ref, root.scratch) !== 'windows';
}

/** The RUN instructions of a stage whose commands a POSIX shell runs. */
export function posixRuns(model: DockerfileModel, stageIndex: number): DockerInstruction[] {
  const stage = model.stages[stageIndex];
  if (!stage) return [];
  return stage.instructions.filter((i) => i.keyword === 'RUN' && runsPosixShell(model, i));
}

const SH_PATHS = new Set(['/bin/sh', '/usr/bin/sh']);

/** The link `ln` creates: its last positional (`ln -sf /bin/bash /bin/sh` → `/bin/sh`); null for `-t DIR`. */
function linkName(command: ShellCommand): { target: string | null; link: string | null } {
  const words = positionals(command);
  if (command.args.some((a) => a.value === '-t' || a.value?.startsWith('--target-directory'))) return { target: null, link: null };
  if (words.length < 2) return { target: null, link: null };
  return { target: words[0].value, link: words[words.length - 1].value };
}

/**
 * Relinking /bin/sh changes the shell of every later RUN without saying so, and of every script
 * in the running container that starts with `#!/bin/sh`; the SHELL instruction states the choice in
 * the Dockerfile and changes nothing in the image.
 */
export default dockerfileRule({
  id: 'shell-instruction',
  aliases: ['DL4005'],
  title: 'Change the shell with SHELL, not by relinking /bin/sh',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index)) {
        for (const command of shellOf(dockerfile, instruction).commands) {
          if (command.program !== 'ln') continue;
          const { target, link } = linkName(command);
          if (link === null || !SH_PATHS.has(link)) continue;
          // `ln -sf dash /bin/sh` or `ln -sf busybox /bin/sh` restores a POSIX shell: not a change of language.
          const program = target === null ? null : target.slice(target.lastIndexOf('/') + 1);
          if (program === 'dash' || program === 'busybox' || program === 'ash' || program === 'sh') continue;
          const shell = target === null ? null : target.startsWith('/') ? target : `/bin/${target}`;
          const suggestion = shell ? `\`SHELL ["${shell}", "-c"]\`` : 'a `SHELL` instruction';
          report({
            range: command.range,
            message: `\`${command.text.replace(/\s+/g, ' ')}\` swaps /bin/sh in the image, so every later RUN and every \`#!/bin/sh\` script runs under another shell without the Dockerfile saying so; leave /bin/sh alone and add ${suggestion} before the RUNs that need it.`,
          });
        }
      }
    }
  },
});
