import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';

export function registerCodeActions(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore): void {
  connection.onCodeAction(async (params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return [];
    const config = await settings.configFor(file.uri);
    return service.codeActions(file, config, params.context.diagnostics, params.context.only);
  });
}
