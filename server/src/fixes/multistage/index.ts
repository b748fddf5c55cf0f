import { dirname, posix } from 'node:path';
import { contextCopy } from '../../dockerfile/dockerignore';
import type { DockerfileModel } from '../../dockerfile/parse';
import type { Range } from 'vscode-languageserver-types';
import { ecosystems, type EcosystemId } from '../../dockerfile/ecosystems';
import { imageTools, probeCommand, probeFor, readHealthcheck } from '../../dockerfile/healthchecks';
import type { SdkBuild } from '../../rules/dockerfile/prefer-multi-stage';
import { userLines } from '../../rules/dockerfile/no-root-user';
import type { FileAccess } from '../../rules/types';
import { buildContextOf } from '../../project/buildContext';
import { readContextTree, simulateCopies, type ImageEntry } from '../../project/contextFiles';
import { gitIgnoreOf } from '../../project/gitignore';
import { unignoredBuildState } from '../../project/installInputs';
import { composeRuns } from '../../project/composeRun';
import { isExcluded } from '../../dockerfile/dockerignore';
import { commentLines, instruction, renderPlan, planTitle, type Plan, type PlannedInstruction } from './plan';
import {
  decline, isDeclined, type Assumption, type Builder, type Conversion, type ConversionContext, type Converter, type Declined, type ProjectView,
} from './conversion';
import { RUNTIME_KEYWORDS, execForm, readSource, simpleShellWords, type Source, type Step } from './source';
import { selectAppFiles } from './appFiles';
import { convertGo } from './go';
import { convertNode } from './node';
import { convertPython } from './python';
import { convertJava } from './java';
import { convertRust } from './rust';
import { convertRuby } from './ruby';
import { convertDotnet } from './dotnet';
import { escapeRegExp, globToRegExp } from '../../text/regexp';
import { envDirectories as sharedEnvDirectories } from '../../dockerfile/envDirectories';
import { propertiesOf } from '../../dockerfile/references';

export { renderPlan, planTitle, type Plan } from './plan';
export { isDeclined, type Declined, type Builder } from './conversion';

/**
 * The multi-stage converter: detection (the `prefer-multi-stage` analysis, then one file per
 * ecosystem for the build commands, the artifact and the run command) → a plan (stages as data)
 * → rendering. Behaviour comes first: the runtime stage gets what the original image had that
 * the application may read, and its user can write where the original process wrote. Every step
 * may decline, and a decline says why.
 */

const CONVERTERS: Partial<Record<EcosystemId, Converter>> = {
  go: convertGo,
  node: convertNode,
  python: convertPython,
  'java-maven': convertJava,
  'java-gradle': convertJava,
  rust: convertRust,
  ruby: convertRuby,
  dotnet: convertDotnet,
};

/** Why an ecosystem without a converter is not converted. */
const UNCONVERTED: Partial<Record<EcosystemId, string>> = {
  native: 'a C/C++ build links shared libraries (its own `make install`, the distribution\'s `-dev` packages) that cannot be listed from the Dockerfile, so no runtime image is known to run the binary',
  haskell: 'a Haskell build links system libraries (libgmp, libffi, those of its packages) that cannot be listed from the Dockerfile, and `stack exec`/`cabal run` need the toolchain at run time',
  php: 'PHP runs from its sources: there is no build output to copy into a smaller image',
};

/** ENV that only a build reads: kept in the build stage, not carried into the runtime image. */
const BUILD_ENV = /^(GO\w*|CGO_\w+|RUSTFLAGS|RUSTC\w*|CARGO_\w+|MAVEN_\w+|MAVEN_OPTS|GRADLE_\w+|NPM_CONFIG_\w+|npm_config_\w+|YARN_\w+|PIP_\w+|CC|CXX|AR|RANLIB|CFLAGS|CXXFLAGS|LDFLAGS|DEBIAN_FRONTEND)$/;

export interface ConvertOptions {
  /** The builder the result is for; the classic builder gets no BuildKit-only syntax. */
  builder?: Builder;
}

/** The plan for a file that `sdkBuild` (the rule's analysis) found building in its final image, or why there is none. */
export function planMultiStage(model: DockerfileModel, build: SdkBuild, path: string | null, files: FileAccess, options: ConvertOptions = {}): Plan | Declined {
  const converter = CONVERTERS[build.ecosystem];
  if (!converter) return decline(UNCONVERTED[build.ecosystem] ?? `${ecosystems[build.ecosystem].name} builds are not converted`);
  // `make` beside `go build` is part of the Go build; a second language is not followed.
  const other = build.ecosystems.find((e) => e !== build.ecosystem && e !== 'native');
  if (other) return decline(`the image builds with both ${ecosystems[build.ecosystem].name} and ${ecosystems[other].name}, and one runtime stage cannot be chosen for both`);
  const source = readSource(model, build);
  if (isDeclined(source)) return source;
  const context = conversionContext(source, path, files, options.builder ?? 'buildkit');
  const conversion = converter(source, context);
  if (isDeclined(conversion)) return conversion;
  return assemble(source, conversion, build.ecosystem, context);
}

/** The rendered conversion, its title and its assumptions; or why none is offered. */
export function convertToMultiStage(model: DockerfileModel, build: SdkBuild, path: string | null, files: FileAccess, options: ConvertOptions = {}): { title: string; text: string; assumptions: Assumption[] } | Declined {
  const plan = planMultiStage(model, build, path, files, options);
  return isDeclined(plan) ? plan : { title: planTitle(plan), text: renderPlan(plan), assumptions: plan.assumptions };
}

/** The build context on disk and what the original copied from it, when the files can be read. */
function conversionContext(source: Source, path: string | null, files: FileAccess, builder: Builder): ConversionContext {
  if (!path) return { files, dir: null, project: null, builder };
  const buildContext = buildContextOf(path, source.model, files);
  const tree = readContextTree(buildContext, files);
  let project: ProjectView | null = null;
  if (tree && (tree.files.length > 0 || tree.dirs.size > 0)) {
    const copies = simulateCopies(source.model, source.steps.map((s) => ({ instruction: s.instruction, workdir: s.workdir })), tree);
    project = { context: buildContext, tree, copies, git: gitIgnoreOf(buildContext.dir, files) };
  }
  return { files, dir: tree ? buildContext.dir : dirname(path), project, builder };
}

/** ENV a build reads without naming it: tool settings, locale, and what bundlers inline. */
const IMPLICIT_BUILD_ENV = /^(PATH|LANG|LANGUAGE|LC_\w+|TZ|HOME|NODE_\w+|NEXT_PUBLIC_\w+|NEXT_TELEMETRY_DISABLED|VITE_\w+|REACT_APP_\w+|VUE_APP_\w+|PUBLIC_\w+|JAVA_\w+|JDK_\w+|PYTHON\w*|\w+_HOME|\w+_VERSION|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy)$/;

/**
 * True when the build may read an ENV set before it: a RUN names one of its variables, or it is one
 * that tools read implicitly. Others (a database URL, the app's port) only matter at run time, so
 * they are not repeated in the build stage.
 */
function readByBuild(step: Step, source: Source): boolean {
  const names = envNames(step);
  if (names.some((n) => IMPLICIT_BUILD_ENV.test(n))) return true;
  const runs = source.steps.filter((s) => s.instruction.keyword === 'RUN' || s.instruction.keyword === 'ENV' || s.instruction.keyword === 'WORKDIR' || s.instruction.keyword === 'COPY');
  return runs.some((s) => s !== step && names.some((n) => new RegExp(`\\$\\{?${escapeRegExp(n)}\\b`).test(s.raw)));
}

/**
 * An ENV without the variables `drop` names, in its own layout (one per line when it spanned
 * lines); null when nothing is left.
 */
function envWithout(model: DockerfileModel, step: Step, drop: RegExp | undefined): string | null {
  const node = step.instruction.ast as unknown as { getProperties?(): { getName(): string; getRange(): Range }[] };
  const properties = node.getProperties?.() ?? [];
  if (!drop || !properties.some((p) => drop.test(p.getName()))) return step.raw;
  const kept = properties.filter((p) => !drop.test(p.getName()));
  if (kept.length === 0) return null;
  const multiline = step.instruction.range.start.line !== step.instruction.range.end.line;
  return `ENV ${kept.map((p) => model.document.getText(p.getRange())).join(multiline ? ` ${model.escape}\n    ` : ' ')}`;
}

function envNames(step: Step): string[] {
  return propertiesOf(step.instruction).map((p) => p.name);
}

/**
 * Where the manifests go when the original copies the whole context before installing: a COPY of
 * the manifests that exist on disk and the install RUNs, inserted before that copy.
 */
type Reorder = { before: Step; insert: PlannedInstruction[]; moved: Set<Step> };

/**
 * The reorder of manifestsFirst when the install reads only its manifests and nothing a local
 * build leaves can reach it; else why the original order stays, and the copy it stays behind.
 */
function safeManifestsFirst(source: Source, conversion: Conversion, context: ConversionContext): Reorder | { kept: string; at: Step } | null {
  const reorder = manifestsFirst(source, conversion, context);
  const manifests = conversion.manifests;
  if (!reorder || !manifests) return reorder;
  const copy = `\`${reorder.before.raw.replace(/\s+/g, ' ').slice(0, 40)}\``;
  if (manifests.needsSources) return { kept: `No dependency layer before ${copy}, as in the original: ${manifests.needsSources}.`, at: reorder.before };
  const state = unignoredBuildState(manifests.buildState, context.project?.context.ignore?.patterns ?? null);
  if (state.length > 0) {
    const names = state.map((d) => `\`${d}\``).join(' and ');
    return { kept: `No dependency layer before ${copy}, as in the original: ${context.project?.context.ignore ? 'the ignore file does not exclude' : 'no .dockerignore excludes'} ${names}, so a local build's ${state.length === 1 ? 'folder' : 'folders'} would be copied over what the install made. Exclude ${state.length === 1 ? 'it' : 'them'} in .dockerignore and convert again to cache the install.`, at: reorder.before };
  }
  return reorder;
}

function manifestsFirst(source: Source, conversion: Conversion, context: ConversionContext): Reorder | null {
  const manifests = conversion.manifests;
  const project = context.project;
  if (!manifests || context.dir === null || !project) return null;
  const copies = source.steps.filter((s) => s.instruction.keyword === 'COPY' || s.instruction.keyword === 'ADD');
  const whole = copies.find((s) => {
    const copy = contextCopy(source.model, s.instruction);
    return copy !== null && copy.sources.length === 1 && /^\.\/?$/.test(copy.sources[0].value ?? '') && copy.dest.value !== null;
  });
  if (!whole) return null;
  const names = new Set(manifests.files);
  // What the builder receives: a manifest the ignore file excludes cannot be copied.
  const present = manifests.files.filter((f) => project.tree.files.includes(f));
  if (manifests.required.some((f) => !present.includes(f)) || present.length === 0) return null;
  const dest = posix.resolve(whole.workdir, contextCopy(source.model, whole.instruction)!.dest.value!);
  // The original may already copy manifests on their own (`COPY package*.json ./`), a pattern
  // counting too. Then no COPY is added: the installs move up behind those copies when they bring
  // every manifest on disk from the context's root to where the install runs; otherwise the
  // original's order is kept.
  const copied = (written: string) => {
    const pattern = globToRegExp(posix.basename(written));
    return manifests.files.filter((f) => names.has(posix.basename(written)) ? f === posix.basename(written) : pattern.test(f));
  };
  const earlier = copies.slice(0, copies.indexOf(whole)).flatMap((s) => {
    const copy = contextCopy(source.model, s.instruction);
    return copy ? [{ step: s, copy }] : [];
  }).filter(({ copy }) => copy.sources.some((p) => copied(p.value ?? '').length > 0));
  if (earlier.length > 0) {
    const covered = new Set<string>();
    for (const { step, copy } of earlier) {
      if (copy.dest.value === null || posix.resolve(step.workdir, copy.dest.value) !== dest) return null;
      for (const p of copy.sources) {
        const written = (p.value ?? '').replace(/^\.\//, '');
        if (posix.dirname(written) === '.') copied(written).forEach((f) => covered.add(f));
      }
    }
    if (present.some((f) => !covered.has(f))) return null;
  }
  const after = source.steps.slice(source.steps.indexOf(whole) + 1);
  // Only the install RUNs right after the copy move: an ENV, ARG or USER between them could change
  // what the install does (`ENV NODE_ENV=production` before `npm ci`).
  const firstOther = after.findIndex((s) => !manifests.installs.has(s) || s.workdir !== dest);
  const moved = new Set(after.slice(0, firstOther < 0 ? after.length : firstOther));
  if ([...moved].some((s) => s.workdir !== whole.workdir)) return null;
  if (earlier.length > 0) return moved.size > 0 ? { before: whole, insert: [], moved } : null;
  // One COPY per folder: each manifest keeps its path (`requirements/base.txt`), as `-r` reads it.
  const folders = [...new Set(present.map((f) => posix.dirname(f)))];
  const insert = folders.map((folder) => {
    const target = folder === '.' ? (whole.workdir === dest ? './' : `${dest}/`) : whole.workdir === dest ? `${folder}/` : `${posix.join(dest, folder)}/`;
    return instruction('COPY', `COPY ${present.filter((f) => posix.dirname(f) === folder).join(' ')} ${target}`);
  });
  insert[0].comments = ['# The dependency manifests first: the install layer stays cached until they change.'];
  if (moved.size === 0) {
    if (!manifests.prefetch || whole.workdir !== dest) return null;
    insert.push(instruction('RUN', manifests.prefetch));
  }
  return { before: whole, insert, moved };
}

/** Words of the instructions that say how the image runs: a path among them is one the app uses. */
function runtimeWords(source: Source): string[] {
  const words: string[] = [];
  for (const step of source.steps) {
    const keyword = step.instruction.keyword;
    if (keyword === 'ENV') words.push(...step.instruction.args.split(/[\s=:"']+/));
    if (keyword === 'CMD' || keyword === 'ENTRYPOINT' || keyword === 'HEALTHCHECK') words.push(...(step.instruction.json ?? step.instruction.args.split(/[\s"'=]+/)));
  }
  return words.filter((w) => /^[\w./@-]+$/.test(w) && /[/.]/.test(w) && !/^\d+(\.\d+)*$/.test(w));
}

/** Folders the app is told about through ENV (dockerfile/envDirectories.ts). */
function envDirectories(source: Source): { name: string; path: string }[] {
  return sharedEnvDirectories(source.steps.map((s) => s.instruction), source.stage.variables);
}

/** Data and configuration files by their extension: what an app opens at start. */
const DATA_FILE = /\.(?:json|ya?ml|toml|ini|conf|cfg|properties|env|db|sqlite3?|pem|key|crt)$/i;

/**
 * Relative paths of data and configuration files the code names (`config.json`) that the image
 * does not have, neither from the context nor as the build's output: they must come from a mount.
 */
function missingDataFiles(literals: Set<string>, workdir: string, project: ProjectView, artifacts: string[]): string[] {
  const present = new Set(project.copies.entries.map((e) => e.path));
  const out: string[] = [];
  for (const literal of literals) {
    if (literal.startsWith('/') || literal.includes('*') || !DATA_FILE.test(literal) || /^(?:package|tsconfig|composer|appsettings)[\w.-]*\.json$/.test(literal)) continue;
    const path = posix.resolve(workdir, literal);
    if (present.has(path) || artifacts.some((a) => path === a || path.startsWith(`${a}/`))) continue;
    if (!out.includes(literal)) out.push(literal);
  }
  return out.sort();
}

/** Ports below 1024 the image exposes: only root may bind them outside Docker's own default. */
function privilegedPorts(source: Source): string[] {
  const ports: string[] = [];
  for (const step of source.steps) {
    if (step.instruction.keyword !== 'EXPOSE') continue;
    for (const word of step.instruction.args.split(/\s+/)) {
      const port = Number(/^(\d+)/.exec(word)?.[1]);
      if (port > 0 && port < 1024) ports.push(word.replace(/\/tcp$/, ''));
    }
  }
  return ports;
}

function assemble(source: Source, conversion: Conversion, ecosystem: EcosystemId, context: ConversionContext): Plan | Declined {
  const { model, stage } = source;
  const runtime = conversion.runtime;
  const assumptions: Assumption[] = [...conversion.assumptions];
  const directives = model.directives.map((d) => model.document.getText({ start: { line: d.range.start.line, character: 0 }, end: { line: d.range.start.line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, ''));
  if (context.builder === 'buildkit' && !model.directives.some((d) => d.name === 'syntax')) directives.unshift('# syntax=docker/dockerfile:1');

  // Build stage: everything the original did before it ran, in order, with caches and flags.
  const buildInstructions: PlannedInstruction[] = [...conversion.buildPrelude];
  const runtimeSteps: Step[] = [];
  const runtimeEnv: PlannedInstruction[] = [];
  // ENV after the last RUN cannot have mattered to the build: it goes to the runtime stage only.
  const lastRun = source.steps.map((s) => s.instruction.keyword).lastIndexOf('RUN');
  const planned = safeManifestsFirst(source, conversion, context);
  const reorder = planned && 'moved' in planned ? planned : null;
  const kept = planned && 'kept' in planned ? planned : null;
  for (const [index, step] of source.steps.entries()) {
    const keyword = step.instruction.keyword;
    if (reorder?.moved.has(step)) continue;
    if (step === kept?.at) {
      buildInstructions.push(instruction(keyword, step.raw, [...step.comments, ...commentLines('', kept.kept)]));
      continue;
    }
    if (step === reorder?.before) {
      buildInstructions.push(...reorder.insert);
      for (const moved of reorder.moved) {
        const text = conversion.rewriteRun(moved);
        if (text === null) return decline(`the build step \`${moved.raw.slice(0, 60)}\` could not be rewritten for the build stage`);
        buildInstructions.push(instruction('RUN', text, moved.comments));
      }
    }
    if (RUNTIME_KEYWORDS.has(keyword)) {
      runtimeSteps.push(step);
      continue;
    }
    if (keyword === 'RUN') {
      const text = conversion.rewriteRun(step);
      if (text === null) return decline(`the build step \`${step.raw.replace(/\s+/g, ' ').slice(0, 60)}\` could not be rewritten for the build stage`);
      buildInstructions.push(instruction(keyword, text, step.comments));
    } else if (keyword === 'USER' && index > lastRun) {
      // A USER after the last RUN only says who runs the app: the runtime stage has its own.
      continue;
    } else if (keyword === 'ENV' && !envNames(step).every((n) => BUILD_ENV.test(n))) {
      const forBuild = index < lastRun && readByBuild(step, source) ? envWithout(model, step, conversion.targetEnv) : null;
      if (forBuild) buildInstructions.push(instruction(keyword, forBuild));
      runtimeEnv.push(instruction(keyword, step.raw, step.comments));
    } else if (keyword === 'ENV') {
      const text = envWithout(model, step, conversion.targetEnv);
      if (text) buildInstructions.push(instruction(keyword, text, step.comments));
    } else {
      buildInstructions.push(instruction(keyword, step.raw, step.comments));
    }
  }
  buildInstructions.push(...conversion.buildEpilogue);

  // Runtime stage: a non-root user, the artifacts and the files the app reads, and everything
  // the original said about running.
  const setup: PlannedInstruction[] = [...runtime.setup];
  const user = runtimeUser(source, runtime.distro, runtime.ref, runtime.shellless, runtime.imageUser ?? null);
  if (isDeclined(user)) return user;
  setup.push(...user.setup);
  const metadata: PlannedInstruction[] = [];
  const start: PlannedInstruction[] = [];
  let healthcheck: PlannedInstruction | null = null;
  for (const step of runtimeSteps) {
    const keyword = step.instruction.keyword;
    if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      if (step.instruction !== source.start.cmd && step.instruction !== source.start.entrypoint) continue;
      // The runtime image starts something else (nginx for a static site): the original's goes.
      if (runtime.start) continue;
      let text = step.raw;
      if (runtime.shellless && !step.instruction.json) {
        // No shell in the runtime image: a plain shell-form command becomes its exec form.
        const words = simpleShellWords(model, step.instruction);
        if (!words) return decline(`the ${keyword} \`${step.instruction.args.trim().slice(0, 60)}\` needs a shell, which the runtime image (${runtime.image}) does not have`);
        text = `${keyword} ${execForm(words)}`;
      }
      start.push(instruction(keyword, text, step.comments));
    } else if (keyword === 'HEALTHCHECK') {
      const rewritten = rewriteHealthcheck(step, conversion, setup);
      if (isDeclined(rewritten)) return rewritten;
      healthcheck = rewritten;
    } else {
      metadata.push(instruction(keyword, step.raw, step.comments));
    }
  }
  const chown = user.chown ? `--chown=${user.chown} ` : '';
  const artifactCopies = runtime.artifacts.map((a) => instruction('COPY', `COPY --from=build ${chown}${a.from} ${a.to}`));
  if (artifactCopies.length > 0) artifactCopies[0].comments = ['# The build output crosses over.'];

  // The files of the original image the app may read at run time (templates, config, data…).
  const dataCopies: PlannedInstruction[] = [];
  // Files a clean checkout lacks (git-ignored) that the original got only where they exist.
  const optionalFiles: { path: string; directory: boolean; present: boolean }[] = [];
  // Names no COPY can write as they are (`$`, quotes, backslashes, glob characters).
  const unwritable: string[] = [];
  const project = context.project;
  const gitIgnored = (entry: ImageEntry) => !entry.named && project?.git?.ignores(entry.source) === true;
  if (conversion.appFiles.mode === 'select') {
    if (project) {
      const selected = selectAppFiles({
        entries: project.copies.entries,
        appDir: source.workdir,
        covered: runtime.artifacts.map((a) => a.from),
        buildInput: conversion.appFiles.buildInput,
        access: conversion.appFiles.access,
        compiledIn: conversion.appFiles.compiledIn,
        dockerfileWords: runtimeWords(source),
        sourceRoots: wholeCopyRoots(source),
        optional: gitIgnored,
        writable: (path) => plainPath(path.replace(/\s/g, '')),
      });
      unwritable.push(...selected.unwritable);
      assumptions.push(...selected.assumptions);
      for (const path of selected.copies) {
        if (selected.optional.includes(path)) optionalFiles.push({ path, directory: project.copies.entries.some((e) => e.path.startsWith(`${path}/`)), present: true });
        else {
          const line = copyLine(`--from=build ${chown}`, [path], path);
          if (line) dataCopies.push(instruction('COPY', line));
          else unwritable.push(path);
        }
      }
      if (dataCopies.length > 0) dataCopies[0].comments = ['# Files the app reads at run time, as the original image had them.'];
      const unknown = project.copies.unknown[0];
      if (unknown) {
        const copy = `\`${unknown.instruction.keyword} ${unknown.instruction.args.trim().slice(0, 50)}\``;
        assumptions.push({
          text: /not in the build context/.test(unknown.why)
            ? `${copy}: ${unknown.why.replace(/`$/, '`')} here, so neither the original nor this build can run from this checkout (git-ignored, or not checked out?); once it is there, check that the runtime stage has what the app reads from it.`
            : `${copy} could not be followed (${unknown.why}): check that the runtime stage has what the app reads from it.`,
          confirm: true,
        });
      }
    } else {
      assumptions.push({ text: 'The project\'s files could not be read, so only the build output crosses over: copy any file the app reads at run time (templates, config, static assets) from the build stage too.', confirm: true });
    }
  }

  // Files the code opens that the image does not have. Git-ignored ones in a folder the original
  // copied whole are one machine's files: the original had them only where they exist.
  const roots = wholeCopyRoots(source);
  const missing = conversion.appFiles.mode === 'select' && project ? missingDataFiles(conversion.appFiles.access.literals, source.workdir, project, runtime.artifacts.map((a) => a.from)) : [];
  const mounted: string[] = [];
  for (const literal of missing) {
    const path = posix.resolve(source.workdir, literal);
    const root = roots.find((r) => path.startsWith(`${r === '/' ? '' : r}/`));
    const rel = root ? posix.relative(root, path) : null;
    const parent = rel ? posix.dirname(rel) : null;
    const local = rel !== null && project !== null && project.git?.ignores(rel) === true && !isExcluded(project.context.ignore?.patterns ?? [], rel)
      && (parent === '.' || (project.tree.dirs.has(parent!) && !project.git.ignores(parent!, true)));
    if (local) optionalFiles.push({ path, directory: false, present: false });
    else mounted.push(literal);
  }
  const optionalCopies: PlannedInstruction[] = [];
  const sharedOptional: string[] = [];
  const leftOut: string[] = [];
  const show = (path: string) => `\`${path.startsWith(`${source.workdir}/`) ? posix.relative(source.workdir, path) : path}\``;
  for (const file of optionalFiles) {
    const pattern = context.builder === 'buildkit' ? optionalPattern(file.path) : null;
    const parent = posix.dirname(file.path);
    const parentExists = parent === source.workdir || roots.includes(parent) || (project?.copies.entries.some((e) => !gitIgnored(e) && e.path.startsWith(`${parent}/`)) ?? false);
    const dest = file.directory ? `${file.path}/` : parent === '/' ? '/' : `${parent}/`;
    // Beside a file artifact copied into the same folder, the pattern may match nothing on every
    // builder (classic, kaniko, Buildah fail only when all of a COPY's sources match nothing).
    const partner = file.directory ? -1 : runtime.artifacts.findIndex((a) => a.file && !/[*?[]/.test(a.from) && (a.to === dest || a.to === posix.join(parent, posix.basename(a.from))));
    const shared = pattern ?? (context.builder === 'classic' ? optionalPattern(file.path) : null);
    if (partner >= 0 && shared && parentExists && plainPath(runtime.artifacts[partner].from)) {
      const line = copyLine(`--from=build ${chown}`, [runtime.artifacts[partner].from, shared], dest);
      if (line) {
        artifactCopies[partner].text = line;
        sharedOptional.push(file.path);
        continue;
      }
    }
    const line = pattern && parentExists ? copyLine(`--from=build ${chown}`, [pattern], dest) : null;
    if (line) optionalCopies.push(instruction('COPY', line));
    else leftOut.push(file.path);
  }
  const copied = optionalFiles.filter((f) => !leftOut.includes(f.path));
  if (optionalCopies.length > 0) {
    const alone = optionalFiles.filter((f) => !leftOut.includes(f.path) && !sharedOptional.includes(f.path)).length === 1;
    optionalCopies[0].comments = commentLines('', `Git-ignored: copied only where the build has ${alone ? 'it' : 'them'} (BuildKit copies nothing for a \`[…]\` pattern that matches nothing; Podman and Buildah need the file).`);
  }
  if (sharedOptional.length > 0) {
    const index = artifactCopies.findIndex((a) => sharedOptional.some((p) => a.text.includes(optionalPattern(p)!)));
    if (index >= 0) artifactCopies[index].comments = [...artifactCopies[index].comments, ...commentLines('', `With the git-ignored ${sharedOptional.map((p) => show(p)).join(', ')}, only where the build has ${sharedOptional.length === 1 ? 'it' : 'them'}: a \`[…]\` pattern that matches nothing copies nothing beside a source that exists.`)];
  }
  if (copied.length > 0) {
    const one = copied.length === 1;
    const absent = copied.filter((f) => !f.present);
    assumptions.push({
      text: `${copied.map((f) => show(f.path)).join(', ')} ${one ? 'is' : 'are'} git-ignored${absent.length === copied.length ? ' and not in this checkout' : absent.length > 0 ? ` (${absent.map((f) => show(f.path)).join(', ')} not in this checkout)` : ''}: a clean checkout (a CI runner, a colleague's clone) does not have ${one ? 'it' : 'them'}, so the original image had ${one ? 'it' : 'them'} only when built where ${one ? 'it exists' : 'they exist'}. ${one ? 'It is' : 'They are'} copied only when present, as before${copied.some((f) => DATA_FILE.test(f.path)) ? `; settings and secrets are better passed at run time than baked in: a mount (readable by ${user.name}: a mounted file keeps its owner and mode)${copied.some((f) => /(?:^|\/)\.env(?:\.[\w-]+)?$/.test(f.path)) ? ', or `--env-file` / Compose `env_file` for a .env file' : ''}` : ''}.`,
      confirm: true,
    });
  }
  if (leftOut.length > 0) {
    const one = leftOut.length === 1;
    assumptions.push({
      text: `${leftOut.map(show).join(', ')} ${one ? 'is' : 'are'} git-ignored: a clean checkout does not have ${one ? 'it' : 'them'}, so the original image had ${one ? 'it' : 'them'} only when built where ${one ? 'it exists' : 'they exist'}. ${context.builder === 'classic' ? 'The classic builder cannot copy a file only when it is present' : `No COPY can take ${one ? 'it' : 'them'} only when present here`}, so ${one ? 'it stays' : 'they stay'} out of the runtime image: mount ${one ? 'it' : 'them'} at run time if the app reads ${one ? 'it' : 'them'}.`,
      confirm: true,
    });
  }

  // How the project's Compose file runs the image it builds: a command of its own, host folders
  // mounted over the app (they keep the host's owner).
  const composeFile = project?.context.composeFile;
  if (composeFile && project?.context.composeServices?.length) {
    for (const run of composeRuns(composeFile, project.context.composeServices, context.files)) {
      const where = `Compose service \`${run.service}\` (${posix.basename(composeFile)})`;
      if (run.command && !runtime.start) {
        const command = run.command.length > 50 ? `${run.command.slice(0, 47)}…` : run.command;
        assumptions.push({ text: `${where} runs \`${command}\` instead of the image's command: the runtime stage has only what the image's own start needs (not the toolchain, the sources or the build's dependencies), so that command may not run there; for development, build the service's \`target: build\`.`, confirm: true });
      }
      const app = source.workdir;
      const over = run.binds.filter((b) => {
        const target = b.target.replace(/\/+$/, '') || '/';
        return target === app || (target !== '/' && app.startsWith(`${target}/`)) || target.startsWith(`${app === '/' ? '' : app}/`);
      });
      if (over.length > 0 && user.created && !run.user) {
        assumptions.push({ text: `${where} bind-mounts ${over.map((b) => `\`${b.source}:${b.target}\``).join(', ')} over the app's folder: a host folder keeps the host's owner and mode, so ${user.name} can write there only if the host lets its user id; the original ran as root.`, confirm: true });
      }
    }
  }

  if (unwritable.length > 0) {
    const one = unwritable.length === 1;
    assumptions.push({ text: `${unwritable.map(show).join(', ')} ${one ? 'has' : 'have'} characters a COPY line cannot name as they are (\`$\`, quotes, a backslash, glob characters): ${one ? 'it stays' : 'they stay'} in the build stage; copy ${one ? 'it' : 'them'} over by hand if the app reads ${one ? 'it' : 'them'}.`, confirm: true });
  }

  // A new non-root user must be able to write where the original root process could: its
  // working directory and its volumes.
  const workdir = source.workdir;
  const owned: string[] = [];
  const pre: PlannedInstruction[] = [];
  let userFirst = false;
  // The runtime's own server (nginx for a static site) keeps its image's layout and folders.
  if (user.created && !runtime.start) {
    const volumes = source.steps.filter((s) => s.instruction.keyword === 'VOLUME').flatMap((s) => s.instruction.json ?? s.instruction.args.split(/\s+/)).filter((v) => v.startsWith('/'));
    const envDirs = envDirectories(source).filter((d) => !volumes.includes(d.path) && d.path !== workdir && !d.path.startsWith(`${workdir}/`));
    if (envDirs.length > 0) {
      const one = envDirs.length === 1;
      assumptions.push({ text: `${envDirs.map((d) => `\`${d.path}\` (ENV ${d.name})`).join(', ')} ${one ? 'is' : 'are'} created owned by ${user.name}, so the app can write there (the original ran as root, which can create and write any folder); but a volume or host folder mounted there (where Compose and Kubernetes usually keep an app's data) keeps its own owner and must be made writable by ${user.name} (chown it once, or set the pod's fsGroup).`, confirm: true });
    }
    const writable = [...new Set([...(workdir !== '/' ? [workdir] : []), ...volumes, ...envDirs.map((d) => d.path)])];
    if (workdir === '/') assumptions.push({ text: 'The app runs in `/`, which the non-root user cannot write: if it writes files in its working directory, give it a WORKDIR of its own.', confirm: true });
    if (writable.length > 0 && runtime.shellless) {
      // No shell to chown with: BuildKit creates a WORKDIR that does not exist yet as the current
      // USER, so the user is switched to before the folders are created.
      userFirst = true;
      for (const dir of writable.filter((d) => d !== workdir)) pre.push(instruction('WORKDIR', `WORKDIR ${dir}`));
      if (pre.length > 0) pre[0].comments = commentLines('WORKDIR after USER:', `BuildKit creates these folders owned by ${user.name}, so the app can write there as the original did as root.`);
      owned.push(...writable);
    } else if (writable.length > 0) {
      const group = user.chown ?? user.name;
      pre.push(instruction('RUN', `RUN mkdir -p ${writable.join(' ')} && chown ${group} ${writable.join(' ')}`, commentLines(`${user.name}`, `can write ${writable.length === 1 ? 'its working directory' : 'these folders'}, as the original root process could.`)));
      owned.push(...writable);
    }
    if (volumes.length > 0) {
      assumptions.push({ text: `${volumes.map((v) => `\`${v}\``).join(', ')} (VOLUME) ${volumes.length === 1 ? 'is' : 'are'} created owned by ${user.name}, but a volume keeps its own owner: one written by the container when it ran as root, or a folder bind-mounted from the host, must be made writable by ${user.name} (chown it once).`, confirm: true });
    }
    // Files the code opens that the image does not have come from a mount: the user must be able to read them.
    if (mounted.length > 0) {
      const one = mounted.length === 1;
      assumptions.push({ text: `${mounted.map((m) => `\`${m}\``).join(', ')}, which the code names, ${one ? 'is' : 'are'} not in the image, as in the original: if ${one ? 'it is' : 'they are'} mounted at run time, ${user.name} must be able to read ${one ? 'it' : 'them'}, and write ${one ? 'it' : 'them'} if the app writes ${one ? 'it' : 'them'} (a mounted file keeps its owner and mode).`, confirm: true });
    }
    const ports = privilegedPorts(source);
    if (ports.length > 0) {
      assumptions.push({ text: `The app listens on port ${ports.join(', ')} as the non-root user ${user.name}: Docker 20.10 and later and containerd 2.0 and later let any user in a container bind low ports; older containerd, CRI-O and host networking do not, so move it above 1023 there.`, confirm: true });
    }
  }

  const workdirLine = workdir !== '/' ? [instruction('WORKDIR', `WORKDIR ${workdir}`, userFirst && pre.length === 0 ? commentLines('WORKDIR after USER:', `BuildKit creates it owned by ${user.name}, so the app can write there as the original did as root.`) : [])] : [];
  const runtimeInstructions: PlannedInstruction[] = [
    ...setup,
    ...(userFirst ? user.switch : []),
    ...pre,
    ...workdirLine,
    ...runtimeEnv,
    ...runtime.env,
    ...artifactCopies,
    ...dataCopies,
    ...optionalCopies,
    ...metadata,
    ...(userFirst ? [] : user.switch),
    ...(healthcheck ? [healthcheck] : []),
    ...start,
    ...(runtime.start ? [instruction('CMD', `CMD ${execForm(runtime.start)}`)] : []),
  ];
  // ARGs go to the stage that uses them: the runtime stage re-declares those its instructions read.
  const runtimeText = runtimeInstructions.map((i) => i.text).join('\n');
  const args = source.steps.filter((s) => s.instruction.keyword === 'ARG' && argNames(s).some((n) => new RegExp(`\\$\\{?${escapeRegExp(n)}\\b`).test(runtimeText)));
  runtimeInstructions.unshift(...args.map((s) => instruction('ARG', s.raw)));

  return {
    ecosystem,
    label: conversion.label,
    typicalSize: conversion.typicalSize,
    directives,
    header: source.header,
    preamble: source.globalArgs.map((a) => instruction('ARG', a.raw, a.comments)),
    stages: [
      {
        comment: [...source.fromComments, `# Build stage: the ${conversion.label} build with its toolchain, dependencies and sources.`],
        image: conversion.buildImage ?? stage.base.text,
        platform: conversion.buildPlatform ?? stage.base.platform,
        name: 'build',
        instructions: buildInstructions,
      },
      {
        comment: [...runtime.comment.flatMap((c) => commentLines('', c)), ...assumptions.flatMap((a) => commentLines('Assumption:', a.text))],
        image: withArgs(source, runtime.image),
        platform: null,
        name: null,
        instructions: runtimeInstructions,
      },
    ],
    trailer: source.trailer,
    assumptions,
    builder: context.builder,
  };
}

/** Where the original copied the whole build context (`COPY . /app`): image folders that mirror it. */
function wholeCopyRoots(source: Source): string[] {
  return source.steps.flatMap((s) => {
    const copy = contextCopy(source.model, s.instruction);
    return copy && copy.dest.value !== null && copy.sources.some((x) => x.value !== null && /^\.?\/?$/.test(x.value)) ? [posix.resolve(s.workdir, copy.dest.value)] : [];
  });
}

/** A path a COPY can name as it is: no glob characters of its own, nothing a Dockerfile expands or escapes. */
function plainPath(path: string): boolean {
  return !/[*?[\]$"'`\\\n]/.test(path);
}

/**
 * A COPY line with its flags (ending in a space, or empty): the JSON form when a path has
 * whitespace; null when one has what a Dockerfile would expand or unescape (`$`, quotes, `\`).
 */
export function copyLine(flags: string, sources: string[], dest: string): string | null {
  const paths = [...sources, dest];
  if (paths.some((p) => /[$"'`\\\n]/.test(p))) return null;
  if (paths.some((p) => /\s/.test(p))) return `COPY ${flags}[${paths.map((p) => JSON.stringify(p)).join(', ')}]`;
  return `COPY ${flags}${paths.join(' ')}`;
}

/**
 * A COPY source that matches `path` and nothing else, as a pattern (`/app/.en[v]`): BuildKit
 * copies nothing, without failing, when a pattern matches nothing. Null when the name has no
 * letter or digit to bracket, or glob characters of its own.
 */
export function optionalPattern(path: string): string | null {
  const name = posix.basename(path);
  if (/[*?[\]\\]/.test(name)) return null;
  const at = name.search(/[A-Za-z0-9](?=[^A-Za-z0-9]*$)/);
  if (at < 0) return null;
  return posix.join(posix.dirname(path), `${name.slice(0, at)}[${name[at]}]${name.slice(at + 1)}`);
}

function argNames(step: Step): string[] {
  return step.instruction.args.trim().split(/\s+/).map((a) => a.replace(/=.*$/, '')).filter((a) => /^\w+$/.test(a));
}

/**
 * The runtime image with the base's version ARGs put back: `FROM node:${NODE_VERSION}` builds on
 * `node:${NODE_VERSION}-slim`, so a version bump still changes both stages.
 */
function withArgs(source: Source, image: string): string {
  const text = source.stage.base.text;
  let out = image;
  const colon = out.lastIndexOf(':');
  if (colon < 0) return out;
  for (const [name, value] of source.model.globalArgs) {
    if (!value || !new RegExp(`\\$\\{?${escapeRegExp(name)}\\b`).test(text)) continue;
    const tag = out.slice(colon + 1);
    const at = tag.indexOf(value);
    if (at < 0) continue;
    out = `${out.slice(0, colon + 1)}${tag.slice(0, at)}\${${name}}${tag.slice(at + value.length)}`;
    break;
  }
  return out;
}

interface RuntimeUser {
  setup: PlannedInstruction[];
  switch: PlannedInstruction[];
  chown: string | null;
  /** The user's name, for comments. */
  name: string;
  /** True when the original ran as root: the conversion introduces the user. */
  created: boolean;
}

const USER_COMMANDS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'mkdir', 'chown', 'chmod']);

/**
 * The user the runtime stage runs as: the original's non-root USER (re-created when the original
 * created it), or an unprivileged one made for the image.
 */
function runtimeUser(source: Source, distro: Conversion['runtime']['distro'], ref: Conversion['runtime']['ref'], shellless: boolean, imageUser: string | null): RuntimeUser | Declined {
  const users = source.steps.filter((s) => s.instruction.keyword === 'USER');
  const last = users[users.length - 1];
  const value = last?.instruction.args.trim();
  if (value && !/^(root|0)(:.*)?$/.test(value)) {
    const keep = [instruction('USER', last.raw, last.comments)];
    const name = value.replace(/:.*$/, '');
    if (/^\d+(:\d+)?$/.test(value)) return { setup: [], switch: keep, chown: value, name, created: false };
    if (name === 'node' && ref?.name === 'node') return { setup: [], switch: keep, chown: value.includes(':') ? value : 'node:node', name, created: false };
    if (shellless) return decline(`the image runs as \`${name}\`, a user the Dockerfile creates, and the runtime image has no shell to create it again`);
    const creators = source.steps.filter((s) => s.instruction.keyword === 'RUN' && s.commands.some((c) => /^(useradd|adduser)$/.test(c.program ?? '') && c.args.some((a) => a.value === name)));
    if (creators.length === 0) return decline(`the image runs as \`${name}\`, and the Dockerfile does not show how that user is created, so the runtime image cannot be given it`);
    if (creators.some((s) => s.commands.some((c) => !USER_COMMANDS.has(c.program ?? '')))) return decline(`the RUN that creates the user \`${name}\` does other work too, which the runtime stage cannot repeat without the build's tools`);
    return { setup: creators.map((s) => instruction('RUN', s.raw, s.comments)), switch: keep, chown: value.includes(':') ? value : name, name, created: false };
  }
  if (imageUser) return { setup: [], switch: [instruction('USER', `USER ${imageUser}`)], chown: `${imageUser}:${imageUser}`, name: imageUser, created: true };
  const lines = userLines(ref, distro === 'scratch');
  if (!lines) return decline(`no way to create a non-root user is known for the runtime image ${ref?.repository ?? ''}`.trim());
  const setup = lines.filter((l) => l.startsWith('RUN')).map((l) => instruction('RUN', l));
  const userLine = lines.find((l) => l.startsWith('USER'))!;
  const name = userLine.slice(5).trim();
  return { setup, switch: [instruction('USER', userLine)], chown: name.includes(':') ? name : `${name}:${name}`, name: name.replace(/:.*$/, ''), created: true };
}

/**
 * The original HEALTHCHECK, kept when its tool is in the runtime image; else the same probe
 * written for a tool the image has (the language runtime), or the tool installed.
 */
function rewriteHealthcheck(step: Step, conversion: Conversion, setup: PlannedInstruction[]): PlannedInstruction | Declined {
  const runtime = conversion.runtime;
  const check = readHealthcheck(step.instruction);
  if (check.none || check.range === null) return instruction('HEALTHCHECK', step.raw, step.comments);
  const words = check.exec ?? check.text.split(/\s+/);
  const tool = (words[0] ?? '').replace(/^.*\//, '');
  const tools = imageTools(runtime.distro, runtime.ref);
  const known = tool === 'curl' || tool === 'wget';
  if (!known) {
    // The application's own binary or script: it crossed with the artifact, or the check cannot run.
    if (runtime.shellless && !check.exec) return decline(`the HEALTHCHECK runs through a shell, which the runtime image (${runtime.image}) does not have`);
    return instruction('HEALTHCHECK', step.raw, step.comments);
  }
  if (tools.shell === true && tools[tool] === true) return instruction('HEALTHCHECK', step.raw, step.comments);
  const url = /https?:\/\/[^\s'"]+/.exec(check.text)?.[0];
  if (url) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url.replace(/\$\{?\w+\}?/g, '0'));
    } catch {
      parsed = null;
    }
    if (parsed && !/\$/.test(url)) {
      const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
      const probe = probeFor(runtime.distro, runtime.ref, port, `${parsed.pathname}${parsed.search}`, runtime.probeFacts);
      if (probe && probe.tool !== 'curl' && probe.tool !== 'wget') {
        const options = step.raw.slice(step.raw.search(/HEALTHCHECK/i) + 'HEALTHCHECK'.length, step.raw.search(/\bCMD\b/i)).replace(/\s+/g, ' ').trim();
        return instruction('HEALTHCHECK', `HEALTHCHECK ${options ? `${options} ` : ''}${probeCommand(probe)}`, step.comments);
      }
    }
  }
  if (!runtime.installTool) return decline(`the HEALTHCHECK uses ${tool}, which the runtime image (${runtime.image}) does not have and cannot install`);
  setup.push(runtime.installTool(tool));
  return instruction('HEALTHCHECK', step.raw, step.comments);
}
