import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { foldingDockerfile } from '../features/folding/dockerfile';

/** Folding ranges for Dockerfiles; Compose files fold by indentation in the editor itself. */
export function registerFolding(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onFoldingRanges((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    return dockerfile ? service.attempt('folding', () => foldingDockerfile(dockerfile.model), []) : null;
  });
}
