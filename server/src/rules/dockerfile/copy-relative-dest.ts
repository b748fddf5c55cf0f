import type { Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerfileModel, type DockerInstruction, type Stage } from '../../dockerfile/parse';

/** A word of an instruction's arguments, quotes included, with its place in the document. */
export interface ArgumentWord {
  text: string;
  range: Range;
}

/**
 * Splits an instruction's shell-form arguments into words the way Docker does: blanks separate
 * them unless quoted or escaped; continuation lines and comment lines inside them are skipped.
 * With `firstLineOnly`, a heredoc's body is left out.
 */
export function argumentWords(document: TextDocument, range: Range, escape: string, firstLineOnly = false): ArgumentWord[] {
  let text = document.getText(range);
  if (firstLineOnly && text.includes('\n')) text = text.slice(0, text.indexOf('\n'));
  const base = document.offsetAt(range.start);
  const words: ArgumentWord[] = [];
  let start = -1;
  let end = -1;
  let quote: string | null = null;
  const close = () => {
    if (start >= 0) words.push({ text: text.slice(start, end), range: { start: document.positionAt(base + start), end: document.positionAt(base + end) } });
    start = -1;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quote === null && ch === '\n') {
      close();
      i++;
      // A comment line inside a continued instruction is dropped by Docker's parser.
      const comment = /^[ \t]*#[^\n]*/.exec(text.slice(i));
      if (comment) i += comment[0].length;
      continue;
    }
    if (quote === null && /\s/.test(ch)) {
      close();
      i++;
      continue;
    }
    if (ch === escape && quote !== "'") {
      const continuation = /^[ \t]*\r?\n/.exec(text.slice(i + 1));
      if (continuation && quote === null) {
        close();
        i += 1 + continuation[0].length;
        // Comment lines (and blank ones) inside a continued instruction are dropped by Docker's parser.
        for (let skip = /^[ \t]*(?:#[^\n]*)?\n/.exec(text.slice(i)); skip; skip = /^[ \t]*(?:#[^\n]*)?\n/.exec(text.slice(i))) i += skip[0].length;
        continue;
      }
      if (start < 0) start = i;
      i += 2;
      end = Math.min(i, text.length);
      continue;
    }
    if (start < 0) start = i;
    if (quote === null && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = null;
    i++;
    end = i;
  }
  close();
  return words;
}

/** The destination of a COPY/ADD: the last argument, in shell or JSON form. */
export function destinationOf(dockerfile: DockerfileModel, instruction: DockerInstruction): ArgumentWord | null {
  if (!instruction.argsRange) return null;
  const { document } = dockerfile;
  if (instruction.json) {
    const raw = document.getText(instruction.argsRange);
    const strings = [...raw.matchAll(/"(?:[^"\\]|\\.)*"/g)];
    const last = strings[strings.length - 1];
    if (!last || last.index === undefined) return null;
    const offset = document.offsetAt(instruction.argsRange.start) + last.index;
    return { text: JSON.parse(last[0]) as string, range: { start: document.positionAt(offset), end: document.positionAt(offset + last[0].length) } };
  }
  const words = argumentWords(document, instruction.argsRange, dockerfile.escape, instruction.heredocs.length > 0);
  if (words.length < 2) return null;
  const last = words[words.length - 1];
  return { text: last.text.replace(/^(["'])(.*)\1$/, '$2'), range: last.range };
}

/** `/x`, `\x` and `C:\x` or `C:/x` (Windows) are absolute. */
function isAbsolute(path: string): boolean {
  return /^[/\\]/.test(path) || /^[A-Za-z]:[/\\]/.test(path);
}

/**
 * A relative COPY destination lands in the working directory the base image happens to set (`/`
 * for most), which nothing in this Dockerfile shows and which moves when the base image changes.
 * https://docs.docker.com/reference/dockerfile/#copy
 */
export default dockerfileRule({
  id: 'copy-relative-dest',
  aliases: ['DL3045'],
  title: 'Set WORKDIR before copying to a relative destination',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      const chain = stageAncestry(dockerfile, stage);
      const root = chain[chain.length - 1];
      // `scratch` has no WORKDIR to inherit: a relative path is plainly relative to `/`.
      if (root.base.scratch) continue;
      // A WORKDIR anywhere in a stage this one is built FROM applies here too.
      if (chain.slice(1).some((s) => setsWorkdir(s))) continue;
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'WORKDIR') break;
        if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
        const destination = destinationOf(dockerfile, instruction);
        // A destination built from a variable is often absolute once expanded; its value is not ours to guess.
        if (!destination || isAbsolute(destination.text) || destination.text.replace(/["']/g, '').startsWith('$')) continue;
        report({
          range: destination.range,
          message: `\`${instruction.keyword}\` to the relative \`${destination.text}\` lands in whatever working directory \`${root.base.text.replace(/@sha256:[0-9a-f]+$/i, '')}\` sets (\`/\` for most images), which this stage never states and which moves if the base image changes; set an absolute WORKDIR first or write an absolute destination.`,
        });
      }
    }
  },
});

function setsWorkdir(stage: Stage): boolean {
  return stage.instructions.some((i) => i.keyword === 'WORKDIR');
}
