import { posix } from 'node:path';
import { optionValue } from '../../dockerfile/shell';
import { parseImageRef } from '../../text/image';
import { packageInstall, withCacheMounts, type Converter } from './conversion';
import { commandsOf } from './source';

/**
 * The Debian release of a `rust` image tag: named in the tag, or the default of its version line
 * (bullseye up to 1.69, bookworm from 1.72 to 1.88, trixie from 1.91). Versions around a switch
 * are not guessed.
 */
function debianRelease(tag: string): string | null {
  const named = /(bullseye|bookworm|trixie|buster)/.exec(tag)?.[1];
  if (named) return named;
  if (tag === 'latest' || tag === 'slim' || tag === '1' || tag === '1-slim') return 'trixie';
  const m = /^1\.(\d+)/.exec(tag);
  if (!m) return null;
  const minor = Number(m[1]);
  if (minor <= 69) return 'bullseye';
  if (minor >= 72 && minor <= 88) return 'bookworm';
  if (minor >= 91) return 'trixie';
  return null;
}

const DISTROLESS = 'gcr.io/distroless/cc-debian12:nonroot';

/**
 * Rust: cargo builds in the build stage with the registry cached; the binary runs on distroless
 * `cc` (glibc, libgcc, OpenSSL, CA certificates) for bookworm builds, or on the slim image of the
 * same Debian release, so that the binary finds the glibc it was linked against.
 */
export const convertRust: Converter = (source) => {
  const ref = source.ref;
  if (ref.name !== 'rust' || ref.registry !== null || ref.digest) return null;
  const tag = ref.tag ?? 'latest';
  if (tag.includes('alpine')) return null;
  const release = debianRelease(tag);
  if (!release) return null;
  const builds = commandsOf(source, (k) => k.ecosystem === 'rust' && k.builds && !k.installsPackages);
  if (builds.length === 0 || builds.some((b) => b.step.commands.some((c) => c.program === 'cd'))) return null;
  if (source.stage.variables.has('CARGO_TARGET_DIR') || builds.some((b) => optionValue(b.command, '--target-dir', '--root'))) return null;
  // Libraries linked from the distribution (`libpq-dev`) need their runtime package: not guessed.
  if (source.packages.length > 0) return null;

  const program = source.start.words[0];
  let from: string;
  let to: string;
  if (!program.includes('/')) {
    if (!builds.some((b) => b.command.args.some((a) => a.value === 'install'))) return null;
    from = `/usr/local/cargo/bin/${program}`;
    to = `/usr/local/bin/${program}`;
  } else {
    from = posix.resolve(source.workdir, program);
    const root = /^(.*)\/target\/(?:[\w.-]+\/)?(?:release|debug)\/[^/]+$/.exec(from)?.[1];
    if (root === undefined || !builds.some((b) => b.step.workdir === (root || '/'))) return null;
    to = from;
  }
  const needsTool = source.steps.some((s) => s.instruction.keyword === 'HEALTHCHECK' && /\b(curl|wget)\b/.test(s.instruction.args));
  const distroless = release === 'bookworm' && !needsTool;
  const image = distroless ? DISTROLESS : `debian:${release}-slim`;
  return {
    label: 'Rust',
    typicalSize: '~1.4 GB toolchain image → ~30–100 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun: (step) => (step.afterUser || !step.kinds.some((k) => k?.ecosystem === 'rust') ? step.raw : withCacheMounts(step.raw, ['/usr/local/cargo/registry'])),
    buildEpilogue: [],
    manifests: null,
    runtime: {
      image,
      comment: distroless
        ? ['Runtime: distroless `cc` has the glibc, libgcc and OpenSSL the binary links against; no shell, no toolchain.']
        : [`Runtime: the slim Debian ${release} the binary was linked on; no toolchain.`],
      ref: parseImageRef(image),
      distro: distroless ? 'distroless' : 'debian',
      setup: [],
      env: [],
      artifacts: [{ from, to }],
      shellless: distroless,
      start: null,
      installTool: distroless ? null : (tool) => packageInstall('debian', [tool])!,
      probeFacts: {},
    },
  };
};
