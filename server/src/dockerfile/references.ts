import type { Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { editDistance } from '../text/distance';
import type { DockerInstruction } from './parse';

/* The variables Docker itself expands in a Dockerfile (`$NAME`, `${NAME:-word}`), the predefined
 * build args, and the `name=value` properties of ARG, ENV and LABEL: read by the variable rules. */

/**
 * Build arguments BuildKit defines in the global scope, so `FROM` can use them without an `ARG`.
 * Inside a stage they exist only after `ARG <name>`.
 * https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope
 */
export const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
]);

/** Predefined build arguments that need no `ARG` at all. https://docs.docker.com/reference/dockerfile/#predefined-args */
export const PROXY_ARGS = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy',
  'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

/** A `$NAME` or `${NAME…}` that Docker itself expands, located in the document. */
export interface VariableReference {
  name: string;
  /** The whole reference, from `$` to the closing brace. */
  range: Range;
  /** Only the name. */
  nameRange: Range;
  /** What follows the name inside braces (`:-default`, `%.*`…), or null. */
  modifier: string | null;
}

/**
 * Modifiers that say what to do when the variable is unset: using one shows the author expects
 * that case, so an unset variable is not a mistake there.
 */
export function handlesUnset(modifier: string | null): boolean {
  return modifier !== null && /^:?[-+?=]/.test(modifier);
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Sticky: matched at a position, without copying the rest of the text for each try. */
const COMMENT_LINE = /[ \t]*#[^\n]*(\n|$)/y;
const CONTINUATION = /[ \t]*\r?\n/y;

/**
 * Finds the variable references in a range of the document the way BuildKit's word expansion
 * sees them: nothing inside single quotes, nothing escaped, continuation lines folded and comment
 * lines inside a continued instruction skipped. Operands of `${A:-$B}` are not descended into:
 * they are used only in the case the modifier handles.
 */
export function variableReferences(document: TextDocument, range: Range, escape: string, firstLineOnly = false): VariableReference[] {
  let text = document.getText(range);
  if (firstLineOnly && text.includes('\n')) text = text.slice(0, text.indexOf('\n'));
  const base = document.offsetAt(range.start);
  const at = (index: number) => document.positionAt(base + index);
  const references: VariableReference[] = [];
  let braces: Map<number, number> | undefined;
  let quote: '"' | "'" | null = null;
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (lineStart && i > 0 && quote === null) {
      // A comment line inside a continued instruction is dropped by Docker's parser.
      COMMENT_LINE.lastIndex = i;
      const rest = COMMENT_LINE.exec(text);
      if (rest) {
        i += rest[0].length;
        continue;
      }
    }
    lineStart = false;
    if (ch === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (ch === escape && quote !== "'") {
      CONTINUATION.lastIndex = i + 1;
      const continuation = CONTINUATION.exec(text);
      if (continuation) {
        i += 1 + continuation[0].length;
        lineStart = true;
        continue;
      }
      i += 2;
      continue;
    }
    if (ch === "'" && quote !== '"') {
      quote = quote === "'" ? null : "'";
      i++;
      continue;
    }
    if (ch === '"' && quote !== "'") {
      quote = quote === '"' ? null : '"';
      i++;
      continue;
    }
    if (ch === '$' && quote !== "'") {
      if (text[i + 1] === '{') {
        braces ??= matchingBraces(text);
        const close = braces.get(i + 1) ?? -1;
        NAME.lastIndex = i + 2;
        const name = NAME.exec(text);
        if (close > 0 && name) {
          const end = i + 2 + name[0].length;
          references.push({
            name: name[0],
            range: { start: at(i), end: at(close + 1) },
            nameRange: { start: at(i + 2), end: at(end) },
            modifier: end < close ? text.slice(end, close) : null,
          });
          i = close + 1;
          continue;
        }
      } else {
        NAME.lastIndex = i + 1;
        const name = NAME.exec(text);
        if (name) {
          const end = i + 1 + name[0].length;
          references.push({ name: name[0], range: { start: at(i), end: at(end) }, nameRange: { start: at(i + 1), end: at(end) }, modifier: null });
          i = end;
          continue;
        }
      }
    }
    i++;
  }
  return references;
}

/**
 * The `}` that closes each `{` on the same line (by nesting alone), in one pass: looking for it
 * from each `${` in turn would scan a long line once per reference.
 */
function matchingBraces(text: string): Map<number, number> {
  const matches = new Map<number, number>();
  const open: number[] = [];
  for (let j = 0; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 0x7b) open.push(j);
    else if (ch === 0x7d && open.length > 0) matches.set(open.pop()!, j);
    else if (ch === 0x0a) open.length = 0;
  }
  return matches;
}

/** A `name[=value]` of ARG, ENV or LABEL as dockerfile-ast reads it. */
export interface PropertyView {
  name: string;
  nameRange: Range;
  value: string | null;
  valueRange: Range | null;
  range: Range;
  /** `=`, or null for the legacy `ENV name value` form and for a bare `ARG name`. */
  operator: string | null;
}

export function propertiesOf(instruction: DockerInstruction): PropertyView[] {
  const node = instruction.ast as unknown as {
    getProperties?(): {
      getName(): string; getNameRange(): Range; getValue(): string | null; getValueRange(): Range | null; getRange(): Range; getAssignmentOperator(): string | null;
    }[];
  };
  if (typeof node.getProperties !== 'function') return [];
  return node.getProperties().map((p) => ({
    name: p.getName(),
    nameRange: p.getNameRange(),
    value: p.getValue(),
    valueRange: p.getValueRange(),
    range: p.getRange(),
    operator: p.getAssignmentOperator(),
  }));
}

/**
 * The defined name that `name` is most likely a misspelling of: the same name in another case,
 * or one or two edits away for longer names. Short names are too close to each other by chance
 * (`UID`/`GID`) to guess.
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) return null;
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    if (Math.min(name.length, candidate.length) < 4) continue;
    const limit = Math.min(name.length, candidate.length) >= 6 ? 2 : 1;
    const distance = editDistance(name, candidate, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
