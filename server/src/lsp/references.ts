import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { referencesCompose } from '../features/references/compose';
import { referencesDockerfile } from '../features/references/dockerfile';

export function registerReferences(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onReferences((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('references', () => referencesDockerfile(dockerfile, params.position, params.context.includeDeclaration), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('references', () => referencesCompose(context, params.position, params.context.includeDeclaration), []) : null;
  });
}
