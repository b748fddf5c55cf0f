import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAccess } from '../rules/types';
import type { DockerfileModel } from '../dockerfile/parse';
import { parseCompose } from '../compose/parse';
import { buildPaths, isRemote } from '../compose/builds';
import { contextCopy, contextPath, parseDockerignore, type DockerIgnore } from '../dockerfile/dockerignore';

/**
 * The build context of a Dockerfile on disk, found the way the build would get it: a Compose file
 * that builds this Dockerfile says which folder it sends; else the folder from which every path
 * its COPY and ADD name exists (`COPY services/api/go.mod …` only exists from the repository
 * root); else the Dockerfile's own folder, where `docker build .` is usually run.
 * https://docs.docker.com/build/concepts/context/
 */

export interface BuildContext {
  /** The folder sent to the builder. */
  dir: string;
  /** The ignore file that applies to this Dockerfile in that context, parsed; null when none. */
  ignore: DockerIgnore | null;
  /** How the folder was found: a Compose file names it, the copied paths exist only there, or by default. */
  how: 'compose' | 'sources' | 'folder';
  /** The Compose file that builds this Dockerfile with this context (when `how` is `compose`). */
  composeFile: string | null;
  /** The services of that file that build it. */
  composeServices?: string[];
}

/** How far above the Dockerfile a Compose file or the context may be. */
const LEVELS_UP = 4;
const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function buildContextOf(dockerfilePath: string, model: DockerfileModel, files: FileAccess): BuildContext {
  const found = composeContext(dockerfilePath, files) ?? sourcesContext(dockerfilePath, model, files) ?? { dir: dirname(dockerfilePath), how: 'folder' as const, composeFile: null };
  return { ...found, ignore: ignoreFileOf(dockerfilePath, found.dir, files) };
}

/**
 * The ignore file for a Dockerfile in a context: `<Dockerfile name>.dockerignore` beside the
 * Dockerfile wins (BuildKit), else `.dockerignore` at the context's root.
 */
export function ignoreFileOf(dockerfilePath: string, contextDir: string, files: FileAccess): DockerIgnore | null {
  for (const candidate of [`${dockerfilePath}.dockerignore`, join(contextDir, '.dockerignore')]) {
    const text = files.read(candidate);
    if (text !== null) return { path: candidate, patterns: parseDockerignore(text) };
  }
  return null;
}

function ancestors(dir: string): string[] {
  const out = [dir];
  for (let i = 0; i < LEVELS_UP; i++) {
    const parent = dirname(out[out.length - 1]);
    if (parent === out[out.length - 1]) break;
    out.push(parent);
  }
  return out;
}

/** The context a Compose file at or above the Dockerfile builds it with; the nearest file wins. */
function composeContext(dockerfilePath: string, files: FileAccess): Omit<BuildContext, 'ignore'> | null {
  for (const dir of ancestors(dirname(dockerfilePath))) {
    for (const name of COMPOSE_NAMES) {
      const path = join(dir, name);
      const text = files.read(path);
      if (text === null) continue;
      let builds: ReturnType<typeof buildPaths>;
      try {
        builds = buildPaths(parseCompose(TextDocument.create(pathToFileURL(path).href, 'dockercompose', 0, text)));
      } catch {
        continue;
      }
      let found: Omit<BuildContext, 'ignore'> | null = null;
      for (const build of builds) {
        if (build.inline || isRemote(build.context)) continue;
        const context = resolve(dir, build.context);
        const dockerfile = build.dockerfile ? (isAbsolute(build.dockerfile) ? build.dockerfile : resolve(context, build.dockerfile)) : join(context, 'Dockerfile');
        if (dockerfile !== dockerfilePath) continue;
        if (!found) found = { dir: context, how: 'compose', composeFile: path, composeServices: [] };
        if (context === found.dir) found.composeServices!.push(build.service);
      }
      if (found) return found;
    }
  }
  return null;
}

/**
 * The nearest folder from which every path the Dockerfile copies by name exists; null when the
 * Dockerfile names none (only `.`), or none of the folders has them all.
 */
function sourcesContext(dockerfilePath: string, model: DockerfileModel, files: FileAccess): Omit<BuildContext, 'ignore'> | null {
  const named = new Set<string>();
  for (const instruction of model.instructions) {
    for (const source of contextCopy(model, instruction)?.sources ?? []) {
      if (source.value === null) continue;
      const path = contextPath(source.value);
      if (path === null || path === '.') continue;
      // A pattern is checked up to its first wildcard: `src/*.go` needs `src`.
      const fixed = path.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /[*?[]/.test(p))).join('/');
      if (fixed) named.add(fixed);
    }
  }
  if (named.size === 0) return null;
  const all = (dir: string) => [...named].every((p) => files.exists(join(dir, p)));
  const own = dirname(dockerfilePath);
  if (all(own)) return { dir: own, how: 'folder', composeFile: null };
  for (const dir of ancestors(own).slice(1)) if (all(dir)) return { dir, how: 'sources', composeFile: null };
  return null;
}

/** The context as the user reads it: `.` for the Dockerfile's folder, else relative to it. */
export function describeContext(dockerfilePath: string, context: BuildContext): string {
  const own = dirname(dockerfilePath);
  if (context.dir === own) return "the Dockerfile's folder";
  const up = context.dir.length < own.length && own.startsWith(context.dir) ? own.slice(context.dir.length + 1).split('/').map(() => '..').join('/') : context.dir;
  const why = context.how === 'compose' ? ` (as ${basename(context.composeFile ?? '')} builds it)` : context.how === 'sources' ? ' (where the copied paths exist)' : '';
  return `\`${up}\`${why}`;
}
