import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { linksCompose } from '../features/links/compose';
import { linksDockerfile } from '../features/links/dockerfile';

export function registerLinks(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDocumentLinks((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('links', () => linksDockerfile(dockerfile), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('links', () => linksCompose(context), []) : null;
  });
}
