import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, LintConfig, SourceFile } from '../service';
import { applyOffsetEdits, overlaps, toOffsets } from './apply';

export interface FixFilter {
  /** Apply only the fixes of these rules (ids or aliases); unsafe fixes of a named rule apply too. */
  rules?: string[];
}

/** Enough passes for fixes that enable one another; a fix that never settles cannot loop forever. */
const MAX_PASSES = 10;

/**
 * Applies every applicable fix, ESLint-style: in each pass the non-overlapping fixes are applied
 * together, the text is linted again, and the next pass picks up what overlapped or what the
 * previous fixes made fixable.
 */
export interface FixAllResult {
  text: string;
  applied: number;
  /** Files the applied fixes create (such as a `.dockerignore`). */
  createFiles: { path: string; text: string }[];
  /** Fixes of the named rules that could not be made, with why (`not converted: …`). */
  declined: { rule: string; summary: string; reason: string }[];
  /** Named rules (as the user named them) that report nothing in the file. */
  unreported: string[];
}

export function fixAll(service: LanguageService, file: SourceFile, config: LintConfig, filter: FixFilter): FixAllResult {
  const named = filter.rules?.map((r) => r.toLowerCase());
  const selected = (rule: string, aliases: string[]) =>
    !named || named.includes(rule.toLowerCase()) || aliases.some((a) => named.includes(a.toLowerCase()));
  let text = file.text;
  let applied = 0;
  const createFiles = new Map<string, string>();
  const declined = new Map<string, FixAllResult['declined'][number]>();
  const reported = new Set<string>();
  const uri = `${file.uri}#fix`;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const current: SourceFile = { ...file, uri, text };
    const document = TextDocument.create(uri, file.kind, pass, text);
    const accepted: ReturnType<typeof toOffsets> = [];
    let count = 0;
    for (const finding of service.lint(current, config)) {
      if (!selected(finding.rule, finding.aliases)) continue;
      if (pass === 0) [finding.rule, ...finding.aliases].forEach((n) => reported.add(n.toLowerCase()));
      if (!finding.fixable) continue;
      const fix = service.fixOutcome(current, finding, config);
      if (fix?.declined && named && pass === 0) declined.set(`${finding.rule}\0${fix.declined.reason}`, { rule: finding.rule, ...fix.declined });
      if (!fix || fix.declined || (!fix.safe && !named)) continue;
      const edits = toOffsets(document, fix.edits);
      if (edits.some((e) => accepted.some((a) => overlaps(a, e)))) continue;
      accepted.push(...edits);
      for (const f of fix.createFiles ?? []) if (!createFiles.has(f.path)) createFiles.set(f.path, f.text);
      count++;
    }
    if (count === 0) break;
    const next = applyOffsetEdits(text, accepted);
    if (next === text) break;
    text = next;
    applied += count;
  }
  service.close(uri);
  const unreported = (filter.rules ?? []).filter((r) => !reported.has(r.toLowerCase()));
  return { text, applied, createFiles: [...createFiles].map(([path, text]) => ({ path, text })), declined: [...declined.values()], unreported };
}
