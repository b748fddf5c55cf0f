import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { ruleNames } from '../config/settings';

/** Hovering a rule id (or alias) in an ignore comment tells what is being silenced. */
export function ignoreCommentHover(document: TextDocument, position: Position, service: LanguageService, commentRanges?: Range[]): Hover | null {
  const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
  if (!/^\s*#\s*(shipshape-ignore|hadolint|check=)/.test(line)) return null;
  if (commentRanges && !commentRanges.some((r) => r.start.line === position.line) && !/^\s*#\s*check=/.test(line)) return null;
  for (const m of line.matchAll(/[A-Za-z][\w-]*/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (position.character < start || position.character > end) continue;
    const rule = service.rules().find((r) => ruleNames(r).includes(m[0].toLowerCase()));
    if (!rule) return null;
    return {
      contents: { kind: 'markdown', value: `**${rule.id}** — ${rule.title}\n\n${rule.category}, ${rule.severity} by default${rule.aliases.length ? `; covers ${rule.aliases.map((a) => `\`${a}\``).join(', ')}` : ''}\n\n[Rule documentation](${service.docsUrl(rule.id)})` },
      range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
    };
  }
  return null;
}
