import type { Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DockerInstruction, DockerfileModel } from './parse';
import { expandVariables } from '../text/variables';

/* The arguments of COPY and ADD: sources and destination as Docker splits them, with ranges. */

/** A word of an instruction's arguments, quotes included, with its place in the document. */
export interface ArgumentWord {
  text: string;
  range: Range;
}

/** Sticky patterns, matched at a position without copying the rest of the text for each try. */
const COMMENT = /[ \t]*#[^\n]*/y;
const CONTINUATION = /[ \t]*\r?\n/y;
const SKIPPED_LINE = /[ \t]*(?:#[^\n]*)?\n/y;

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
      COMMENT.lastIndex = i;
      const comment = COMMENT.exec(text);
      if (comment) i += comment[0].length;
      continue;
    }
    if (quote === null && /\s/.test(ch)) {
      close();
      i++;
      continue;
    }
    if (ch === escape && quote !== "'") {
      CONTINUATION.lastIndex = i + 1;
      const continuation = CONTINUATION.exec(text);
      if (continuation && quote === null) {
        close();
        i += 1 + continuation[0].length;
        // Comment lines (and blank ones) inside a continued instruction are dropped by Docker's parser.
        for (;;) {
          SKIPPED_LINE.lastIndex = i;
          const skip = SKIPPED_LINE.exec(text);
          if (!skip) break;
          i += skip[0].length;
        }
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

/** A source or destination of ADD/COPY. */
export interface PathArgument {
  /** As written. */
  text: string;
  /** With build-arg and ENV defaults expanded; null when a value is only known at build time. */
  value: string | null;
  range: Range;
}

/**
 * The sources and the destination of an ADD or COPY, split the way Docker splits them (on blank
 * space, quotes included, or as a JSON array). Null for heredoc forms and incomplete instructions.
 */
export function pathArguments(model: DockerfileModel, instruction: DockerInstruction): { sources: PathArgument[]; dest: PathArgument } | null {
  if (instruction.heredocs.length > 0) return null;
  const variables = model.stages[instruction.stage]?.variables ?? new Map<string, string | null>();
  let words: { text: string; range: Range }[];
  if (instruction.execForm && instruction.json && instruction.argsRange) {
    const range = instruction.argsRange;
    words = instruction.json.map((text) => ({ text, range }));
  } else {
    words = instruction.ast.getArguments().map((a) => ({ text: a.getValue(), range: a.getRange() }));
  }
  if (words.length < 2) return null;
  const fromJson = Boolean(instruction.execForm && instruction.json && instruction.argsRange);
  const paths = words.map((w) => ({ ...w, value: expandVariables(fromJson ? w.text : unquoteWord(w.text, model.escape), variables, { syntax: 'dockerfile', escape: model.escape }) }));
  return { sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
}

/**
 * A shell-form word as Docker reads it, quotes removed: `"file.tgz"` is `file.tgz`. A `$` inside
 * single quotes stays literal (escaped for the expansion that follows). An unterminated quote is
 * left as written: Docker rejects the line.
 */
export function unquoteWord(text: string, escape: string): string {
  if (!text.includes('"') && !text.includes("'")) return text;
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === null) {
      if (ch === escape && i + 1 < text.length) {
        out += ch + text[++i];
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else {
        out += ch;
      }
    } else if (ch === quote) {
      quote = null;
    } else if (quote === "'") {
      out += ch === '$' ? `${escape}$` : ch;
    } else if (ch === escape && (text[i + 1] === '"' || text[i + 1] === escape)) {
      out += text[++i];
    } else {
      out += ch;
    }
  }
  return quote === null ? out : text;
}

/** URLs that ADD downloads: HTTP(S) and the Git forms BuildKit recognises. */
export function isRemote(path: string): boolean {
  return /^(https?|ftp):\/\//i.test(path) || isGitSource(path);
}

export function isGitSource(path: string): boolean {
  return /^(git@|git:\/\/|ssh:\/\/)/i.test(path) || /^https?:\/\/[^?#]+\.git(?:[?#]|$)/i.test(path);
}

/**
 * Extensions of the compressed and tar files hadolint treats as archives (and `.zst`): a local file
 * with one of them may be unpacked by ADD, which COPY would not do.
 */
const ARCHIVE = /\.(tar|tgz|taz|tb2|tbz|tbz2|tlz|tpz|txz|tZ|gz|bz2|xz|lz|lzma|Z|zst)$/;

export function isArchive(path: string): boolean {
  return ARCHIVE.test(path);
}
