import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { ComposeModel } from '../../compose/parse';

/**
 * The outline (and breadcrumbs) of a Compose file: the top-level sections, each service with its
 * keys, the names under `volumes`, `networks`, `secrets` and `configs`, and extension fields with
 * their anchors. Written structure, not the merged one: the outline shows this file.
 */
export function outlineCompose(compose: ComposeModel): DocumentSymbol[] {
  const root = compose.root;
  if (!root) return [];
  return pairsOf(root).map((pair) => topLevel(compose, pair)).filter((s): s is DocumentSymbol => s !== null);
}

/** How deep keys are listed under a service (`deploy.resources.limits.memory` is four). */
const MAX_DEPTH = 4;
/** A file with thousands of keys still answers quickly: the outline stops listing past this many. */
const MAX_SYMBOLS = 5000;

function pairsOf(map: YAMLMap): Pair[] {
  return map.items.filter((p): p is Pair => isScalar(p.key));
}

function keyName(pair: Pair): string {
  return String((pair.key as Scalar).value);
}

/** From the key to the end of the value. */
function fullRange(compose: ComposeModel, pair: Pair): Range {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  const start = key.range![0];
  const end = value?.range ? Math.max(compose.endOf(value), key.range![1]) : key.range![1];
  return { start: compose.document.positionAt(start), end: compose.document.positionAt(end) };
}

function selection(compose: ComposeModel, pair: Pair): Range {
  return compose.rangeOf(pair.key as Node);
}

const SECTION_KIND: Record<string, SymbolKind> = { volumes: SymbolKind.Struct, networks: SymbolKind.Interface, secrets: SymbolKind.Key, configs: SymbolKind.File };

function topLevel(compose: ComposeModel, pair: Pair): DocumentSymbol | null {
  if (!(pair.key as Node).range) return null;
  const name = keyName(pair);
  const value = compose.resolve(pair.value as Node);
  const symbol: DocumentSymbol = { name, kind: SymbolKind.Namespace, range: fullRange(compose, pair), selectionRange: selection(compose, pair) };
  let budget = { left: MAX_SYMBOLS };
  if (name === 'services' && isMap(value)) {
    symbol.children = pairsOf(value as YAMLMap).filter((p) => (p.key as Node).range).map((p) => {
      const service: DocumentSymbol = { name: keyName(p), kind: SymbolKind.Class, detail: serviceDetail(compose, p.value as Node), range: fullRange(compose, p), selectionRange: selection(compose, p) };
      const body = compose.resolve(p.value as Node);
      if (isMap(body)) service.children = keys(compose, body as YAMLMap, 1, budget);
      return service;
    });
  } else if (SECTION_KIND[name] !== undefined && isMap(value)) {
    symbol.children = pairsOf(value as YAMLMap).filter((p) => (p.key as Node).range).map((p) => ({ name: keyName(p), kind: SECTION_KIND[name], detail: declarationDetail(compose, p.value as Node), range: fullRange(compose, p), selectionRange: selection(compose, p) }));
  } else if (isMap(value)) {
    budget = { left: Math.min(budget.left, 500) };
    symbol.kind = name.startsWith('x-') ? SymbolKind.Object : SymbolKind.Namespace;
    symbol.children = keys(compose, value as YAMLMap, 1, budget);
  }
  const anchor = (pair.value as { anchor?: string } | null)?.anchor;
  if (anchor) symbol.detail = `&${anchor}`;
  return symbol;
}

function keys(compose: ComposeModel, map: YAMLMap, depth: number, budget: { left: number }): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const pair of pairsOf(map)) {
    if (budget.left-- <= 0 || !(pair.key as Node).range) break;
    const name = keyName(pair);
    const value = pair.value as Node | null;
    const resolved = compose.resolve(value);
    const symbol: DocumentSymbol = {
      name,
      kind: isMap(resolved) ? SymbolKind.Object : isSeq(resolved) ? SymbolKind.Array : SymbolKind.Property,
      detail: scalarDetail(compose, value),
      range: fullRange(compose, pair),
      selectionRange: selection(compose, pair),
    };
    // Only the mapping written here: an alias's keys are listed where the anchor is.
    if (isMap(value) && depth < MAX_DEPTH) symbol.children = keys(compose, value as YAMLMap, depth + 1, budget);
    out.push(symbol);
  }
  return out;
}

function scalarDetail(compose: ComposeModel, node: Node | null): string | undefined {
  if (!node) return undefined;
  const alias = compose.resolve(node) !== node ? `*${(node as unknown as { source: string }).source}` : undefined;
  if (alias) return alias;
  if (!isScalar(node)) return (node as { anchor?: string }).anchor ? `&${(node as { anchor?: string }).anchor}` : undefined;
  const value = (node as Scalar).value;
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function serviceDetail(compose: ComposeModel, node: Node | null): string | undefined {
  const image = compose.text(compose.get(node, 'image')?.value);
  if (image) return image;
  const build = compose.resolve(compose.get(node, 'build')?.value);
  if (isScalar(build)) return `build ${compose.text(build) ?? ''}`.trim();
  if (isMap(build)) return `build ${compose.text(compose.get(build, 'context')?.value) ?? '.'}`;
  return undefined;
}

function declarationDetail(compose: ComposeModel, node: Node | null): string | undefined {
  const body = compose.resolve(node);
  if (!isMap(body)) return undefined;
  for (const key of ['external', 'file', 'environment', 'driver', 'name']) {
    const text = compose.text(compose.get(body, key)?.value);
    if (text !== null) return `${key}: ${text}`;
  }
  return undefined;
}
