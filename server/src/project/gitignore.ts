import { dirname, join, relative, sep } from 'node:path';
import type { FileAccess } from '../rules/types';

/**
 * Which files of a checkout Git leaves out: a file a `.gitignore` names is on the developer's
 * machine only. A clean clone (a CI runner, a colleague's checkout) does not have it, so a build
 * must not require it, and an image that had it got it from one machine's working tree.
 *
 * The patterns follow gitignore(5): `#` comments, `!` exceptions, a trailing `/` for folders
 * only, a `/` at the start or in the middle anchors a pattern to its file's folder (otherwise the
 * name matches at any depth), `*`, `?`, `[…]` and `**`. A path whose parent folder is ignored
 * stays ignored whatever an exception says. The global excludes file and `.git/info/exclude`
 * are one person's settings and are not read.
 */

interface GitPattern {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

interface IgnoreFile {
  /**
   * Where the file's folder is: for a file inside the root, its folder relative to the root ('' for
   * the root); for one above it, the root's path relative to the file's folder, as `prefix`.
   */
  base: string;
  prefix: string;
  patterns: GitPattern[];
}

export interface GitIgnore {
  /** True when Git ignores the file or folder at `path` (relative to the root given to gitIgnoreOf). */
  ignores(path: string, directory?: boolean): boolean;
}

/** How far above the root the repository's top (the folder with `.git`) is looked for. */
const LEVELS_UP = 6;

/** One pattern as a regular expression over a path relative to its file's folder. */
function compile(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const before = i === 0 || glob[i - 1] === '/';
      const after = glob[i + 2] === '/' || i + 2 === glob.length;
      if (before && after) {
        // `**/` any leading folders, `/**` everything inside.
        body += i + 2 === glob.length ? '.*' : '(?:.*/)?';
        i += glob[i + 2] === '/' ? 2 : 1;
        continue;
      }
      body += '[^/]*';
      i++;
    } else if (c === '*') {
      body += '[^/]*';
    } else if (c === '?') {
      body += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        body += '\\[';
        continue;
      }
      const inner = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      body += `[${inner}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      body += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      body += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${body}$`);
}

export function parseGitignore(text: string): GitPattern[] {
  const out: GitPattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    try {
      out.push({ regex: compile(anchored ? line : `**/${line}`), negated, directoryOnly });
    } catch {
      // A pattern Git would reject matches nothing.
    }
  }
  return out;
}

/** The last pattern of a file that matches decides; undefined when none does. */
function decide(file: IgnoreFile, path: string, directory: boolean): boolean | undefined {
  let rel = path;
  if (file.prefix) rel = `${file.prefix}/${path}`;
  else if (file.base) {
    if (!path.startsWith(`${file.base}/`)) return undefined;
    rel = path.slice(file.base.length + 1);
  }
  let result: boolean | undefined;
  for (const p of file.patterns) {
    if (p.directoryOnly && !directory) continue;
    if (p.regex.test(rel)) result = !p.negated;
  }
  return result;
}

/**
 * The ignore rules that apply under `root` (a build context): the `.gitignore` files of the
 * folders above it up to the repository's top, and those inside it, read when asked about.
 * Null when there is no `.gitignore` at all on the way.
 */
export function gitIgnoreOf(root: string, files: FileAccess): GitIgnore | null {
  // Outermost first: a deeper file's patterns override those above it.
  const above: IgnoreFile[] = [];
  let dir = dirname(root);
  if (!files.exists(join(root, '.git'))) {
    for (let level = 0; level < LEVELS_UP && dir !== dirname(dir); level++) {
      const text = files.read(join(dir, '.gitignore'));
      if (text !== null) above.unshift({ base: '', prefix: relative(dir, root).split(sep).join('/'), patterns: parseGitignore(text) });
      if (files.exists(join(dir, '.git'))) break;
      dir = dirname(dir);
    }
  }
  const inside = new Map<string, IgnoreFile | null>();
  const fileIn = (folder: string): IgnoreFile | null => {
    if (!inside.has(folder)) {
      const text = files.read(join(root, folder, '.gitignore'));
      inside.set(folder, text === null ? null : { base: folder, prefix: '', patterns: parseGitignore(text) });
    }
    return inside.get(folder)!;
  };
  if (above.length === 0 && fileIn('') === null && !files.list) return null;
  const cache = new Map<string, boolean>();
  const ignores = (path: string, directory: boolean): boolean => {
    const key = `${directory ? 'd' : 'f'}:${path}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const parts = path.split('/');
    // A path in an ignored folder is ignored: Git does not look inside it.
    let result = parts.length > 1 && ignores(parts.slice(0, -1).join('/'), true);
    if (!result) {
      const applicable = [...above];
      for (let i = 0; i < parts.length; i++) {
        const file = fileIn(parts.slice(0, i).join('/'));
        if (file) applicable.push(file);
      }
      for (const file of applicable) {
        const decided = decide(file, path, directory);
        if (decided !== undefined) result = decided;
      }
    }
    cache.set(key, result);
    return result;
  };
  return { ignores: (path, directory = false) => ignores(path.replace(/^\.\//, '').replace(/\/+$/, ''), directory) };
}
