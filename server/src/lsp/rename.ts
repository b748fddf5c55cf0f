import { ResponseError, ErrorCodes, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import { sourceFile } from './documents';
import { prepareRenameCompose, renameCompose, RenameError } from '../features/rename/compose';
import { prepareRenameDockerfile, renameDockerfile } from '../features/rename/dockerfile';

export function registerRename(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService): void {
  connection.onPrepareRename((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return refused(service, 'prepareRename', () => prepareRenameDockerfile(dockerfile, params.position));
    const context = file && service.composeFeature(file);
    return context ? service.attempt('prepareRename', () => prepareRenameCompose(context, params.position), null) : null;
  });
  connection.onRenameRequest((params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return refused(service, 'rename', () => renameDockerfile(dockerfile, params.position, params.newName));
    const context = file && service.composeFeature(file);
    if (!context) return null;
    return refused(service, 'rename', () => renameCompose(context, params.position, params.newName));
  });
}

/** A name the build would refuse, or one the file already uses: the editor shows why. */
function refused<T>(service: LanguageService, what: string, run: () => T): T | ResponseError | null {
  try {
    return run();
  } catch (error) {
    if (error instanceof RenameError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
    return service.attempt(what, () => { throw error; }, null);
  }
}
