import { dirname, join, posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { contextCopy, copiesWholeContext, type ContextCopy, type CopyPath } from '../../dockerfile/dockerignore';
import { classifyCommand, manifestsOf, type EcosystemCommand } from '../../dockerfile/ecosystems';
import { expandVariables } from '../../text/variables';
import { commandText } from './prefer-multi-stage';

/** A dependency install that runs after the whole context was copied. */
interface LateInstall {
  stage: Stage;
  copy: ContextCopy;
  source: CopyPath;
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
        if (!broad || mounted || installed.has(kind.ecosystem)) {
          installed.add(kind.ecosystem);
          continue;
        }
        installed.add(kind.ecosystem);
        if (kind.ecosystem === 'go' && (goWithoutModules(stage, command, earlier) || (contextDir && files.exists(join(contextDir, 'vendor', 'modules.txt'))))) continue;
        found.push({ stage, copy: broad.copy, source: broad.source, instruction, command, kind });
        // One finding per broad COPY: the first install it invalidates.
        broad = null;
        break;
      }
    }
  }
  return found;
}

/** How messages name the manifests of tools whose file names vary. */
const SHOWN_MANIFESTS: Record<string, string[]> = {
  gradle: ['settings.gradle(.kts)', 'build.gradle(.kts)'],
  dotnet: ['*.csproj', '*.sln'],
  stack: ['stack.yaml', 'package.yaml'],
  cabal: ['cabal.project', '*.cabal'],
};

/** The manifests to name in a message (`package.json` and `package-lock.json`). */
function manifestNames(late: LateInstall): string[] {
  if (late.kind.tool === 'pip') return late.kind.files;
  if (SHOWN_MANIFESTS[late.kind.tool]) return SHOWN_MANIFESTS[late.kind.tool];
  const set = manifestsOf(late.kind.tool);
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
      const manifests = manifestNames(late);
      // For a build that downloads as it goes (`go build`, `mvn package`), the download-only
      // command is what belongs before the sources.
      const prefetch = manifestsOf(late.kind.tool)?.prefetch;
      const step = late.kind.builds && prefetch ? prefetch : shown;
      report({
        range: late.source.range,
        message: `\`${copyText}\` copies every source file before \`${shown}\`, so any edit invalidates the cache and the dependencies are downloaded and installed again on every build; copy ${manifests.length > 0 ? quoteList(manifests) : 'the dependency manifests'} first, run \`${step}\`, then copy the rest.`,
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

/** The working directory in effect before `instruction`: `<base>` stands for the image's own. */
function workdirBefore(model: DockerfileModel, stage: Stage, instruction: DockerInstruction): string | null {
  let dir = '<base>';
  const chain = stageAncestry(model, stage).reverse();
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) return dir;
      if (i.keyword !== 'WORKDIR') continue;
      const value = expandVariables(i.args.trim(), s.variables, { syntax: 'dockerfile', escape: model.escape });
      if (value === null || value === '') return null;
      dir = value.startsWith('/') ? posix.normalize(value) : posix.join(dir, value);
    }
  }
  return null;
}

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

const NPM_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

function npmPlan(contextDir: string | null, files: FileAccess): ManifestPlan | null {
  const candidates = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'];
  if (!contextDir || !files.exists(join(contextDir, 'package.json'))) return { files: ['package*.json'], verified: false, run: null, keep: false };
  const existing = candidates.filter((f) => files.exists(join(contextDir, f)));
  let verified = true;
  const text = files.read(join(contextDir, 'package.json'));
  try {
    const pkg = JSON.parse(text ?? '') as { scripts?: Record<string, string>; workspaces?: unknown };
    // Workspaces need their own package.json files; lifecycle scripts may need the sources.
    if (pkg.workspaces) return null;
    if (NPM_LIFECYCLE.some((s) => pkg.scripts?.[s])) verified = false;
  } catch {
    verified = false;
  }
  return { files: existing, verified, run: null, keep: false };
}

/** A requirements line that installs from the context itself needs the sources. */
const LOCAL_REQUIREMENT = /^\s*(?:-e\s+|--editable\s+)?(?:\.{1,2}(?:\/|\[|$|\s)|file:|\/)|@\s*file:/;

function pipPlan(late: LateInstall, cwd: string, destDir: string, contextDir: string | null, files: FileAccess): ManifestPlan | null {
  if (late.kind.builds) return null;
  const found: string[] = [];
  let verified = contextDir !== null;
  const queue = late.kind.files.map((f) => resolveIn(cwd, f));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const abs = queue.shift()!;
    if (seen.has(abs)) continue;
    seen.add(abs);
    if (!abs.startsWith(`${destDir}/`)) return null;
    const rel = abs.slice(destDir.length + 1);
    found.push(rel);
    const text = contextDir ? files.read(join(contextDir, rel)) : null;
    if (text === null) {
      verified = false;
      continue;
    }
    for (const line of text.split(/\r?\n/)) {
      if (LOCAL_REQUIREMENT.test(line)) return null;
      const include = /^\s*(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)/.exec(line);
      if (include) queue.push(resolveIn(posix.dirname(abs), include[1]));
    }
  }
  return { files: found, verified, run: null, keep: false };
}

function goPlan(late: LateInstall, contextDir: string | null, files: FileAccess): ManifestPlan | null {
  const download = late.kind.tool === 'go' && !late.kind.builds;
  const run = download ? null : 'go mod download';
  if (!contextDir || !files.exists(join(contextDir, 'go.mod'))) return { files: ['go.mod', 'go.sum*'], verified: false, run, keep: !download };
  if (files.exists(join(contextDir, 'go.work'))) return null;
  const mod = files.read(join(contextDir, 'go.mod')) ?? '';
  // A replace pointing into the context needs that module's sources to download.
  if (/=>\s*\.{1,2}\//.test(mod)) return null;
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
  const contextDir = path ? dirname(path) : null;

  let plan: ManifestPlan | null;
  if (kind.tool === 'npm') plan = destDir === cwd ? npmPlan(contextDir, files) : null;
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

  const copyLine = copyLines(model, copy, plan.files, stage, copyIndex);
  const indent = /^\s*/.exec(document.getText({ start: lineStart(copy.instruction.range.start.line), end: copy.instruction.range.start }))?.[0] ?? '';
  const inserted = [...copyLine, runLine].map((l) => `${indent}${l.replace(/^\s+/, '')}`).join('\n') + '\n';
  edits.unshift({ range: { start: lineStart(copy.instruction.range.start.line), end: lineStart(copy.instruction.range.start.line) }, newText: inserted });
  const names = plan.files.join(' ');
  const installed = plan.run ?? commandText(command);
  const run = installed.length > 40 ? `${installed.slice(0, 37)}…` : installed;
  return {
    title: `Copy ${names} and run ${run} before ${copy.instruction.keyword} ${late.source.text} ${copy.dest.text}`,
    edits,
    safe: plan.verified,
  };
}

/** `COPY <files> <dest>` lines, one per folder, carrying the broad COPY's flags (`--chown`…). */
function copyLines(model: DockerfileModel, copy: ContextCopy, paths: string[], stage: Stage, copyIndex: number): string[] {
  const document = model.document;
  // Files an earlier COPY of this stage already brought in need no second copy.
  const already = new Set<string>();
  for (const i of stage.instructions.slice(0, copyIndex)) {
    const earlier = contextCopy(model, i);
    for (const s of earlier?.sources ?? []) if (s.value) already.add(posix.normalize(s.value).replace(/^\.\//, ''));
  }
  const needed = paths.filter((p) => !already.has(p));
  if (needed.length === 0) return [];
  const flags = copy.instruction.flags.map((f) => document.getText(f.range)).join(' ');
  const destText = copy.dest.text === '.' || copy.dest.text === './' ? './' : copy.dest.text.replace(/\/?$/, '/');
  const byFolder = new Map<string, string[]>();
  for (const p of needed) {
    const folder = posix.dirname(p);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), p]);
  }
  return [...byFolder].map(([folder, group]) => `${copy.instruction.keyword === 'ADD' ? 'COPY' : copy.instruction.keyword} ${flags ? `${flags} ` : ''}${group.join(' ')} ${folder === '.' ? destText : `${destText}${folder}/`}`);
}

