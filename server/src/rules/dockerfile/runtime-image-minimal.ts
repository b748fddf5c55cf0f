import { posix } from 'node:path';
import { dockerfileRule, type FileAccess } from '../types';
import { copySourceStage, stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { pathArguments } from '../../dockerfile/copyArguments';
import { startWords } from '../../dockerfile/healthchecks';
import { expandVariables } from '../../text/variables';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { stageCommands } from '../../dockerfile/shell';
import { isCompilerPackage, meantForDevelopment, packageOperation, sdkImage, startsApplication, toolchainPackage, type SdkImage } from '../../dockerfile/ecosystems';
import { sdkBuild } from './prefer-multi-stage';
import { addsMissingCommand } from '../../dockerfile/commands';

/** The image the stage that ships runs on, when it is a full SDK or toolchain image. */
function finalSdk(model: DockerfileModel, path: string | null, files: FileAccess): { sdk: SdkImage; stage: number; final: Stage; output: CopiedOutput | null } | null {
  const final = shippedStage({ dockerfile: model, path, files });
  if (!final) return null;
  const chain = stageAncestry(model, final);
  const root = chain[chain.length - 1];
  if (root.base.stageRef !== null) return null;
  const sdk = sdkImage(root.base.ref);
  if (!sdk) return null;
  // Base, toolbox and development images keep their toolchain on purpose, and an image without
  // a command of its own runs whatever the SDK image runs: a shell or a REPL.
  if (startsApplication(model, chain) !== 'yes') return null;
  if (meantForDevelopment(path, final)) return null;
  if (addsTools(model, chain)) return null;
  return { sdk, stage: root.index, final, output: copiedOutput(model, chain) };
}

/** Instructions a stage that only runs the output of a build stage may hold besides COPY. */
const METADATA = new Set(['ARG', 'ENV', 'LABEL', 'EXPOSE', 'USER', 'WORKDIR', 'CMD', 'ENTRYPOINT', 'STOPSIGNAL', 'VOLUME', 'HEALTHCHECK', 'MAINTAINER']);
/** Directories on the PATH of the SDK images (Debian's default, then what the Go and Rust images add). */
const SDK_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/go/bin', '/usr/local/go/bin', '/usr/local/cargo/bin'];

/** A final stage that runs nothing of the SDK: only a file it copied from a build stage. */
interface CopiedOutput {
  /** The file as the start command names it (`app`, `/usr/local/bin/app`, `app.jar`). */
  name: string;
  /** The stage it is copied from. */
  from: Stage;
  /** The runtime that runs it (`java -jar app.jar`, `dotnet Api.dll`), or null for a binary. */
  runtime: 'java' | 'dotnet' | null;
}

/**
 * Whether the final stage, built directly on the SDK image, runs no RUN or ADD and starts a file
 * it copied from a build stage: a binary named by its path (`/usr/local/bin/app`, `./app`) or by
 * its name on the PATH (`app`), a jar run by `java -jar`, an assembly run by `dotnet`.
 */
function copiedOutput(model: DockerfileModel, chain: Stage[]): CopiedOutput | null {
  if (chain.length !== 1) return null;
  const [stage] = chain;
  const copies: { from: Stage | null; dest: string }[] = [];
  let workdir: string | null = null;
  for (const instruction of stage.instructions.slice(1)) {
    if (instruction.keyword === 'WORKDIR') {
      const dir = expandVariables(instruction.args.trim(), stage.variables);
      workdir = dir === null ? null : posix.isAbsolute(dir) ? posix.normalize(dir) : workdir && posix.join(workdir, dir);
      continue;
    }
    if (instruction.keyword !== 'COPY') {
      if (METADATA.has(instruction.keyword)) continue;
      return null;
    }
    const paths = pathArguments(model, instruction);
    if (!paths?.dest.value) return null;
    const dest = posix.isAbsolute(paths.dest.value) ? paths.dest.value : workdir && posix.join(workdir, paths.dest.value);
    if (!dest) continue;
    copies.push({ from: copySourceStage(model, instruction), dest: posix.normalize(dest) });
  }
  const words = startWords(model, chain);
  const program = words[0];
  if (!program) return null;
  const tool = posix.basename(program);
  const runtime = tool === 'java' || tool === 'dotnet' ? tool : null;
  const name = runtime === 'java' ? words[words.indexOf('-jar') + 1] : runtime === 'dotnet' ? words[1] : program;
  if (!name || (runtime === 'java' && !words.includes('-jar'))) return null;
  // A binary named without a slash is looked up on the PATH; an argument is a path from WORKDIR.
  const candidates = !name.includes('/') && runtime === null
    ? SDK_PATH.map((dir) => posix.join(dir, name))
    : posix.isAbsolute(name) ? [posix.normalize(name)] : workdir ? [posix.join(workdir, name)] : [];
  // A file lands at the destination; a directory's contents, or files copied into a directory, below it.
  const copy = copies.find((c) => c.from !== null && candidates.some((path) => path === c.dest || path.startsWith(c.dest.endsWith('/') ? c.dest : `${c.dest}/`)));
  return copy?.from ? { name, from: copy.from, runtime } : null;
}

/** Where the JDK and .NET images put `java` and `dotnet`; their runtime images put them in the same place. */
const RUNTIME_PROGRAMS = new Set(['java', 'dotnet', '/opt/java/openjdk/bin/java', '/usr/share/dotnet/dotnet', '/usr/bin/dotnet']);

/**
 * Whether a stage built on a JDK or .NET SDK image would run the same on the runtime image of the
 * same version (`eclipse-temurin:21-jre`, `dotnet/aspnet:8.0`), which is the SDK image without its
 * build tools: it only copies a jar or an assembly from a build stage and runs it with `java` or
 * `dotnet`, names no user or owner the runtime image may lack, and has no HEALTHCHECK whose tool
 * may be missing there. A Go or Rust binary is left alone: whether it runs on distroless depends
 * on how it was linked.
 */
function runsOnRuntimeImage(model: DockerfileModel, stage: Stage, sdk: SdkImage): boolean {
  const output = copiedOutput(model, [stage]);
  if (!output?.runtime || sdk.runtime.includes('<')) return false;
  if (output.runtime !== (sdk.ecosystem === 'dotnet' ? 'dotnet' : sdk.ecosystem.startsWith('java') ? 'java' : null)) return false;
  if (!RUNTIME_PROGRAMS.has(startWords(model, [stage])[0])) return false;
  const named = (user: string | null | undefined) => user !== null && user !== undefined && !/^(root|0|\d+)(:(root|0|\d+))?$/.test(user.trim());
  return !stage.instructions.some((i) =>
    (i.keyword === 'USER' && named(i.args)) ||
    (i.keyword === 'HEALTHCHECK' && !/^NONE$/i.test(i.args.trim())) ||
    i.flags.some((f) => f.name === 'chown' && named(f.value)));
}

/** Packages that make an image a working environment rather than a service. */
const TOOL_PACKAGES = new Set(['git', 'openssh-client', 'nodejs', 'npm', 'make', 'vim', 'less', 'subversion', 'mercurial']);

/**
 * True when the final image installs more tools on top of its SDK (git, another language, a
 * compiler): a CLI or workspace image (Hugo needs Go for its modules) that wants the SDK.
 */
function addsTools(model: DockerfileModel, chain: Stage[]): boolean {
  return chain.some((stage) => stageCommands(model, stage.index).some(({ command }) => {
    const op = packageOperation(command);
    return op?.action === 'install' && op.packages.some((p) => TOOL_PACKAGES.has(p) || isCompilerPackage(p) || toolchainPackage(p) !== null);
  }));
}

/**
 * The image that runs in production needs the language runtime, not the compilers, package
 * managers, headers and caches of an SDK image: those make it several times larger and hand an
 * attacker tools to build with. Each SDK has a runtime image of the same version line.
 */
export default dockerfileRule({
  id: 'runtime-image-minimal',
  aliases: [],
  title: 'Run the final stage on a runtime image, not an SDK',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const found = finalSdk(dockerfile, path, files);
    if (!found) return;
    const { sdk, stage: index, final, output } = found;
    const stage = dockerfile.stages[index];
    // A single-stage file that builds on the SDK gets prefer-multi-stage on this same image:
    // the fix there (a build stage) is the one that matters, so it is not reported twice.
    if (sdkBuild(dockerfile, path)) return;
    const multiStage = dockerfile.stages.length > 1;
    const image = stage.base.text;
    const note = sdk.note ? ` (${sdk.note})` : '';
    const from = output && (output.from.name ? `stage \`${output.from.name}\`` : `stage ${output.from.index}`);
    report({
      range: stage.base.range,
      message: output
        ? `${shippedStageLabel(dockerfile, final)} only runs \`${output.name}\`, copied from ${from}, yet starts from \`${image}\`, a ${sdk.kind}, so ${sdk.tools} ship to production with it; base it on \`${sdk.runtime}\`${note} instead.`
        : multiStage
        ? `${shippedStageLabel(dockerfile, final)} runs on \`${image}\`, a ${sdk.kind}, so ${sdk.tools} ship to production with the application; base it on \`${sdk.runtime}\`${note} and copy only the build output into it.`
        : `The image runs on \`${image}\`, a ${sdk.kind} that carries ${sdk.tools}, which the running application does not need and an attacker can use; use \`${sdk.runtime}\`${note} instead.`,
      data: { sdk: sdk.family, ecosystem: sdk.ecosystem, runtime: sdk.runtime, sameRuntime: sdk.sameRuntime, multiStage, ...(output ? { output: output.name } : {}) },
    });
  },
  fix(finding, dockerfile) {
    const runtime = finding.data?.runtime;
    if (typeof runtime !== 'string') return undefined;
    const stage = dockerfile.stages.find((s) => s.base.range.start.line === finding.range.start.line && s.base.range.start.character === finding.range.start.character);
    if (!stage) return undefined;
    // Only a literal image is rewritten: a tag built from ARGs or pinned by digest needs a person.
    const base = stage.base;
    if (base.text !== base.resolved || base.ref?.digest) return undefined;
    const sdk = sdkImage(base.ref);
    if (!sdk || sdk.runtime !== runtime) return undefined;
    if (finding.data?.sameRuntime !== true) {
      if (!runsOnRuntimeImage(dockerfile, stage, sdk)) return undefined;
      return {
        title: `Switch to ${runtime}`,
        edits: [{ range: base.range, newText: runtime }],
        // The application may still use a JDK or SDK tool at run time (a JSP compiler, dotnet-counters).
        safe: false,
      };
    }
    const tag = runtime.slice(runtime.indexOf(':') + 1);
    const current = base.ref!.tag;
    // Keep the registry and repository as written (`docker.io/library/node`), change the tag.
    const newText = current ? `${base.text.slice(0, base.text.length - current.length)}${tag}` : `${base.text}:${tag}`;
    const edits = [{ range: base.range, newText }];
    // The runtime image lacks tools of the SDK one: a RUN that uses them (curl, wget) would fail.
    if (addsMissingCommand(dockerfile, edits)) return undefined;
    return {
      title: `Switch to ${runtime}`,
      edits,
      // Slim images lack compilers and git: a dependency that builds native code needs them.
      safe: false,
    };
  },
});
