import { basename, dirname, join } from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import { expandVariables } from '../text/variables';
import type { DockerInstruction, DockerfileModel } from './parse';
import { escapeRegExp } from '../text/regexp';
import { unquoteWord } from './copyArguments';

/**
 * `.dockerignore`, read and matched the way Docker reads and matches it (moby/patternmatcher and
 * its ignorefile reader): see https://docs.docker.com/build/concepts/context/#dockerignore-files.
 *
 * - one pattern per line; a line starting with `#` is a comment, blank lines are skipped;
 * - patterns are relative to the context root: a leading `/` or `./` is dropped and the path is
 *   cleaned (`a//b/../c` → `a/c`, a trailing `/` goes);
 * - `*` matches any run of characters except `/`, `?` one such character, `**` any number of
 *   directories (including none), `\` escapes the next character;
 * - a pattern excludes a path when it matches the path or any of its parent directories;
 * - `!pattern` re-includes, and the last pattern that matches decides.
 */

export interface IgnorePattern {
  /** The cleaned pattern, without its `!`. */
  pattern: string;
  /** `!pattern`: re-includes what earlier patterns excluded. */
  negated: boolean;
  /** Zero-based line in the file. */
  line: number;
  regex: RegExp;
}

export interface DockerIgnore {
  /** Absolute path of the file that applies. */
  path: string;
  patterns: IgnorePattern[];
}

/** Parses a `.dockerignore`'s text. */
export function parseDockerignore(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, line) => {
    if (raw.startsWith('#')) return;
    let pattern = raw.trim();
    if (!pattern) return;
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1).trim();
    if (!pattern) return;
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    patterns.push({ pattern, negated, line, regex: compile(pattern) });
  });
  return patterns;
}

/** Go's `filepath.Clean` for slash paths: drops `.` and empty segments, resolves `..`. */
export function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (absolute) return `/${joined}`;
  return joined || '.';
}

/** Turns a pattern into a regular expression the way patternmatcher does. */
function compile(pattern: string): RegExp {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` is `**`: any number of directories, including none.
        if (pattern[i + 1] === '/') i++;
        source += i + 1 >= pattern.length ? '.*' : '(?:.*/)?';
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '\\') {
      if (i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
      else source += '\\\\';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      source += escapeRegExp(ch);
    }
  }
  try {
    return new RegExp(`${source}$`);
  } catch {
    // A malformed class: Docker rejects the file; match nothing rather than throw.
    return /(?!)/;
  }
}

function matches(pattern: IgnorePattern, path: string): boolean {
  if (pattern.regex.test(path)) return true;
  // A pattern that excludes a directory excludes everything under it.
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (pattern.regex.test(parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

/** The pattern that decides `path` is excluded, or null when the path stays in the context. */
export function excludedBy(patterns: IgnorePattern[], contextPath: string): IgnorePattern | null {
  const path = cleanPath(contextPath).replace(/^\//, '');
  let decided: IgnorePattern | null = null;
  for (const pattern of patterns) {
    // Like patternmatcher: an exception only matters once excluded, an exclusion only before.
    if (pattern.negated !== (decided !== null)) continue;
    if (matches(pattern, path)) decided = pattern.negated ? null : pattern;
  }
  return decided;
}

export function isExcluded(patterns: IgnorePattern[], contextPath: string): boolean {
  return excludedBy(patterns, contextPath) !== null;
}

/**
 * True when an exception (`!…`) could re-include something below `directory`, so that copying
 * the directory still copies files although the directory itself matches an exclusion
 * (`*` then `!src/main.go`, with `COPY src …`). Patterns are compared folder by folder; a `**`
 * could reach any depth.
 */
export function mayReincludeUnder(patterns: IgnorePattern[], directory: string): boolean {
  const dir = cleanPath(directory).replace(/^\//, '');
  if (dir === '.' || dir === '') return patterns.some((p) => p.negated);
  const dirParts = dir.split('/');
  return patterns.some((p) => {
    if (!p.negated) return false;
    const parts = p.pattern.split('/');
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].includes('**')) return true;
      if (i >= dirParts.length) return true;
      if (!compile(parts[i]).test(dirParts[i])) return false;
    }
    return false;
  });
}

/**
 * Where a new ignore file for this Dockerfile belongs: `.dockerignore` at the root of its context
 * for a `Dockerfile` or `Containerfile` built from its own folder; `<name>.dockerignore` beside the
 * Dockerfile otherwise, so that it applies to this Dockerfile only (other Dockerfiles may share a
 * repository-root context).
 */
export function newIgnoreFileFor(dockerfilePath: string, contextDir: string = dirname(dockerfilePath)): string {
  return /^(Dockerfile|Containerfile)$/i.test(basename(dockerfilePath)) && contextDir === dirname(dockerfilePath)
    ? join(contextDir, '.dockerignore')
    : `${dockerfilePath}.dockerignore`;
}

// ---------------------------------------------------------------------------------------------
// What COPY and ADD read from the context

export interface CopyPath {
  /** As written. */
  text: string;
  /** With build args and ENV expanded from their defaults; null when a value is unknown. */
  value: string | null;
  range: Range;
}

export interface ContextCopy {
  instruction: DockerInstruction;
  /** Sources read from the build context (URLs and git sources of ADD are left out). */
  sources: CopyPath[];
  dest: CopyPath;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;

/**
 * The sources a COPY or ADD takes from the build context, with the destination; null for
 * `--from` copies, here-documents and instructions missing a destination.
 */
export function contextCopy(model: DockerfileModel, instruction: DockerInstruction): ContextCopy | null {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return null;
  if (instruction.flags.some((f) => f.name === 'from') || instruction.heredocs.length > 0) return null;
  const stage = model.stages[instruction.stage];
  const vars = stage?.variables ?? model.globalArgs;
  const expand = (text: string) => expandVariables(text, vars, { syntax: 'dockerfile', escape: model.escape });
  let paths: CopyPath[];
  if (instruction.execForm && instruction.json) {
    const strings = (instruction.ast as unknown as { getJSONStrings?(): { getRange(): Range }[] }).getJSONStrings?.() ?? [];
    const fallback = instruction.argsRange ?? instruction.range;
    paths = instruction.json.map((text, i) => ({ text, value: expand(text), range: strings.length === instruction.json!.length ? strings[i].getRange() : fallback }));
  } else {
    // Docker removes the quotes of shell-form words: `COPY "certs/server.key" …` copies certs/server.key.
    paths = instruction.ast.getArguments().map((a) => ({ text: a.getValue(), value: expand(unquoteWord(a.getValue(), model.escape)), range: a.getRange() }));
  }
  if (paths.length < 2) return null;
  const dest = paths[paths.length - 1];
  const sources = paths.slice(0, -1).filter((p) => !REMOTE.test(p.value ?? p.text));
  return { instruction, sources, dest };
}

/** A source path relative to the context root (`./src/` → `src`, `/` → `.`); null above the root. */
export function contextPath(source: string): string | null {
  const cleaned = cleanPath(source).replace(/^\/+/, '') || '.';
  if (cleaned === '..' || cleaned.startsWith('../')) return null;
  return cleaned;
}

/** True for a source that copies the whole context (`.`, `./`, `/`). */
export function copiesWholeContext(source: CopyPath): boolean {
  return source.value !== null && contextPath(source.value) === '.';
}

/** Every COPY/ADD of the whole build context, in document order. */
export function wholeContextCopies(model: DockerfileModel): { copy: ContextCopy; source: CopyPath }[] {
  const out: { copy: ContextCopy; source: CopyPath }[] = [];
  for (const instruction of model.instructions) {
    const copy = contextCopy(model, instruction);
    const source = copy?.sources.find(copiesWholeContext);
    if (copy && source) out.push({ copy, source });
  }
  return out;
}
