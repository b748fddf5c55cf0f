import { CodeActionKind, type CodeAction, type Connection, type Diagnostic, type InitializeParams, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientSupport, LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';
import type { Peers } from './coexistence';
import { peerSources, twinOf } from '../features/coexistence/dockerfile';

/**
 * Code actions. What the client shows decides their form: a declined fix is a disabled action
 * with its reason only for clients that display those (`codeAction.disabledSupport`), and
 * assumptions travel as change annotations only where `changeAnnotationSupport` is declared.
 */
export function registerCodeActions(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore, client: () => ClientSupport, peers?: Peers): void {
  connection.onCodeAction(async (params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return [];
    const config = await settings.configFor(file.uri);
    const actions = service.codeActions(file, config, params.context.diagnostics, params.context.only, client());
    const only = params.context.only;
    if (file.kind !== 'dockerfile' || !peers || (only && !only.includes(CodeActionKind.QuickFix))) return actions;
    const sources = peerSources(peers.list, config.settings.coexistence);
    return [...actions, ...peerFixes(params.context.diagnostics, sources, (diagnostics) => service.codeActions(file, config, diagnostics, [CodeActionKind.QuickFix], client()), () => service.diagnostics(file, config), service)];
  });
}

/**
 * Shipshape's quick fix on another extension's diagnostic. A finding a peer already shows is left
 * out of Shipshape's diagnostics (features/coexistence/dockerfile.ts), so the editor asks with the
 * peer's diagnostic only: it is recognised by source, code and place, mapped to the finding it
 * stands for, and that finding's fix is offered on the peer's diagnostic. The ignore actions are
 * not: a `# shipshape-ignore` would not silence the peer.
 */
export function peerFixes(context: Diagnostic[], sources: Set<string>, actionsFor: (ours: Diagnostic[]) => CodeAction[], ours: () => Diagnostic[], service: Pick<LanguageService, 'rules'>): CodeAction[] {
  const theirs = context.filter((d) => d.source !== undefined && sources.has(d.source));
  if (theirs.length === 0) return [];
  const byId = new Map(service.rules().map((r) => [r.id, r]));
  const shown = new Set(context.filter((d) => d.source === 'shipshape').map((d) => key(d)));
  const result: CodeAction[] = [];
  for (const finding of ours()) {
    const rule = typeof finding.code === 'string' ? byId.get(finding.code) : undefined;
    if (!rule || shown.has(key(finding))) continue;
    const peer = twinOf(rule, finding.range, theirs, sources) as Diagnostic | undefined;
    if (!peer) continue;
    for (const action of actionsFor([finding])) {
      if (action.title.startsWith(`Ignore ${rule.id} `)) continue;
      result.push({ ...action, diagnostics: [peer] });
    }
  }
  return result;
}

const key = (d: Diagnostic) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

export function clientSupport(params: InitializeParams): ClientSupport {
  return {
    disabledActions: params.capabilities.textDocument?.codeAction?.disabledSupport === true,
    changeAnnotations: params.capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined && params.capabilities.workspace?.workspaceEdit?.documentChanges === true,
  };
}
