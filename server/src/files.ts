import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileAccess } from './rules/types';
import type { DocumentKind } from './rules/types';

/**
 * The file names the extension manifest contributes, in one place: `Dockerfile`, `Dockerfile.*`,
 * `*.Dockerfile`, `*.dockerfile`, `Containerfile`; `compose.y(a)ml`, `docker-compose.y(a)ml` and
 * their `.*.y(a)ml` variants (overrides, prod files).
 */
export function kindFromPath(path: string): DocumentKind | null {
  const name = basename(path);
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name)) return 'dockerfile';
  if (/^(docker-)?compose(\.[^/]+)?\.ya?ml$/i.test(name)) return 'compose';
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
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  exists: (path) => existsSync(path),
};
