import { isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import type { ComposeModel, ComposeService } from './parse';
import { booleanValue, type ComposeProject, type ProjectService } from './project';
import { appendToMap, contentFollows, insertAt, removePair } from './edit';
import { eol } from './layout';
import { imageOf } from './services';
import { finalStage, stageAncestry } from '../dockerfile/parse';
import { parseImageRef, type ImageRef } from '../text/image';

/* Shared by the Compose runtime-security rules: which definition a hardening fix edits, what image
 * a service runs, and small edits of `key: [items]` lists. */

/**
 * Helpers shared by the runtime-hardening rules (capabilities, `security_opt`, `read_only`,
 * networks): where a missing setting is reported, and how a fix adds to a service's lists.
 */

/**
 * The definition in `compose` on which a missing hardening setting of `service` is reported: the
 * file that says what runs (its `image` or `build`). An override that only adds ports, or test data
 * that never names an image, is a fragment: what runs is decided, and reported, elsewhere.
 */
export function hardeningTarget(project: ComposeProject, compose: ComposeModel, service: ProjectService): ComposeService | undefined {
  const own = definitionOf(compose, service.name);
  if (!own?.node) return undefined;
  const image = project.get(service, ['image']);
  const build = project.get(service, ['build']);
  if (!image && !build) return undefined;
  return image?.compose === compose || build?.compose === compose ? own : undefined;
}

/**
 * The image a service runs, as a reference: its `image`, or for a service that builds, the base
 * image of the stage it builds (a `FROM nginx` Dockerfile runs nginx). Null when unknown.
 */
export function runtimeImage(project: ComposeProject, service: ProjectService): ImageRef | null {
  if (project.get(service, ['build'])) {
    const built = project.dockerfile(service);
    const stage = built ? finalStage(built.model, built.target ?? undefined) : undefined;
    if (!built || !stage) return null;
    const chain = stageAncestry(built.model, stage);
    return chain[chain.length - 1]?.base.ref ?? null;
  }
  const image = imageOf(project, service);
  return image ? parseImageRef(image) : null;
}

const definitions = new WeakMap<ComposeModel, Map<string, ComposeService>>();

/** A service's definition in one file, by name (indexed once per file: a file can hold thousands). */
export function definitionOf(compose: ComposeModel, name: string): ComposeService | undefined {
  let byName = definitions.get(compose);
  if (!byName) {
    byName = new Map();
    // A duplicated name is a syntax error (compose-syntax reports it); the first definition is used.
    for (const s of compose.services) if (!byName.has(s.name)) byName.set(s.name, s);
    definitions.set(compose, byName);
  }
  return byName.get(name);
}

/** True when the merged service runs with `privileged: true`. */
export function isPrivileged(project: ComposeProject, service: ProjectService): boolean {
  const located = project.get(service, ['privileged']);
  return located ? booleanValue(located.compose, located.node) === true : false;
}

/** A capability as Docker compares them: upper case, without the `CAP_` prefix. */
export function capabilityName(text: string): string {
  return text.trim().toUpperCase().replace(/^CAP_/, '');
}

/** The `key: value` pair written in the mapping itself (not merged in from an anchor). */
export function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
}

/** A list item as it can be written in a flow sequence (`[ALL]`), quoted when it needs to be. */
function flowItem(text: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(text) ? text : JSON.stringify(text);
}

/**
 * Adds `item` to the list `key` of a block mapping (a service, a `build`), in the list's own style,
 * or writes `key: [item]` when the mapping has no such key. Undefined when the list is merged in
 * from an anchor (writing the key would replace the shared list) or written in a form the edit
 * cannot extend.
 */
export function addSequenceItem(compose: ComposeModel, map: YAMLMap, key: string, item: string): TextEdit | undefined {
  const pair = ownPair(map, key);
  if (!pair) {
    if (compose.get(map, key)) return undefined;
    return appendToMap(compose, map, [`${key}: [${flowItem(item)}]`]);
  }
  const seq = pair.value;
  if (!isSeq(seq) || !seq.range) return undefined;
  const items = (seq as YAMLSeq).items as Node[];
  const text = compose.document.getText();
  if ((seq as YAMLSeq).flow) {
    const last = items[items.length - 1];
    if (!last) return insertAt(compose, seq.range[0] + 1, flowItem(item));
    return insertAt(compose, compose.endOf(last), `, ${flowItem(item)}`);
  }
  const last = items[items.length - 1];
  if (!last?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, last.range[0]);
  if (!/^\s*-\s+$/.test(prefix)) return undefined;
  // After the whole last line, so that a comment written after the last item stays with it.
  let lineEnd = text.indexOf('\n', compose.endOf(last));
  if (lineEnd < 0) lineEnd = text.length;
  else if (text[lineEnd - 1] === '\r') lineEnd--;
  // A list may sit at its key's own column, so only deeper text belongs to it.
  if (contentFollows(text, lineEnd, prefix.indexOf('-') + 1)) return undefined;
  return insertAt(compose, lineEnd, `${eol(compose)}${prefix}${item}`);
}

/**
 * Deletes one item of the list `key` written in `owner`, or the whole `key` when it is the last
 * item (an empty `cap_add:` would not be a list). Undefined for lists shared through an alias or
 * items that share their line with others in a block list.
 */
export function removeSequenceItem(compose: ComposeModel, owner: YAMLMap, key: string, item: Node): TextEdit | undefined {
  const pair = ownPair(owner, key);
  const seq = pair?.value;
  if (!pair || !isSeq(seq) || !(seq as YAMLSeq).items.includes(item) || !item.range) return undefined;
  const items = (seq as YAMLSeq).items as Node[];
  if (items.length === 1) return removePair(compose, owner, pair);
  const text = compose.document.getText();
  const at = (start: number, end: number): TextEdit => ({ range: { start: compose.document.positionAt(start), end: compose.document.positionAt(end) }, newText: '' });
  if ((seq as YAMLSeq).flow) {
    const index = items.indexOf(item);
    if (index > 0) return at(compose.endOf(items[index - 1]), compose.endOf(item));
    const next = items[1];
    return next.range ? at(item.range[0], next.range[0]) : undefined;
  }
  const lineStart = text.lastIndexOf('\n', item.range[0] - 1) + 1;
  if (!/^\s*-\s+$/.test(text.slice(lineStart, item.range[0]))) return undefined;
  let lineEnd = text.indexOf('\n', compose.endOf(item));
  lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
  return at(lineStart, lineEnd);
}
