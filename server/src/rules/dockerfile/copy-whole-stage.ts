import { dockerfileRule } from '../types';
import { pathArguments } from '../../dockerfile/copyArguments';
import { copySourceStage, stageAncestry } from '../../dockerfile/parse';

/** `/`, however it is written (`/.`, `//`). */
const isRoot = (path: string | null) => path !== null && /^\/+(\.\/*)?$/.test(path);

/**
 * `COPY --from=build / /` lays the whole filesystem of the other stage over this one: its
 * compilers, caches and package databases come along, which is what a separate stage was meant
 * to leave behind, and its `/etc` (users, certificates, package lists) replaces the base image's.
 */
export default dockerfileRule({
  id: 'copy-whole-stage',
  aliases: ['DL3067'],
  title: 'Copy the files a stage built, not its whole filesystem',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      // `FROM scratch` + `COPY --from=x / /` flattens an image into one layer on purpose.
      if (stage.base.scratch) continue;
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'COPY') continue;
        const from = instruction.flags.find((f) => f.name === 'from');
        if (!from?.value) continue;
        // Only a stage known to hold a whole system: one that runs commands on an image that is
        // not \`scratch\`. Artifact images (tonistiigi/xx, docker/compose-bin…) are built FROM
        // scratch with a few files, and \`COPY --from=xx / /\` is how their READMEs say to use them.
        const source = copySourceStage(dockerfile, instruction);
        if (!source) continue;
        const chain = stageAncestry(dockerfile, source);
        if (chain[chain.length - 1].base.scratch || !chain.some((s) => s.instructions.some((i) => i.keyword === 'RUN'))) continue;
        const paths = pathArguments(dockerfile, instruction);
        if (!paths || paths.sources.length !== 1 || !isRoot(paths.sources[0].value) || !isRoot(paths.dest.value)) continue;
        report({
          range: instruction.argsRange ?? instruction.range,
          message: `\`COPY --from=${from.value} / /\` lays the whole filesystem of \`${from.value}\` over this image: its toolchain and caches come along, which a separate stage was meant to leave behind, and its \`/etc\` replaces the base image's; copy only what the image needs (\`COPY --from=${from.value} /app /app\`).`,
        });
      }
    }
  },
});
