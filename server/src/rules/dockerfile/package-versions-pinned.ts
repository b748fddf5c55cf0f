import { runsAndTriggers } from '../../dockerfile/parse';
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
  aliases: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062', 'DL3068', '965a08d7-ef86-4f14-8792-4a3b2098937e', '22cd11f7-9c6c-4f6e-84c0-02058120b341', '93d88cf7-f078-46a8-8ddc-178e03aeacf1', 'e36d8880-3f78-4546-b9a1-12f0745ca0d5', 'd3499f6d-1651-41bb-a9a7-de925fea487b', '02d9c71f-3ee8-4986-9c27-1a20d0d19bfc', '6452c424-1d92-4deb-bb18-a03e95d579c4', '562952e4-0348-4dea-9826-44f3a2c6117b'],
  title: 'Pin the versions of installed packages',
  category: 'reliability',
  severity: 'warning',
  enabledByDefault: false,
  check({ dockerfile, report }) {
    for (const instruction of runsAndTriggers(dockerfile)) {
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
