import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import type { FileAccess } from './rules/types';
import type { DocumentKind } from './rules/types';

/**
 * The file names the extension manifest contributes (`contributes.languages` in package.json; a
 * test keeps the two in step), in one place: `Dockerfile`, `Containerfile` and their `.*`, `-*`
 * and `_*` variants (`Dockerfile.prod`, `Dockerfile-alpine`, `Dockerfile_test`), `*.Dockerfile`,
 * `*.Containerfile`; `compose.y(a)ml`, `docker-compose.y(a)ml` and their `.*` and `-*` variants
 * (overrides, `docker-compose-dev.yml`). The `Dockerfile.dockerignore` BuildKit reads beside a
 * Dockerfile is not one.
 */
export function kindFromPath(path: string): DocumentKind | null {
  const name = basename(path);
  if (/\.dockerignore$/i.test(name)) return null;
  if (/^(Dockerfile|Containerfile)([._-].+)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name)) return 'dockerfile';
  if (/^(docker-)?compose([.-][^/]+)?\.ya?ml$/i.test(name)) return 'compose';
  return null;
}

/** The kind of an open document: by language id, or by name for clients that send plain `yaml`. */
export function kindFromLanguage(languageId: string, uri: string): DocumentKind | null {
  const id = languageId.toLowerCase();
  if (id === 'dockerfile' || id === 'containerfile') return 'dockerfile';
  if (id === 'dockercompose' || id === 'yaml.docker-compose' || id === 'docker-compose' || id === 'compose') return 'compose';
  if (id === 'yaml') return kindFromPath(decodeURIComponent(uri.replace(/[?#].*$/, ''))) === 'compose' ? 'compose' : null;
  return null;
}

/** The real file system, for the server and the CLI. */
export const diskFiles: FileAccess = {
  read(path) {
    // Most reads are probes for files that do not exist (.dockerignore, override files): asking
    // first avoids building an exception for each.
    if (!existsSync(path)) return null;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  exists: (path) => existsSync(path),
  list(dir) {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
    } catch {
      return null;
    }
  },
};

/** Whether `path` lies in `root` or below it, after `..` segments are resolved. */
export function isInside(path: string, root: string): boolean {
  const p = resolve(path);
  const r = resolve(root);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * File access confined to `roots` (the workspace folders, or the CLI's arguments): a path
 * outside them, reached by `../` in a Compose file or by a symbolic link, reads as missing.
 * A workspace is data, never authority over the rest of the disk.
 */
export function confinedFiles(base: FileAccess, roots: () => readonly string[]): FileAccess {
  // Roots change rarely (a workspace folder added): their real paths are resolved once each.
  const realRoots = new Map<string, string>();
  const realRoot = (root: string) => {
    let real = realRoots.get(root);
    if (real === undefined) {
      try {
        real = realpathSync.native(root);
      } catch {
        real = resolve(root);
      }
      realRoots.set(root, real);
    }
    return real;
  };
  const allowed = (path: string) => {
    const list = roots();
    if (!list.some((root) => isInside(path, root))) return false;
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      // A file that does not exist (yet) is judged by its name alone.
      return true;
    }
    return list.some((root) => isInside(real, realRoot(root)));
  };
  return {
    read: (path) => (allowed(path) ? base.read(path) : null),
    exists: (path) => allowed(path) && base.exists(path),
    list: base.list ? (dir) => (allowed(dir) ? base.list!(dir) : null) : undefined,
  };
}
