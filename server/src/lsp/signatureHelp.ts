import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { signatureDockerfile } from '../features/signature/dockerfile';

/** Which argument of a Dockerfile instruction the cursor is on (Compose has none to show). */
export const SIGNATURE_TRIGGERS = { triggerCharacters: [' '], retriggerCharacters: ['=', ','] };

export function registerSignatureHelp(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onSignatureHelp((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return null;
    // The parse is inside the attempt too: a document the parser chokes on answers nothing.
    return service.attempt('signature help', () => {
      const context = service.dockerfileFeature(file);
      return context ? signatureDockerfile(context, params.position) : null;
    }, null);
  });
}
