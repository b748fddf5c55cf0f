import { join, posix } from 'node:path';
import { optionValue } from '../../dockerfile/shell';
import { parseImageRef } from '../../text/image';
import { decline, packageInstall, withCacheMounts, type Assumption, type Converter } from './conversion';
import { commandsOf, isBuildPackage, simpleShellWords } from './source';
import { runtimeLibraries } from './libraries';
import { codeAccess } from './appFiles';
import { RUST, copiedSources, scanSources } from './sourceScan';

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
 * `-sys` crates that link a system library dynamically, and its runtime package per release
 * (`openssl-sys` → libssl). The `rust` images ship their `-dev` packages, so a Dockerfile need not
 * install them: Cargo.lock is where the link shows.
 */
const SYS_CRATES: Record<string, Record<string, string>> = {
  'openssl-sys': { bullseye: 'libssl1.1', bookworm: 'libssl3', trixie: 'libssl3t64' },
  'pq-sys': { bullseye: 'libpq5', bookworm: 'libpq5', trixie: 'libpq5' },
  'mysqlclient-sys': { bullseye: 'libmariadb3', bookworm: 'libmariadb3', trixie: 'libmariadb3' },
  'curl-sys': { bullseye: 'libcurl4', bookworm: 'libcurl4', trixie: 'libcurl4t64' },
};

/** What only the build reads: sources, Cargo's files, tests, benches, the host's target folder. */
function rustBuildInput(path: string): boolean {
  return /\.rs$/.test(path) || /^(?:Cargo\.(?:toml|lock)|build\.rs|rust-toolchain(?:\.toml)?|rustfmt\.toml|clippy\.toml|deny\.toml)$/.test(posix.basename(path)) ||
    /(?:^|\/)(?:target|\.cargo|benches|tests|examples)\//.test(path);
}

/**
 * Rust: cargo builds in the build stage with the registry cached; the binary runs on distroless
 * `cc` (glibc, libgcc, OpenSSL, CA certificates) for bookworm builds that need nothing more, or on
 * the slim image of the same Debian release, so that the binary finds the glibc it was linked
 * against, with the libraries its `-sys` crates link and the packages it runs.
 */
export const convertRust: Converter = (source, context) => {
  const ref = source.ref;
  if (ref.name !== 'rust' || ref.registry !== null || ref.digest) return decline(`the base image \`${source.stage.base.text}\` is not the official \`rust\` image, so the C library the binary links against is not known`);
  const tag = ref.tag ?? 'latest';
  if (tag.includes('alpine')) return decline('Rust on Alpine links musl statically or dynamically depending on the target, which the Dockerfile does not say');
  const release = debianRelease(tag);
  if (!release) return decline(`the Debian release of \`rust:${tag}\` is not known (the images switched releases around this version), so the runtime's glibc cannot be matched`);
  const builds = commandsOf(source, (k) => k.ecosystem === 'rust' && k.builds && !k.installsPackages);
  if (builds.length === 0) return decline('no `cargo build` or `cargo install` of the application was found');
  if (builds.some((b) => b.step.commands.some((c) => c.program === 'cd'))) return decline('the build runs after a `cd` in the same RUN, which is not followed');
  if (source.stage.variables.has('CARGO_TARGET_DIR') || builds.some((b) => optionValue(b.command, '--target-dir', '--root'))) return decline('CARGO_TARGET_DIR, `--target-dir` or `--root` moves the binary where the conversion does not follow');
  // Libraries linked from the distribution (`libpq-dev`) need their runtime package.
  const libraries = runtimeLibraries(source.packages, 'debian', 'go');
  if (libraries === null) return decline('the build installs a `-dev` package whose runtime library is not known, and the binary links it');
  const locks = context.project ? context.project.tree.files.filter((f) => posix.basename(f) === 'Cargo.lock') : null;
  const lock = locks && locks.length > 0 ? locks.map((f) => context.files.read(join(context.project!.tree.root, f)) ?? '').join('\n') : null;
  const assumptions: Assumption[] = [];
  const linked = Object.entries(SYS_CRATES).filter(([crate]) => lock !== null && new RegExp(`name = "${crate}"`).test(lock)).map(([, packages]) => packages[release]);
  if (lock === null) {
    const why = locks === null ? "the project's files could not be read" : 'the project has no Cargo.lock';
    assumptions.push({ text: `Which \`-sys\` crates the binary links is not known (${why}): the runtime has the C library and CA certificates; a crate that links another system library (libpq, libssl) needs its package added.`, confirm: true });
  }
  // `rust:latest` moves to the next Debian release with the images: the build is pinned to the
  // release the runtime is, so that glibc stays the same.
  const floating = tag === 'latest' || tag === '1' || tag === 'slim' || tag === '1-slim';
  const buildImage = floating && ref.registry === null && !source.stage.base.text.includes('$') ? `rust:1-${tag.includes('slim') ? 'slim-' : ''}${release}` : null;
  if (buildImage) assumptions.push({ text: `\`rust:${tag}\` follows the newest Debian release: the build is pinned to \`${buildImage}\`, the release the runtime runs, so that the binary keeps finding the glibc it was linked against.`, confirm: false });
  const runtimePackages = source.packages.filter((p) => !isBuildPackage(p) && !/^(ca-certificates|tzdata)$/.test(p));

  const program = source.start.words[0];
  let from: string;
  let to: string;
  if (!program.includes('/')) {
    if (!builds.some((b) => b.command.args.some((a) => a.value === 'install'))) return decline(`the start command runs \`${program}\` from the PATH, which \`cargo build\` does not install`);
    from = `/usr/local/cargo/bin/${program}`;
    to = `/usr/local/bin/${program}`;
  } else {
    from = posix.resolve(source.workdir, program);
    const root = /^(.*)\/target\/(?:[\w.-]+\/)?(?:release|debug)\/[^/]+$/.exec(from)?.[1];
    if (root === undefined || !builds.some((b) => b.step.workdir === (root || '/'))) return decline(`the start command runs \`${program}\`, which is not a binary \`cargo build\` writes under target/`);
    to = from;
  }
  const needsTool = source.steps.some((s) => s.instruction.keyword === 'HEALTHCHECK' && /\b(curl|wget)\b/.test(s.instruction.args));
  const needsShell = [source.start.entrypoint, source.start.cmd].some((i) => i && !i.json && simpleShellWords(source.model, i) === null);
  // distroless `cc` has glibc, libgcc, libssl and CA certificates of bookworm: enough when nothing else is linked or run.
  const extra = [...libraries, ...linked.filter((p) => p !== 'libssl3'), ...runtimePackages];
  const distroless = release === 'bookworm' && !needsTool && !needsShell && extra.length === 0 && lock !== null && context.builder === 'buildkit';
  const image = distroless ? DISTROLESS : `debian:${release}-slim`;
  const install = distroless ? null : packageInstall('debian', [...new Set([...libraries, ...linked, ...runtimePackages, 'ca-certificates'])]);
  const scan = context.project ? scanSources(context.project.tree, context.files, RUST, copiedSources(context.project)) : null;
  const rocket = lock !== null && /name = "rocket"/.test(lock);
  return {
    label: 'Rust',
    typicalSize: '~1.4 GB toolchain image → ~30–100 MB',
    buildPlatform: null,
    buildImage,
    buildPrelude: [],
    rewriteRun: (step) => (step.afterUser || context.builder === 'classic' || !step.kinds.some((k) => k?.ecosystem === 'rust') ? step.raw : withCacheMounts(step.raw, ['/usr/local/cargo/registry'], step)),
    buildEpilogue: [],
    manifests: null,
    appFiles: { mode: 'select', buildInput: rustBuildInput, access: codeAccess(scan, null, rocket ? ['Rocket.toml'] : []) },
    assumptions,
    runtime: {
      image,
      comment: distroless
        ? ['Runtime: distroless `cc` has the glibc, libgcc and OpenSSL the binary links against; no shell, no toolchain.']
        : [`Runtime: the slim Debian ${release} the binary was linked on${linked.length + libraries.length > 0 ? `, with ${[...libraries, ...linked].join(', ')}` : ''}; no toolchain.`],
      ref: parseImageRef(image),
      distro: distroless ? 'distroless' : 'debian',
      setup: install ? [install] : [],
      env: [],
      artifacts: [{ from, to, file: true }],
      shellless: distroless,
      start: null,
      installTool: distroless ? null : (tool) => packageInstall('debian', [tool])!,
      probeFacts: {},
    },
  };
};
