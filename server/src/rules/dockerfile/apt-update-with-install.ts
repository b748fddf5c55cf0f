import { dockerfileRule } from '../types';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { commandText, laterRunsNeedAptLists, mountCovers, packageCommand, packageCommandsOf, runMounts } from '../../dockerfile/packages';

/**
 * Commands that cannot read the package index: a RUN made only of these and `apt-get update`
 * refreshes an index that nothing in it uses. Anything else (a script, `make`, `xargs`) might
 * install packages, so such a RUN is left alone.
 */
const INERT = new Set([
  'set', 'echo', 'printf', 'true', ':', 'export', 'cd', 'rm', 'mkdir', 'ln', 'cp', 'mv', 'chmod', 'chown', 'touch', 'tee', 'cat',
  'sed', 'gpg', 'curl', 'wget', 'dpkg', 'apt-key', 'mktemp', 'test', '[',
]);

/** apt subcommands that do not read the index either. */
const APT_INERT = new Set(['update', 'clean', 'autoclean', 'dist-clean']);

function inert(command: ShellCommand): boolean {
  const pc = packageCommand(command);
  if (pc?.manager === 'apt') return APT_INERT.has(pc.action);
  return command.program !== null && INERT.has(command.program);
}

/**
 * Docker caches each RUN by its text. A RUN that only runs `apt-get update` keeps its first
 * result forever: when a later RUN's package list changes, it installs from that old index, gets
 * outdated versions or 404s for files the mirror has since replaced. Update and install belong in
 * one RUN, as Docker's best practices say.
 */
export default dockerfileRule({
  id: 'apt-update-with-install',
  aliases: ['9bae49be-0aa3-4de5-bab2-4c3a069e40cd'],
  title: 'Run apt-get update in the same RUN as apt-get install',
  category: 'caching',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const script = shellOf(dockerfile, instruction);
      if (script.hasErrors) continue;
      const update = packageCommandsOf(dockerfile, instruction).find((pc) => pc.manager === 'apt' && pc.action === 'update');
      if (!update || !script.commands.every(inert)) continue;
      // With the lists on a cache mount, the next RUN does not read them from this layer.
      if (runMounts(instruction).some((m) => mountCovers(m.target, '/var/lib/apt/lists', null))) continue;
      // Harm comes only from a later install that reads these lists; one that updates first makes this RUN merely redundant.
      if (!laterRunsNeedAptLists(dockerfile, instruction)) continue;
      report({
        range: update.command.range,
        message: `\`${commandText(update)}\` runs in a RUN of its own, so Docker reuses its cached layer and a later install reads an index that may be weeks old (and fail on packages the mirror has since replaced); run \`${commandText(update)} && apt-get install …\` in one RUN.`,
      });
    }
  },
});
