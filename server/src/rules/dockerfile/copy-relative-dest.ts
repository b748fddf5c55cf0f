import { dockerfileRule } from '../types';
import { destinationOf } from '../../dockerfile/copyArguments';
import { stageAncestry, type Stage } from '../../dockerfile/parse';

/** `/x`, `\x` and `C:\x` or `C:/x` (Windows) are absolute. */
function isAbsolute(path: string): boolean {
  return /^[/\\]/.test(path) || /^[A-Za-z]:[/\\]/.test(path);
}

/**
 * A relative COPY destination lands in the working directory the base image happens to set (`/`
 * for most), which nothing in this Dockerfile shows and which moves when the base image changes.
 * https://docs.docker.com/reference/dockerfile/#copy
 */
export default dockerfileRule({
  id: 'copy-relative-dest',
  aliases: ['DL3045'],
  title: 'Set WORKDIR before copying to a relative destination',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      const chain = stageAncestry(dockerfile, stage);
      const root = chain[chain.length - 1];
      // `scratch` has no WORKDIR to inherit: a relative path is plainly relative to `/`.
      if (root.base.scratch) continue;
      // A WORKDIR anywhere in a stage this one is built FROM applies here too.
      if (chain.slice(1).some((s) => setsWorkdir(s))) continue;
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'WORKDIR') break;
        if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
        const destination = destinationOf(dockerfile, instruction);
        // A destination built from a variable is often absolute once expanded; its value is not ours to guess.
        if (!destination || isAbsolute(destination.text) || destination.text.replace(/["']/g, '').startsWith('$')) continue;
        report({
          range: destination.range,
          message: `\`${instruction.keyword}\` to the relative \`${destination.text}\` lands in whatever working directory \`${root.base.text.replace(/@sha256:[0-9a-f]+$/i, '')}\` sets (\`/\` for most images), which this stage never states and which moves if the base image changes; set an absolute WORKDIR first or write an absolute destination.`,
        });
      }
    }
  },
});

function setsWorkdir(stage: Stage): boolean {
  return stage.instructions.some((i) => i.keyword === 'WORKDIR');
}
