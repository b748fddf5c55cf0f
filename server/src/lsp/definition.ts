import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { definitionCompose } from '../features/definition/compose';
import { definitionDockerfile } from '../features/definition/dockerfile';

export function registerDefinition(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDefinition((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('definition', () => definitionDockerfile(dockerfile, params.position), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('definition', () => definitionCompose(context, params.position), []) : null;
  });
}
