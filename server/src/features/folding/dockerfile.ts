import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../../dockerfile/parse';
import { heredocsOf } from '../../dockerfile/symbols';

/**
 * Folding ranges of a Dockerfile: each stage (from its FROM to its last instruction), each
 * instruction that spans lines (continuations or here-documents), each here-document's body, and
 * each block of two or more comment lines. Whole lines, as every client folds.
 */
export function foldingDockerfile(model: DockerfileModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine > startLine) out.push({ startLine, endLine, ...(kind ? { kind } : {}) });
  };
  for (const stage of model.stages) {
    if (!stage.implicit) add(stage.range.start.line, stage.range.end.line, FoldingRangeKind.Region);
  }
  for (const instruction of model.instructions) {
    add(instruction.range.start.line, lastLine(instruction.range.end), undefined);
    for (const heredoc of heredocsOf(instruction)) {
      const content = heredoc.getContentRange();
      // The body, with its closing delimiter left visible.
      const start = heredoc.getNameRange().start.line;
      if (content && start !== instruction.range.start.line) add(start, lastLine(content.end));
    }
  }
  // Comment blocks: consecutive comment lines (directives count: they read as comments).
  const lines = [...model.comments.map((c) => c.line), ...model.directives.map((d) => d.range.start.line)].sort((a, b) => a - b);
  let start = -1;
  let previous = -2;
  for (const line of lines) {
    if (line === previous) continue;
    if (line !== previous + 1) {
      if (start >= 0) add(start, previous, FoldingRangeKind.Comment);
      start = line;
    }
    previous = line;
  }
  if (start >= 0) add(start, previous, FoldingRangeKind.Comment);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** A range that ends at the start of a line ends on the line before. */
function lastLine(end: { line: number; character: number }): number {
  return end.character === 0 && end.line > 0 ? end.line - 1 : end.line;
}
