import { dockerfileRule } from '../types';

/**
 * Stage names are matched case-insensitively; when two stages share one, `COPY --from`, `FROM`
 * and `--target` silently pick one of them. See https://docs.docker.com/reference/dockerfile/#from.
 */
export default dockerfileRule({
  id: 'stage-names-unique',
  aliases: ['DL3024', 'DuplicateStageName', 'f2daed12-c802-49cd-afed-fe41d0b82fed'],
  title: 'Give every stage a unique name',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    const first = new Map<string, number>();
    for (const stage of dockerfile.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const key = stage.name.toLowerCase();
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, stage.from.range.start.line);
        continue;
      }
      report({
        range: stage.nameRange,
        message: `Stage name \`${stage.name}\` is already used by the stage on line ${earlier + 1} (names ignore case), so \`--from=${key}\`, \`FROM ${key}\` and \`--target ${key}\` may pick a different stage than intended; rename one of them.`,
      });
    }
  },
});
