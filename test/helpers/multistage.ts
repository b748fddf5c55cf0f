import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, SourceFile } from '../../server/src/service';
import type { FileAccess } from '../../server/src/rules/types';
import { parseDockerfile, type DockerfileModel, type Stage } from '../../server/src/dockerfile/parse';
import { buildContextOf } from '../../server/src/project/buildContext';
import { readContextTree, simulateCopies, type ContextTree } from '../../server/src/project/contextFiles';
import { config } from './check';

/** Rules a converted file must no longer trip. */
const CLEARED = ['prefer-multi-stage', 'runtime-image-minimal', 'no-root-user'];

/**
 * What is wrong with a conversion's output: a finding it should have cleared, an error rule the
 * original did not have, or a second conversion offered. Empty when it passes.
 */
export function conversionProblems(service: LanguageService, original: SourceFile, output: string): string[] {
  const problems: string[] = [];
  const before = service.lint(original, config());
  const converted: SourceFile = { ...original, uri: `${original.uri}#multistage`, text: output };
  const after = service.lint(converted, config());
  for (const f of after) {
    if (CLEARED.includes(f.rule)) problems.push(`${f.rule} at line ${f.range.start.line + 1}: ${f.message}`);
    if (f.severity === 'error' && !before.some((b) => b.rule === f.rule && b.severity === 'error')) problems.push(`new error ${f.rule} at line ${f.range.start.line + 1}: ${f.message}`);
  }
  // Idempotent: a converted file offers no second conversion, by quick fix or refactoring.
  if (service.codeActions(converted, config(), [], ['refactor']).length > 0) problems.push('a second conversion is offered');
  service.close(converted.uri);
  return problems;
}

/**
 * The check of a conversion against the project on disk, written apart from the converter so
 * that it does not share its decisions: the files the original image had in its application
 * folder (COPY and ADD of the build context, simulated) that the new runtime image lacks, other
 * than sources of compiled languages, build files and documents, or files an `Assumption:`
 * comment of the result says stay behind; and a non-root runtime user that cannot write its
 * working directory or volumes when the original ran as root.
 */
export interface RuntimeCheck {
  /** Files of the original app folder and how many of them the runtime image has. */
  appFiles: number;
  carried: number;
  /** Drops the result explains in a comment. */
  explained: string[];
  problems: string[];
}

export function checkRuntime(originalText: string, convertedText: string, dockerfilePath: string, files: FileAccess): RuntimeCheck {
  const check: RuntimeCheck = { appFiles: 0, carried: 0, explained: [], problems: [] };
  const parse = (text: string, suffix: string) => parseDockerfile(TextDocument.create(`${pathToFileURL(dockerfilePath).href}${suffix}`, 'dockerfile', 0, text));
  const original = parse(originalText, '');
  const converted = parse(convertedText, '#converted');
  if (original.stages.length !== 1 || converted.stages.length < 2) return { ...check, problems: ['not a single-stage original and a multi-stage result'] };
  const context = buildContextOf(dockerfilePath, original, files);
  const tree = readContextTree(context, files);
  if (!tree) return check;
  const before = imageFiles(original, original.stages[0], tree);
  const build = converted.stages.find((s) => s.name === 'build') ?? converted.stages[0];
  const runtime = converted.stages[converted.stages.length - 1];
  const built = imageFiles(converted, build, tree);
  const after = new Set<string>();
  for (const instruction of runtime.instructions) {
    if (instruction.keyword !== 'COPY') continue;
    const from = instruction.flags.find((f) => f.name === 'from')?.value;
    const args = (instruction.json ?? instruction.args.trim().split(/\s+/)).filter(Boolean);
    if (from !== 'build' || args.length < 2) continue;
    const dest = args[args.length - 1];
    for (const src of args.slice(0, -1)) {
      const pattern = /[*?[]/.test(src) ? pathPattern(src) : null;
      for (const file of built) {
        if (pattern ? pattern.test(file) : file === src) after.add(dest.endsWith('/') || pattern ? posix.join(dest, posix.basename(file)) : dest);
        else if (!pattern && file.startsWith(`${src.replace(/\/$/, '')}/`)) after.add(posix.join(dest, file.slice(src.replace(/\/$/, '').length + 1)));
        else if (pattern) {
          // A pattern matching a folder copies the folder's contents into the destination.
          const depth = src.replace(/\/$/, '').split('/').length;
          const parts = file.split('/');
          if (parts.length > depth && pattern.test(parts.slice(0, depth).join('/'))) after.add(posix.join(dest, parts.slice(depth).join('/')));
        }
      }
    }
  }
  // A runtime that starts its own server (nginx for a static site) serves the build output only.
  if (startOf(runtime) !== startOf(original.stages[0])) return check;
  const appDir = workdirOf(original, original.stages[0]);
  const explained = convertedText.split('\n').filter((l) => /^#\s/.test(l)).join(' ').replace(/\s+#\s+/g, ' ');
  for (const file of before) {
    const inApp = appDir === '/' ? !/^\/(usr|etc|bin|lib|var|opt|tmp|root|home)\//.test(file) : file.startsWith(`${appDir}/`);
    if (!inApp) continue;
    check.appFiles++;
    if (after.has(file)) {
      check.carried++;
      continue;
    }
    const rel = appDir === '/' ? file.slice(1) : file.slice(appDir.length + 1);
    if (BUILD_ONLY.test(rel) || BUILD_ONLY_DIRS.test(rel)) continue;
    // Explained: an assumption names the file or its top-level folder as staying in the build stage.
    const top = rel.split('/')[0];
    if (/stay|stays/.test(explained) && (explained.includes(`\`${rel}\``) || explained.includes(`\`${top}\``))) {
      check.explained.push(rel);
      continue;
    }
    check.problems.push(`${rel} was in ${appDir} of the original image and is not in the runtime stage`);
  }
  check.problems.push(...writableProblems(original, converted, runtime, explained));
  return check;
}

export function runtimeProblems(originalText: string, convertedText: string, dockerfilePath: string, files: FileAccess): string[] {
  return checkRuntime(originalText, convertedText, dockerfilePath, files).problems;
}

/** A COPY source pattern (`*`, `?`, `[…]`) as a regular expression over one path. */
function pathPattern(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const close = c === '[' ? glob.indexOf(']', i + 1) : -1;
    if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else if (close > i) {
      body += `[${glob.slice(i + 1, close).replace(/^\^|^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}

/** Sources of compiled languages, build files, tests, documents and repository files. */
const BUILD_ONLY = /(?:\.(?:go|rs|java|kt|kts|scala|groovy|cs|fs|vb|csproj|fsproj|sln|ts|tsx|mts|c|h|cc|cpp|hpp|proto|md|markdown|rst|example|sample|http)|(?:^|\/)(?:go\.(?:mod|sum|work)|Cargo\.(?:toml|lock)|build\.rs|pom\.xml|build\.gradle|settings\.gradle|gradle\.properties|gradlew(?:\.bat)?|mvnw(?:\.cmd)?|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|tsconfig[\w.]*\.json|\.npmrc|\.nvmrc|Makefile|Dockerfile[\w.-]*|[\w.-]*\.dockerfile|\.dockerignore|\.git\w*|\.editorconfig|\.eslintrc[\w.]*|\.prettierrc[\w.]*|(?:docker-)?compose[\w.-]*\.ya?ml|README[\w.]*|LICEN[CS]E[\w.]*|CHANGELOG[\w.]*|Jenkinsfile|\.travis\.yml|nodemon\.json|rustfmt\.toml|clippy\.toml|\.babelrc|(?:jest|vitest|vite|webpack|rollup|babel|eslint|prettier)\.config\.\w+|NuGet\.Config|nuget\.config|global\.json|launchSettings\.json|\.env\.example))$/i;
const BUILD_ONLY_DIRS = /^(?:\.git|\.github|\.idea|\.vscode|\.mvn|gradle|src\/(?:main\/(?:java|kotlin|resources)|test)|tests?|__tests__|docs?|testdata|vendor|target|build|obj|bin|node_modules)(?:\/|$)/;

/** The start command as written (the runtime may turn a shell form into its exec form: compared by words). */
function startOf(stage: Stage): string {
  return stage.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').map((i) => (i.json ?? i.args.trim().split(/\s+/)).join(' ')).join(' ');
}

function workdirOf(model: DockerfileModel, stage: Stage): string {
  let dir = stage.base.ref?.name === 'golang' ? '/go' : '/';
  for (const i of stage.instructions) if (i.keyword === 'WORKDIR') dir = posix.resolve(dir, i.args.trim().replace(/^["']|["']$/g, '').replace(/\$\{?(\w+)\}?/g, (_, n: string) => stage.variables.get(n) ?? ''));
  return dir;
}

/** The files a stage's COPY and ADD of the build context put into the image. */
function imageFiles(model: DockerfileModel, stage: Stage, tree: ContextTree): Set<string> {
  let dir = stage.base.ref?.name === 'golang' ? '/go' : '/';
  const steps = stage.instructions.slice(1).map((instruction) => {
    if (instruction.keyword === 'WORKDIR') dir = posix.resolve(dir, instruction.args.trim());
    return { instruction, workdir: dir };
  });
  return new Set(simulateCopies(model, steps, tree).entries.filter((e) => !e.opaque).map((e) => e.path));
}

/**
 * Who owns the runtime user's working directory and volumes, replaying the runtime stage:
 * WORKDIR creates a missing folder as the current USER (BuildKit), `COPY --chown` creates its
 * destination folder owned, `RUN mkdir … && chown` as written; anything else is root's.
 */
function writableProblems(original: DockerfileModel, converted: DockerfileModel, runtime: Stage, explained: string): string[] {
  const ranAsRoot = !original.stages[0].instructions.some((i) => i.keyword === 'USER' && !/^(root|0)(:.*)?$/.test(i.args.trim()));
  const users = runtime.instructions.filter((i) => i.keyword === 'USER');
  const user = users[users.length - 1]?.args.trim().replace(/:.*$/, '');
  const imageUser = runtime.base.ref?.repository.includes('unprivileged') || runtime.base.ref?.tag?.includes('nonroot');
  if (!ranAsRoot || (!user && !imageUser) || user === 'root' || user === '0') return [];

  const owner = new Map<string, string>();
  let current = 'root';
  let workdir = '/';
  const buildkit = /^#\s*syntax=/m.test(converted.document.getText());
  for (const instruction of runtime.instructions.slice(1)) {
    const args = instruction.args.trim();
    if (instruction.keyword === 'USER') current = args.replace(/:.*$/, '');
    if (instruction.keyword === 'WORKDIR') {
      workdir = posix.resolve(workdir, args);
      if (!owner.has(workdir)) owner.set(workdir, buildkit ? current : 'root');
    }
    if (instruction.keyword === 'COPY') {
      const chown = instruction.flags.find((f) => f.name === 'chown')?.value?.replace(/:.*$/, '');
      const dest = posix.resolve(workdir, (instruction.json ?? args.split(/\s+/)).pop() ?? '.');
      if (chown && !owner.has(dest) && (instruction.flags.some((f) => f.name === 'from') || dest.endsWith('/'))) owner.set(dest.replace(/\/$/, ''), chown);
    }
    if (instruction.keyword === 'RUN') {
      for (const part of args.split(/&&|;/)) {
        const words = part.trim().split(/\s+/);
        if (words[0] === 'mkdir') for (const w of words.slice(1)) if (w.startsWith('/') && !owner.has(w)) owner.set(w, current);
        if (words[0] === 'chown' && words.length > 2) for (const w of words.slice(2)) owner.set(w, words[1].replace(/:.*$/, ''));
      }
    }
  }
  const runAs = user ?? current;
  const problems: string[] = [];
  const volumes = original.stages[0].instructions.filter((i) => i.keyword === 'VOLUME').flatMap((i) => i.json ?? i.args.split(/\s+/));
  for (const dir of [workdir, ...volumes]) {
    if (dir === '/' && /runs in `\/`/.test(explained)) continue;
    if (owner.get(dir) !== runAs) problems.push(`${runAs} cannot write ${dir} (owned by ${owner.get(dir) ?? 'root'})`);
  }
  return problems;
}
