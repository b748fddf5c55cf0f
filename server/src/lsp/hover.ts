import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';

export function registerHover(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onHover((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    return file ? service.hover(file, params.position) : null;
  });
}
