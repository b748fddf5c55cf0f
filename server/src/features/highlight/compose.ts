import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver-types';
import { occurrenceAt, occurrencesIn } from '../../compose/symbols';
import type { ComposeContext } from '../composeContext';
import { occurrenceRange } from '../definition/compose';

/**
 * The other occurrences of the name under the cursor in this file: declarations as writes, uses
 * as reads. Within one file no other file needs reading, so this stays fast on every cursor move.
 */
export function highlightCompose(context: ComposeContext, position: Position): DocumentHighlight[] {
  const { compose } = context;
  const occurrence = occurrenceAt(compose, compose.document.offsetAt(position));
  if (!occurrence) return [];
  // Names in another file's scope (`extends.file`) are left to references.
  const same = occurrencesIn(compose).filter((o) => o.kind === occurrence.kind && o.name === occurrence.name && o.file === occurrence.file);
  return same.map((o) => ({ range: occurrenceRange(o), kind: o.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}
