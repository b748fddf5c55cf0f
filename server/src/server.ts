import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService, FIX_ALL_KIND } from './service';
import { confinedFiles, diskFiles } from './files';
import { fileURLToPath } from 'node:url';
import type { FileAccess } from './rules/types';
import { SettingsStore } from './lsp/settings';
import { registerDiagnostics } from './lsp/diagnostics';
import { registerCodeActions } from './lsp/codeActions';
import { registerHover } from './lsp/hover';
import { registerCompletion } from './lsp/completion';
import { CodeActionKind } from 'vscode-languageserver-types';
import { initShellParser } from './dockerfile/shell';

// The connection picks its transport from the command line: `--stdio` for any LSP client,
// `--node-ipc` when VS Code's client starts it.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// Rules that read other files (override files, the Dockerfile a service builds) see the editor's
// unsaved text of open documents, and the disk for the rest.
// The disk is read only under the workspace folders: a Compose file that points at
// `../../etc/passwd` reads nothing.
let workspaceFolders: string[] = [];
const workspaceFiles = confinedFiles(diskFiles, () => workspaceFolders);
const openFiles: FileAccess = {
  read: (path) => documents.get(pathToFileURL(path).href)?.getText() ?? workspaceFiles.read(path),
  exists: (path) => documents.get(pathToFileURL(path).href) !== undefined || workspaceFiles.exists(path),
};
const service = new LanguageService({ docsBase: pathToFileURL(resolve(__dirname, '..', 'docs', 'rules')).href, files: openFiles });
const settings = new SettingsStore(connection);

connection.onInitialize(async (params): Promise<InitializeResult> => {
  settings.initialize(params);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []);
  workspaceFolders = folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
  // The shell grammar loads once, before the first document can be linted.
  await initShellParser();
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '=', ','] },
    },
    serverInfo: { name: 'shipshape', version: '0.1.0' },
  };
});
connection.onInitialized(() => settings.initialized());

const diagnostics = registerDiagnostics(connection, documents, service, settings);
settings.onChange(() => diagnostics.revalidateAll());
registerCodeActions(connection, documents, service, settings);
registerHover(connection, documents, service, settings);
registerCompletion(connection, documents, service, settings);

documents.listen(connection);
connection.listen();
