import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { LanguageService, type LintConfig, type SourceFile } from '../../server/src/service';
import { normalizeSettings, emptyProjectConfig } from '../../server/src/config/settings';
import { applyEdits } from '../../server/src/fixes/apply';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind, FileAccess, Rule } from '../../server/src/rules/types';

export const repoRoot = resolve(__dirname, '..', '..', '..');
/** In tests a rule, fix, hover or completion that throws fails the test (the server logs and goes on). */
export const strict = (what: string, error: unknown): never => {
  throw new Error(`${what} failed: ${(error as Error)?.stack ?? String(error)}`);
};

/** The day tests judge dates against (image-end-of-life), so that results do not move with the calendar. */
export const TEST_TODAY = '2026-12-07';
/** A clock stopped on `day` (noon UTC). */
export const clockAt = (day: string) => () => new Date(`${day}T12:00:00Z`);

export const service = new LanguageService({ docsBase: pathToFileURL(resolve(repoRoot, 'docs', 'rules')).href, onFailure: strict, clock: clockAt(TEST_TODAY) });

export function config(settings: Record<string, unknown> = {}, project: Partial<LintConfig['project']> = {}): LintConfig {
  return { settings: normalizeSettings(settings), project: { ...emptyProjectConfig, ...project } };
}

let counter = 0;
export function file(text: string, kind: DocumentKind, path?: string): SourceFile {
  const name = kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml';
  return { uri: path ? pathToFileURL(path).href : `file:///test/${counter++}/${name}`, text, kind };
}

/** Files a rule may read, keyed by absolute path. */
export function fakeFiles(files: Record<string, string> = {}): FileAccess {
  return {
    read: (p) => files[p] ?? null,
    exists: (p) => p in files || Object.keys(files).some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`)),
    // Directories are implied by the paths below them.
    list(dir) {
      const prefix = `${dir.replace(/\/$/, '')}/`;
      const entries = new Map<string, boolean>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue;
        const [name, ...rest] = f.slice(prefix.length).split('/');
        if (name) entries.set(name, (entries.get(name) ?? false) || rest.length > 0);
      }
      return entries.size > 0 ? [...entries].map(([name, directory]) => ({ name, directory })) : null;
    },
  };
}

export interface CheckOptions {
  /** Editor settings (`rules`, `trustedRegistries`…). */
  settings?: Record<string, unknown>;
  /** Files beside the document, by absolute path. */
  files?: Record<string, string>;
  /** The document's own path; `/work/Dockerfile` or `/work/compose.yaml` when files are given. */
  path?: string;
  /** The day dates are judged against; TEST_TODAY by default. */
  today?: string;
}

/** A service running only `rule` (registered in the catalogue or not), with the given files. */
function serviceFor(rule: Rule, options: CheckOptions): { service: LanguageService; source: (text: string, kind: DocumentKind) => SourceFile } {
  const own = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], files: fakeFiles(options.files), onFailure: strict, clock: clockAt(options.today ?? TEST_TODAY) });
  const pathFor = (kind: DocumentKind) => options.path ?? (options.files ? (kind === 'dockerfile' ? '/work/Dockerfile' : '/work/compose.yaml') : undefined);
  return { service: own, source: (text, kind) => file(text, kind, pathFor(kind)) };
}

/** Removes the common indentation of a template literal and its first and last empty lines. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

interface Expected {
  line: number;
  start: number;
  end: number;
  rule: string;
}

/**
 * Reads a test file the way the editor shows it: a line of `~~~ rule-id` marks the columns of
 * the finding on the line above it. Returns the source without the marker lines.
 */
export function parseAnnotated(annotated: string): { text: string; expected: Expected[] } {
  const lines = dedent(annotated).split('\n');
  const source: string[] = [];
  const expected: Expected[] = [];
  for (const line of lines) {
    const m = /^(\s*)(~+)\s+([\w-]+)\s*$/.exec(line);
    if (m && source.length > 0) {
      expected.push({ line: source.length - 1, start: m[1].length, end: m[1].length + m[2].length, rule: m[3] });
    } else {
      source.push(line);
    }
  }
  return { text: source.join('\n'), expected };
}

function describeFinding(f: Expected): string {
  return `${f.rule} at ${f.line}:${f.start}-${f.end}`;
}

/**
 * Lints with only `rule` enabled and asserts the findings are exactly the annotated ones. A
 * finding that spans lines is drawn on its first line, up to that line's end.
 */
export function checkRule(rule: Rule, kind: DocumentKind, annotated: string, options: CheckOptions = {}): void {
  const { text, expected } = parseAnnotated(annotated);
  const own = serviceFor(rule, options);
  // The rule runs even when it is off by default: the test is about what it reports.
  const findings = own.service.lint(own.source(text, kind), config({ ...options.settings, rules: { [rule.id]: rule.severity, ...(options.settings?.rules as object) } }));
  const lines = text.split('\n');
  const actual = findings.map((f) => ({
    line: f.range.start.line,
    start: f.range.start.character,
    end: f.range.end.line === f.range.start.line ? f.range.end.character : lines[f.range.start.line].length,
    rule: f.rule,
  }));
  assert.deepEqual(actual.map(describeFinding), expected.map(describeFinding), `findings of ${rule.id} in:\n${text}`);
}

/** Lints, applies the fix of the first finding of `rule`, and returns the fixed text. */
export function applyFix(rule: Rule, kind: DocumentKind, text: string, options: CheckOptions = {}): { text: string; title: string; safe: boolean; createFiles?: { path: string; text: string }[] } | undefined {
  const own = serviceFor(rule, options);
  const source = own.source(dedent(text), kind);
  const finding = own.service.lint(source, config({ all: true, ...options.settings })).find((f) => f.rule === rule.id);
  assert.ok(finding, `expected a ${rule.id} finding`);
  const fix = own.service.fixFor(source, finding);
  if (!fix) return undefined;
  const document = TextDocument.create(source.uri, kind, 0, source.text);
  const result: { text: string; title: string; safe: boolean; createFiles?: { path: string; text: string }[] } = { text: applyEdits(document, fix.edits), title: fix.title, safe: fix.safe };
  if (fix.createFiles) result.createFiles = fix.createFiles;
  return result;
}

/** The reason the rule gives for declining the fix of its first finding; undefined when it does not decline. */
export function declinedFix(rule: Rule, kind: DocumentKind, text: string, options: CheckOptions = {}): string | undefined {
  const own = serviceFor(rule, options);
  const source = own.source(dedent(text), kind);
  const finding = own.service.lint(source, config({ all: true, ...options.settings })).find((f) => f.rule === rule.id);
  assert.ok(finding, `expected a ${rule.id} finding`);
  return own.service.fixOutcome(source, finding)?.declined?.reason;
}

/** The findings of one rule in a text. */
export function findingsOf(rule: Rule, kind: DocumentKind, text: string, options: CheckOptions = {}) {
  const own = serviceFor(rule, options);
  return own.service.lint(own.source(text, kind), config({ all: true, ...options.settings }));
}
