import { isAlias, isCollection, isPair, visit, YAMLParseError, type Alias, type Document, type Node } from 'yaml';

/** More values than any real Compose file has, far fewer than an alias bomb expands to. */
export const MAX_EXPANDED_VALUES = 100_000;

/**
 * The error for a "billion laughs" document: one whose aliases expand to more than
 * MAX_EXPANDED_VALUES values. Compose (and any tool that turns the YAML into plain data) would
 * expand every alias and run out of memory; Shipshape counts the expansion without performing it,
 * in time linear in the written document (each node's expanded size is computed once).
 */
export function aliasBomb(yaml: Document.Parsed, targets: ReadonlyMap<Alias, Node | undefined> = aliasTargets(yaml)): YAMLParseError | null {
  if (targets.size === 0) return null;
  const sizes = new Map<Node, number>();
  const active = new Set<Node>();
  let worst: Alias | null = null;
  const sizeOf = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || typeof node !== 'object') return 1;
    if (isPair(node)) return sizeOf(node.key, depth) + sizeOf(node.value, depth);
    if (isAlias(node)) {
      const target = targets.get(node);
      const size = target ? sizeOf(target, depth + 1) : 1;
      if (size > MAX_EXPANDED_VALUES && !worst) worst = node;
      return size;
    }
    const known = sizes.get(node as Node);
    if (known !== undefined) return known;
    // A recursive alias, or nesting deeper than any Compose file: count it as exhausting.
    if (active.has(node as Node) || depth > 1000) return MAX_EXPANDED_VALUES + 1;
    active.add(node as Node);
    let size = 1;
    if (isCollection(node)) {
      for (const item of node.items) {
        size += sizeOf(item, depth + 1);
        if (size > MAX_EXPANDED_VALUES) break;
      }
    }
    active.delete(node as Node);
    sizes.set(node as Node, size);
    return size;
  };
  const total = sizeOf(yaml.contents, 0);
  if (total <= MAX_EXPANDED_VALUES) return null;
  const at = (worst as Alias | null)?.range ?? [0, 0];
  return new YAMLParseError(
    [at[0], at[1]],
    'RESOURCE_EXHAUSTION',
    `YAML aliases expand this file to more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values (an alias bomb): Compose would exhaust its memory expanding it; write the values out or nest fewer aliases.`,
  );
}

/**
 * The node each alias names, for the whole document in one pass. yaml's own `Alias.resolve()`
 * walks the document from the start on every call (quadratic over a file's aliases, seconds on a
 * Compose file with many anchors); this finds the same node: the last one anchored under that
 * name before the alias.
 */
export function aliasTargets(yaml: Document.Parsed): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(yaml, {
    Node(_, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}
