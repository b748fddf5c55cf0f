import { sharedRule } from '../types';
import { parseImageRef, type ImageRef } from '../../text/image';
import { finalStage, stageAncestry } from '../../dockerfile/parse';

/** The reason an image reference is not pinned, or null when it names a fixed tag or a digest. */
function unpinned(ref: ImageRef): string | null {
  if (ref.digest) return null;
  if (!ref.tag) return 'has no tag, so it pulls `latest`';
  if (ref.tag.toLowerCase() === 'latest') return 'uses the `latest` tag';
  return null;
}

/** Tag words that follow a release channel rather than name a release. */
const CHANNELS = new Set(['latest', 'edge', 'stable', 'mainline', 'lts', 'current', 'rolling', 'nightly', 'unstable', 'testing', 'sid', 'devel']);
/** Tag words that name a variant of an image (a base distribution, a flavour), not a version of it. */
const VARIANTS = new Set([
  'alpine', 'slim', 'debian', 'ubuntu', 'bookworm', 'bullseye', 'buster', 'stretch', 'trixie', 'jammy', 'noble', 'focal', 'bionic',
  'jdk', 'jre', 'fpm', 'apache', 'cli', 'zts', 'perl', 'otel', 'management', 'curl', 'scm', 'windowsservercore', 'nanoserver', 'dind', 'rootless',
]);
/** Release codenames, which pin the release of a distribution image (`debian:bookworm-slim`), though not of the software on top of one (`python:bookworm`). */
const CODENAMES = new Set(['bookworm', 'bullseye', 'buster', 'stretch', 'trixie', 'forky', 'jammy', 'noble', 'focal', 'bionic', 'xenial', 'oracular', 'plucky']);
const DISTRIBUTIONS = new Set(['debian', 'ubuntu', 'buildpack-deps']);
/** A version number: `20`, `3.12.4`, `v2.11`, `2022`. */
const VERSION = /^v?\d+(?:\.\d+)*$/;

/**
 * The reason a tag other than `latest` still moves, or null: a release channel (`stable`, `edge`,
 * `lts-jdk17`, `2022-latest`) or a variant with no version (`alpine`, `slim-bookworm`). Only words
 * known to be one or the other count, so a tag this cannot read (`nonroot`, `iron`) is left alone.
 */
function floating(ref: ImageRef): string | null {
  if (ref.digest || !ref.tag) return null;
  const parts = ref.tag.toLowerCase().split(/[-_]/);
  const channel = parts.find((p) => CHANNELS.has(p));
  // `2022-latest` follows the newest update of 2022; `lts` with a version number (`20-lts`) does not move far.
  if (channel === 'latest' || (channel && !parts.some((p) => VERSION.test(p)))) return `uses the floating tag \`${ref.tag}\``;
  if (DISTRIBUTIONS.has(ref.name) && parts.some((p) => CODENAMES.has(p))) return null;
  // `alpine3.20` and `jdk17` are variants with their own version, still with none of the image's.
  if (parts.every((p) => VARIANTS.has(p.replace(/[\d.]+$/, '')))) return `names a variant (\`${ref.tag}\`) but no version, so it follows every new release`;
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
      const final = finalStage(dockerfile);
      const shipped = new Set(final ? stageAncestry(dockerfile, final).map((s) => s.index) : []);
      for (const stage of dockerfile.stages) {
        const { base } = stage;
        // A FROM that names an earlier stage, `scratch`, or an ARG with no default is not a pull we can judge.
        if (base.stageRef !== null || base.scratch || !base.ref) continue;
        // A moving channel or variant tag matters where the image ships; a build stage's is left alone.
        const reason = unpinned(base.ref) ?? (shipped.has(stage.index) ? floating(base.ref) : null);
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
        const reason = ref && (unpinned(ref) ?? floating(ref));
        if (reason && entry?.value) report({ range: compose.rangeOf(entry.value), message: message(image!, reason) });
      }
    },
  },
});
