import { dockerfileRule } from '../types';

/** Names BuildKit gives a meaning of its own: the empty image, and the build context. */
const RESERVED: Record<string, string> = {
  scratch: '`FROM scratch` means the empty image',
  context: '`context` names the build context in `--build-context` and `COPY --from=context`',
};

/**
 * A stage named `scratch` or `context` collides with names BuildKit reserves, so references to it
 * are ambiguous. See https://docs.docker.com/reference/build-checks/reserved-stage-name/.
 */
export default dockerfileRule({
  id: 'reserved-stage-name',
  aliases: ['ReservedStageName'],
  title: 'Do not name a stage scratch or context',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const reason = RESERVED[stage.name.toLowerCase()];
      if (!reason) continue;
      report({
        range: stage.nameRange,
        message: `Stage name \`${stage.name}\` is reserved: ${reason}, so references to this stage are ambiguous and may build from the wrong source; choose another name.`,
      });
    }
  },
});
