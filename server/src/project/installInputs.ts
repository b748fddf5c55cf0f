import { join, posix } from 'node:path';
import type { FileAccess } from '../rules/types';
import { isExcluded, type IgnorePattern } from '../dockerfile/dockerignore';

/**
 * What a dependency install reads besides its manifests. Copying the manifests first and
 * installing before the sources arrive keeps the install's layer cached, but only when the
 * manifests are all it reads: a lifecycle script, a package from the project's own folders or a
 * workspace needs the sources, and a folder a local build leaves in the context (node_modules,
 * obj) would be copied over the installed one afterwards.
 */

/** npm runs these scripts of the root package during `npm install` and `npm ci`. */
export const NPM_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

export interface SourcesNeed {
  /** `script` and `native` may still work (a script that needs nothing); the others cannot. */
  kind: 'workspaces' | 'local' | 'script' | 'native' | 'unreadable';
  reason: string;
}

/** Why an npm install in `dir` needs more than package.json and its lock; null when it does not. */
export function npmNeedsSources(dir: string, files: FileAccess): SourcesNeed | null {
  let pkg: { scripts?: Record<string, unknown>; workspaces?: unknown } & Record<string, unknown>;
  try {
    pkg = JSON.parse(files.read(join(dir, 'package.json')) ?? '');
  } catch {
    return { kind: 'unreadable', reason: '`package.json` could not be read, so what the install runs is unknown' };
  }
  if (!pkg || typeof pkg !== 'object') return { kind: 'unreadable', reason: '`package.json` is not an object' };
  if (pkg.workspaces) return { kind: 'workspaces', reason: '`package.json` declares workspaces, whose own package.json files the install reads' };
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof spec === 'string' && /^(?:file:|link:|portal:|workspace:|\.{0,2}\/|~\/)/.test(spec)) {
        return { kind: 'local', reason: `the dependency \`${name}\` comes from the project's own files (\`${spec}\`)` };
      }
    }
  }
  const script = NPM_LIFECYCLE.find((s) => typeof pkg.scripts?.[s] === 'string');
  if (script) return { kind: 'script', reason: `\`package.json\`'s \`${script}\` script runs during the install and may need the sources` };
  if (files.exists(join(dir, 'binding.gyp'))) return { kind: 'native', reason: 'the package builds its own native addon (`binding.gyp`) during the install, from the sources' };
  return null;
}

/** A requirements line that installs from the project's own files needs them. */
const LOCAL_REQUIREMENT = /^\s*(?:-e\s+|--editable[\s=]+)?(?:\.{1,2}(?:\/|\[|$|\s)|file:|\/)|@\s*file:|^\s*(?:-e|--editable)\s/;
const INCLUDE = /^\s*(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)/;
/** Options that make pip read packages from a folder (or an index) of the project's own files. */
const LOCAL_SOURCE = /^\s*(?:-f|--find-links|--no-index|(?:-i|--index-url|--extra-index-url)[\s=]+(?:file:|\.{0,2}\/))/;

/** What one requirements file says about its inputs: a local requirement, and the files it includes. */
export function requirementInputs(text: string): { local: string | null; includes: string[] } {
  const includes: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (LOCAL_REQUIREMENT.test(line) || LOCAL_SOURCE.test(line)) return { local: line.trim(), includes };
    const include = INCLUDE.exec(line);
    if (include) includes.push(include[1]);
  }
  return { local: null, includes };
}

/**
 * The requirements files pip reads from `start` (relative to `dir`), following `-r`/`-c`; with
 * why they need the sources (an editable or local requirement, a file outside `dir`), or null.
 */
export function requirementFiles(dir: string, start: string[], files: FileAccess): { files: string[]; needs: string | null } {
  const found: string[] = [];
  const queue = start.map((f) => posix.normalize(f));
  while (queue.length > 0) {
    const rel = queue.shift()!;
    if (found.includes(rel)) continue;
    if (rel.startsWith('../') || rel.startsWith('/')) return { files: found, needs: `\`${rel}\` is outside the copied folder` };
    found.push(rel);
    const text = files.read(join(dir, rel));
    if (text === null) continue;
    const inputs = requirementInputs(text);
    if (inputs.local) return { files: found, needs: `\`${rel}\` installs from the project's own files (\`${inputs.local}\`)` };
    queue.push(...inputs.includes.map((i) => posix.join(posix.dirname(rel), i)));
  }
  return { files: found, needs: null };
}

/** Why `go mod download` in `dir` needs more than go.mod and go.sum; null when it does not. */
export function goNeedsSources(dir: string, files: FileAccess): string | null {
  if (files.exists(join(dir, 'go.work'))) return 'a `go.work` file makes the build read the workspace\'s other modules';
  // With vendor/modules.txt, `go build` uses the vendored copies and needs no download (nor the
  // network and credentials a `go mod download` would).
  if (files.exists(join(dir, 'vendor', 'modules.txt'))) return 'the build uses the modules vendored in `vendor/`, which come with the sources';
  const replace = /^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s*=>\s*(\.{1,2}\/\S*)/m.exec(files.read(join(dir, 'go.mod')) ?? '');
  if (replace) return `\`go.mod\` replaces a module with the project's own folder \`${replace[1]}\``;
  return null;
}

/**
 * Of the folders a local build leaves (`node_modules`, `obj`), those the ignore file does not keep
 * out of the context: a copy of the whole context would put them over the ones the install made.
 */
export function unignoredBuildState(folders: string[], patterns: IgnorePattern[] | null): string[] {
  return folders.filter((f) => !patterns || !isExcluded(patterns, f));
}
