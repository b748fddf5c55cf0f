import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { contentLineCount, documentLines } from '../../text/lines';

/** Instructions an image holds only one of: a later one replaces the earlier one outright. */
const SINGLE = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/**
 * The edit that deletes an instruction's lines, with the comment lines right above it (they
 * describe it) and without leaving a double blank line or trailing blank lines behind.
 */
export function deleteInstructionEdit(model: DockerfileModel, instruction: DockerInstruction): TextEdit {
  const document = model.document;
  const text = document.getText();
  const lines = documentLines(text);
  // A final newline ends the last line; it does not start another one.
  const lineCount = contentLineCount(text, lines);
  const blank = (line: number) => line >= 0 && line < lineCount && lines[line].trim() === '';
  const index = model.instructions.indexOf(instruction);
  const previousEnd = index > 0 ? model.instructions[index - 1].range.end.line : -1;
  const commentLines = new Set(model.comments.map((c) => c.line));
  let from = instruction.range.start.line;
  while (from - 1 > previousEnd && commentLines.has(from - 1)) from--;
  let to = instruction.range.end.line + 1;
  if (to < lineCount) {
    if ((from === 0 || blank(from - 1)) && blank(to)) to++;
  } else {
    while (from > 0 && blank(from - 1)) from--;
  }
  let start = document.offsetAt({ line: from, character: 0 });
  const end = to < lines.length ? document.offsetAt({ line: to, character: 0 }) : text.length;
  // Deleting the last line of a file without a final newline takes the newline before it instead.
  if (end === text.length && !text.endsWith('\n') && start > 0) start -= text[start - 2] === '\r' ? 2 : 1;
  return { range: { start: document.positionAt(start), end: document.positionAt(end) }, newText: '' };
}

interface Overridden {
  instruction: DockerInstruction;
  by: DockerInstruction;
}

function overridden(model: DockerfileModel): Overridden[] {
  const found: Overridden[] = [];
  for (const stage of model.stages) {
    const last = new Map<string, DockerInstruction>();
    for (const instruction of [...stage.instructions].reverse()) {
      if (!SINGLE.has(instruction.keyword)) continue;
      const later = last.get(instruction.keyword);
      if (later) found.push({ instruction, by: later });
      else last.set(instruction.keyword, instruction);
    }
  }
  return found.sort((a, b) => a.instruction.range.start.line - b.instruction.range.start.line);
}

const EFFECT: Record<string, string> = {
  CMD: 'so it never runs and misleads readers about how the container starts',
  ENTRYPOINT: 'so it never runs and misleads readers about how the container starts',
  HEALTHCHECK: 'so this check is never run and only the later one decides whether the container is healthy',
};

/**
 * An image has one CMD, one ENTRYPOINT and one HEALTHCHECK: in a stage with several, only the
 * last of each takes effect. See https://docs.docker.com/reference/dockerfile/#cmd.
 */
export default dockerfileRule({
  id: 'no-duplicate-instructions',
  aliases: ['DL4003', 'DL4004', 'DL3012', 'MultipleInstructionsDisallowed', '41c195f4-fc31-4a5c-8a1b-90605538d49f', '6938958b-3f1a-451c-909b-baeee14bdc97'],
  title: 'Keep one CMD, ENTRYPOINT and HEALTHCHECK per stage',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const { instruction, by } of overridden(dockerfile)) {
      report({
        range: instruction.range,
        message: `This \`${instruction.keyword}\` is replaced by the \`${by.keyword}\` on line ${by.range.start.line + 1} of the same stage, ${EFFECT[instruction.keyword]}; delete it, or merge it into the last one.`,
        data: { keyword: instruction.keyword },
      });
    }
  },
  fix(finding, dockerfile) {
    const item = overridden(dockerfile).find((o) => o.instruction.range.start.line === finding.range.start.line);
    if (!item) return undefined;
    // The instruction had no effect on the image, so deleting it changes nothing.
    return { title: `Delete the overridden ${item.instruction.keyword}`, edits: [deleteInstructionEdit(dockerfile, item.instruction)], safe: true };
  },
});
