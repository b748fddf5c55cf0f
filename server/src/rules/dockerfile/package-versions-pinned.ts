import { dockerfileRule } from '../types';
import { shellOf } from '../../dockerfile/shell';
import { commandText, packageCommandsOf, unpinnedPackages } from '../../dockerfile/packages';

/**
 * A package installed without a version is whatever the repository serves on the day of the
 * build: the same Dockerfile builds a different image next month, and a breaking release arrives
 * with no change to review. Off by default, because distribution repositories drop superseded
 * versions (Debian and Alpine keep only the current one), so exact pins fail builds instead.
 */
export default dockerfileRule({
  id: 'package-versions-pinned',
  aliases: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062', 'DL3068'],
  title: 'Pin the versions of installed packages',
  category: 'reliability',
  severity: 'warning',
  enabledByDefault: false,
  check({ dockerfile, report }) {
    for (const instruction of [...dockerfile.instructions, ...dockerfile.triggers]) {
      // A script the grammar could not fully read may hide the option or version we look for.
      if (instruction.keyword === 'RUN' && shellOf(dockerfile, instruction).hasErrors) continue;
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        for (const unpinned of unpinnedPackages(pc)) {
          const how = commandText(pc);
          report({
            range: unpinned.word.range,
            message: unpinned.movingTag
              ? `\`${unpinned.name}\` asks \`${how}\` for whatever \`${unpinned.movingTag}\` points to at build time, so rebuilding the same Dockerfile can bring a different release; pin a version such as \`${unpinned.suggestion}\`.`
              : `\`${how}\` installs \`${unpinned.name}\` without a version, so each build takes whatever the repository serves that day and the image changes without the Dockerfile changing; pin it as \`${unpinned.suggestion}\`.`,
            data: { manager: pc.manager, name: unpinned.name },
          });
        }
      }
    }
  },
});
