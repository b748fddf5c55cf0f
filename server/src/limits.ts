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
export function limitFinding(text: string, limits: Limits): Finding | null {
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
