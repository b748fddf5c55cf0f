import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { formatCompose } from '../features/formatting/compose';

export function registerFormatting(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDocumentFormatting((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const context = file && service.composeFeature(file);
    return context ? service.attempt('formatting', () => formatCompose(context.compose, params.options), []) : null;
  });
}
