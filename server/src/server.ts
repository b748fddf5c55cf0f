import { setFlagsFromString } from 'node:v8';
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
import { clientSupport, registerCodeActions } from './lsp/codeActions';
import type { ClientSupport } from './service';
import { registerHover } from './lsp/hover';
import { registerCompletion } from './lsp/completion';
import { CodeActionKind } from 'vscode-languageserver-types';
import { initShellParser } from './dockerfile/shell';
import { environmentClock } from './config/clock';
import { registerDefinition } from './lsp/definition';
import { registerReferences } from './lsp/references';
import { registerHighlight } from './lsp/highlight';
import { registerRename } from './lsp/rename';
import { registerOutline } from './lsp/outline';
import { registerLinks } from './lsp/links';
import { registerFormatting } from './lsp/formatting';
import { registerFolding } from './lsp/folding';
import { Peers } from './lsp/coexistence';
import { registerSignatureHelp, SIGNATURE_TRIGGERS } from './lsp/signatureHelp';
import { registerSemanticTokens, semanticTokensCapability } from './lsp/semanticTokens';
import { DOCKERFILE_PEERS } from './features/coexistence/dockerfile';
import { COMPOSE_PEERS } from './features/coexistence/compose';

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
  list: (dir) => workspaceFiles.list?.(dir) ?? null,
};
const service = new LanguageService({ docsBase: pathToFileURL(resolve(__dirname, '..', 'docs', 'rules')).href, files: openFiles, clock: environmentClock() });
const settings = new SettingsStore(connection);
const peers = new Peers(connection);
// The young generation stays at its initial size instead of doubling under a burst of linting
// (opening many files): V8 reads this flag when it would grow new space, so it takes effect here.
// Measured with the corpus's 245 Dockerfiles open: RSS 144 → 117 MB (bench/run.mjs footprint).
setFlagsFromString('--semi-space-growth-factor=1');

const folderPaths = (folders: { uri: string }[]) => folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
let followsFolders = false;
let client: ClientSupport = { disabledActions: false, changeAnnotations: false };

connection.onInitialize(async (params): Promise<InitializeResult> => {
  settings.initialize(params);
  peers.initialize(params);
  client = clientSupport(params);
  workspaceFolders = folderPaths(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []));
  settings.setFolders(workspaceFolders);
  followsFolders = Boolean(params.capabilities.workspace?.workspaceFolders);
  // The shell grammar loads once, before the first document can be linted.
  await initShellParser();
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '=', ',', '$', '{', '-', ':'] },
      signatureHelpProvider: SIGNATURE_TRIGGERS,
      semanticTokensProvider: semanticTokensCapability,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      documentLinkProvider: { resolveProvider: false },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'shipshape', version: '0.1.0' },
  };
});
connection.onInitialized(() => {
  settings.initialized();
  const known = peers.list.filter((id) => id in DOCKERFILE_PEERS || id in COMPOSE_PEERS);
  connection.console.info(`Shipshape language server started (Node ${process.version}, ${service.rules().length} rules)${known.length ? `; beside ${known.join(', ')}: what they already show is not shown twice (shipshape.coexistence)` : ''}`);
  // A folder added to the workspace later is readable from then on (and one removed is not).
  if (followsFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(folderPaths(event.removed));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...folderPaths(event.added).filter((f) => !workspaceFolders.includes(f))];
      settings.setFolders(workspaceFolders);
      diagnostics.revalidateAll();
    });
  }
});

// Each lint and its time go to the client's trace (shown in the Shipshape output channel when
// `shipshape.trace.server` is not off); start-up and failures go to its log always.
const diagnostics = registerDiagnostics(connection, documents, service, settings, peers, (message) => connection.tracer.log(message));
peers.onChange(() => diagnostics.revalidateAll());
settings.onChange(() => diagnostics.revalidateAll());
registerCodeActions(connection, documents, service, settings, () => client, peers);
registerHover(connection, documents, service, settings, peers);
registerDefinition(connection, documents, service);
registerReferences(connection, documents, service);
registerHighlight(connection, documents, service);
registerRename(connection, documents, service);
registerOutline(connection, documents, service);
registerLinks(connection, documents, service);
registerFormatting(connection, documents, service, settings);
registerFolding(connection, documents, service);
registerCompletion(connection, documents, service, settings);
registerSignatureHelp(connection, documents, service);
registerSemanticTokens(connection, documents, service);

documents.listen(connection);
connection.listen();
