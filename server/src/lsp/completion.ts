import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';

export function registerCompletion(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore): void {
  connection.onCompletion(async (params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return [];
    const { settings: current } = await settings.configFor(file.uri);
    return service.complete(file, params.position, current.limits);
  });
}
