import type { Connection, InitializeParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientSupport, LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';

/**
 * Code actions. What the client shows decides their form: a declined fix is a disabled action
 * with its reason only for clients that display those (`codeAction.disabledSupport`), and
 * assumptions travel as change annotations only where `changeAnnotationSupport` is declared.
 */
export function registerCodeActions(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore, client: () => ClientSupport): void {
  connection.onCodeAction(async (params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return [];
    const config = await settings.configFor(file.uri);
    return service.codeActions(file, config, params.context.diagnostics, params.context.only, client());
  });
}

export function clientSupport(params: InitializeParams): ClientSupport {
  return {
    disabledActions: params.capabilities.textDocument?.codeAction?.disabledSupport === true,
    changeAnnotations: params.capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined && params.capabilities.workspace?.workspaceEdit?.documentChanges === true,
  };
}
