import { join, posix } from 'node:path';
import type { FileAccess } from '../rules/types';
import type { DockerInstruction, DockerfileModel } from '../dockerfile/parse';
import { contextCopy, contextPath, isExcluded } from '../dockerfile/dockerignore';
import { globToRegExp } from '../text/regexp';
import type { BuildContext } from './buildContext';

/**
 * What COPY and ADD put into an image from the build context, worked out from the files on disk:
 * the context as the builder receives it (the ignore file applied), then each instruction's
 * sources expanded and placed the way Docker places them
 * (https://docs.docker.com/reference/dockerfile/#copy): a directory's contents go into the
 * destination, a file goes into it when it is a directory (a trailing `/`, `.`, several sources, a
 * folder that exists) and becomes it otherwise.
 */

export interface ContextTree {
  root: string;
  /** Files sent to the builder, relative to the root. */
  files: string[];
  /** Directories sent to the builder, relative to the root (`.` not included). */
  dirs: Set<string>;
  /** Folders sent whole but not walked (`.git`, `node_modules`): their contents do not matter here. */
  opaque: Set<string>;
  /** False when the walk stopped at its limit: what is not listed may still be there. */
  complete: boolean;
}

/** Folders whose contents are many and never decide what an image needs. */
const OPAQUE = new Set(['.git', 'node_modules', '.hg', '.svn']);
const WALK_LIMIT = 20000;

/** The context as the builder receives it; null when the reader cannot list folders. */
export function readContextTree(context: BuildContext, files: FileAccess, limit = WALK_LIMIT): ContextTree | null {
  if (!files.list) return null;
  const tree: ContextTree = { root: context.dir, files: [], dirs: new Set(), opaque: new Set(), complete: true };
  const patterns = context.ignore?.patterns ?? [];
  const pending = [''];
  let seen = 0;
  while (pending.length > 0) {
    const rel = pending.pop()!;
    const entries = files.list(rel ? join(context.dir, rel) : context.dir);
    if (entries === null) {
      if (rel === '') return null;
      continue;
    }
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      // The ignore file is checked per path; an exception can bring back a file in an excluded folder.
      if (++seen > limit) {
        tree.complete = false;
        return tree;
      }
      if (entry.directory) {
        if (isExcluded(patterns, path) && !patterns.some((p) => p.negated)) continue;
        if (OPAQUE.has(entry.name)) {
          if (!isExcluded(patterns, path)) tree.opaque.add(path);
          continue;
        }
        tree.dirs.add(path);
        pending.push(path);
      } else if (!isExcluded(patterns, path)) {
        tree.files.push(path);
      }
    }
  }
  // A folder kept only for an exception's sake holds nothing: it is not sent.
  for (const dir of [...tree.dirs]) if (isExcluded(patterns, dir) && !tree.files.some((f) => f.startsWith(`${dir}/`))) tree.dirs.delete(dir);
  tree.files.sort();
  return tree;
}

/** One file (or folder not walked) of the context, placed in the image. */
export interface ImageEntry {
  /** Absolute path in the image. */
  path: string;
  /** Path in the context. */
  source: string;
  /** A folder sent whole (`.git`, `node_modules`): its contents are not listed. */
  opaque: boolean;
  instruction: DockerInstruction;
  /** The instruction names this path itself, not a folder or a pattern that happens to hold it. */
  named: boolean;
}

export interface CopyResult {
  entries: ImageEntry[];
  /** Instructions whose effect could not be worked out, with why (a variable, an archive ADD…). */
  unknown: { instruction: DockerInstruction; why: string }[];
}

/** Folders every image has: a COPY to them without a trailing slash still copies into them. */
const SYSTEM_DIRS = /^\/(?:$|bin|sbin|etc|opt|srv|tmp|root|home|usr|usr\/local|usr\/local\/bin|usr\/local\/sbin|usr\/local\/lib|usr\/local\/share|usr\/bin|usr\/sbin|usr\/lib|usr\/share|var|var\/lib|var\/www|var\/www\/html|var\/log|var\/cache|docker-entrypoint\.d|docker-entrypoint-initdb\.d)$/;
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

/**
 * The context files the given instructions (COPY and ADD from the context, in order, each with the
 * working directory in effect) put into the image.
 */
export function simulateCopies(model: DockerfileModel, steps: { instruction: DockerInstruction; workdir: string }[], tree: ContextTree): CopyResult {
  const entries: ImageEntry[] = [];
  const unknown: CopyResult['unknown'] = [];
  const dirs = new Set<string>();
  const addDirs = (path: string) => {
    for (let d = posix.dirname(path); d !== '/' && !dirs.has(d); d = posix.dirname(d)) dirs.add(d);
  };
  for (const { instruction, workdir } of steps) {
    dirs.add(workdir);
    const copy = contextCopy(model, instruction);
    if (!copy) continue;
    if (instruction.flags.some((f) => f.name === 'parents')) {
      unknown.push({ instruction, why: '`--parents` keeps source paths' });
      continue;
    }
    const dest = copy.dest.value;
    if (dest === null || copy.sources.some((s) => s.value === null)) {
      unknown.push({ instruction, why: 'a path depends on a build argument' });
      continue;
    }
    const target = posix.resolve(workdir, dest);
    const excludes = instruction.flags.filter((f) => f.name === 'exclude' && f.value).map((f) => globToRegExp(f.value!));
    const excluded = (path: string) => excludes.some((e) => e.test(path) || e.test(posix.basename(path)));
    const matched: { rel: string; directory: boolean; named: boolean }[] = [];
    for (const source of copy.sources) {
      const rel = contextPath(source.value!);
      if (rel === null) continue;
      if (instruction.keyword === 'ADD' && ARCHIVE.test(rel)) {
        unknown.push({ instruction, why: `ADD unpacks the archive \`${rel}\`` });
        continue;
      }
      if (/[*?[]/.test(rel)) {
        const pattern = globToRegExp(rel);
        for (const d of tree.dirs) if (pattern.test(d)) matched.push({ rel: d, directory: true, named: false });
        for (const f of tree.files) if (pattern.test(f)) matched.push({ rel: f, directory: false, named: false });
      } else if (rel === '.' || tree.dirs.has(rel)) {
        matched.push({ rel, directory: true, named: false });
      } else if (tree.files.includes(rel) || tree.opaque.has(rel)) {
        matched.push({ rel, directory: false, named: true });
      } else if (tree.complete) {
        unknown.push({ instruction, why: `\`${rel}\` is not in the build context` });
      }
    }
    const intoDir = dest.endsWith('/') || dest === '.' || copy.sources.length > 1 || matched.length > 1 || dirs.has(target) || SYSTEM_DIRS.test(target);
    const place = (path: string, source: string, opaque: boolean, named: boolean) => {
      if (excluded(source)) return;
      entries.push({ path, source, opaque, instruction, named });
      addDirs(path);
    };
    for (const m of matched) {
      if (m.directory) {
        // A folder's contents go into the destination, which becomes a folder.
        dirs.add(target);
        const prefix = m.rel === '.' ? '' : `${m.rel}/`;
        for (const f of tree.files) if (f.startsWith(prefix)) place(posix.join(target, f.slice(prefix.length)), f, false, false);
        for (const o of tree.opaque) if (o.startsWith(prefix)) place(posix.join(target, o.slice(prefix.length)), o, true, false);
        for (const d of tree.dirs) if (d.startsWith(prefix)) dirs.add(posix.join(target, d.slice(prefix.length)));
      } else {
        place(intoDir ? posix.join(target, posix.basename(m.rel)) : target, m.rel, tree.opaque.has(m.rel), m.named);
      }
    }
  }
  return { entries, unknown };
}
