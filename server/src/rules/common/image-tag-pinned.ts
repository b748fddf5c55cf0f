import { sharedRule } from '../types';
import { parseImageRef, type ImageRef } from '../../text/image';

/** The reason an image reference is not pinned, or null when it names a fixed tag or a digest. */
function unpinned(ref: ImageRef): string | null {
  if (ref.digest) return null;
  if (!ref.tag) return 'has no tag, so it pulls `latest`';
  if (ref.tag.toLowerCase() === 'latest') return 'uses the `latest` tag';
  return null;
}

function message(image: string, reason: string): string {
  return `\`${image}\` ${reason}, which moves under you: builds and deployments stop being reproducible; pin a version tag (or a digest).`;
}

/**
 * An unpinned base image changes without a change to the file: rebuilds pick up new major
 * versions and a rollback does not restore what ran before.
 */
export default sharedRule({
  id: 'image-tag-pinned',
  aliases: ['DL3006', 'DL3007', 'service-image-require-explicit-tag', '9efb0b2d-89c9-41a3-91ca-dcc0aec911fd', 'f45ea400-6bbe-4501-9fc7-1c3d75c32067'],
  title: 'Pin image versions',
  category: 'reliability',
  severity: 'warning',
  dockerfile: {
    check({ dockerfile, report }) {
      for (const stage of dockerfile.stages) {
        const { base } = stage;
        // A FROM that names an earlier stage, `scratch`, or an ARG with no default is not a pull we can judge.
        if (base.stageRef !== null || base.scratch || !base.ref) continue;
        const reason = unpinned(base.ref);
        if (reason) report({ range: base.range, message: message(base.resolved ?? base.text, reason) });
      }
    },
  },
  compose: {
    check({ compose, report }) {
      for (const service of compose.services) {
        // With `build:`, `image:` names the image Compose builds and tags, not one it pulls.
        if (!service.node || compose.get(service.node, 'build')) continue;
        const entry = compose.get(service.node, 'image');
        const image = compose.text(entry?.value);
        const ref = image ? parseImageRef(image) : null;
        const reason = ref && unpinned(ref);
        if (reason && entry?.value) report({ range: compose.rangeOf(entry.value), message: message(image!, reason) });
      }
    },
  },
});
