import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shellOf, positionals, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { posixRuns } from '../../dockerfile/shells';

/**
 * Official images built on buildpack-deps (the full, non-slim variants of these languages) ship
 * both curl and wget already: using both adds nothing to them.
 */
const SHIPS_BOTH = new Set(['buildpack-deps', 'node', 'python', 'ruby', 'golang', 'rust', 'gcc', 'perl', 'erlang', 'haskell']);

function baseShipsBoth(stage: Stage, model: DockerfileModel): boolean {
  const chain = stageAncestry(model, stage);
  const ref = chain[chain.length - 1].base.ref;
  if (!ref || ref.registry !== null || !SHIPS_BOTH.has(ref.name)) return false;
  if (ref.repository.includes('/') && !ref.repository.startsWith('library/')) return false;
  const tag = ref.tag?.toLowerCase() ?? 'latest';
  return !/slim|alpine|windows|nanoserver|servercore/.test(tag);
}

/** A command that is only a shell or a REPL (`bash`, `jshell`, `python3`…). */
const INTERACTIVE = /^(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:bash|sh|ash|zsh|python\d*(?:\.\d+)?|node|irb|ghci|iex|erl|jshell|pwsh|powershell|cmd)$/i;

/**
 * Base and toolbox images (no CMD or ENTRYPOINT at all, or a shell or REPL as the command) are
 * built on or worked in: carrying the usual tools is their purpose, as with buildpack-deps or an SDK.
 */
function isToolbox(chain: Stage[]): boolean {
  const starts = chain.flatMap((s) => [...s.instructions].reverse()).filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (starts.length === 0) return true;
  const cmd = starts.find((i) => i.keyword === 'CMD');
  if (!cmd) return false;
  const words = cmd.json ?? cmd.args.trim().split(/\s+/);
  return words.length === 1 && INTERACTIVE.test(words[0]);
}

/** Package managers' removal commands: a tool installed and removed in one RUN leaves nothing behind. */
function removesPackages(command: ShellCommand): boolean {
  const words = positionals(command).map((w) => w.value);
  switch (command.program) {
    case 'apt-get':
    case 'apt':
      return words.some((w) => w === 'purge' || w === 'remove' || w === 'autoremove');
    case 'apk':
      return words[0] === 'del';
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return words[0] === 'remove' || words[0] === 'erase' || words[0] === 'autoremove';
    default:
      return false;
  }
}

/** Where the image gets a tool: a package installed, or a command run. */
interface Use {
  instruction: DockerInstruction;
  word: ShellWord;
  how: 'installed' | 'used';
}

const INSTALL: Record<string, string[]> = { 'apt-get': ['install'], apt: ['install'], apk: ['add'], yum: ['install'], dnf: ['install'], microdnf: ['install'], zypper: ['install', 'in'] };

/** The `curl`/`wget` packages an install command adds (`curl=7.88.1-10`, `wget~=1.21` count too). */
function installedTools(command: ShellCommand): ShellWord[] {
  const verbs = command.program ? INSTALL[command.program] : undefined;
  if (!verbs) return [];
  const words = positionals(command);
  if (!words[0] || !verbs.includes(words[0].value ?? '')) return [];
  return words.slice(1).filter((w) => w.value !== null && /^(curl|wget)([=<>~].*)?$/.test(w.value));
}

/**
 * curl and wget do the same job; an image that installs or uses both carries two download tools
 * (and their libraries, and their CVEs) where one would do. Only the shipped image counts: build
 * and test stages are thrown away.
 */
export default dockerfileRule({
  id: 'single-download-tool',
  aliases: ['DL4001', 'fc775e75-fcfb-4c98-b2f2-910c5858b359'],
  title: 'Use either curl or wget, not both',
  category: 'size',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const final = shippedStage({ dockerfile, path, files });
    if (!final || baseShipsBoth(final, dockerfile)) return;
    const nearestFirst = stageAncestry(dockerfile, final);
    if (isToolbox(nearestFirst)) return;
    const chain = [...nearestFirst].reverse();
    const first = new Map<string, Use>();
    const note = (tool: string, use: Use) => {
      if (first.has(tool)) return;
      first.set(tool, use);
      const otherTool = tool === 'curl' ? 'wget' : 'curl';
      const other = first.get(otherTool);
      if (!other) return;
      const where = other.instruction === use.instruction ? 'in this RUN' : `on line ${other.instruction.range.start.line + 1}`;
      report({
        range: use.word.range,
        message: `\`${tool}\` is ${use.how} here and \`${otherTool}\` is ${other.how} ${where}, so the image keeps two download tools and their libraries where one would do; use \`${otherTool}\` for this download too (or \`${tool}\` for both).`,
      });
    };
    for (const stage of chain) {
      for (const instruction of posixRuns(dockerfile, stage.index)) {
        const commands = shellOf(dockerfile, instruction).commands;
        // A RUN that removes packages again (\`apt-get purge --auto-remove\`) uses its tools and drops them.
        if (commands.some(removesPackages)) continue;
        for (const command of commands) {
          for (const word of installedTools(command)) note(word.value!.replace(/[=<>~].*$/, ''), { instruction, word, how: 'installed' });
          const tool = command.program;
          if ((tool === 'curl' || tool === 'wget') && command.words[0]) note(tool, { instruction, word: command.words[0], how: 'used' });
        }
      }
    }
  },
});
