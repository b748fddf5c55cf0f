import { dockerfileRule } from '../types';
import { shellOf, positionals, type ShellCommand } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';

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
  aliases: ['DL4005', '8a301064-c291-4b20-adcb-403fe7fd95fd'],
  title: 'Change the shell with SHELL, not by relinking /bin/sh',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index, true)) {
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
