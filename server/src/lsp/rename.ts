import { ResponseError, ErrorCodes, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { prepareRenameCompose, renameCompose, RenameError } from '../features/rename/compose';

export function registerRename(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onPrepareRename((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const context = file && service.composeFeature(file);
    return context ? service.attempt('prepareRename', () => prepareRenameCompose(context, params.position), null) : null;
  });
  connection.onRenameRequest((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const context = file && service.composeFeature(file);
    if (!context) return null;
    try {
      return renameCompose(context, params.position, params.newName);
    } catch (error) {
      // A name Compose would refuse, or one the project already uses: the editor shows why.
      if (error instanceof RenameError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
      return service.attempt('rename', () => { throw error; }, null);
    }
  });
}
