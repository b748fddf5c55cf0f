import { posix } from 'node:path';
import { sdkImage, temurinJre } from '../../dockerfile/ecosystems';
import { parseImageRef } from '../../text/image';
import { packageInstall, runsTool, withCacheMounts, type Converter } from './conversion';
import { projectJavaRelease, type JavaRelease } from './javaRelease';
import { commandsOf } from './source';

/**
 * Java (Maven and Gradle): the build tool and the JDK stay in the build stage; the runtime stage
 * is the Eclipse Temurin JRE of the same major with the jar (or the classpath) the CMD names.
 */
export const convertJava: Converter = (source, context) => {
  const sdk = sdkImage(source.ref);
  if (!sdk || !sdk.ecosystem.startsWith('java-')) return null;
  const builds = commandsOf(source, (k) => k.ecosystem.startsWith('java-') && k.builds);
  if (builds.length === 0 || builds.some((b) => b.step.commands.some((c) => c.program === 'cd'))) return null;
  // A tag without the JDK's version (`maven:latest`): the release the project compiles for, when
  // its build file beside the Dockerfile says so, picks the JRE; otherwise nothing is offered.
  let release: JavaRelease | null = null;
  let image = sdk.runtime;
  if (image.includes('<')) {
    const tools = new Set(builds.map((b) => b.kind.tool));
    if (tools.size !== 1) return null;
    release = projectJavaRelease(context.files, context.dir, tools.has('gradle') ? 'gradle' : 'maven');
    if (!release) return null;
    image = temurinJre(String(release.major), source.ref.tag ?? '');
  }

  const [program, ...args] = source.start.words;
  if (program.replace(/^.*\//, '') !== 'java') return null;
  const jar = args.indexOf('-jar');
  const cp = args.findIndex((a) => a === '-cp' || a === '-classpath' || a === '--class-path');
  const entries = jar >= 0 ? [args[jar + 1]] : cp >= 0 ? (args[cp + 1] ?? '').split(':') : [];
  if (entries.length === 0 || entries.some((e) => !e || e.includes('$'))) return null;
  const artifacts: { from: string; to: string }[] = [];
  for (const entry of entries) {
    const path = posix.resolve(source.workdir, entry.replace(/\/\*$/, ''));
    if (path === '/' || /^\/(usr|etc|bin|lib|opt\/java)(\/|$)/.test(path)) return null;
    // `build/libs/*.jar`: COPY takes the wildcard, into the directory the CMD reads.
    artifacts.push(/[*?]/.test(posix.basename(path)) ? { from: path, to: `${posix.dirname(path)}/` } : { from: path, to: path });
  }

  const distro = image.includes('alpine') ? 'alpine' : 'debian';
  const major = /:(\d+)/.exec(image)?.[1] ?? '';
  return {
    label: 'Java',
    typicalSize: '~700 MB JDK + build tool → ~80–200 MB JRE image',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun(step) {
      if (step.afterUser) return step.raw;
      if (runsTool(step, 'maven')) return withCacheMounts(step.raw, ['/root/.m2']);
      if (runsTool(step, 'gradle')) return withCacheMounts(step.raw, ['/root/.gradle']);
      return step.raw;
    },
    buildEpilogue: [],
    manifests: null,
    runtime: {
      image,
      comment: [
        `Runtime: the Java ${major} JRE (Eclipse Temurin) runs the jar; no JDK, no ${sdk.family === 'gradle' ? 'Gradle' : 'Maven'}.`,
        ...(release ? [`The image's tag does not name its JDK: Java ${major} is the release the project compiles for, from ${release.from}.`] : []),
      ],
      ref: parseImageRef(image),
      distro,
      setup: [],
      env: [],
      artifacts,
      shellless: false,
      start: null,
      installTool: (tool) => packageInstall(distro, [tool])!,
      probeFacts: {},
    },
  };
};
