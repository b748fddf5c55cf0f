import { dockerfileRule } from '../types';

/** Dockerfile instructions; a line starting with anything else is a syntax problem of its own. */
const INSTRUCTIONS = new Set([
  'ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/**
 * Only ARG may come before the first FROM (parser directives and comments aside): any other
 * instruction has no stage to belong to, and Docker stops with "no build stage in current context".
 * https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
 */
export default dockerfileRule({
  id: 'from-first',
  aliases: ['DL3061'],
  title: 'Start the Dockerfile with FROM (only ARG may precede it)',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    // A file without FROM is read as one implicit stage (so that other rules check its lines).
    const fragment = dockerfile.stages.length === 0 || dockerfile.stages[0].implicit === true;
    const early = dockerfile.instructions.filter((i) => (i.stage < 0 || fragment) && INSTRUCTIONS.has(i.keyword));
    if (early.length === 0) return;
    if (fragment) {
      // Without any FROM the whole file is not buildable: one finding says it, not one per line.
      const first = early[0];
      report({
        range: first.keywordRange,
        message: `This Dockerfile has no FROM, so \`${first.keyword}\` has no build stage and Docker refuses to build it; start the file with \`FROM <image>\`.`,
      });
      return;
    }
    for (const instruction of early) {
      report({
        range: instruction.keywordRange,
        message: `\`${instruction.keyword}\` comes before the first FROM, where only ARG is allowed, so the build fails with "no build stage in current context"; move it below FROM.`,
      });
    }
  },
});
