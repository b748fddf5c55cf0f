import { runsAndTriggers } from '../../dockerfile/parse';
import { dockerfileRule } from '../types';
import { commandSpan, commandText, isSystemUpgrade, packageCommandsOf } from '../../dockerfile/packages';

/**
 * Upgrading every package of the base image at build time makes the image depend on the day it
 * was built, grows the layer with a second copy of each upgraded file, and can break what the base
 * image's maintainers tested together. Off by default: security teams often want the latest
 * patches even when the base image lags, and that is a reasonable trade.
 */
export default dockerfileRule({
  id: 'no-system-upgrade',
  aliases: ['DL3005', 'DL3017', 'DL3031', 'DL3035', 'DL3039'],
  title: 'Take upgrades from a newer base image, not a system upgrade',
  category: 'reliability',
  severity: 'info',
  enabledByDefault: false,
  check({ dockerfile, report }) {
    for (const instruction of runsAndTriggers(dockerfile)) {
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        if (!isSystemUpgrade(pc)) continue;
        report({
          range: commandSpan(pc),
          message: `\`${commandText(pc)}\` upgrades every package of the base image to whatever is newest on the day of the build, so two builds of the same Dockerfile differ and the layer holds a second copy of each upgraded file; use a newer (or rebuilt) base image tag instead.`,
        });
      }
    }
  },
});
