import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { dockerfileTokensLegend, semanticTokensDockerfile } from '../features/semanticTokens/dockerfile';

/** Full-document semantic tokens for Dockerfiles (Compose files keep their YAML grammar). */
export const semanticTokensCapability = { legend: dockerfileTokensLegend, full: true, range: false };

export function registerSemanticTokens(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.languages.semanticTokens.on((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return { data: [] };
    // The parse is inside the attempt too: a document the parser chokes on answers no tokens.
    return service.attempt('semantic tokens', () => {
      const context = service.dockerfileFeature(file);
      return context ? semanticTokensDockerfile(context.model) : { data: [] };
    }, { data: [] });
  });
}
