import { join, posix } from 'node:path';
import { sdkImage, temurinJre } from '../../dockerfile/ecosystems';
import { parseImageRef } from '../../text/image';
import { decline, packageInstall, runsTool, withCacheMounts, type Assumption, type Converter } from './conversion';
import { declaredJavaLevel, LTS_RELEASES, projectJavaRelease, type JavaRelease } from './javaRelease';
import { commandsOf, isBuildPackage, type Source } from './source';
import { codeAccess } from './appFiles';
import { JAVA, copiedSources, scanSources } from './sourceScan';
import { convertNativeImage, isNativeImageBuilder } from './graalvm';

/**
 * Java (Maven and Gradle): the build tool and the JDK stay in the build stage; the runtime stage
 * is the Eclipse Temurin JRE of the same major with the jar (or the classpath) the CMD names, or
 * the JDK when the application compiles Java at run time (jte templates read from a folder,
 * `javax.tools`). When the image's tag does not say which JDK it has (`maven:latest`), the build
 * is pinned to a tag that does and the runtime takes the same release.
 */

/** What only the build reads: sources (resources are packaged into the jar), build files, outputs from the host. */
function javaBuildInput(path: string): boolean {
  return /\.(?:java|kt|kts|groovy|scala)$/.test(path) ||
    /^(?:pom\.xml|build\.gradle(?:\.kts)?|settings\.gradle(?:\.kts)?|gradle\.properties|gradlew(?:\.bat)?|mvnw(?:\.cmd)?|lombok\.config|checkstyle.*\.xml)$/.test(posix.basename(path)) ||
    /^(?:src|target|build|\.mvn|\.gradle|gradle)(?:\/|$)/.test(path);
}

/** Frameworks that read files beside the jar by convention, and which. */
const CONVENTIONS: { marker: RegExp; name: string; paths: string[] | null }[] = [
  { marker: /spring-boot/, name: 'Spring Boot', paths: ['application.properties', 'application.yml', 'application.yaml', 'config'] },
  { marker: /io\.quarkus/, name: 'Quarkus', paths: ['config', '.env'] },
  { marker: /io\.jooby|org\.jooby/, name: 'Jooby', paths: ['conf'] },
  { marker: /io\.vertx/, name: 'Vert.x', paths: ['conf'] },
  { marker: /actframework|org\.playframework|com\.typesafe\.play|ninjaframework|org\.grails/, name: 'its framework', paths: null },
];

/** The newest LTS JDK a Gradle version runs on (Gradle's compatibility matrix). */
function gradleMaxJava(tag: string): number {
  const m = /^(\d+)\.(\d+)/.exec(tag);
  if (!m) return 21;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 5) return 8;
  if (major < 7 || (major === 7 && minor < 3)) return 11;
  if (major === 7 || (major === 8 && minor < 5)) return 17;
  return 21;
}

/**
 * A build image pinned to a JDK and the JRE for it, for a tag that names none: the newest LTS the
 * build tool runs on (Maven: 21), at least the level the project declares.
 */
function pinned(source: Source, tool: 'maven' | 'gradle', declared: number): { build: string; release: number } | null {
  const tag = source.ref.tag ?? 'latest';
  const alpine = tag.includes('alpine');
  const max = tool === 'gradle' ? gradleMaxJava(tag) : 21;
  const release = Math.max(max, LTS_RELEASES.find((r) => r >= declared) ?? 99);
  if (release > (tool === 'gradle' ? max : 25)) return null;
  if (tool === 'maven') return { build: `maven:3-eclipse-temurin-${release}${alpine ? '-alpine' : ''}`, release };
  const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
  return { build: `gradle:${version ? `${version}-` : ''}jdk${release}${alpine ? '-alpine' : ''}`, release };
}

/** Calls that attach an agent to the running JVM. */
const ATTACH_CALL = /\bVirtualMachine\.attach\b|com\.sun\.tools\.attach|ByteBuddyAgent\.install\b|AgentLoader\.loadAgent|EbeanAgentLoader|loadAgentFromClasspath/;
/** Libraries that attach an agent to their own JVM at start (outside tests). */
const ATTACHING = ['act-ebean', 'ebean-agent', 'avaje-agentloader', 'ebean-agent-loader', 'byte-buddy-agent', 'ea-agent-loader', 'jmockit'];

/** The first attaching library a pom.xml or Gradle build declares outside the test scope, or null. */
function attachingDependency(buildFiles: string): string | null {
  // The JDK's own tools (the Attach API before Java 9) on the classpath.
  if (/\btools\.jar\b/.test(buildFiles)) return 'tools.jar';
  // An excluded artifact is one the build keeps out: `<exclusions>` blocks and Gradle `exclude` lines do not count.
  const maven = buildFiles.replace(/<exclusions>[\s\S]*?<\/exclusions>/g, '').match(/<dependency>[\s\S]*?<\/dependency>/g) ?? [];
  for (const block of maven) {
    const hit = ATTACHING.find((a) => block.includes(`<artifactId>${a}</artifactId>`));
    if (hit && !/<scope>\s*test\s*<\/scope>/.test(block)) return hit;
  }
  for (const line of buildFiles.split('\n')) {
    const hit = ATTACHING.find((a) => line.includes(`:${a}`) || line.includes(`"${a}"`));
    if (hit && !/^\s*<|^\s*test\w*\s*[( ]|\bexclude\b/i.test(line)) return hit;
  }
  return null;
}

export const convertJava: Converter = (source, context) => {
  if (isNativeImageBuilder(source.ref)) return convertNativeImage(source, context, javaBuildInput);
  const sdk = sdkImage(source.ref);
  if (!sdk || !sdk.ecosystem.startsWith('java-')) return decline(`the base image \`${source.stage.base.text}\` is not a known Maven, Gradle or JDK image, so its JDK release is not known`);
  const builds = commandsOf(source, (k) => k.ecosystem.startsWith('java-') && k.builds);
  if (builds.length === 0) return decline('no Maven or Gradle build of the application was found');
  if (builds.some((b) => b.step.commands.some((c) => c.program === 'cd'))) return decline('the build runs after a `cd` in the same RUN, which is not followed');
  const tools = new Set(builds.map((b) => b.kind.tool));
  const tool: 'maven' | 'gradle' = tools.has('gradle') ? 'gradle' : 'maven';
  const assumptions: Assumption[] = [];
  // A tag without the JDK's version (`maven:latest`): the release the project compiles for, when
  // its build file says so with `--release` or a toolchain, picks the JRE. Otherwise the build is
  // pinned to a JDK, and the runtime runs the same one.
  let release: JavaRelease | null = null;
  let image = sdk.runtime;
  let buildImage: string | null = null;
  if (image.includes('<')) {
    if (tools.size !== 1) return decline('the image\'s tag does not name its JDK, and the build runs both Maven and Gradle');
    release = projectJavaRelease(context.files, context.dir, tool);
    if (release) {
      image = temurinJre(String(release.major), source.ref.tag ?? '');
    } else {
      const declared = declaredJavaLevel(context.files, context.dir, tool);
      if (!declared) return decline(`the image's tag does not name its JDK, and the project's ${tool === 'maven' ? 'pom.xml' : 'build.gradle'} does not say which Java it compiles for`);
      const pin = pinned(source, tool, declared.major);
      if (!pin) return decline(`the project compiles for Java ${declared.major} (${declared.from}), newer than ${tool === 'gradle' ? 'this Gradle version' : 'the JDKs'} the conversion knows`);
      buildImage = pin.build;
      image = temurinJre(String(pin.release), source.ref.tag ?? '');
      assumptions.push({ text: `\`${source.stage.base.text}\` does not say which JDK it has: the build is pinned to Java ${pin.release} (\`${pin.build}\`) and runs on the same release; the project compiles for Java ${declared.major} (${declared.from}).`, confirm: true });
    }
  }

  const [program, ...args] = source.start.words;
  if (program.replace(/^.*\//, '') !== 'java') return decline(`the start command \`${source.start.words.join(' ')}\` does not run \`java\`, so the artifact it needs is not known`);
  const jar = args.indexOf('-jar');
  const cp = args.findIndex((a) => a === '-cp' || a === '-classpath' || a === '--class-path');
  const entries = jar >= 0 ? [args[jar + 1]] : cp >= 0 ? (args[cp + 1] ?? '').split(':') : [];
  if (entries.length === 0 || entries.some((e) => !e)) return decline('the start command names no jar (`-jar`) or classpath (`-cp`)');
  if (entries.some((e) => e.includes('$'))) return decline('the jar or classpath in the start command depends on a variable');
  let artifacts: { from: string; to: string; file?: boolean }[] = [];
  for (const entry of entries) {
    const path = posix.resolve(source.workdir, entry.replace(/\/\*$/, ''));
    if (path === '/' || /^\/(usr|etc|bin|lib|opt\/java)(\/|$)/.test(path)) return decline(`the classpath entry \`${entry}\` is a system folder, not the build's output`);
    // `build/libs/*.jar`: COPY takes the wildcard, into the directory the CMD reads.
    artifacts.push({ ...(/[*?]/.test(posix.basename(path)) ? { from: path, to: `${posix.dirname(path)}/` } : { from: path, to: path }), file: /\.jar$/.test(path) });
  }
  // The app runs inside a folder the build wrote (`target/dist` unpacked from an archive): the
  // whole folder crosses, as the build left it.
  const producedWorkdir = /\/(?:target|build)(?:\/|$)/.test(source.workdir) && artifacts.every((a) => a.from.startsWith(`${source.workdir}/`));
  if (producedWorkdir) artifacts = [{ from: source.workdir, to: source.workdir }];

  // Code that compiles Java at run time needs the JDK: jte's DirectoryCodeResolver, javax.tools.
  const scan = context.project ? scanSources(context.project.tree, context.files, JAVA, copiedSources(context.project)) : null;
  const buildFiles = context.dir ? ['pom.xml', 'build.gradle', 'build.gradle.kts'].map((f) => context.files.read(join(context.dir!, f)) ?? '').join('\n') : '';
  const compiles = [...(scan?.texts ?? [])].find(([, t]) => /\bDirectoryCodeResolver\b|ToolProvider\.getSystemJavaCompiler|javax\.tools\.JavaCompiler/.test(t));
  const jteAtRunTime = /gg\.jte/.test(buildFiles) && !/jte-maven-plugin|gg\.jte\.gradle|precompile/i.test(buildFiles);
  // Attaching an agent to the running JVM (Ebean's enhancement, act-ebean, Byte Buddy's installer)
  // goes through the Attach API, whose native library only a JDK ships.
  const attaches = [...(scan?.texts ?? [])].find(([, t]) => ATTACH_CALL.test(t));
  const attachDependency = attachingDependency(buildFiles);
  const jdk = compiles !== undefined || jteAtRunTime || attaches !== undefined || attachDependency !== null;
  if (jdk) {
    image = image.replace('-jre', '-jdk');
    const why = compiles ? `${compiles[0]} compiles Java at run time`
      : jteAtRunTime ? 'jte templates are not precompiled, so they compile at run time'
        : attaches ? `${attaches[0]} attaches an agent to the running JVM through the Attach API, whose native library a JRE does not have`
          : `the build depends on \`${attachDependency}\`, which attaches an agent to the running JVM through the Attach API, whose native library a JRE does not have`;
    assumptions.push({ text: `The runtime keeps the JDK: ${why}.`, confirm: false });
  }
  const convention = CONVENTIONS.find((c) => c.marker.test(buildFiles));
  const access = codeAccess(scan, convention && convention.paths === null ? `${convention.name} reads its files by convention` : null, convention?.paths ?? []);

  const distro = image.includes('alpine') ? 'alpine' : 'debian';
  const major = /:(\d+)/.exec(image)?.[1] ?? '';
  // Packages the original installed that are not build tools (fonts for reports, a CLI the app runs).
  const packages = source.packages.filter((p) => !isBuildPackage(p, true) && !/^(?:openjdk|maven|gradle|default-jdk)/.test(p));
  const install = packageInstall(distro, packages);
  return {
    label: 'Java',
    typicalSize: '~700 MB JDK + build tool → ~80–200 MB JRE image',
    buildPlatform: null,
    buildPrelude: [],
    buildImage,
    rewriteRun(step) {
      if (step.afterUser || context.builder === 'classic') return step.raw;
      if (runsTool(step, 'maven')) return withCacheMounts(step.raw, ['/root/.m2'], step);
      if (runsTool(step, 'gradle')) return withCacheMounts(step.raw, ['/root/.gradle'], step);
      return step.raw;
    },
    buildEpilogue: [],
    manifests: null,
    appFiles: { mode: 'select', buildInput: javaBuildInput, access },
    assumptions,
    runtime: {
      image,
      comment: [
        `Runtime: the Java ${major} ${jdk ? 'JDK' : 'JRE'} (Eclipse Temurin) runs the ${producedWorkdir ? 'build output' : jar >= 0 ? 'jar' : 'classpath'}; no ${sdk.family === 'gradle' ? 'Gradle' : 'Maven'}.`,
        ...(release ? [`The image's tag does not name its JDK: Java ${major} is the release the project compiles for, from ${release.from}.`] : []),
        ...(jdk ? [`shipshape-ignore runtime-image-minimal -- the app needs the JDK at run time (${compiles || jteAtRunTime ? 'it compiles Java' : 'the Attach API'})`] : []),
      ],
      ref: parseImageRef(image),
      distro,
      setup: install ? [install] : [],
      env: [],
      artifacts,
      shellless: false,
      start: null,
      installTool: (tool) => packageInstall(distro, [tool])!,
      probeFacts: {},
    },
  };
};
