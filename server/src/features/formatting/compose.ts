import { isCollection, isScalar, parseDocument, visit, type Node } from 'yaml';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver-types';
import type { ComposeModel } from '../../compose/parse';
import { shapeOf } from '../../compose/cursor';

/**
 * Formats a Compose file by re-indenting it, and nothing else: every key, value, quote, anchor,
 * comment and the order of keys stay as written, so the file means the same to Compose (a
 * serialiser would turn `mode: 0440` into `440`, which Compose reads as another number). Each
 * level is indented by `tabSize` spaces, lists the way most of the file writes them (under their
 * key, or indented), multi-line values move with their key, trailing spaces go and the file ends
 * with one line break. A file with a YAML error is left alone; the result is checked to parse to
 * the same data with the same comments, else nothing is changed. Formatting twice changes nothing.
 */
export function formatCompose(compose: ComposeModel, options: FormattingOptions): TextEdit[] {
  if (compose.yaml.errors.length > 0) return [];
  const text = compose.document.getText();
  const formatted = reindent(compose, text, Math.min(8, Math.max(1, Math.floor(options.tabSize || 2))));
  if (formatted === null || formatted === text || !sameMeaning(text, formatted)) return [];
  return [minimalEdit(compose, text, formatted)];
}

interface Frame {
  kind: 'key' | 'item';
  /** The column as written, and as formatted. */
  orig: number;
  next: number;
  /** Where an item's content starts (after `- `), as written and as formatted. */
  contentOrig: number;
  contentNext: number;
}

function reindent(compose: ComposeModel, text: string, unit: number): string | null {
  const rawLines = text.split('\n');
  const crlf = rawLines.map((l) => l.endsWith('\r'));
  const lines = rawLines.map((l) => l.replace(/\r$/, ''));
  if (lines.some((l) => /^\s*\t/.test(l) && l.trim() !== '')) return null;
  // Lines inside a value written over several lines (block scalars, multi-line quoted or plain
  // scalars, flow collections) move with the line that starts the value.
  const continuation = new Set<number>();
  /** Block scalars (`|`, `>`) without an indentation indicator: their content is re-indented one level under their key. */
  const blocks: { header: number; first: number; last: number }[] = [];
  const lineOf = (offset: number) => compose.document.positionAt(offset).line;
  let multiDocument = false;
  visit(compose.yaml, {
    Node(_, node: Node) {
      if (!node.range) return;
      const flow = isCollection(node) && (node as { flow?: boolean }).flow;
      if (!isScalar(node) && !flow) return;
      const first = lineOf(node.range[0]);
      const last = lineOf(Math.max(node.range[0], compose.endOf(node) - 1));
      for (let l = first + 1; l <= last; l++) continuation.add(l);
      const type = (node as { type?: string }).type;
      if ((type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') && /^[|>][-+]?$/.test(text.slice(node.range[0]).split('\n')[0].trim().replace(/\s+#.*$/, ''))) {
        let content = first + 1;
        while (content <= last && lines[content]?.trim() === '') content++;
        if (content <= last) blocks.push({ header: first, first: content, last });
      }
      if (flow) return visit.SKIP;
    },
  });
  if (/^---/m.test(text.replace(/^---[^\n]*\n/, ''))) multiDocument = true;
  if (multiDocument) return null;
  const seqStyle = sequenceStyle(lines, continuation);
  const out: string[] = [];
  const stack: Frame[] = [];
  const deltas: (number | null)[] = new Array(lines.length).fill(null);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const trimmed = line.trim();
    if (continuation.has(n) || trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...' || trimmed.startsWith('%')) continue;
    const indent = line.length - line.trimStart().length;
    const shape = shapeOf(line);
    const dash = shape.dashes.length > 0;
    // A key closes what is at its column or deeper; a list item may sit at its key's own column.
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const closes = top.kind === 'item' ? top.orig >= indent : top.orig > indent || (top.orig === indent && !dash);
      if (!closes) break;
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    let next: number;
    if (!parent) next = 0;
    else if (parent.kind === 'item') next = parent.contentNext;
    else if (dash && seqStyle === 'flush') next = parent.next;
    else next = parent.next + unit;
    deltas[n] = next - indent;
    let column = next;
    for (let d = 0; d < shape.dashes.length; d++) {
      const origDash = shape.dashes[d];
      const contentOrig = d + 1 < shape.dashes.length ? shape.dashes[d + 1] : shape.keyColumn;
      // The spaces after `- ` stay as written, so the item's other keys align with its first.
      stack.push({ kind: 'item', orig: origDash, next: column, contentOrig, contentNext: column + (contentOrig - origDash) });
      column += contentOrig - origDash;
    }
    if (shape.key !== null) stack.push({ kind: 'key', orig: shape.keyColumn, next: column, contentOrig: shape.keyColumn, contentNext: column });
  }
  // Continuation lines take their value's line's move; comments the move of the next line with content.
  let last = 0;
  for (let n = 0; n < lines.length; n++) {
    if (deltas[n] !== null) last = deltas[n]!;
    else if (continuation.has(n)) deltas[n] = last;
  }
  // A block scalar's content goes one level under the line that starts it; its own indentation inside is kept.
  for (const block of blocks) {
    const header = shapeOf(lines[block.header]);
    const column = header.key !== null ? header.keyColumn : header.dashes[header.dashes.length - 1] ?? 0;
    const headerDelta = deltas[block.header] ?? 0;
    const current = lines[block.first].length - lines[block.first].trimStart().length;
    const delta = column + headerDelta + unit - current;
    for (let l = block.first; l <= block.last; l++) if (continuation.has(l)) deltas[l] = delta;
  }
  let following = 0;
  for (let n = lines.length - 1; n >= 0; n--) {
    const trimmed = lines[n].trim();
    if (deltas[n] !== null && !continuation.has(n)) following = deltas[n]!;
    else if (trimmed.startsWith('#') && !continuation.has(n)) deltas[n] = following;
  }
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const delta = deltas[n];
    let result = line;
    if (delta !== null && line.trim() !== '') {
      const indent = line.length - line.trimStart().length;
      result = ' '.repeat(Math.max(0, indent + delta)) + line.slice(indent);
    }
    // Trailing spaces are content in a multi-line scalar; elsewhere they go.
    if (!continuation.has(n)) result = result.replace(/[ \t]+$/, '');
    out.push(result);
  }
  // No blank lines at the end, and one line break after the last line (CRLF where the file uses it).
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  if (out.length === 0) return text;
  const windows = crlf.filter(Boolean).length * 2 > crlf.length - 1;
  const result = out.map((line, n) => line + (n < lines.length - 1 && crlf[n] ? '\r\n' : n < lines.length - 1 ? '\n' : windows ? '\r\n' : '\n')).join('');
  return result;
}

/** `flush` when most lists in the file start at their key's column, `indented` otherwise. */
function sequenceStyle(lines: string[], continuation: Set<number>): 'flush' | 'indented' {
  let flush = 0;
  let indented = 0;
  for (let n = 1; n < lines.length; n++) {
    if (continuation.has(n) || !/^\s*- /.test(lines[n])) continue;
    let p = n - 1;
    while (p >= 0 && (lines[p].trim() === '' || lines[p].trim().startsWith('#'))) p--;
    if (p < 0 || !/:\s*(#.*)?$/.test(lines[p]) || /^\s*- /.test(lines[p])) continue;
    const own = lines[n].length - lines[n].trimStart().length;
    const parent = lines[p].length - lines[p].trimStart().length;
    if (own === parent) flush++;
    else if (own > parent) indented++;
  }
  return flush > indented ? 'flush' : 'indented';
}

/** Whether two texts parse to the same data with the same comments. */
function sameMeaning(before: string, after: string): boolean {
  const a = parseDocument(before, { uniqueKeys: false });
  const b = parseDocument(after, { uniqueKeys: false });
  if (b.errors.length > 0) return false;
  try {
    if (JSON.stringify(a.toJS({ maxAliasCount: -1 })) !== JSON.stringify(b.toJS({ maxAliasCount: -1 }))) return false;
  } catch {
    return false;
  }
  const comments = (text: string) => text.split('\n').map((l) => /#.*$/.exec(l)?.[0].trim() ?? '').filter(Boolean).join('\n');
  return comments(before) === comments(after);
}

/** One edit from the first changed line to the last, so the editor keeps the cursor and folds elsewhere. */
function minimalEdit(compose: ComposeModel, before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  // Back to the start of the line, so the edit replaces whole lines.
  start = before.lastIndexOf('\n', start - 1) + 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return {
    range: { start: compose.document.positionAt(start), end: compose.document.positionAt(endBefore) },
    newText: after.slice(start, endAfter),
  };
}
