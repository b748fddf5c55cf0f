import { dockerfileRule } from '../types';
import type { DockerInstruction } from '../../dockerfile/parse';
import { shellOf, positionals, type ShellCommand } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';

const INTERACTIVE = new Set(['vim', 'vi', 'nvim', 'nano', 'emacs', 'pico', 'top', 'htop']);
const INSPECTION = new Set(['ps', 'free']);
const POWER = new Set(['shutdown', 'reboot', 'halt', 'poweroff']);
const PRIVILEGED = new Set(['mount', 'umount', 'ifconfig', 'iptables', 'modprobe', 'insmod', 'swapon', 'swapoff']);
/** systemctl verbs that talk to a running systemd; `enable`, `mask`… only edit files and work in a build. */
const SYSTEMD_RUNTIME = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'status', 'daemon-reload', 'isolate', 'is-active', 'kill']);

/** `vim -es +PlugInstall +qall`, `emacs --batch`: editors driven by a script need no terminal. */
function scripted(command: ShellCommand): boolean {
  return command.args.some((a) => a.value !== null && /^(\+|-c$|--cmd$|-[eEsNX]+$|--headless$|--not-a-term$|-?-batch$|--script)/.test(a.value));
}

function isLast(command: ShellCommand, commands: ShellCommand[]): boolean {
  const end = command.range.end;
  return !commands.some((c) => c !== command && (c.range.start.line > end.line || (c.range.start.line === end.line && c.range.start.character >= end.character)));
}

function problem(command: ShellCommand, commands: ShellCommand[], instruction: DockerInstruction): string | null {
  const program = command.program!;
  const shown = `\`${program}\``;
  // `iptables --version | grep legacy` checks what got installed: a fine thing to do in a build.
  if (command.args.some((a) => a.value === '--version' || a.value === '-V' || a.value === '--help')) return null;
  if (INTERACTIVE.has(program)) {
    if (scripted(command)) return null;
    return `${shown} needs a terminal that a build does not have, so the RUN hangs or fails and nobody sees the screen; edit files with \`sed\`, a heredoc or COPY instead.`;
  }
  if (INSPECTION.has(program)) {
    return `${shown} only prints the state of the short-lived build container, which the image does not keep; remove it.`;
  }
  if (POWER.has(program)) {
    return `${shown} has nothing to act on in a build (there is no init, and the image keeps no running state); remove it.`;
  }
  if (PRIVILEGED.has(program)) {
    return `${shown} needs privileges a build does not have, and what it changes does not survive into the image; remove it, or do it when the container starts.`;
  }
  if (program === 'ssh') {
    // `RUN --mount=type=ssh` forwards the agent: the author set up SSH on purpose.
    if (instruction.flags.some((f) => f.name === 'mount' && f.options.get('type') === 'ssh')) return null;
    return `${shown} in a build has no keys and no known hosts, so it fails or prompts; forward the agent with \`RUN --mount=type=ssh\`, or bring the files in with COPY or ADD.`;
  }
  const words = positionals(command).map((w) => w.value);
  if (program === 'systemctl') {
    const verb = words.find((w) => w !== null) ?? null;
    if (verb === null || !SYSTEMD_RUNTIME.has(verb)) return null;
    return `\`systemctl ${verb}\` needs systemd running as PID 1, which a build does not have; start the process from CMD or ENTRYPOINT (\`systemctl enable\` only records the choice).`;
  }
  // `service postgresql start && psql … && service postgresql stop` sets up data in a build; a start
  // with nothing after it is the mistake: the service dies when the RUN ends.
  const initScript = command.name?.startsWith('/etc/init.d/') ?? false;
  if (program === 'service' || initScript) {
    const verb = initScript ? words[0] : words[1];
    if ((verb !== 'start' && verb !== 'restart') || !isLast(command, commands)) return null;
    const name = initScript ? program : words[0] ?? 'the service';
    return `\`${command.text.replace(/\s+/g, ' ')}\` ends the RUN, so ${name} stops with it and the image keeps no running process; start it from CMD or ENTRYPOINT instead.`;
  }
  return null;
}

/**
 * A build runs each RUN in a throwaway container with no terminal, no init and few privileges, and
 * keeps only the files it leaves: commands that act on a running system do nothing useful there.
 */
export default dockerfileRule({
  id: 'no-host-commands',
  aliases: ['DL3001', '9b6b0f38-92a2-41f9-b881-3a1083d99f1b'],
  title: 'Do not run interactive or system-management commands in RUN',
  category: 'correctness',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index, true)) {
        const commands = shellOf(dockerfile, instruction).commands;
        for (const command of commands) {
          if (!command.program || !command.words[0]) continue;
          const message = problem(command, commands, instruction);
          if (message) report({ range: command.words[0].range, message });
        }
      }
    }
  },
});
