import type { Node, Pair, YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import type { ComposeModel } from './parse';
import { childColumn, columnAt, eol, indentUnit, isBlockMap } from './layout';

/**
 * Text edits for Compose fixes, in the file's own style: they write YAML at node ranges and
 * never re-serialise the document, so comments, key order and indentation stay as they were.
 */

export function insertAt(compose: ComposeModel, offset: number, newText: string): TextEdit {
  const position = compose.document.positionAt(offset);
  return { range: { start: position, end: position }, newText };
}

export function replaceNode(compose: ComposeModel, node: Node, newText: string): TextEdit | undefined {
  if (!node.range) return undefined;
  return { range: { start: compose.document.positionAt(node.range[0]), end: compose.document.positionAt(compose.endOf(node)) }, newText };
}

/**
 * Appends `key: value` lines at the end of a block mapping (a service, `deploy`, …). `lines` are
 * relative: the first level has no indentation and each nested level is prefixed with `unit`
 * (the caller writes them with `unitOf(compose)`). Returns undefined for a flow or empty mapping.
 */
export function appendToMap(compose: ComposeModel, map: Node | null, lines: string[]): TextEdit | undefined {
  if (!isBlockMap(map) || !map.range) return undefined;
  const column = childColumn(compose, map);
  const indent = ' '.repeat(column);
  const nl = eol(compose);
  const text = compose.document.getText();
  // After everything else on the map's last line (a comment stays with the value it follows).
  const end = compose.endOf(map);
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  else if (text[lineEnd - 1] === '\r') lineEnd--;
  if (contentFollows(text, Math.max(end, lineEnd), column)) return undefined;
  return insertAt(compose, Math.max(end, lineEnd), nl + lines.map((l) => indent + l).join(nl));
}

/**
 * True when the first line after `offset` that holds more than a comment is indented to `column`
 * or deeper: text the block that ends at `offset` should have owned. The parser drops some of it
 * without an error (a sequence less indented than the explicit `? - key` it continues), and a key
 * inserted before it would turn that silence into a syntax error.
 */
export function contentFollows(text: string, offset: number, column: number): boolean {
  const pattern = /\r\n|\r|\n/g;
  pattern.lastIndex = offset;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const start = m.index + m[0].length;
    const next = /\r\n|\r|\n/.exec(text.slice(start, start + 10_000));
    const line = text.slice(start, next ? start + next.index : text.length);
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#') && !/^(---|\.\.\.)(\s|$)/.test(line)) return line.length - content.length >= column;
    pattern.lastIndex = start;
  }
  return false;
}

/** The file's indentation step, for nested lines given to appendToMap. */
export function unitOf(compose: ComposeModel): string {
  return indentUnit(compose);
}

/** Deletes a `key: value` pair written alone on its lines (block style); undefined otherwise. */
export function removePair(compose: ComposeModel, map: YAMLMap, pair: Pair): TextEdit | undefined {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (!key?.range || !map.items.includes(pair) || map.flow) return undefined;
  const text = compose.document.getText();
  const start = key.range[0];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '' && text.slice(lineStart, start).trim() !== '-') return undefined;
  const end = value?.range ? compose.endOf(value) : key.range[1];
  let lineEnd = text.indexOf('\n', end);
  lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
  return { range: { start: compose.document.positionAt(lineStart), end: compose.document.positionAt(lineEnd) }, newText: '' };
}

/** The column a node starts at (for lining up inserted lines with it). */
export function columnOf(compose: ComposeModel, node: Node): number {
  return node.range ? columnAt(compose, node.range[0]) : 0;
}
