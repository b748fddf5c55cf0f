import type { Range } from 'vscode-languageserver-types';
import type { Finding } from './rules/types';

/**
 * How much a single document may ask of the analyser. A file past a limit is not parsed at all:
 * it gets one diagnostic that says which limit it crossed, in constant time and memory, instead
 * of a parse whose cost grows with whatever was pasted into the editor.
 */
export interface Limits {
  /** Bytes (UTF-8) above which a document is not analysed. */
  maxFileSize: number;
  /** Lines above which a document is not analysed. */
  maxLines: number;
}

export const defaultLimits: Limits = { maxFileSize: 2_000_000, maxLines: 20_000 };

/** The id diagnostics about analysis limits carry; its page is docs/rules/analysis-limit.md. */
export const LIMIT_RULE = 'analysis-limit';

/** Keeps only positive whole numbers from whatever a client or config file sent. */
export function normalizeLimits(raw: unknown): Limits {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pick = (key: keyof Limits) => {
    const n = value[key];
    return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : defaultLimits[key];
  };
  return { maxFileSize: pick('maxFileSize'), maxLines: pick('maxLines') };
}

const megabytes = (bytes: number) => `${Number((bytes / 1_000_000).toFixed(1))} MB`;
const firstLine: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Why a text is not analysed, as a finding on its first line, or null when it is within the
 * limits. Runs in one pass over the text without allocating per line.
 */
export function limitFinding(text: string, limits: Limits, kind: 'dockerfile' | 'compose' = 'dockerfile'): Finding | null {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so only texts near the limit need an exact count.
  const size = text.length * 3 > limits.maxFileSize ? Buffer.byteLength(text, 'utf8') : text.length;
  if (size > limits.maxFileSize) {
    return {
      rule: LIMIT_RULE,
      range: firstLine,
      message: `File too large to analyse: ${megabytes(size)} > ${megabytes(limits.maxFileSize)} limit (setting \`shipshape.limits.maxFileSize\`).`,
    };
  }
  if (text.indexOf('\0') >= 0) {
    return {
      rule: LIMIT_RULE,
      range: firstLine,
      message: 'File not analysed: it contains NUL bytes, so it is binary rather than a Dockerfile or Compose file.',
    };
  }
  if (kind === 'compose') {
    const depth = flowDepth(text);
    if (depth > MAX_FLOW_DEPTH) {
      return {
        rule: LIMIT_RULE,
        range: firstLine,
        message: `File not analysed: its \`[\` and \`{\` collections nest ${depth.toLocaleString('en-US')} levels deep (more than ${MAX_FLOW_DEPTH}); YAML parsers, Compose's included, slow down or fail on such nesting.`,
      };
    }
  }
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= limits.maxLines; i = text.indexOf('\n', i + 1)) lines++;
  if (lines > limits.maxLines) {
    return {
      rule: LIMIT_RULE,
      range: firstLine,
      message: `File too long to analyse: more than ${limits.maxLines.toLocaleString('en-US')} lines (setting \`shipshape.limits.maxLines\`).`,
    };
  }
  return null;
}

/** Deeper than any Compose file nests `[…]` and `{…}`; the YAML parser's cost grows with depth. */
export const MAX_FLOW_DEPTH = 256;

/**
 * The deepest nesting of flow collections, skipping quoted text on each line: one pass, so that
 * a hostile file is refused before the parser starts on it.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) quote = 0;
    else if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return deepest;
}
