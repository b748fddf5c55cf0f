/**
 * Where the cursor is in a Compose file being typed, read from indentation: a file mid-edit is
 * often not YAML yet (`  res` under a service has no colon), so completion cannot rely on the
 * parser's tree. The key path from the root (list items as `0`) and what is being typed.
 */

export interface Cursor {
  /** Keys from the root to the mapping or list the cursor is in (`['services', 'web', 'depends_on']`). */
  path: string[];
  /**
   * `key`: a key is being typed (`  res|`, or an empty line); `value`: the value of `key` on this
   * line (`restart: |`); `item`: a list item's value (`- |`).
   */
  at: 'key' | 'value' | 'item';
  /** The key of a `value` position. */
  key: string | null;
  /** The word typed so far, and where it starts on the line. */
  prefix: string;
  start: number;
  /** The column of the key being typed (its indentation). */
  column: number;
  /** The indentation one level deeper takes in this file (two spaces unless it says otherwise). */
  unit: string;
  /** The keys already written in the mapping the cursor is in, for `key` positions. */
  siblings: Set<string>;
  /** The line of the mapping's or list's own key (-1 for the top level). */
  parentLine: number;
  /** The column of `${` when the cursor is in an unfinished `${…`, with the name typed so far. */
  variable: { start: number; prefix: string } | null;
}

interface Frame {
  indent: number;
  kind: 'key' | 'item';
  name: string;
  line: number;
}

const KEY_LINE = /^((?:-\s+)*)(["']?)([^"'#:\s][^"'#:]*?|[^"'#]*?)\2\s*:(?:\s+(.*))?$/;

/** Indentation of a line, in spaces (tabs are not YAML indentation). */
function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

export interface LineShape {
  /** Columns of the `- ` markers at the start of the content. */
  dashes: number[];
  /** The key and its column, when the line (after its dashes) is `key:` or `key: value`. */
  key: string | null;
  keyColumn: number;
  /** The value after `key:` (or the item's scalar), as written. */
  value: string;
}

export function shapeOf(line: string): LineShape {
  const indent = indentOf(line);
  const dashes: number[] = [];
  let i = indent;
  while (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === undefined)) {
    dashes.push(i);
    i += 1;
    while (line[i] === ' ') i++;
  }
  const rest = line.slice(i).replace(/\s+#.*$/, '');
  const m = KEY_LINE.exec(rest);
  if (m && !/^[[{]/.test(rest)) return { dashes, key: m[3].trim(), keyColumn: i, value: (m[4] ?? '').trim() };
  return { dashes, key: null, keyColumn: i, value: rest.trim() };
}

/** The stack of open mappings and lists before `upTo` (exclusive), from indentation. */
function stackBefore(lines: string[], upTo: number): Frame[] {
  const stack: Frame[] = [];
  let blockIndent = -1;
  for (let n = 0; n < Math.min(upTo, lines.length); n++) {
    const line = lines[n];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = indentOf(line);
    // Lines of a block scalar (`|`, `>`) belong to its key.
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (trimmed === '---' || trimmed === '...') {
      stack.length = 0;
      continue;
    }
    const shape = shapeOf(line);
    push(stack, shape, n);
    if (shape.key !== null && /^[|>][-+0-9]*$/.test(shape.value)) blockIndent = shape.keyColumn;
  }
  return stack;
}

/** Closes what a line at its indentation ends, then opens its items and key. */
function push(stack: Frame[], shape: LineShape, line: number): void {
  const column = shape.dashes.length > 0 ? shape.dashes[0] : shape.keyColumn;
  popFor(stack, column, shape.dashes.length > 0);
  for (const dash of shape.dashes) stack.push({ indent: dash, kind: 'item', name: '0', line });
  if (shape.key !== null) stack.push({ indent: shape.keyColumn, kind: 'key', name: shape.key, line });
}

function popFor(stack: Frame[], column: number, dash: boolean): void {
  // A list may sit at its key's own indentation (`ports:` then `- "80:80"` below it, unindented).
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.indent > column || (top.indent === column && !(dash && top.kind === 'key'))) stack.pop();
    else break;
  }
}

/** The cursor's context, or null on a comment. */
export function cursorAt(lines: string[], line: number, character: number): Cursor | null {
  const text = lines[line] ?? '';
  const before = text.slice(0, character);
  if (/(^|\s)#/.test(before.replace(/(["'])(?:(?!\1).)*\1/g, ''))) return null;
  const stack = stackBefore(lines, line);
  const variable = /\$\{([A-Za-z0-9_]*)$/.exec(before);
  const shape = shapeOf(before);
  const column = shape.dashes.length > 0 ? shape.dashes[0] : before.trim() === '' ? character : shape.keyColumn;
  popFor(stack, column, shape.dashes.length > 0);
  for (const dash of shape.dashes) stack.push({ indent: dash, kind: 'item', name: '0', line });
  const path = stack.map((f) => f.name);
  const parent = stack[stack.length - 1];
  let cursor: Omit<Cursor, 'unit' | 'siblings'>;
  const variableAt = variable ? { start: before.length - variable[1].length, prefix: variable[1] } : null;
  if (shape.key !== null) {
    // `key: value|`: the value of the key on this line.
    const valueStart = before.length - before.slice(shape.keyColumn).replace(/^[^:]*:\s*/, '').length;
    const typed = before.slice(valueStart).replace(/^["']/, '');
    // `depends_on: [db, |`: an item of a flow list.
    const flow = /^\[(?:[^\]]*,)?\s*["']?([^,\]"']*)$/.exec(typed);
    cursor = flow
      ? { path: [...path, shape.key, '0'], at: 'item', key: null, prefix: flow[1], start: before.length - flow[1].length, column: shape.keyColumn, parentLine: parent?.line ?? -1, variable: variableAt }
      : { path: [...path, shape.key], at: 'value', key: shape.key, prefix: typed, start: before.length - typed.length, column: shape.keyColumn, parentLine: parent?.line ?? -1, variable: variableAt };
  } else {
    const word = /[^\s\-"'[,]*$/.exec(before)![0];
    // `- |` is a list item's value; `- ke|` may also start the key of a mapping item, which completion offers too.
    const at = shape.dashes.length > 0 ? 'item' : 'key';
    cursor = { path, at, key: null, prefix: word, start: before.length - word.length, column: shape.dashes.length > 0 ? shape.keyColumn : column, parentLine: parent?.line ?? -1, variable: variableAt };
  }
  const siblings = cursor.at === 'key' ? siblingKeys(lines, cursor.parentLine, cursor.column, line, parent?.kind === 'item') : new Set<string>();
  return { ...cursor, unit: unitOf(lines), siblings };
}

/** The keys at `column` in the block under `parentLine`, other than on `except`. */
function siblingKeys(lines: string[], parentLine: number, column: number, except: number, item: boolean): Set<string> {
  const keys = new Set<string>();
  const parentIndent = parentLine >= 0 ? indentOf(lines[parentLine]) : -1;
  // A mapping that is a list item starts on the item's own line (`- source: db`).
  if (item && parentLine >= 0 && parentLine !== except) {
    const shape = shapeOf(lines[parentLine]);
    if (shape.key !== null && shape.keyColumn === column) keys.add(shape.key);
  }
  for (let n = parentLine + 1; n < lines.length; n++) {
    const line = lines[n];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = indentOf(line);
    if (n > parentLine && indent <= parentIndent && n !== except) break;
    if (n === except) continue;
    const shape = shapeOf(line);
    if (shape.key !== null && shape.keyColumn === column) keys.add(shape.key);
  }
  return keys;
}

/** The indentation step the file uses: the smallest positive difference between a key and its parent's. */
function unitOf(lines: string[]): string {
  const counts = new Map<number, number>();
  let previous = 0;
  for (const line of lines.slice(0, 400)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('-')) continue;
    const indent = indentOf(line);
    if (indent > previous) counts.set(indent - previous, (counts.get(indent - previous) ?? 0) + 1);
    previous = indent;
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return ' '.repeat(best && best[0] <= 8 ? best[0] : 2);
}
