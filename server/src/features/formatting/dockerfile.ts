import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-types';
import type { Onbuild } from 'dockerfile-ast';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { heredocsOf } from '../../dockerfile/symbols';
import { propertiesOf } from '../../dockerfile/references';

export interface DockerfileFormatOptions {
  /** Leave the continuation lines of multi-line instructions as written (`shipshape.format.ignoreMultilineInstructions`). */
  ignoreMultilineInstructions?: boolean;
}

/**
 * Formats a Dockerfile the way its readers expect, changing only whitespace and case BuildKit does
 * not read: keywords upper-cased (`ONBUILD`'s trigger too), each instruction starting at column 0,
 * continuation lines indented by one unit (the editor's tab size or a tab), stand-alone comments
 * at column 0. Here-document bodies and their delimiters are never touched (their whitespace is
 * the script's or the file's), nor a continuation line that starts inside a quoted string (its
 * leading whitespace is part of the string), nor parser directives. Edits are per line, so the
 * result formats to itself. With `range`, only the lines in it change.
 */
export function formatDockerfile(model: DockerfileModel, options: FormattingOptions, settings: DockerfileFormatOptions = {}, range?: Range): TextEdit[] {
  const doc = model.document;
  const text = doc.getText();
  const lines = text.split(/\r?\n|\r/);
  const indent = options.insertSpaces === false ? '\t' : ' '.repeat(Math.max(1, options.tabSize || 4));
  const edits: TextEdit[] = [];
  const inRange = (line: number) => !range || (line >= range.start.line && line <= range.end.line);
  const setIndent = (line: number, wanted: string) => {
    if (!inRange(line)) return;
    const current = /^[ \t]*/.exec(lines[line] ?? '')![0];
    if (current !== wanted) edits.push({ range: { start: { line, character: 0 }, end: { line, character: current.length } }, newText: wanted });
  };
  const upper = (r: Range) => {
    if (!inRange(r.start.line)) return;
    const written = doc.getText(r);
    if (written !== written.toUpperCase()) edits.push({ range: r, newText: written.toUpperCase() });
  };
  const covered = new Set<number>();
  for (const instruction of model.instructions) {
    const first = instruction.range.start.line;
    const last = instruction.range.end.line;
    for (let l = first; l <= last; l++) covered.add(l);
    setIndent(first, '');
    upper(instruction.keywordRange);
    if (instruction.keyword === 'ONBUILD') {
      const trigger = (instruction.ast as Onbuild).getTriggerInstruction();
      if (trigger) upper(trigger.getInstructionRange());
    }
    if (last === first || settings.ignoreMultilineInstructions || !wordSplit(instruction)) continue;
    const untouched = untouchedLines(instruction, text, doc.offsetAt.bind(doc), model.escape);
    const spaceBeforeEscape = new RegExp(`[ \\t]${escapeRegExp(model.escape)}[ \\t]*$`);
    // The last line BuildKit joins the next one to (comment and empty lines are dropped).
    let joinedTo = lines[first] ?? '';
    for (let l = first + 1; l <= last; l++) {
      const line = lines[l] ?? '';
      if (line.trim() === '') continue;
      // A line left as written (inside a string, a here-document) is what the next one joins to.
      if (untouched.has(l)) {
        joinedTo = line;
        continue;
      }
      const comment = line.trimStart().startsWith('#');
      // BuildKit joins a continuation line to the one before as written: with no whitespace on
      // either side of the join (`light\` then `ning`), the two make one word, so indenting it
      // would split the word. Such a line stays as written.
      const reindent = comment || /^[ \t]/.test(line) || spaceBeforeEscape.test(joinedTo);
      if (reindent) setIndent(l, indent);
      // What the next line joins to is this line as formatted, so that a second run decides alike.
      if (!comment) joinedTo = reindent ? indent + line.trimStart() : line;
    }
  }
  const directiveLines = new Set(model.directives.map((d) => d.range.start.line));
  for (const comment of model.comments) {
    if (!covered.has(comment.line) && !directiveLines.has(comment.line)) setIndent(comment.line, '');
  }
  return edits;
}

/**
 * The lines of a multi-line instruction whose leading whitespace is content: here-document bodies
 * and closing delimiters, and lines that continue a quoted string. Quotes are followed the way the
 * shell nests them (a `$(…)` inside double quotes opens a fresh context, so
 * `"$(awk 'system("x")')"` is one string); a line is left alone while any quote is open, even one
 * around a `$(…)` whose whitespace the shell would not keep: the formatter only touches what is
 * certainly outside every string.
 */
function untouchedLines(instruction: DockerInstruction, text: string, offsetAt: (p: { line: number; character: number }) => number, escape: string): Set<number> {
  const out = new Set<number>();
  const bodies = new Set<number>();
  for (const heredoc of heredocsOf(instruction)) {
    const content = heredoc.getContentRange();
    const delimiter = heredoc.getDelimiterRange();
    const from = content?.start.line ?? delimiter?.start.line ?? heredoc.getNameRange().end.line + 1;
    const to = delimiter?.end.line ?? instruction.range.end.line;
    for (let l = from; l <= to; l++) bodies.add(l);
  }
  for (const l of bodies) out.add(l);
  const start = offsetAt(instruction.range.start);
  const end = offsetAt(instruction.range.end);
  const first = instruction.range.start.line;
  let line = first;
  // The open contexts, innermost last: `'`, `"`, or `(` for a `$(` inside double quotes.
  const stack: string[] = [];
  let quotes = 0;
  let lineStart = true;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      if (quotes > 0) out.add(line);
      lineStart = true;
      continue;
    }
    if (bodies.has(line)) continue;
    if (lineStart && line !== first && (ch === ' ' || ch === '\t' || ch === '\r')) continue;
    if (lineStart && line !== first && ch === '#') {
      // A comment line inside the instruction: BuildKit drops it before anything reads quotes.
      while (i + 1 < end && text[i + 1] !== '\n') i++;
      continue;
    }
    lineStart = false;
    const top = stack[stack.length - 1];
    if (top === "'") {
      if (ch === "'") {
        stack.pop();
        quotes--;
      }
      continue;
    }
    if (ch === escape) {
      if (text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (top === '"') {
      if (ch === '"') {
        stack.pop();
        quotes--;
      } else if (ch === '$' && text[i + 1] === '(') {
        stack.push('(');
        i++;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      stack.push(ch);
      quotes++;
    } else if (ch === ')' && top === '(') {
      stack.pop();
    } else if (ch === '(' && top === '(') {
      stack.push('(');
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Instructions whose arguments BuildKit splits into words (or hands to the shell), so that the
 * amount of whitespace between two words is no part of any value. WORKDIR, USER, STOPSIGNAL,
 * MAINTAINER and the legacy `ENV NAME value` and `LABEL key value` forms keep the rest of the line as written: spaces a
 * continuation line starts with are part of the value there, and are left alone.
 */
const WORD_SPLIT = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'COPY', 'ADD', 'FROM', 'LABEL', 'ARG', 'EXPOSE', 'VOLUME', 'SHELL', 'ENV']);

function wordSplit(instruction: DockerInstruction): boolean {
  if (!WORD_SPLIT.has(instruction.keyword)) return false;
  // The legacy `ENV name value` and `LABEL key value` forms keep the rest of the line as written.
  return (instruction.keyword !== 'ENV' && instruction.keyword !== 'LABEL') || propertiesOf(instruction).every((p) => p.operator === '=');
}
