import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver-types';
import { dockerfileSymbols } from '../../dockerfile/symbols';
import type { DockerfileContext } from '../../service';

/**
 * The occurrences of the stage or variable under the cursor: declarations as writes, uses as
 * reads. Scoped as Docker scopes them, so `$VERSION` in one stage does not light up an unrelated
 * `ARG VERSION` of another; a variable no ARG or ENV declares (`$HOME`) lights up its same-named
 * uses in the same stage.
 */
export function highlightDockerfile(context: DockerfileContext, position: Position): DocumentHighlight[] {
  const symbols = dockerfileSymbols(context.model);
  const occurrence = symbols.at(position);
  if (occurrence) {
    return occurrence.symbol.occurrences.map((o) => ({ range: o.range, kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
  }
  const free = symbols.free.find((f) => inside(position, f.range));
  if (!free) return [];
  return symbols.free.filter((f) => f.name === free.name && f.stage === free.stage).map((f) => ({ range: f.range, kind: DocumentHighlightKind.Read }));
}

function inside(p: Position, r: { start: Position; end: Position }): boolean {
  return (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character))
    && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
}
