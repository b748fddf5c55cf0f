import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { highlightCompose } from '../features/highlight/compose';
import { highlightDockerfile } from '../features/highlight/dockerfile';

export function registerHighlight(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onDocumentHighlight((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('highlight', () => highlightDockerfile(dockerfile, params.position), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('highlight', () => highlightCompose(context, params.position), []) : null;
  });
}
