import { dockerfileRule } from '../types';
import { destinationOf } from '../../dockerfile/copyArguments';
import { stageAncestry, type Stage } from '../../dockerfile/parse';
import { knownDefaultWorkdir } from '../../dockerfile/workdirs';
import { finalImageStages } from '../../dockerfile/packages';
import { shippedStage } from '../../compose/target';

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
  check({ dockerfile, report, path, files }) {
    const shipped = finalImageStages(dockerfile, shippedStage({ dockerfile, path, files }));
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
        const image = `\`${root.base.text.replace(/@sha256:[0-9a-f]+$/i, '')}\``;
        const known = knownDefaultWorkdir(dockerfile, stage);
        const build = shipped.size > 0 && !shipped.has(stage.index);
        report({
          range: destination.range,
          message: known !== null
            ? `\`${instruction.keyword}\` to the relative \`${destination.text}\` lands in \`${known}\`, since ${image} sets no WORKDIR, which this stage never states; set an absolute WORKDIR first (or write an absolute destination) so that readers and later steps see where the files are.`
            : `\`${instruction.keyword}\` to the relative \`${destination.text}\` lands in whatever working directory ${image} sets (\`/\` for most images), which this stage never states and which moves if the base image changes; set an absolute WORKDIR first or write an absolute destination.`,
          // It works today where the base's directory is known, and a build stage's paths do not ship: style.
          ...(known !== null || build ? { severity: 'info' as const } : {}),
        });
      }
    }
  },
});

function setsWorkdir(stage: Stage): boolean {
  return stage.instructions.some((i) => i.keyword === 'WORKDIR');
}
