import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { outlineCompose } from '../features/outline/compose';
import { outlineDockerfile } from '../features/outline/dockerfile';

export function registerOutline(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDocumentSymbol((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('outline', () => outlineDockerfile(dockerfile.model), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('outline', () => outlineCompose(context.compose), []) : null;
  });
}
