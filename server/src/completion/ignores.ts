import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver-types';
import type { LanguageService, SourceFile } from '../service';
import { documentLines } from '../text/lines';

/** Completes rule ids after `# shipshape-ignore ` / `# shipshape-ignore-file ` and aliases after `# hadolint ignore=`. */
export function completeIgnoreComment(file: SourceFile, position: Position, service: LanguageService): CompletionItem[] {
  const lines = documentLines(file.text);
  const before = (lines[position.line] ?? '').slice(0, position.character);
  const shipshape = /^\s*#\s*shipshape-ignore(?:-file)?\s+(?:[\w-]+\s*,\s*)*[\w-]*$/.test(before);
  const hadolint = file.kind === 'dockerfile' && /^\s*#\s*hadolint\s+(?:global\s+)?ignore\s*=\s*(?:[\w-]+\s*,\s*)*[\w-]*$/i.test(before);
  if (!shipshape && !hadolint) return [];
  const rules = service.rules().filter((r) => r.kind === 'both' || r.kind === file.kind);
  if (shipshape) {
    return rules.map((r) => ({ label: r.id, kind: CompletionItemKind.Value, detail: r.title, documentation: { kind: 'markdown', value: `[Documentation](${service.docsUrl(r.id)})` } }));
  }
  return rules.flatMap((r) => r.aliases.filter((a) => /^DL\d+$/.test(a)).map((a) => ({ label: a, kind: CompletionItemKind.Value, detail: `${r.id}: ${r.title}` })));
}
