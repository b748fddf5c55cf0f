import { dirname, join, posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry, workdirBefore, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { contextCopy, contextPath, copiesWholeContext, type ContextCopy, type CopyPath } from '../../dockerfile/dockerignore';
import { classifyCommand, ecosystems, manifestsOf, type EcosystemCommand } from '../../dockerfile/ecosystems';
import { pathArguments } from '../../dockerfile/copyArguments';
import { commandText } from './prefer-multi-stage';
import { goNeedsSources, npmNeedsSources, requirementFiles, unignoredBuildState } from '../../project/installInputs';
import { ignoreFileOf } from '../../project/buildContext';

/** A dependency install that runs after the whole context, or a folder holding its manifest, was copied. */
interface LateInstall {
  stage: Stage;
  copy: ContextCopy;
  source: CopyPath;
  /** The context folder whose files the COPY brings: `.` for the whole context, else the copied folder (`src/web`). */
  root: string;
  /** Where the install's manifest sits in that folder (`` for its top), and the manifest names to show. */
  sub: string;
  /** The manifests of a copied folder, as context paths (`src/web/package.json`); empty for the whole context. */
  shown: string[];
  instruction: DockerInstruction;
  command: ShellCommand;
  kind: EcosystemCommand;
}

/** Instructions that may sit between the broad COPY and the install without changing where it runs. */
const NEUTRAL = new Set(['LABEL', 'EXPOSE', 'MAINTAINER', 'STOPSIGNAL', 'HEALTHCHECK', 'VOLUME']);

function hasMount(instruction: DockerInstruction, type: string): boolean {
  return instruction.flags.some((f) => f.name === 'mount' && (f.options.get('type') ?? 'bind') === type);
}

/** Go builds that read no module downloads: GOPATH mode or a vendor directory. */
function goWithoutModules(stage: Stage, command: ShellCommand, earlier: ShellCommand[]): boolean {
  const env = (name: string) => command.assignments.find((a) => a.name === name)?.value ?? stage.variables.get(name) ?? '';
  if (/-mod=vendor/.test(env('GOFLAGS')) || command.args.some((a) => a.value === '-mod=vendor')) return true;
  if (env('GO111MODULE') === 'off') return true;
  return earlier.some((c) => c.program === 'go' && c.args[0]?.value === 'get');
}

function lateInstalls(model: DockerfileModel, path: string | null, files: FileAccess): LateInstall[] {
  const found: LateInstall[] = [];
  const contextDir = path ? dirname(path) : null;
  // Ecosystems whose dependencies each stage has installed by its end, its parents' included.
  const installedBy: Set<string>[] = [];
  for (const stage of model.stages) {
    // Installs in the stages this one is built FROM count as done before its COPY.
    const parent = stage.base.stageRef !== null && stage.base.stageRef < stage.index ? installedBy[stage.base.stageRef] : undefined;
    const installed = new Set<string>(parent ?? []);
    installedBy[stage.index] = installed;
    const earlier: ShellCommand[] = [];
    let broad: { copy: ContextCopy; source: CopyPath } | null = null;
    const reported = new Set<DockerInstruction>();
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        const copy = contextCopy(model, instruction);
        const source = copy?.sources.find(copiesWholeContext);
        if (copy && source && !broad) broad = { copy, source };
        continue;
      }
      if (instruction.keyword !== 'RUN') continue;
      // A cache mount keeps downloads across builds, a bind mount brings the manifests in:
      // either way the author has dealt with the cost of re-running the install.
      const mounted = hasMount(instruction, 'cache') || hasMount(instruction, 'bind');
      for (const command of shellOf(model, instruction).commands) {
        const kind = classifyCommand(command);
        earlier.push(command);
        if (kind?.resolvesDependencies && !broad) installed.add(kind.ecosystem);
        if (!kind?.installsDependencies) continue;
        if (mounted || installed.has(kind.ecosystem)) {
          installed.add(kind.ecosystem);
          continue;
        }
        const late = broad ? { copy: broad.copy, source: broad.source, root: '.', sub: '', shown: [] } : folderCopy(model, stage, instruction, command, kind, contextDir, files);
        installed.add(kind.ecosystem);
        if (!late || reported.has(late.copy.instruction)) continue;
        const project = contextDir && join(contextDir, late.root, late.sub);
        if (kind.ecosystem === 'go' && (goWithoutModules(stage, command, earlier) || (project && files.exists(join(project, 'vendor', 'modules.txt'))))) continue;
        found.push({ stage, ...late, instruction, command, kind });
        // One finding per broad COPY: the first install it invalidates.
        reported.add(late.copy.instruction);
        broad = null;
        break;
      }
    }
  }
  return found;
}

/** Options that point a tool at a project in another folder: where its manifest is, is not known. */
const ELSEWHERE = ['--prefix', '-C', '--cwd', '--dir', '--filter', '-w', '--workspace', '-d', '--working-dir', '--manifest-path', '-f', '--file', '-p', '--project-dir', '-b', '--build-file', '--gemfile', '-modfile', '--project'];

/**
 * Where an install reads its manifest, relative to the folder it runs in, and the names that
 * show it is there (any one of them); null when the command points elsewhere.
 */
function manifestOf(kind: EcosystemCommand, command: ShellCommand): { dir: string; names: string[] } | null {
  if (command.args.some((a) => a.value !== null && ELSEWHERE.some((o) => a.value === o || a.value!.startsWith(`${o}=`)))) return null;
  if (kind.tool === 'pip') return kind.files.length > 0 ? { dir: posix.dirname(kind.files[0]), names: [posix.basename(kind.files[0])] } : null;
  if (kind.tool === 'dotnet') {
    // `dotnet restore Api/Api.csproj` names its project; a bare `dotnet restore` finds one by a glob.
    const project = command.args.find((a) => a.value !== null && /\.(?:sln|csproj|fsproj|vbproj)$/i.test(a.value));
    return project?.value ? { dir: posix.dirname(project.value), names: [posix.basename(project.value)] } : { dir: '.', names: [] };
  }
  const set = manifestsOf(kind.tool);
  if (!set) return null;
  const names = set.required.length > 0 ? set.required : set.files.filter((f) => !f.includes('*') && !f.endsWith('/') && /\.(?:gradle|kts|yaml|project)$/.test(f));
  return { dir: '.', names };
}

/** The folder an install runs in: the WORKDIR, moved by `cd` with a literal path earlier in the same RUN. */
function installDir(model: DockerfileModel, stage: Stage, instruction: DockerInstruction, command: ShellCommand): string | null {
  let dir = workdirBefore(model, stage, instruction);
  for (const earlier of shellOf(model, instruction).commands) {
    if (earlier === command || dir === null) break;
    if (earlier.program !== 'cd' || earlier.nested) continue;
    const target = earlier.args[0]?.value;
    dir = target && target !== '-' && !target.startsWith('~') ? resolveIn(dir, target) : null;
  }
  return dir;
}

/** Folders that hold only manifests (`requirements/`, `.mvn/`): copying them first is the advice. */
const MANIFEST_FOLDER = /^(?:requirements?|reqs?|deps|dependencies|lock(?:file)?s?|manifests?|constraints?|pip|\.mvn|gradle|\.yarn|\.nuget|nuget)$/i;
/** File names without an extension that are files, not folders. */
const KNOWN_FILES = new Set([
  ...Object.values(ecosystems).flatMap((e) => e.manifests.flatMap((m) => m.files)).filter((f) => !f.includes('.') && !f.endsWith('/')),
  'Makefile', 'Dockerfile', 'Containerfile', 'Procfile', 'LICENSE', 'README', 'VERSION', 'Rakefile', 'Justfile', 'Caddyfile', 'Brewfile', 'Jenkinsfile',
]);
/** Images of a language or SDK published by others, which carry no project of their own. */
const LANGUAGE_IMAGES = new Set(['node', 'python', 'golang', 'ruby', 'php', 'maven', 'gradle', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'rust', 'dotnet', 'sdk', 'aspnet', 'elixir', 'composer', 'bun', 'deno', 'haskell', 'gcc']);

/** A Docker Hub official image or a language image: a base that brings no manifest of the project. */
function publicBase(model: DockerfileModel, stage: Stage): boolean {
  const chain = stageAncestry(model, stage);
  const ref = chain[chain.length - 1].base.ref;
  if (!ref) return false;
  const official = (ref.registry === null || ref.registry === 'docker.io') && (!ref.repository.includes('/') || ref.repository.startsWith('library/'));
  return official || LANGUAGE_IMAGES.has(ref.name);
}

/** Commands that can put a project's files in place without a COPY: a clone, a download, an unpacking, a generator. */
const PROVIDERS = /^(?:git|curl|wget|tar|unzip|cp|mv|ln|rsync|svn|hg)$/;

/**
 * For an install with no whole-context COPY before it: the COPY of a context folder whose files
 * land where the install reads its manifest (`COPY src/web/ ./` before `npm ci`). With the
 * folder on disk, it counts when the manifest is in it. Without it, the install's own evidence
 * decides, and only when nothing else can have brought the manifest: the source reads as a
 * folder, it is the only source of its COPY, no other COPY or ADD of the stage's chain writes
 * where the manifest is read, no RUN before the install fetches or moves files, and the chain
 * starts from an official or language image (an image of your own may carry the manifest).
 */
function folderCopy(model: DockerfileModel, stage: Stage, instruction: DockerInstruction, command: ShellCommand, kind: EcosystemCommand, contextDir: string | null, files: FileAccess): Omit<LateInstall, 'stage' | 'instruction' | 'command' | 'kind'> | null {
  const manifest = manifestOf(kind, command);
  const dir = installDir(model, stage, instruction, command);
  if (!manifest || dir === null) return null;
  const at = resolveIn(dir, manifest.dir);
  const chain = stageAncestry(model, stage).reverse().flatMap((s) => s.instructions);
  const before = chain.slice(0, chain.indexOf(instruction));
  const destOf = (i: DockerInstruction): string | null => {
    const dest = pathArguments(model, i)?.dest.value;
    const cwd = workdirBefore(model, model.stages[i.stage], i);
    return dest && cwd !== null ? resolveIn(cwd, dest) : null;
  };
  const covers = (dest: string | null) => dest === null || at === dest || at.startsWith(`${dest}/`) || manifest.names.some((n) => dest === posix.join(at, n));
  for (const candidate of [...stage.instructions.slice(0, stage.instructions.indexOf(instruction))].reverse()) {
    const copy = contextCopy(model, candidate);
    if (!copy) continue;
    const target = destOf(candidate);
    if (target === null || !(at === target || at.startsWith(`${target}/`))) continue;
    const sub = at === target ? '' : at.slice(target.length + 1);
    for (const source of copy.sources) {
      const root = source.value === null || /[*?[]/.test(source.value) ? null : contextPath(source.value);
      if (root === null || root === '.' || MANIFEST_FOLDER.test(posix.basename(root))) continue;
      const shown = (kind.tool === 'pip' || (kind.tool === 'dotnet' && manifest.names.length > 0) ? manifest.names : manifestNames(kind)).map((n) => posix.join(root, sub, n));
      if (contextDir && manifest.names.some((n) => files.exists(join(contextDir, root, sub, n)))) return { copy, source, root, sub, shown };
      // The folder is on disk without the manifest: the manifest comes from somewhere else.
      if (contextDir && files.exists(join(contextDir, root))) continue;
      const folder = source.value!.endsWith('/') || (!posix.basename(root).includes('.') && !KNOWN_FILES.has(posix.basename(root)));
      if (!folder || copy.sources.length !== 1 || !publicBase(model, stage)) continue;
      if (before.some((i) => i !== candidate && (i.keyword === 'COPY' || i.keyword === 'ADD') && covers(destOf(i)))) return null;
      if (before.some((i) => i.keyword === 'RUN' && shellOf(model, i).commands.some((c) => c.program !== null && (PROVIDERS.test(c.program) || /^(?:init|create-project|new)$/.test(c.args[0]?.value ?? ''))))) return null;
      return { copy, source, root, sub, shown };
    }
  }
  return null;
}

/** How messages name the manifests of tools whose file names vary. */
const SHOWN_MANIFESTS: Record<string, string[]> = {
  gradle: ['settings.gradle(.kts)', 'build.gradle(.kts)'],
  dotnet: ['*.csproj', '*.sln'],
  stack: ['stack.yaml', 'package.yaml'],
  cabal: ['cabal.project', '*.cabal'],
};

/** The manifests to name in a message (`package.json` and `package-lock.json`). */
function manifestNames(kind: EcosystemCommand): string[] {
  if (kind.tool === 'pip') return kind.files;
  if (SHOWN_MANIFESTS[kind.tool]) return SHOWN_MANIFESTS[kind.tool];
  const set = manifestsOf(kind.tool);
  if (!set) return [];
  return set.files.filter((f) => !f.startsWith('.') && !f.endsWith('/') && f !== 'mvnw' && f !== 'gradlew').slice(0, 2);
}

function quoteList(names: string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * Docker reuses a layer only while everything it was built from is unchanged. Copying the whole
 * context before installing dependencies ties the install layer to every source file: each edit
 * re-downloads and re-installs all dependencies. Copying the manifests first, installing, and
 * only then copying the sources keeps the install cached until the dependencies change
 * (https://docs.docker.com/build/cache/optimize/#order-your-layers).
 */
export default dockerfileRule({
  id: 'copy-dependencies-first',
  aliases: [],
  title: 'Copy dependency manifests and install before copying the sources',
  category: 'caching',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    for (const late of lateInstalls(dockerfile, path, files)) {
      const copyText = `${late.copy.instruction.keyword} ${late.source.text} ${late.copy.dest.text}`;
      const install = commandText(late.command);
      const shown = install.length > 40 ? `${install.slice(0, 37)}…` : install;
      const manifests = late.root === '.' ? manifestNames(late.kind) : late.shown;
      // For a build that downloads as it goes (`go build`, `mvn package`), the download-only
      // command is what belongs before the sources.
      const prefetch = manifestsOf(late.kind.tool)?.prefetch;
      const step = late.kind.builds && prefetch ? prefetch : shown;
      const what = late.root === '.' ? 'every source file' : `the sources in \`${late.source.text}\``;
      report({
        range: late.source.range,
        message: `\`${copyText}\` copies ${what} before \`${shown}\`, so any edit${late.root === '.' ? '' : ' there'} invalidates the cache and the dependencies are downloaded and installed again on every build; copy ${manifests.length > 0 ? quoteList(manifests) : 'the dependency manifests'} first, run \`${step}\`, then copy the rest.`,
        data: {
          ecosystem: late.kind.ecosystem,
          tool: late.kind.tool,
          install,
          installLine: late.command.range.start.line,
          manifests,
        },
      });
    }
  },
  fix(finding, dockerfile, context) {
    const late = lateInstalls(dockerfile, context.path, context.files).find(
      (l) => l.source.range.start.line === finding.range.start.line && l.source.range.start.character === finding.range.start.character,
    );
    if (!late) return undefined;
    return manifestFirstFix(dockerfile, late, context.path, context.files);
  },
});

// ---------------------------------------------------------------------------------------------
// The fix: COPY the manifests and run the install before the broad COPY.

function resolveIn(cwd: string, path: string): string {
  const joined = path.startsWith('/') ? posix.normalize(path) : posix.join(cwd, path);
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** What the inserted lines copy: context paths by destination folder, and how sure we are of them. */
interface ManifestPlan {
  /** Context-relative paths (globs allowed), grouped by their folder. */
  files: string[];
  /** The files were found on disk and read: the fix keeps the build's result. */
  verified: boolean;
  /** Text of the command to run before the broad COPY; the late one stays when `keep`. */
  run: string | null;
  keep: boolean;
}

function npmPlan(contextDir: string | null, files: FileAccess, modulesCopied: boolean): ManifestPlan | null {
  const candidates = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'];
  if (!contextDir || !files.exists(join(contextDir, 'package.json'))) return { files: ['package*.json'], verified: false, run: null, keep: false };
  const existing = candidates.filter((f) => files.exists(join(contextDir, f)));
  // Workspaces need their own package.json files, a `file:` package its folder: no fix. A lifecycle
  // script may need the sources, and a node_modules the ignore file lets in would be copied over
  // the installed one: offered, not applied by fix-all.
  const needs = npmNeedsSources(contextDir, files);
  if (needs?.kind === 'workspaces' || needs?.kind === 'local') return null;
  const verified = needs === null && !modulesCopied;
  return { files: existing, verified, run: null, keep: false };
}

function pipPlan(late: LateInstall, cwd: string, destDir: string, contextDir: string | null, files: FileAccess): ManifestPlan | null {
  if (late.kind.builds) return null;
  const start = late.kind.files.map((f) => resolveIn(cwd, f));
  if (start.some((f) => !f.startsWith(`${destDir}/`))) return null;
  if (!contextDir) return { files: start.map((f) => f.slice(destDir.length + 1)), verified: false, run: null, keep: false };
  const found = requirementFiles(contextDir, start.map((f) => f.slice(destDir.length + 1)), files);
  if (found.needs) return null;
  return { files: found.files, verified: found.files.every((f) => files.exists(join(contextDir, f))), run: null, keep: false };
}

function goPlan(late: LateInstall, contextDir: string | null, files: FileAccess): ManifestPlan | null {
  const download = late.kind.tool === 'go' && !late.kind.builds;
  const run = download ? null : 'go mod download';
  if (!contextDir || !files.exists(join(contextDir, 'go.mod'))) return { files: ['go.mod', 'go.sum*'], verified: false, run, keep: !download };
  // A workspace or a replace pointing into the context needs those modules' sources to download.
  if (goNeedsSources(contextDir, files)) return null;
  const existing = ['go.mod', 'go.sum'].filter((f) => files.exists(join(contextDir, f)));
  return { files: existing, verified: true, run, keep: !download };
}

function lineStart(line: number): { line: number; character: number } {
  return { line, character: 0 };
}

function manifestFirstFix(model: DockerfileModel, late: LateInstall, path: string | null, files: FileAccess) {
  const { stage, copy, instruction, command, kind } = late;
  const instructions = stage.instructions;
  const copyIndex = instructions.indexOf(copy.instruction);
  const runIndex = instructions.indexOf(instruction);
  if (copyIndex < 0 || runIndex < copyIndex) return undefined;
  // Anything but labels between the two may change what the install sees.
  if (instructions.slice(copyIndex + 1, runIndex).some((i) => !NEUTRAL.has(i.keyword))) return undefined;
  const cwd = workdirBefore(model, stage, copy.instruction);
  const dest = copy.dest.value;
  if (cwd === null || dest === null) return undefined;
  const destDir = resolveIn(cwd, dest);
  // The folder whose files the broad COPY brings: the manifests are read, and copied, from there.
  const contextDir = path ? join(dirname(path), late.root) : null;

  let plan: ManifestPlan | null;
  const ignore = path ? ignoreFileOf(path, dirname(path), files)?.patterns ?? null : null;
  if (kind.tool === 'npm') plan = destDir === cwd ? npmPlan(contextDir, files, unignoredBuildState([posix.join(late.root, 'node_modules')], ignore).length > 0) : null;
  else if (kind.tool === 'pip') plan = pipPlan(late, cwd, destDir, contextDir, files);
  else if (kind.tool === 'go') plan = destDir === cwd ? goPlan(late, contextDir, files) : null;
  else plan = null;
  if (!plan || plan.files.length === 0) return undefined;

  const document = model.document;
  const script = shellOf(model, instruction);
  const moving = plan.run === null;
  const edits: TextEdit[] = [];
  let runLine: string;
  if (!moving) {
    runLine = `RUN ${plan.run}`;
  } else {
    // The install must run first in its RUN, outside any pipeline, subshell or `sh -c`.
    if (command.nested || command.pipeline.length > 1 || script.hasErrors || script.commands[0] !== command) return undefined;
    const flags = instruction.flags.map((f) => document.getText(f.range)).join(' ');
    const installText = document.getText(command.range);
    if (script.commands.length === 1) {
      const whole = document.getText(instruction.range);
      runLine = whole;
      edits.push({ range: { start: lineStart(instruction.range.start.line), end: lineStart(instruction.range.end.line + 1) }, newText: '' });
    } else {
      const next = script.commands[1];
      const between = document.getText({ start: command.range.end, end: next.range.start });
      const escape = model.escape === '`' ? '`' : '\\\\';
      if (!new RegExp(`^(?:\\s|${escape})*&&(?:\\s|${escape})*$`).test(between)) return undefined;
      runLine = `RUN ${flags ? `${flags} ` : ''}${installText}`;
      edits.push({ range: { start: command.range.start, end: next.range.start }, newText: '' });
    }
  }

  const copyLine = copyLines(model, copy, plan.files, stage, copyIndex, late.root);
  const indent = /^\s*/.exec(document.getText({ start: lineStart(copy.instruction.range.start.line), end: copy.instruction.range.start }))?.[0] ?? '';
  const inserted = [...copyLine, runLine].map((l) => `${indent}${l.replace(/^\s+/, '')}`).join('\n') + '\n';
  edits.unshift({ range: { start: lineStart(copy.instruction.range.start.line), end: lineStart(copy.instruction.range.start.line) }, newText: inserted });
  const names = plan.files.map((p) => posix.join(late.root, p)).join(' ');
  const installed = plan.run ?? commandText(command);
  const run = installed.length > 40 ? `${installed.slice(0, 37)}…` : installed;
  return {
    title: `Copy ${names} and run ${run} before ${copy.instruction.keyword} ${late.source.text} ${copy.dest.text}`,
    edits,
    safe: plan.verified,
  };
}

/**
 * `COPY <files> <dest>` lines, one per folder, carrying the broad COPY's flags (`--chown`…).
 * `paths` are relative to `root`, the context folder the broad COPY copies (`.` or `src/web`).
 */
function copyLines(model: DockerfileModel, copy: ContextCopy, paths: string[], stage: Stage, copyIndex: number, root: string): string[] {
  const document = model.document;
  // Files an earlier COPY of this stage already brought in need no second copy.
  const already = new Set<string>();
  for (const i of stage.instructions.slice(0, copyIndex)) {
    const earlier = contextCopy(model, i);
    for (const s of earlier?.sources ?? []) if (s.value) already.add(posix.normalize(s.value).replace(/^\.\//, ''));
  }
  const needed = paths.filter((p) => !already.has(posix.join(root, p)));
  if (needed.length === 0) return [];
  const flags = copy.instruction.flags.map((f) => document.getText(f.range)).join(' ');
  const destText = copy.dest.text === '.' || copy.dest.text === './' ? './' : copy.dest.text.replace(/\/?$/, '/');
  const byFolder = new Map<string, string[]>();
  for (const p of needed) {
    const folder = posix.dirname(p);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), p]);
  }
  const sources = (group: string[]) => group.map((p) => posix.join(root, p)).join(' ');
  return [...byFolder].map(([folder, group]) => `${copy.instruction.keyword === 'ADD' ? 'COPY' : copy.instruction.keyword} ${flags ? `${flags} ` : ''}${sources(group)} ${folder === '.' ? destText : `${destText}${folder}/`}`);
}

