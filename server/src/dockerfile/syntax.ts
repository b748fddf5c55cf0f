import type { Range } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel } from './parse';
import { editDistance } from '../text/distance';

/**
 * What BuildKit's Dockerfile frontend accepts, as facts for the syntax rules (instruction-known,
 * instruction-arguments, flag-known, flag-value-valid, exec-form-valid): its instructions, the
 * flags each one parses, and the word lists it reads. Source of the facts: the Dockerfile
 * reference (https://docs.docker.com/reference/dockerfile/) and BuildKit's frontend
 * (frontend/dockerfile/instructions/parse.go, bflag.go, commands_runmount.go).
 */
export const INSTRUCTION_NAMES = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
] as const;

const INSTRUCTION_SET: ReadonlySet<string> = new Set(INSTRUCTION_NAMES);

export function isInstruction(keyword: string): boolean {
  return INSTRUCTION_SET.has(keyword.toUpperCase());
}

/** How BuildKit reads a flag: a switch (`--link`, `--link=false`), one value, or a repeatable value. */
export type FlagKind = 'bool' | 'string' | 'strings';

/**
 * The flags of each instruction, current BuildKit (Dockerfile frontend 1.x, labs flags included:
 * flagging `--parents` or `--device` as unknown would be a false error under `# syntax=…-labs`).
 * Every other instruction parses flags too and knows none, so any flag is an error there;
 * STOPSIGNAL alone never reads its flags.
 */
export const INSTRUCTION_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  FROM: { platform: 'string' },
  COPY: { from: 'string', chown: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' },
  ADD: { chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', exclude: 'strings', unpack: 'bool' },
  RUN: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
  HEALTHCHECK: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
};

/** The flags an instruction accepts; an empty table for one that takes none; null when it ignores them. */
export function flagsOf(keyword: string): Readonly<Record<string, FlagKind>> | null {
  if (keyword === 'STOPSIGNAL' || !isInstruction(keyword)) return null;
  return INSTRUCTION_FLAGS[keyword] ?? {};
}

/**
 * The flags an instruction's flags are checked against; null where BuildKit never reads them:
 * STOPSIGNAL, `HEALTHCHECK NONE`, and lines that are no instruction (instruction-known's).
 */
export function checkedFlags(model: DockerfileModel, instruction: DockerInstruction): Readonly<Record<string, FlagKind>> | null {
  if (instruction.keyword === 'HEALTHCHECK' && /^none$/i.test(instructionWords(model, instruction).words[0]?.text ?? '')) return null;
  return flagsOf(instruction.keyword);
}

/**
 * The candidate one typo away from `word` (case-insensitive), when exactly one is clearly the
 * closest: at most two edits (one for words of four letters or fewer), and no other candidate
 * as close. Null when nothing is close or two are equally close (`--form`: from or chmod?).
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  const limit = lower.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = Infinity;
  let ties = 0;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      ties = 0;
    } else if (d === bestDistance) {
      ties++;
    }
  }
  return best !== null && bestDistance <= limit && bestDistance > 0 && ties === 0 ? best : null;
}

/** A word of an instruction's first logical line, as the document holds it. */
export interface Word {
  text: string;
  range: Range;
}

/** A leading `--name[=value]` word, as BuildKit splits it off before the instruction's arguments. */
export interface RawFlag {
  /** As written (BuildKit matches flag names case-sensitively). */
  name: string;
  /** Null for `--name` without `=`; quotes removed, as BuildKit removes them. */
  value: string | null;
  range: Range;
  nameRange: Range;
  valueRange: Range | null;
}

export interface InstructionWords {
  flags: RawFlag[];
  /** The words after the flags, split on blanks, up to the end of the instruction's first logical line (a heredoc body is not in it). */
  words: Word[];
  /** The text after the flags, continuations folded and comment lines dropped, as BuildKit hands it to the instruction. */
  rest: string;
}

const cache = new WeakMap<DockerInstruction, InstructionWords>();

/**
 * The flags and words of an instruction as BuildKit's parser splits them: the logical line is
 * folded (escaped newlines removed, comment and blank lines inside it dropped), and its leading
 * words that start with `--` are flags, on every instruction (`CMD --help` is an unknown flag,
 * not a command), up to a lone `--`. A heredoc's body follows the logical line and is not in it.
 */
export function instructionWords(model: DockerfileModel, instruction: DockerInstruction): InstructionWords {
  let result = cache.get(instruction);
  if (result) return result;
  const folded = foldLine(model, instruction);
  const flags: RawFlag[] = [];
  let index = 0;
  const { text } = folded;
  // Leading flags: quote-aware words starting with `--`.
  for (;;) {
    while (index < text.length && /\s/.test(text[index])) index++;
    if (!text.startsWith('--', index)) break;
    const start = index;
    let quote: string | null = null;
    while (index < text.length && (quote || !/\s/.test(text[index]))) {
      if (quote && text[index] === quote) quote = null;
      else if (!quote && (text[index] === '"' || text[index] === "'")) quote = text[index];
      index++;
    }
    if (index - start === 2) break; // a lone `--` ends the flags
    flags.push(rawFlag(model, folded.range(start, index), text.slice(start, index)));
  }
  const rest = text.slice(index).trim();
  const words: Word[] = [];
  for (const m of text.slice(index).matchAll(/\S+/g)) {
    const start = index + m.index!;
    words.push({ text: m[0], range: folded.range(start, start + m[0].length) });
  }
  result = { flags, words, rest };
  cache.set(instruction, result);
  return result;
}

/** BuildKit's line-continuation test: the escape character last on the line, not itself escaped. */
const CONTINUATION_BACKSLASH = /(?:([^\\])\\[ \t]*|^\\[ \t]*)$/;
const CONTINUATION_BACKTICK = /(?:([^`])`[ \t]*|^`[ \t]*)$/;

/** The first logical line of an instruction after its keyword, with each character's document offset. */
function foldLine(model: DockerfileModel, instruction: DockerInstruction): { text: string; range(start: number, end: number): Range } {
  const doc = model.document;
  const source = doc.getText();
  const continuation = model.escape === '`' ? CONTINUATION_BACKTICK : CONTINUATION_BACKSLASH;
  let offset = doc.offsetAt(instruction.keywordRange.end);
  let text = '';
  const offsets: number[] = [];
  let first = true;
  while (offset <= source.length) {
    let lineEnd = source.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = source.length;
    let line = source.slice(offset, lineEnd).replace(/\r$/, '');
    const skip = !first && (/^\s*#/.test(line) || line.trim() === '');
    if (!skip) {
      const m = continuation.exec(line);
      const continues = m !== null;
      if (m) line = line.slice(0, m.index) + (m[1] ?? '');
      for (let i = 0; i < line.length; i++) offsets.push(offset + i);
      text += line;
      if (!continues) break;
    }
    first = false;
    if (lineEnd >= source.length) break;
    offset = lineEnd + 1;
  }
  const at = (i: number) => doc.positionAt(i < offsets.length ? offsets[i] : (offsets.length > 0 ? offsets[offsets.length - 1] + 1 : doc.offsetAt(instruction.keywordRange.end)));
  return {
    text,
    range: (start, end) => ({ start: at(start), end: end > start ? doc.positionAt(offsets[end - 1] + 1) : at(start) }),
  };
}

function rawFlag(model: DockerfileModel, range: Range, text: string): RawFlag {
  const eq = text.indexOf('=');
  const nameEnd = eq < 0 ? text.length : eq;
  // Folded text may span lines: positions come from the document offsets of the flag's start.
  const base = model.document.offsetAt(range.start);
  const sameLine = range.start.line === range.end.line;
  const at = (offset: number) => (sameLine ? model.document.positionAt(base + offset) : offset === text.length ? range.end : model.document.positionAt(base + offset));
  return {
    name: text.slice(2, nameEnd),
    value: eq < 0 ? null : unquote(text.slice(eq + 1)),
    range,
    nameRange: { start: at(2), end: at(nameEnd) },
    valueRange: eq < 0 ? null : { start: at(eq + 1), end: range.end },
  };
}

/** A flag word without its quotes, as BuildKit's flag splitter reads it (`--chown="a:b"` is `a:b`). */
function unquote(text: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else out += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else {
      out += ch;
    }
  }
  return out;
}

/** What a JSON-looking argument list meant, read leniently; null when it does not look like a list of strings. */
export interface LooseArray {
  strings: string[];
  /** What follows `]` (BuildKit allows nothing there). */
  trailing: string;
  /** Why JSON.parse refuses it (the first reason found). */
  problem: 'single quotes' | 'typographic quotes' | 'trailing comma' | 'backslash' | 'text after the array' | 'other';
}

/**
 * Reads `['node', 'a.js']`, `["a", "b",]`, `[“a”]`, `["C:\app"]` as the strings they were meant
 * to be. Only a bracketed, comma-separated list of quoted strings counts: `[ -f x ]` and
 * `[ "$A" = b ]` are shell tests, not exec forms.
 */
export function looseArray(text: string): LooseArray | null {
  const src = text.trim();
  if (!src.startsWith('[')) return null;
  let i = 1;
  const strings: string[] = [];
  let problem: LooseArray['problem'] | null = null;
  const skip = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const note = (p: LooseArray['problem']) => {
    problem ??= p;
  };
  const CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '’': '’' };
  skip();
  if (src[i] === ']') return null;
  for (;;) {
    skip();
    const open = src[i];
    const close = CLOSE[open];
    if (!close) return null;
    if (open === "'") note('single quotes');
    else if (open !== '"') note('typographic quotes');
    i++;
    let value = '';
    for (;;) {
      if (i >= src.length) return null;
      const ch = src[i];
      if (ch === close) break;
      if (ch === '\n') return null;
      if (ch === '\\' && open === '"') {
        const next = src[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (next !== undefined && next in simple) {
          value += simple[next];
          i += 2;
          continue;
        }
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        // `"C:\app"`: JSON has no `\a`; the backslash was meant literally.
        note('backslash');
        value += ch;
        i++;
        continue;
      }
      value += ch;
      i++;
    }
    i++;
    strings.push(value);
    skip();
    if (src[i] === ',') {
      i++;
      skip();
      if (src[i] === ']') {
        note('trailing comma');
        break;
      }
      continue;
    }
    if (src[i] === ']') break;
    return null;
  }
  i++;
  const trailing = src.slice(i).trim();
  if (trailing !== '') note('text after the array');
  return { strings, trailing, problem: problem ?? 'other' };
}

/** The JSON array BuildKit expects, written the way the Dockerfile reference writes it. */
export function jsonArrayText(strings: readonly string[]): string {
  return `[${strings.map((s) => JSON.stringify(s)).join(', ')}]`;
}

/** True when text parses as BuildKit's exec form: a JSON array (of anything; non-strings are an error of their own). */
export function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
