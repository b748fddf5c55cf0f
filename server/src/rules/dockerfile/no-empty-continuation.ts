import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { escapeRegExp } from '../../text/regexp';
import { contentLineCount, documentLines } from '../../text/lines';

/** Keywords that start an instruction; seen after an empty continuation they mean a stray `\`. */
const KEYWORD = /^(ADD|ARG|CMD|COPY|ENTRYPOINT|ENV|EXPOSE|FROM|HEALTHCHECK|LABEL|MAINTAINER|ONBUILD|RUN|SHELL|STOPSIGNAL|USER|VOLUME|WORKDIR)\s/i;

interface EmptyRun {
  instruction: DockerInstruction;
  /** The line whose trailing escape character continues into the empty lines, and its column. */
  escapeLine: number;
  escapeColumn: number;
  /** The empty lines between that line and the next line of content (comment lines may sit between them). */
  empty: number[];
  /** The next line of the instruction when it starts like an instruction of its own (`COPY . .`). */
  swallowed: { line: number; text: string } | null;
}

/**
 * Walks an instruction the way BuildKit's parser does: while a line ends with the escape
 * character (spaces after it allowed), the next line continues it; comment lines are skipped, and
 * empty or blank lines are what BuildKit warns about. A heredoc body starts after the line that
 * ends the instruction, so its empty lines are never counted.
 */
function emptyRuns(model: DockerfileModel): EmptyRun[] {
  const text = model.document.getText();
  const lines = documentLines(text);
  const lineCount = contentLineCount(text, lines);
  const continues = new RegExp(`${escapeRegExp(model.escape)}[ \\t]*$`);
  const found: EmptyRun[] = [];
  for (const instruction of model.instructions) {
    const { start, end } = instruction.range;
    if (end.line === start.line) continue;
    let escapeLine = start.line;
    let continuing = continues.test(lines[start.line]);
    let current: EmptyRun | null = null;
    for (let line = start.line + 1; continuing && line < lineCount; line++) {
      const content = lines[line];
      if (content.trim() === '') {
        if (current) current.empty.push(line);
        else {
          current = { instruction, escapeLine, escapeColumn: lines[escapeLine].search(continues), empty: [line], swallowed: null };
          found.push(current);
        }
        continue;
      }
      if (content.trimStart().startsWith('#')) continue;
      if (current && KEYWORD.test(content.trimStart())) {
        // Only a keyword written in this instruction's casing style is a likely instruction.
        const word = content.trimStart().split(/\s/)[0];
        const written = instruction.ast.getInstruction();
        const sameStyle = (word === word.toUpperCase()) === (written === written.toUpperCase());
        if (sameStyle) current.swallowed = { line, text: content.trim() };
      }
      escapeLine = line;
      current = null;
      continuing = continues.test(content);
    }
  }
  return found;
}

function rangeOf(model: DockerfileModel, run: EmptyRun): Range {
  const last = run.empty[run.empty.length - 1];
  const lastLength = model.document.getText({ start: { line: last, character: 0 }, end: { line: last + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '').length;
  return { start: { line: run.escapeLine, character: run.escapeColumn }, end: { line: last, character: lastLength } };
}

function message(run: EmptyRun): string {
  const count = run.empty.length;
  const lines = count === 1 ? 'an empty line' : `${count} empty lines`;
  if (run.swallowed) {
    const shown = run.swallowed.text.length > 40 ? `${run.swallowed.text.slice(0, 37)}…` : run.swallowed.text;
    return `This \`\\\` continues the \`${run.instruction.keyword}\` across ${lines}, so \`${shown}\` on line ${run.swallowed.line + 1} becomes part of it instead of an instruction of its own; remove the trailing \`\\\` if the instruction ends here.`;
  }
  return `This \`${run.instruction.keyword}\` continues across ${lines}, which hides where the instruction ends and which BuildKit will reject in a future release; delete the empty line${count === 1 ? '' : 's'} (comment lines are fine).`;
}

/**
 * An empty line inside a continued instruction does not end it: Docker skips the line and keeps
 * joining, which BuildKit warns about and plans to reject. See
 * https://docs.docker.com/reference/build-checks/no-empty-continuation/.
 */
export default dockerfileRule({
  id: 'no-empty-continuation',
  aliases: ['NoEmptyContinuation'],
  title: 'Do not leave empty lines inside a continued instruction',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const run of emptyRuns(dockerfile)) {
      report({ range: rangeOf(dockerfile, run), message: message(run), data: { swallowed: run.swallowed !== null } });
    }
  },
  fix(finding, dockerfile) {
    const run = emptyRuns(dockerfile).find((r) => r.escapeLine === finding.range.start.line && r.escapeColumn === finding.range.start.character);
    if (!run) return undefined;
    const document = dockerfile.document;
    if (run.swallowed) {
      // Ending the instruction at the stray `\` splits it in two: what the author most likely
      // meant, but a different build, so it is offered and never applied on its own.
      const lineText = document.getText({ start: { line: run.escapeLine, character: 0 }, end: { line: run.escapeLine + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
      const cut = lineText.slice(0, run.escapeColumn).trimEnd().length;
      const edit: TextEdit = { range: { start: { line: run.escapeLine, character: cut }, end: { line: run.escapeLine, character: lineText.length } }, newText: '' };
      return { title: 'End the instruction here: remove the trailing \\', edits: [edit], safe: false };
    }
    // Docker skips the empty lines, so deleting them builds exactly the same image.
    const edits: TextEdit[] = [];
    for (const line of run.empty) {
      const previous = edits[edits.length - 1];
      const end = document.positionAt(document.offsetAt({ line: line + 1, character: 0 }));
      if (previous && previous.range.end.line === line) previous.range = { start: previous.range.start, end };
      else edits.push({ range: { start: { line, character: 0 }, end }, newText: '' });
    }
    return { title: run.empty.length === 1 ? 'Delete the empty line' : 'Delete the empty lines', edits, safe: true };
  },
});
