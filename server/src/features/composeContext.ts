import type { FileAccess } from '../rules/types';
import type { ComposeModel } from '../compose/parse';
import { buildProject, type ComposeProject } from '../compose/project';
import { composeSymbols, type ComposeSymbols } from '../compose/symbols';

/**
 * What every Compose editor feature reads: the file's model, where it is, how to read the files
 * beside it, and the project and its names, each computed only when asked.
 */
export interface ComposeContext {
  compose: ComposeModel;
  path: string | null;
  files: FileAccess;
  project(): ComposeProject;
  symbols(): ComposeSymbols;
}

interface Built {
  project: ComposeProject;
  symbols: ComposeSymbols | null;
  /** Every file (and listing) the project and its names read, with what it gave. */
  reads: Map<string, string | null>;
}

/**
 * The project of a model, kept while the files it read are unchanged: completion and hover ask for
 * it on every keystroke and cursor move, and rebuilding it parses the override and extended files again.
 */
const built = new WeakMap<ComposeModel, Map<string | null, Built>>();

/** A file access that notes what it gives into `reads`, so a kept project can be checked against the files. */
function recorder(files: FileAccess, reads: Map<string, string | null>): FileAccess {
  return {
    read: (file) => {
      const text = files.read(file);
      reads.set(file, text);
      return text;
    },
    exists: (file) => {
      const exists = files.exists(file);
      if (!reads.has(`?${file}`)) reads.set(`?${file}`, String(exists));
      return exists;
    },
    list: (dir) => {
      const entries = files.list?.(dir) ?? null;
      reads.set(`/${dir}`, entries && JSON.stringify(entries));
      return entries;
    },
  };
}

function unchanged(files: FileAccess, known: Built): boolean {
  return [...known.reads].every(([key, text]) => {
    if (key.startsWith('?')) return String(files.exists(key.slice(1))) === text;
    if (key.startsWith('/')) {
      const entries = files.list?.(key.slice(1)) ?? null;
      return (entries && JSON.stringify(entries)) === text;
    }
    return files.read(key) === text;
  });
}

export function composeContext(compose: ComposeModel, path: string | null, files: FileAccess): ComposeContext {
  let current: Built | null = null;
  const load = (): Built => {
    if (current) return current;
    let byPath = built.get(compose);
    if (!byPath) built.set(compose, (byPath = new Map()));
    const known = byPath.get(path);
    if (known && unchanged(files, known)) return (current = known);
    const reads = new Map<string, string | null>();
    current = { project: buildProject(compose, path, recorder(files, reads)), symbols: null, reads };
    byPath.set(path, current);
    return current;
  };
  return {
    compose,
    path,
    files,
    project: () => load().project,
    symbols: () => {
      const state = load();
      return (state.symbols ??= composeSymbols(compose, path, recorder(files, state.reads), state.project));
    },
  };
}
