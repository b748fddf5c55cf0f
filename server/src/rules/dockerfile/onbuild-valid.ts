import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';

/** Triggers Docker refuses: chaining ONBUILD, or changing the base or author of the child image. */
const FORBIDDEN = new Map([
  ['ONBUILD', 'chaining ONBUILD inside ONBUILD is not allowed'],
  ['FROM', 'a trigger cannot change the base image of the image that runs it'],
  ['MAINTAINER', 'a trigger cannot set the author of the image that runs it'],
]);

/**
 * An ONBUILD trigger runs in the build of every image that uses this one as its base; Docker
 * rejects FROM, MAINTAINER and ONBUILD triggers, so the downstream builds fail, not this one.
 * https://docs.docker.com/reference/dockerfile/#onbuild
 */
export default dockerfileRule({
  id: 'onbuild-valid',
  aliases: ['DL3043'],
  title: 'Use only valid instructions as ONBUILD triggers',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ONBUILD') continue;
      const node = instruction.ast as unknown as { getTriggerWord(): string | null; getTriggerRange(): Range | null };
      const word = node.getTriggerWord();
      const range = node.getTriggerRange();
      const reason = word ? FORBIDDEN.get(word.toUpperCase()) : undefined;
      if (!reason || !range) continue;
      report({
        range,
        message: `\`ONBUILD ${word}\` is rejected because ${reason}, so every build that uses this image as its base fails; remove the trigger${word!.toUpperCase() === 'MAINTAINER' ? ' or use `LABEL org.opencontainers.image.authors=…` directly' : ''}.`,
      });
    }
  },
});
