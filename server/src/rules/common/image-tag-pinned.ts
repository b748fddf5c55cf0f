import { sharedRule } from '../types';
import { parseImageRef, type ImageRef } from '../../text/image';
import { finalStage, stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { stageCommands } from '../../dockerfile/shell';
import { localImages, repositoryOf, type LocalImages } from '../../dockerfile/localImages';

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
 * Repositories Docker Hub keeps only for old tags: Microsoft moved its images to
 * mcr.microsoft.com in 2019, and `java` was deprecated in 2017 for `openjdk` (now
 * `eclipse-temurin`). An untagged or `latest` reference to them gets no updates, or no image.
 */
function deprecatedRepository(ref: ImageRef): string | null {
  const hub = !ref.registry || /^(?:docker\.io|index\.docker\.io)$/i.test(ref.registry);
  if (!hub) return null;
  const repository = ref.repository.toLowerCase().replace(/^library\//, '');
  if (repository.startsWith('microsoft/')) return 'use its successor on `mcr.microsoft.com` (Microsoft moved its images there in 2019) with a version tag';
  if (repository === 'java') return 'use `eclipse-temurin` (the `java` image was deprecated in 2017) with a version tag';
  return null;
}

/**
 * Vendor images published without version tags, as `latest` (or a variant) and digests only:
 * there is no version to pin, only a digest. Prometheus' BusyBox base, Google's distroless
 * images, Chainguard's free images.
 */
const LATEST_ONLY = [/^quay\.io\/prometheus\/busybox(?:-[\w-]+)?$/, /^gcr\.io\/distroless\//, /^cgr\.dev\/chainguard\//];

function latestOnly(ref: ImageRef): boolean {
  const name = `${ref.registry ? `${ref.registry.toLowerCase()}/` : ''}${ref.repository.toLowerCase()}`;
  return LATEST_ONLY.some((r) => r.test(name));
}

/** Commands that check what a stage fetched: `sha256sum -c`, `gpg --verify`. */
function verifiesChecksum(model: DockerfileModel, stage: Stage): boolean {
  return stageCommands(model, stage.index).some(({ command }) => {
    const args = command.args.map((a) => a.value ?? '');
    if (/^(?:sha(?:1|224|256|384|512)|md5|b2)sum$|^shasum$/.test(command.program ?? '')) return args.some((a) => a === '--check' || /^-[a-zA-Z]*c/.test(a));
    return /^gpgv?2?$/.test(command.program ?? '') && args.includes('--verify');
  });
}

/** The ARG a FROM takes its whole image name from (`FROM ${NGINX_FROM_IMAGE}`), or null. */
function imageArgument(text: string): string | null {
  const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text.trim());
  return m ? m[1] : null;
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
    check({ dockerfile, report, path, files }) {
      const final = finalStage(dockerfile);
      const shipped = new Set(final ? stageAncestry(dockerfile, final).map((s) => s.index) : []);
      let local: LocalImages | null = null;
      for (const stage of dockerfile.stages) {
        const { base } = stage;
        // A FROM that names an earlier stage, `scratch`, or an ARG with no default is not a pull we can judge.
        if (base.stageRef !== null || base.scratch || !base.ref) continue;
        // A moving channel or variant tag matters where the image ships; a build stage's is left alone.
        const reason = unpinned(base.ref) ?? (shipped.has(stage.index) ? floating(base.ref) : null);
        if (!reason) continue;
        // A named context or an image the project's Compose services build is not pulled.
        local ??= path ? localImages(path, files) : { contexts: new Set(), built: new Set() };
        const written = base.resolved ?? base.text;
        if (local.contexts.has(written) || local.contexts.has(base.ref.repository) || local.built.has(repositoryOf(written))) continue;
        const image = written;
        const deprecated = deprecatedRepository(base.ref);
        if (deprecated) {
          report({ range: base.range, message: `\`${image}\` is a deprecated repository and ${reason.replace(/^has no tag, so it pulls `latest`/, 'has no tag')}: it gets no updates, and an untagged reference may not resolve at all; ${deprecated}.` });
          continue;
        }
        if (latestOnly(base.ref)) {
          report({ range: base.range, message: `\`${image}\` is published without version tags, so it moves with every rebuild and nothing but a digest pins it; pin it by digest (\`@sha256:…\`) where builds must be reproducible.`, severity: 'info' });
          continue;
        }
        const argument = imageArgument(base.text);
        if (argument) {
          report({ range: base.range, message: `\`${image}\`, the default of \`ARG ${argument}\`, ${reason}, so builds that do not pass \`--build-arg ${argument}=…\` are not reproducible; give the argument a pinned default.`, severity: 'info' });
          continue;
        }
        if (!shipped.has(stage.index) && verifiesChecksum(dockerfile, stage)) {
          report({ range: base.range, message: `${message(image, reason)} This stage checks what it fetches against a checksum, so only its tools move, not what it hands on.`, severity: 'info' });
          continue;
        }
        report({ range: base.range, message: message(image, reason) });
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
