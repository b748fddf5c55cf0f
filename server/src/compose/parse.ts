import { isAlias, isMap, type Alias, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { expandVariables, type Variables } from '../text/variables';
import { aliasBomb, aliasTargets } from './aliases';

export interface ComposeProblem {
  message: string;
  range: Range;
}

/** One entry of a mapping after anchors and `<<` merge keys are resolved. */
export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
  pair: Pair;
}

export interface ComposeService {
  name: string;
  keyNode: Node;
  /** The service's mapping (null when the service is written as something else). */
  node: YAMLMap | null;
}

export interface ComposeModel {
  kind: 'compose';
  document: TextDocument;
  yaml: Document.Parsed;
  /** YAML syntax errors and a top level that is not a mapping. */
  problems: ComposeProblem[];
  root: YAMLMap | null;
  services: ComposeService[];
  /** Environment values known statically; Compose would read them from the shell and `.env`. */
  environment: Variables;
  rangeOf(node: Node): Range;
  /** The offset just after a node's last written character (block nodes own their trailing line break). */
  endOf(node: Node): number;
  /** The mapping entry `key` of `map`, following aliases and merge keys; own keys win. */
  get(map: Node | null | undefined, key: string): Entry | undefined;
  entries(map: Node | null | undefined): Entry[];
  /** Follows an alias to the node it names. */
  resolve(node: Node | null | undefined): Node | null;
  /** A scalar's text after interpolation; null when it is not a scalar or depends on an unknown variable. */
  text(node: Node | null | undefined): string | null;
  items(seq: Node | null | undefined): Node[];
}

/** yaml's own unique-key check is quadratic in a mapping's size; duplicates are found in one pass by the model. */
const YAML_OPTIONS = { prettyErrors: false, keepSourceTokens: false, uniqueKeys: false } as const;

/** How many syntax errors the YAML parser finds in a text (fixes are checked against it). */
export function yamlErrorCount(text: string): number {
  return parseDocument(text, YAML_OPTIONS).errors.length;
}

export function parseCompose(document: TextDocument, environment: Variables = new Map()): ComposeModel {
  const source = document.getText();
  const yaml = parseDocument(source, YAML_OPTIONS);
  // An alias bomb is a syntax-level problem: reported as one, it also keeps the other rules
  // (which follow aliases) from reading the file.
  const targets = aliasTargets(yaml);
  if (yaml.errors.length === 0) {
    const bomb = aliasBomb(yaml, targets);
    if (bomb) yaml.errors.push(bomb);
  }
  const rangeOfOffsets = (start: number, end: number): Range => ({
    start: document.positionAt(start),
    end: document.positionAt(Math.max(start, end)),
  });
  const endOf = (node: Node): number => {
    const end = node.range ? node.range[1] : 0;
    let i = end;
    // YAML's white space only (space, tab, line breaks): a U+FEFF, a no-break space or a CR with
    // no LF after it is content to the parser, and an edit written before it would move it.
    while (i > (node.range?.[0] ?? 0) && (/[ \t\n]/.test(source[i - 1]) || (source[i - 1] === '\r' && source[i] === '\n'))) i--;
    return i;
  };
  const rangeOf = (node: Node): Range => {
    const r = node.range;
    return r ? rangeOfOffsets(r[0], endOf(node)) : rangeOfOffsets(0, 0);
  };

  // After the first syntax error the parser's further errors are mostly its consequences: report
  // the first one, as Compose would, where it is.
  const problems: ComposeProblem[] = yaml.errors.slice(0, 1).map((e) => {
    // An error found at the end of the input (an unclosed quote or bracket) is shown on the last
    // written character, where the user can see it, rather than on an empty last line.
    let [start, end] = e.pos;
    if (source.slice(start).trim() === '') {
      start = end = source.trimEnd().length;
      start = Math.max(0, start - 1);
    }
    return {
      message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      range: rangeOfOffsets(start, end),
    };
  });

  visit(yaml, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key)) continue;
        const name = String((key as Scalar).value);
        if (name === '<<') continue;
        if (seen.has(name)) problems.push({ message: `Map keys must be unique: \`${name}\` is already set above; Compose refuses duplicate keys.`, range: rangeOf(key) });
        seen.add(name);
      }
    },
  });

  const resolve = (node: Node | null | undefined): Node | null => {
    let current: unknown = node ?? null;
    for (let depth = 0; depth < 32 && isAlias(current); depth++) {
      current = targets.get(current as Alias) ?? null;
    }
    return (current as Node | null) ?? null;
  };

  // A map's entries are asked for by every rule; they are computed once per map.
  const entriesMemo = new WeakMap<Node, Entry[]>();
  const entries = (map: Node | null | undefined): Entry[] => {
    const resolved = resolve(map);
    if (!resolved) return [];
    let cached = entriesMemo.get(resolved);
    if (!cached) {
      cached = entriesOf(resolved, new Set<Node>());
      entriesMemo.set(resolved, cached);
    }
    return cached;
  };

  const entriesOf = (map: Node | null | undefined, seen: Set<Node>): Entry[] => {
    const resolved = resolve(map);
    if (!isMap(resolved) || seen.has(resolved)) return [];
    seen.add(resolved);
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of (resolved as YAMLMap).items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : null;
      if (key === '<<') {
        const source = resolve(pair.value as Node);
        const sources = isSeq(source) ? (source as YAMLSeq).items.map((n) => resolve(n as Node)) : [source];
        for (const s of sources) merged.push(...entriesOf(s, seen));
        continue;
      }
      if (key !== null) own.push({ key, keyNode, value: (pair.value as Node | null) ?? null, pair: pair as Pair });
    }
    const ownKeys = new Set(own.map((e) => e.key));
    const result = [...own];
    for (const e of merged) {
      if (ownKeys.has(e.key)) continue;
      ownKeys.add(e.key);
      result.push(e);
    }
    return result;
  };

  const get = (map: Node | null | undefined, key: string): Entry | undefined => entries(map).find((e) => e.key === key);

  const text = (node: Node | null | undefined): string | null => {
    const resolved = resolve(node);
    if (!isScalar(resolved)) return null;
    const value = (resolved as Scalar).value;
    if (value === null || value === undefined) return null;
    return expandVariables(String(value), environment, { syntax: 'compose' });
  };

  const items = (seq: Node | null | undefined): Node[] => {
    const resolved = resolve(seq);
    return isSeq(resolved) ? ((resolved as YAMLSeq).items as Node[]) : [];
  };

  const contents = yaml.contents as Node | null;
  let root: YAMLMap | null = null;
  if (isMap(contents)) {
    root = contents as YAMLMap;
  } else if (contents && !(isScalar(contents) && (contents as Scalar).value === null) && yaml.errors.length === 0) {
    problems.push({
      message: `A Compose file is a mapping with a \`services:\` key, but this file's top level is ${isSeq(contents) ? 'a list' : 'a scalar'}.`,
      range: rangeOf(contents),
    });
  }

  const services: ComposeService[] = [];
  const servicesEntry = get(root, 'services');
  for (const entry of entries(servicesEntry?.value)) {
    const node = resolve(entry.value);
    services.push({ name: entry.key, keyNode: entry.keyNode, node: isMap(node) ? (node as YAMLMap) : null });
  }

  return { kind: 'compose', document, yaml, problems, root, services, environment, rangeOf, endOf, get, entries, resolve, text, items };
}
