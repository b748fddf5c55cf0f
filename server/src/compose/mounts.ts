import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ComposeModel } from './parse';
import { booleanValue, type ComposeProject, type ProjectService } from './project';

/** A bind mount of a host path into a service, as written in one file. */
export interface HostMount {
  compose: ComposeModel;
  service: string;
  /** The node to report: the short-syntax item, or the long syntax's `source` value. */
  node: Node;
  /** The host path as written (`~/.ssh`, `${HOME}/.ssh`), variables kept when they are unknown. */
  written: string;
  /** The host path normalised for comparison (`~` for the home directory, no trailing slash). */
  path: string;
  readOnly: boolean;
}

/**
 * Splits the short volume syntax `SOURCE:TARGET[:MODE]`. A Windows drive (`C:\data`) stays part of
 * its path; a single part is an anonymous volume, which has no source.
 */
export function splitVolume(spec: string): { source: string | null; target: string; mode: string } | null {
  const m = /^((?:[A-Za-z]:[\\/])?[^:]*)(?::((?:[A-Za-z]:[\\/])?[^:]*))?(?::([^:]*))?$/.exec(spec.trim());
  if (!m) return null;
  if (m[2] === undefined) return { source: null, target: m[1], mode: '' };
  return { source: m[1], target: m[2], mode: m[3] ?? '' };
}

/** True for a host path (as opposed to a named volume): absolute, relative, home, variable or Windows. */
function isHostPath(source: string): boolean {
  return /^([/.~$\\]|[A-Za-z]:[\\/])/.test(source);
}

/** The raw text of a scalar, before interpolation (`${HOME}` stays as written). */
function rawText(node: Node | null): string | null {
  if (!isScalar(node)) return null;
  const value = (node as Scalar).value;
  return value === null || value === undefined ? null : String(value);
}

/** Normalises a host path: `$HOME` and `${HOME}` become `~`, doubled and trailing slashes go. */
export function normaliseHostPath(path: string): string {
  let p = path.trim().replace(/\\/g, '/');
  p = p.replace(/^\$\{HOME\}|^\$HOME(?![A-Za-z0-9_])/, '~');
  p = p.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return p;
}

/**
 * Every host path bind-mounted into the merged service. Volumes are merged by target, so an
 * override that mounts something else at the same target replaces the base file's mount.
 */
export function hostMounts(project: ComposeProject, service: ProjectService): HostMount[] {
  const byTarget = new Map<string, HostMount | null>();
  for (const { compose, node } of project.all(service, ['volumes'])) {
    const list = compose.resolve(node);
    if (!isSeq(list)) continue;
    for (const entry of compose.items(list)) {
      const item = compose.resolve(entry);
      if (isScalar(item)) {
        const raw = rawText(item);
        if (raw === null) continue;
        const parts = splitVolume(compose.text(item) ?? raw);
        const rawParts = splitVolume(raw);
        if (!parts) continue;
        const target = parts.target || rawParts?.target || raw;
        if (parts.source === null || !isHostPath(rawParts?.source ?? parts.source)) {
          byTarget.set(target, null);
          continue;
        }
        const source = compose.text(item) !== null ? parts.source : rawParts?.source ?? parts.source;
        const readOnly = parts.mode.split(',').some((o) => o.trim() === 'ro');
        byTarget.set(target, { compose, service: service.name, node: item, written: rawParts?.source ?? source, path: normaliseHostPath(source), readOnly });
      } else if (isMap(item)) {
        const type = compose.text(compose.get(item, 'type')?.value)?.trim().toLowerCase();
        const sourceNode = compose.get(item, 'source')?.value ?? null;
        const target = compose.text(compose.get(item, 'target')?.value) ?? '';
        const raw = rawText(compose.resolve(sourceNode));
        const bind = type === 'bind' || type === 'npipe' || (type === undefined && raw !== null && isHostPath(raw));
        if (!bind || raw === null || !sourceNode) {
          byTarget.set(target, null);
          continue;
        }
        const source = compose.text(sourceNode) ?? raw;
        const readOnly = booleanValue(compose, compose.get(item, 'read_only')?.value ?? null) === true;
        byTarget.set(target, { compose, service: service.name, node: compose.resolve(sourceNode) ?? sourceNode, written: raw, path: normaliseHostPath(source), readOnly });
      }
    }
  }
  return [...byTarget.values()].filter((m): m is HostMount => m !== null);
}
