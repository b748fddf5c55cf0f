import { dockerfileRule } from '../types';
import { stageAncestry, finalStage, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shellOf, hasOption, optionValue, type ShellCommand } from '../../dockerfile/shell';
import {
  classifyCommand, ecosystems, isCompilerPackage, meantForDevelopment, packageOperation, sdkImage, startsApplication, startsWith, toolchainPackage,
  type EcosystemCommand, type EcosystemId,
} from '../../dockerfile/ecosystems';
import { distroOf } from '../../text/images';
import { contextCopy } from '../../dockerfile/dockerignore';
import { convertToMultiStage, isDeclined } from '../../fixes/multistage/index';

/** One command that compiles, bundles or needs a compiler, for the finding's data. */
export interface BuildCommand {
  /** Zero-based line, as in LSP ranges. */
  line: number;
  text: string;
}

/** What the multi-stage converter needs: the ecosystem, the build steps, the image they run on. */
export interface SdkBuild {
  ecosystem: EcosystemId;
  /** Every ecosystem that builds something, the main one first. */
  ecosystems: EcosystemId[];
  buildCommands: BuildCommand[];
  /** The FROM image of the stage that builds, as written. */
  baseImage: string;
  /** Index of the final stage, and of the stage whose FROM is reported (the root of its chain). */
  stage: number;
  baseStage: number;
}

/** Ecosystems whose build step needs their SDK. */
const COMPILED = new Set<EcosystemId>(['go', 'rust', 'java-maven', 'java-gradle', 'dotnet', 'haskell']);

/** Maven and Gradle share the JDK. */
function family(ecosystem: EcosystemId): string {
  return ecosystem.startsWith('java-') ? 'java' : ecosystem;
}

/** Tools that fetch sources from elsewhere: a compile in the same RUN builds upstream software. */
const DOWNLOADERS = new Set(['curl', 'wget', 'svn', 'hg', 'fetch', 'aria2c']);

function fetchesSources(command: ShellCommand): boolean {
  if (command.program === null) return false;
  if (DOWNLOADERS.has(command.program)) return true;
  if (command.program === 'git') return command.args.some((a) => a.value === 'clone');
  // Unpacking an archive (fetched by ADD <url> or an earlier step) in the RUN that compiles.
  if (command.program === 'tar') return command.args.some((a) => a.value !== null && /^-?[a-wyzA-Z]*x/.test(a.value) && !a.value.startsWith('--'));
  return command.program === 'unzip';
}

/** What ships with the image when each ecosystem builds in it, for messages. */
const SHIPPED: Record<EcosystemId, string> = {
  node: 'the devDependencies and build tooling',
  python: 'the C compiler and headers that pip needed',
  go: 'the whole Go toolchain',
  rust: 'the Rust toolchain and the `target/` build tree',
  'java-maven': 'Maven, the JDK and the dependency cache',
  'java-gradle': 'Gradle, the JDK and the dependency cache',
  dotnet: 'the .NET SDK',
  ruby: 'the C compiler that the gem builds needed',
  php: 'the PHP build tooling',
  haskell: 'GHC and the build tree',
  native: 'the compiler and the build tree',
};

function copiesFromStage(model: DockerfileModel, instruction: DockerInstruction): boolean {
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
    const from = instruction.flags.find((f) => f.name === 'from')?.value;
    if (from === undefined || from === null) return false;
    // `--from=composer:2` copies out of an image, not out of a build stage of this file.
    return /^\d+$/.test(from) || model.stages.some((s) => s.name?.toLowerCase() === from.toLowerCase());
  }
  if (instruction.keyword === 'RUN') {
    return instruction.flags.some((f) => f.name === 'mount' && f.options.has('from') && model.stages.some((s) => s.name?.toLowerCase() === f.options.get('from')?.toLowerCase()));
  }
  return false;
}

/** The command as one line; an exec-form RUN's JSON array as its words. */
export function commandText(command: ShellCommand): string {
  if (command.text.trimStart().startsWith('[')) return command.words.map((w) => w.value ?? w.text).join(' ');
  return command.text.replace(/\s+/g, ' ').trim();
}

function isPrune(command: ShellCommand): boolean {
  const program = command.program;
  if (program === 'npm') {
    const sub = command.args.find((a) => a.value !== null && !a.value.startsWith('-'))?.value;
    if (sub === 'prune') return true;
    if (sub === 'ci' || sub === 'install' || sub === 'i') {
      return hasOption(command, '--production', '--only') || optionValue(command, '--omit') === 'dev' || optionValue(command, '--only') === 'production';
    }
  }
  if (program === 'yarn' || program === 'pnpm') {
    return hasOption(command, '--production', '--prod') || command.args.some((a) => a.value === 'prune') || optionValue(command, '--omit') === 'dev';
  }
  if (program === 'rm') return command.args.some((a) => a.value !== null && /(^|\/)node_modules\/?$/.test(a.value));
  return false;
}

/**
 * Finds the build steps of the final image that leave their toolchain in it, or null. The final
 * stage and the stages it is built FROM count; a chain that copies from another stage already
 * splits build from runtime. Images that start no application (base, toolbox and CI images) and
 * development targets are left alone: their toolchain is their purpose.
 */
export function sdkBuild(model: DockerfileModel, path: string | null): SdkBuild | null {
  const final = finalStage(model);
  if (!final) return null;
  const chain = stageAncestry(model, final);
  const root = chain[chain.length - 1];
  if (root.base.stageRef !== null || root.base.scratch) return null;
  if (distroOf(root.base.ref, false) === 'windows') return null;
  if (chain.some((s) => s.instructions.some((i) => copiesFromStage(model, i)))) return null;
  const starts = startsApplication(model, chain);
  if (starts === 'no') return null;
  if (meantForDevelopment(path, final)) return null;

  const ordered: Stage[] = [...chain].reverse();
  interface Step { command: ShellCommand; kind: EcosystemCommand; downloads: boolean; afterContextCopy: boolean; order: number }
  const steps: Step[] = [];
  const compilers: { order: number; names: Set<string> }[] = [];
  // The last removal of each kind, so that "removed afterwards" is a lookup.
  let lastBlindRemoval = 0;
  let lastToolchainRemoval = 0;
  let lastAnyRemoval = 0;
  const lastRemovalOf = new Map<string, number>();
  let lastPrune = 0;
  let order = 0;
  let contextCopied = false;
  for (const instruction of ordered.flatMap((s) => s.instructions)) {
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      if (contextCopy(model, instruction)?.sources.length) contextCopied = true;
      continue;
    }
    if (instruction.keyword !== 'RUN') continue;
    const script = shellOf(model, instruction);
    const downloads = script.commands.some(fetchesSources);
    for (const command of script.commands) {
      order++;
      const pkg = packageOperation(command);
      if (pkg?.action === 'install') {
        if (pkg.packages.some((p) => isCompilerPackage(p) || toolchainPackage(p) !== null)) compilers.push({ order, names: new Set(pkg.packages) });
      } else if (pkg?.action === 'remove') {
        // Unknown names (`$buildDeps`) and `--auto-remove` may take the toolchain with them.
        lastAnyRemoval = order;
        if (pkg.dynamic || pkg.autoRemove) lastBlindRemoval = order;
        if (pkg.packages.some((n) => isCompilerPackage(n) || toolchainPackage(n) !== null)) lastToolchainRemoval = order;
        for (const name of pkg.packages) lastRemovalOf.set(name, order);
      }
      if (isPrune(command)) lastPrune = order;
      const kind = classifyCommand(command);
      if (kind) steps.push({ command, kind, downloads, afterContextCopy: contextCopied, order });
    }
  }
  const removedAfter = (from: number, names?: Set<string>) => {
    if (!names) return lastAnyRemoval > from;
    if (lastBlindRemoval > from || lastToolchainRemoval > from) return true;
    for (const name of names) if ((lastRemovalOf.get(name) ?? 0) > from) return true;
    return false;
  };
  const keptCompiler = compilers.find((c) => !removedAfter(c.order, c.names));
  const base = sdkImage(root.base.ref);
  const baseHasCompiler = base !== null && (base.ecosystem === 'native' || base.family === 'rust' || base.family === 'golang');

  const shipping = steps.filter((step) => {
    const { kind } = step;
    if (kind.ecosystem === 'php') return false;
    if (kind.builds) {
      // A build before anything is copied from the context compiles sources from elsewhere
      // (a clone, a tarball): the image packages upstream software, like official images do.
      if (!step.afterContextCopy) return false;
      if (kind.ecosystem === 'node') return lastPrune < step.order;
      if (kind.ecosystem === 'native') {
        if (step.downloads) return false;
        return (keptCompiler !== undefined || baseHasCompiler) && !removedAfter(step.order);
      }
      if (COMPILED.has(kind.ecosystem)) {
        // A toolchain that comes with the base image cannot be removed; one installed from
        // packages may be removed again after the build.
        const fromBase = base !== null && family(base.ecosystem) === family(kind.ecosystem);
        return fromBase || !removedAfter(step.order);
      }
    }
    // pip, gem and npm installs that compile native extensions: only when the Dockerfile installs
    // a compiler for them and keeps it. Global tools (`npm install -g yarn`) are not the app's.
    // The application must be one of that ecosystem (`CMD ["gunicorn", …]` for pip), or the
    // compiler may serve a tool the image is about.
    const installs = kind.installsDependencies || (kind.installsPackages && kind.ecosystem !== 'node') || kind.builds;
    return installs && keptCompiler !== undefined && keptCompiler.order < step.order && startsWith(chain, kind.ecosystem);
  });
  if (shipping.length === 0) return null;
  // `make build` on the golang image builds Go: a native step belongs to the SDK it runs on.
  const ecosystemOf = (step: Step): EcosystemId => (step.kind.ecosystem === 'native' && base && base.ecosystem !== 'native' ? base.ecosystem : step.kind.ecosystem);
  const found: EcosystemId[] = [];
  for (const step of shipping) if (!found.includes(ecosystemOf(step))) found.push(ecosystemOf(step));
  // A language ecosystem is the application; `make` or `gcc` beside it is part of its build.
  const main = found.find((e) => e !== 'native') ?? 'native';
  return {
    ecosystem: main,
    ecosystems: [main, ...found.filter((e) => e !== main)],
    buildCommands: shipping.map((s) => ({ line: s.command.range.start.line, text: commandText(s.command) })),
    baseImage: root.base.text,
    stage: final.index,
    baseStage: root.index,
  };
}

/**
 * A single-stage image that compiles its application ships the compiler, the SDK, the sources
 * and the build caches with it: an image several times larger than the application needs, and
 * tools an attacker can use. A build stage whose output is copied into a small runtime stage
 * keeps them out (https://docs.docker.com/build/building/multi-stage/).
 */
export default dockerfileRule({
  id: 'prefer-multi-stage',
  aliases: [],
  title: 'Build in a separate stage and copy only the result',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report, path }) {
    const build = sdkBuild(dockerfile, path);
    if (!build) return;
    const stage = dockerfile.stages[build.baseStage];
    const first = build.buildCommands[0];
    const shown = first.text.length > 50 ? `${first.text.slice(0, 47)}…` : first.text;
    const ecosystem = ecosystems[build.ecosystem];
    report({
      range: stage.base.range,
      message: `The final image builds with \`${shown}\` on \`${build.baseImage}\`, so it ships ${SHIPPED[build.ecosystem]} along with the ${ecosystem.name} application (a larger image and more tools for an attacker); build in a separate stage and COPY --from it only what runs.`,
      data: { ...build },
    });
  },
  // The whole file rewritten as a build stage and a runtime stage (fixes/multistage/). It changes
  // the image's base, user and layout, so it is never applied by fix-all: only when asked for.
  // When it cannot be done safely, the fix says why instead (a disabled action, a CLI line).
  fix(_finding, dockerfile, { path, files, builder }) {
    const build = sdkBuild(dockerfile, path);
    if (!build) return undefined;
    const conversion = convertToMultiStage(dockerfile, build, path, files, { builder });
    if (isDeclined(conversion)) return { title: 'Convert to multi-stage build', edits: [], safe: false, declined: { summary: 'not converted', reason: conversion.declined } };
    const end = dockerfile.document.positionAt(dockerfile.document.getText().length);
    const confirm = conversion.assumptions.filter((a) => a.confirm);
    return {
      title: conversion.title,
      edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: conversion.text }],
      safe: false,
      annotation: conversion.assumptions.length > 0 ? {
        label: 'Convert to multi-stage build',
        description: conversion.assumptions.map((a) => a.text).join(' '),
        needsConfirmation: confirm.length > 0,
      } : undefined,
    };
  },
});
