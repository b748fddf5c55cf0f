import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../dockerfile/parse';
import type { Rule } from '../rules/types';
import { ruleNames } from './settings';
import { documentLines } from '../text/lines';

/** Where rules are silenced in a file: everywhere, or on a span of lines. */
export interface Suppressions {
  file: Set<string>;
  spans: { names: Set<string>; startLine: number; endLine: number }[];
  /** BuildKit's `# check=skip=…`, minus the checks its `experimental=` turns on. */
  checkSkips?: { skip: Set<string>; experimental: Set<string> };
}

const ALL = 'all';

/**
 * BuildKit's build checks (https://docs.docker.com/reference/build-checks/), as BuildKit names
 * them: what `# check=skip=…` can skip, what Docker DX reports, and tally's `buildkit/…` rules.
 */
export const BUILDKIT_CHECKS: readonly string[] = [
  'ConsistentInstructionCasing', 'CopyIgnoredFile', 'DuplicateStageName', 'ExposeInvalidFormat', 'ExposeProtoCasing',
  'FromAsCasing', 'FromPlatformFlagConstDisallowed', 'InvalidBaseImagePlatform', 'InvalidDefaultArgInFrom',
  'InvalidDefinitionDescription', 'JSONArgsRecommended', 'LegacyKeyValueFormat', 'MaintainerDeprecated',
  'MultipleInstructionsDisallowed', 'NoEmptyContinuation', 'RedundantTargetPlatform', 'ReservedStageName',
  'SecretsUsedInArgOrEnv', 'StageNameCasing', 'UndefinedArgInFrom', 'UndefinedVar', 'WorkdirRelativePath',
];
const BUILDKIT = new Set(BUILDKIT_CHECKS.map((n) => n.toLowerCase()));

/** The BuildKit checks a rule covers (its BuildKit aliases, lower-cased); empty for Shipshape's own rules. */
export function buildkitChecksOf(rule: Rule): string[] {
  return rule.aliases.map((a) => a.toLowerCase()).filter((a) => BUILDKIT.has(a));
}

/** BuildKit's experimental checks: off unless `# check=experimental=…` names them, and then not skipped. */
const EXPERIMENTAL_CHECKS = new Set(['copyignoredfile', 'invaliddefinitiondescription']);

export function isSuppressed(suppressions: Suppressions, rule: Rule, range: Range): boolean {
  const names = ruleNames(rule);
  const matches = (set: Set<string>) => set.has(ALL) || names.some((n) => set.has(n));
  if (matches(suppressions.file)) return true;
  // `# check=skip=` is BuildKit's: it skips BuildKit checks only (`all` means all of them), so it
  // silences the rules that cover one and never Shipshape's own production rules.
  const check = suppressions.checkSkips;
  if (check) {
    const checks = buildkitChecksOf(rule);
    const skipped = checks.length > 0 && (check.skip.has(ALL) || checks.some((n) => check.skip.has(n)));
    if (skipped && !checks.some((n) => check.experimental.has(n))) return true;
  }
  const line = range.start.line;
  return suppressions.spans.some((s) => line >= s.startLine && line <= s.endLine && matches(s.names));
}

function splitNames(list: string): string[] {
  return list.split(/[\s,]+/).map((n) => n.trim().toLowerCase()).filter(Boolean);
}

export interface IgnoreComment {
  scope: 'next' | 'file';
  names: string[];
}

/** Reads the text of a comment (without `#`); null when it is not an ignore comment. */
export function parseIgnoreComment(comment: string): IgnoreComment | null {
  // ESLint's convention: ` -- ` ends the names and starts the reason (`# shipshape-ignore a -- why`).
  const text = comment.trim().replace(/\s+--(?:\s.*)?$/, '');
  let m = /^shipshape-ignore(-file)?\s+(.+)$/.exec(text);
  if (m) return { scope: m[1] ? 'file' : 'next', names: splitNames(m[2]) };
  m = /^hadolint\s+(global\s+)?ignore\s*=\s*(.+)$/i.exec(text);
  if (m) return { scope: m[1] ? 'file' : 'next', names: splitNames(m[2]) };
  return null;
}

/**
 * BuildKit's `# check=skip=A,B;error=true` directive: its `skip=` list (checks skipped for the
 * whole file) and its `experimental=` list. BuildKit runs an experimental check
 * the directive names even when `skip=all` (its own tests say so), so a rule that covers one runs.
 */
export function checkDirective(value: string): { skip: string[]; experimental: string[] } {
  const result = { skip: [] as string[], experimental: [] as string[] };
  for (const part of value.split(';')) {
    const [key, list] = part.split('=', 2).map((s) => s.trim());
    const name = key.toLowerCase();
    if ((name === 'skip' || name === 'experimental') && list) result[name] = splitNames(list);
  }
  return result;
}

export function dockerfileSuppressions(model: DockerfileModel): Suppressions {
  const result: Suppressions = { file: new Set(), spans: [] };
  for (const directive of model.directives) {
    if (directive.name !== 'check') continue;
    const { skip, experimental } = checkDirective(directive.value);
    const on = experimental.includes(ALL) ? [...EXPERIMENTAL_CHECKS] : experimental.filter((n) => EXPERIMENTAL_CHECKS.has(n));
    result.checkSkips = { skip: new Set(skip), experimental: new Set(on) };
  }
  let next = 0;
  for (const comment of model.comments) {
    const ignore = parseIgnoreComment(comment.text);
    if (!ignore) continue;
    if (ignore.scope === 'file') {
      for (const n of ignore.names) result.file.add(n);
      continue;
    }
    while (next < model.instructions.length && model.instructions[next].range.start.line <= comment.line) next++;
    const instruction = model.instructions[next];
    if (!instruction) continue;
    result.spans.push({ names: new Set(ignore.names), startLine: instruction.range.start.line, endLine: instruction.range.end.line });
  }
  return result;
}

/**
 * In YAML the comment silences the next key and everything nested under it: the lines that follow
 * with deeper indentation (or, for a block sequence written at the key's own indentation, its items).
 */
export function composeSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: new Set(), spans: [] };
  const lines = documentLines(text);
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const isBlank = (line: string) => line.trim() === '' || line.trimStart().startsWith('#');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const ignore = parseIgnoreComment(m[1]);
    if (!ignore) continue;
    if (ignore.scope === 'file') {
      for (const n of ignore.names) result.file.add(n);
      continue;
    }
    let start = i + 1;
    while (start < lines.length && isBlank(lines[start])) start++;
    if (start >= lines.length) continue;
    const indent = indentOf(lines[start]);
    const opensBlock = /:\s*(#.*)?$/.test(lines[start]);
    let end = start;
    for (let j = start + 1; j < lines.length; j++) {
      if (isBlank(lines[j])) continue;
      const deeper = indentOf(lines[j]) > indent;
      const sameIndentItem = opensBlock && indentOf(lines[j]) === indent && lines[j].trimStart().startsWith('- ');
      if (!deeper && !sameIndentItem) break;
      end = j;
    }
    result.spans.push({ names: new Set(ignore.names), startLine: start, endLine: end });
  }
  return result;
}
