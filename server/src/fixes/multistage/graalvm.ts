import { posix } from 'node:path';
import type { ImageRef } from '../../text/image';
import { parseImageRef } from '../../text/image';
import { decline, packageInstall, withCacheMounts, runsTool, type Conversion, type ConversionContext, type Declined } from './conversion';
import { codeAccess } from './appFiles';
import type { Source } from './source';

/**
 * GraalVM Native Image: the build compiles the application ahead of time into one executable, so
 * the runtime needs no JDK at all. The executable links the C library dynamically (and zlib),
 * against the glibc of the build image's Oracle Linux (8, 9 or 10, which the tag may not say). A
 * binary linked against an older glibc runs on a newer one, so the runtime is a slim image whose
 * glibc is newer than any of them: Debian trixie (glibc 2.41).
 * https://www.graalvm.org/latest/reference-manual/native-image/
 */

const RUNTIME = 'debian:trixie-slim';

/** The GraalVM images that compile native executables (Oracle GraalVM and the Community Edition). */
export function isNativeImageBuilder(ref: ImageRef): boolean {
  const repo = ref.repository.toLowerCase();
  return /(?:^|\/)graalvm\/native-image(?:-community)?$/.test(repo) || /(?:^|\/)graalvm\/graalvm-(?:ce|community)$/.test(repo);
}

export function convertNativeImage(source: Source, context: ConversionContext, buildInput: (path: string) => boolean): Conversion | Declined {
  const tag = source.ref.tag ?? 'latest';
  if (/muslib|musl/.test(tag)) return decline('the image builds with musl, for a fully static executable, whose flags the Dockerfile may not pass; which runtime it needs is not certain');
  const [program] = source.start.words;
  if (!program || /^(?:java|sh|bash)$/.test(posix.basename(program))) return decline(`the start command runs \`${source.start.words.join(' ')}\`, not the native executable the build writes`);
  const path = posix.resolve(source.workdir, program);
  if (!program.includes('/')) return decline(`the start command runs \`${program}\` from the PATH, which is not traced to the native executable`);
  // The executable must come out of the build, not from the context (a script would need what it runs).
  if (context.project?.copies.entries.some((e) => e.path === path)) return decline(`\`${program}\` is copied from the build context, not built: what it runs is not known`);
  const classic = context.builder === 'classic';
  return {
    label: 'GraalVM native image',
    typicalSize: '~1 GB GraalVM image → ~100–150 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun(step) {
      if (step.afterUser || classic) return step.raw;
      if (runsTool(step, 'gradle')) return withCacheMounts(step.raw, ['/root/.gradle'], step);
      if (runsTool(step, 'maven')) return withCacheMounts(step.raw, ['/root/.m2'], step);
      return step.raw;
    },
    buildEpilogue: [],
    manifests: null,
    // Resources are compiled into the executable; other files the image had beside it cross over.
    appFiles: { mode: 'select', buildInput, access: codeAccess(null, 'the executable may open files beside it') },
    assumptions: [{ text: `The native executable is linked against the glibc of \`${source.stage.base.text}\` (Oracle Linux); ${RUNTIME} has a newer glibc, which runs it, and no JDK.`, confirm: true }],
    runtime: {
      image: RUNTIME,
      comment: ['Runtime: the native executable needs only the C library and zlib; no JDK, no GraalVM.'],
      ref: parseImageRef(RUNTIME),
      distro: 'debian',
      setup: [],
      env: [],
      artifacts: [{ from: path, to: path, file: true }],
      shellless: false,
      start: null,
      installTool: (tool) => packageInstall('debian', [tool])!,
      probeFacts: {},
    },
  };
}
