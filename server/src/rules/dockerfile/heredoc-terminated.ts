import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { instructionWords } from '../../dockerfile/syntax';

/** Instructions BuildKit reads heredocs for (also as an ONBUILD trigger). */
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);

interface Opened {
  name: string;
  chomp: boolean;
  range: Range;
}

/**
 * A heredoc (`RUN <<EOF`) runs to the line that holds only its delimiter. Without that line
 * BuildKit takes the rest of the file as the heredoc's body and stops with "unterminated
 * heredoc"; editors that read on show the instructions below as if they counted.
 * https://docs.docker.com/reference/dockerfile/#here-documents
 */
export default dockerfileRule({
  id: 'heredoc-terminated',
  aliases: [],
  title: 'End every heredoc with its delimiter',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    const lines = dockerfile.document.getText().split(/\r\n|\r|\n/);
    for (const instruction of dockerfile.instructions) {
      const opened = heredocsOf(dockerfile, instruction);
      if (opened.length === 0) continue;
      let line = opened.headerEnd + 1;
      for (const heredoc of opened.list) {
        let found = false;
        for (; line < lines.length; line++) {
          const candidate = heredoc.chomp ? lines[line].replace(/^\t+/, '') : lines[line];
          if (candidate === heredoc.name) {
            found = true;
            line++;
            break;
          }
        }
        if (!found) {
          report({
            range: heredoc.range,
            message: `The heredoc \`${heredoc.name}\` is never closed by a line holding only \`${heredoc.name}\`${heredoc.chomp ? ' (after tabs)' : ''}, so BuildKit takes the rest of the file as its body and the build stops with "unterminated heredoc"; end it with a line \`${heredoc.name}\`.`,
          });
          break;
        }
      }
    }
  },
});

/** The heredocs an instruction opens, in order, and the last line of the logical line that opens them. */
function heredocsOf(model: DockerfileModel, instruction: DockerInstruction): { list: Opened[]; headerEnd: number; length: number } {
  const none = { list: [], headerEnd: -1, length: 0 };
  const { words } = instructionWords(model, instruction);
  let keyword = instruction.keyword;
  let first = 0;
  if (keyword === 'ONBUILD' && words.length > 0) {
    keyword = words[0].text.toUpperCase();
    first = 1;
  }
  if (!HEREDOC_INSTRUCTIONS.has(keyword) || words.length <= first) return none;
  const start = words[first].range.start;
  const headerEnd = words[words.length - 1].range.end;
  const header = model.document.getText({ start, end: headerEnd });
  // An exec form (`RUN ["a", "<<b"]`) has no heredocs.
  if (header.trimStart().startsWith('[')) return none;
  const base = model.document.offsetAt(start);
  const list: Opened[] = [];
  for (const word of shellWords(header)) {
    const m = /^\d*<<(-?)([^<]*)$/.exec(word.text);
    if (!m) continue;
    const name = /^[A-Za-z0-9_.-]+/.exec(m[2].replace(/["']/g, ''))?.[0];
    if (!name) continue;
    list.push({
      name,
      chomp: m[1] === '-',
      range: { start: model.document.positionAt(base + word.offset), end: model.document.positionAt(base + word.offset + word.text.length) },
    });
  }
  return { list, headerEnd: headerEnd.line, length: list.length };
}

/** Words split on blanks outside quotes (quotes kept), with their offsets: `"a <<b"` is one word, not a heredoc. */
function shellWords(text: string): { text: string; offset: number }[] {
  const words: { text: string; offset: number }[] = [];
  let quote: string | null = null;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (i < text.length && quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (i === text.length || /\s/.test(ch)) {
      if (start >= 0) words.push({ text: text.slice(start, i), offset: start });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (ch === '\\') i++;
    else if (ch === '"' || ch === "'") quote = ch;
  }
  return words;
}
