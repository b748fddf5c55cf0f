import type { TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export function toOffsets(document: TextDocument, edits: TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText }));
}

/** True when two edits touch the same text (two insertions at one point count as overlapping too). */
export function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start < b.end && b.start < a.end || a.start === b.start;
}

/** Applies non-overlapping edits to the text in one pass. */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = Math.max(cursor, edit.end);
  }
  return out + text.slice(cursor);
}

export function applyEdits(document: TextDocument, edits: TextEdit[]): string {
  return applyOffsetEdits(document.getText(), toOffsets(document, edits));
}
