import { isMap, isScalar, isSeq, visit, type Node, type Scalar } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ComposeRuleParts, FixContext } from '../rules/types';
import { parseCompose, type ComposeModel } from './parse';
import { buildProject, type ComposeProject, type ProjectService } from './project';
import { applyEdits } from '../fixes/apply';

/**
 * The configuration Compose applies to each service, as plain data: every definition of the
 * service (an `extends` base, the base file, overrides) with anchors, aliases and `<<` merge keys
 * resolved, merged in order (https://docs.docker.com/reference/compose-file/merge/). Two projects
 * whose values agree for a service run that service the same way. Sequences are appended, as
 * Compose does for `ports`, `volumes` or `cap_add`; the few it replaces (`command`…) only need to
 * compare equal before and after an edit, which appending preserves.
 */

const RESET = Symbol('!reset');

interface Override {
  override: unknown;
}

/** Anchors can nest deeply; past this depth a value is compared as a marker, not followed. */
const MAX_DEPTH = 64;

function valueOf(compose: ComposeModel, node: Node | null, depth: number): unknown {
  const tag = (node as { tag?: string } | null)?.tag;
  if (tag === '!reset') return RESET;
  if (depth > MAX_DEPTH) return '…';
  const resolved = compose.resolve(node);
  let value: unknown;
  if (isMap(resolved)) {
    const out: Record<string, unknown> = {};
    for (const entry of compose.entries(resolved)) out[entry.key] = valueOf(compose, entry.value, depth + 1);
    value = out;
  } else if (isSeq(resolved)) {
    value = compose.items(resolved).map((item) => valueOf(compose, item, depth + 1));
  } else if (isScalar(resolved)) {
    const raw = (resolved as Scalar).value;
    value = raw === null || raw === undefined ? null : raw;
  } else {
    value = null;
  }
  return tag === '!override' ? ({ override: value } satisfies Override) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOverride(value: unknown): value is Override {
  return isRecord(value) && Object.keys(value).length === 1 && 'override' in value;
}

function merge(base: unknown, layer: unknown): unknown {
  if (layer === RESET) return undefined;
  if (isOverride(layer)) return layer.override;
  if (isRecord(base) && isRecord(layer)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(layer)) {
      const merged = merge(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(layer)) return [...base, ...layer];
  return layer;
}

/** A service's merged configuration, as canonical JSON (keys sorted) for comparison. */
export function effectiveService(project: ComposeProject, service: ProjectService): string {
  let value: unknown = {};
  for (const layer of service.layers) value = merge(value, valueOf(layer.compose, layer.node, 0));
  return canonical(value);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** Every service of a project by name, with its merged configuration. */
export function effectiveServices(project: ComposeProject): Map<string, string> {
  return new Map(project.services.map((s) => [s.name, effectiveService(project, s)]));
}

const before = new WeakMap<ComposeModel, Map<string, string>>();

/**
 * The services whose merged configuration a set of edits to `compose` changes (added and removed
 * services included), or null when the file cannot be read safely (a YAML error, before or after).
 */
export function changedServices(compose: ComposeModel, context: FixContext, edits: TextEdit[]): string[] | null {
  if (compose.yaml.errors.length > 0) return null;
  let old = before.get(compose);
  if (!old) {
    old = effectiveServices(buildProject(compose, context.path, context.files));
    before.set(compose, old);
  }
  const document = TextDocument.create(compose.document.uri, 'dockercompose', compose.document.version + 1, applyEdits(compose.document, edits));
  const edited = parseCompose(document, compose.environment);
  if (edited.yaml.errors.length > 0) return null;
  const now = effectiveServices(buildProject(edited, context.path, context.files));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names].filter((name) => old.get(name) !== now.get(name));
}

/** Files without aliases and `extends`, merged with no other file: each service is its own block of text. */
const selfContained = new WeakMap<ComposeModel, boolean>();

/**
 * The fast answer for the common file, where no service shares text with another: the services
 * whose block an edit touches (at most those change). Null when the file shares text (an alias,
 * an `extends`, an override file), where only comparing the merged configurations tells.
 */
function ownedServices(compose: ComposeModel, context: FixContext, edits: TextEdit[]): string[] | null {
  let alone = selfContained.get(compose);
  if (alone === undefined) {
    let aliases = false;
    visit(compose.yaml, { Alias: () => ((aliases = true), visit.BREAK) });
    alone = !aliases && !compose.services.some((s) => compose.get(s.node, 'extends')) && buildProject(compose, context.path, context.files).files.length === 1;
    selfContained.set(compose, alone);
  }
  if (!alone) return null;
  const changed = new Set<string>();
  for (const edit of edits) {
    const start = compose.document.offsetAt(edit.range.start);
    const end = compose.document.offsetAt(edit.range.end);
    for (const service of compose.services) {
      const node = service.node;
      if (!node?.range) continue;
      // An insertion right after a block's last character belongs to that block.
      if (start <= compose.endOf(node) && end >= (service.keyNode.range?.[0] ?? node.range[0])) changed.add(service.name);
    }
  }
  return [...changed];
}

/**
 * Every Compose fix changes the configuration of the finding's service (`data.service`) and of
 * the services the fix names in `services`, nothing else. A fix that edits a value shared through
 * an anchor, or a base that other services extend, would change services nobody asked about
 * (getsentry/self-hosted merges one `depends_on` anchor into about 40 services): it is withdrawn.
 */
export function scopedFix(fix: NonNullable<ComposeRuleParts['fix']>): NonNullable<ComposeRuleParts['fix']> {
  return (finding, compose, context) => {
    const result = fix(finding, compose, context);
    if (!result || result.edits.length === 0) return result;
    const own = finding.data?.service;
    const allowed = new Set([...(typeof own === 'string' ? [own] : []), ...(result.services ?? [])]);
    // The blocks an edit touches are enough when they are all allowed; otherwise (an insertion
    // at the end of another service's block, shared text) the merged configurations decide.
    const touched = compose.yaml.errors.length === 0 ? ownedServices(compose, context, result.edits) : null;
    if (touched?.every((name) => allowed.has(name))) return result;
    const changed = changedServices(compose, context, result.edits);
    return changed !== null && changed.every((name) => allowed.has(name)) ? result : undefined;
  };
}
