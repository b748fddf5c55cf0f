import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';

export function registerCompletion(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onCompletion((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    return file ? service.complete(file, params.position) : [];
  });
}
