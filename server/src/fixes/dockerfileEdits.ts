import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel, Stage } from '../dockerfile/parse';

/**
 * Inserts lines before the stage's first CMD/ENTRYPOINT, where what they set (a user, a
 * healthcheck) applies to what the image runs; the comments right above that instruction (an
 * ignore comment, a note) stay attached to it. Without one, the lines go at the end of the stage.
 */
export function insertBeforeStart(dockerfile: DockerfileModel, stage: Stage, lines: string[]): TextEdit {
  const start = stage.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (start) {
    let line = start.range.start.line;
    const commentLines = new Set(dockerfile.comments.map((c) => c.line));
    while (line > 0 && commentLines.has(line - 1) && line - 1 > stage.from.range.end.line) line--;
    const position = { line, character: 0 };
    return { range: { start: position, end: position }, newText: lines.join('\n') + '\n' };
  }
  return insertAtEnd(dockerfile, stage, lines);
}

/** Appends lines at the end of a stage. */
export function insertAtEnd(dockerfile: DockerfileModel, stage: Stage, lines: string[]): TextEdit {
  const end = stage.range.end;
  const lineText = dockerfile.document.getText({ start: { line: end.line, character: 0 }, end: { line: end.line + 1, character: 0 } });
  const position = { line: end.line, character: lineText.replace(/(?:\r\n|\r|\n)$/, '').length };
  return { range: { start: position, end: position }, newText: '\n' + lines.join('\n') };
}

/** Inserts lines before an instruction, with the instruction's own indentation. */
export function insertBefore(dockerfile: DockerfileModel, instruction: DockerInstruction, lines: string[]): TextEdit {
  const start = instruction.range.start;
  const indent = dockerfile.document.getText({ start: { line: start.line, character: 0 }, end: start });
  const prefix = /^\s*$/.test(indent) ? indent : '';
  const position = { line: start.line, character: 0 };
  return { range: { start: position, end: position }, newText: lines.map((l) => `${prefix}${l}\n`).join('') };
}
