import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { linksCompose } from '../features/links/compose';

export function registerLinks(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDocumentLinks((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const context = file && service.composeFeature(file);
    return context ? service.attempt('links', () => linksCompose(context), []) : null;
  });
}
