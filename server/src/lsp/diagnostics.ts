import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';
import type { Peers } from './coexistence';
import { filterComposeDiagnostics, peerCoverage } from '../features/coexistence/compose';
import { filterDockerfileDiagnostics, peerSources } from '../features/coexistence/dockerfile';

/**
 * Push diagnostics: each open, change and settings change lints the document synchronously and
 * publishes the result for that version. This is the only diagnostics path.
 */
export function registerDiagnostics(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore, peers?: Peers, log?: (message: string) => void) {
  const byId = new Map(service.rules().map((r) => [r.id, r]));
  const ruleOf = (id: string) => byId.get(id);
  const validate = async (document: TextDocument) => {
    const file = sourceFile(document);
    if (!file) return;
    const config = await settings.configFor(document.uri);
    // Settings may arrive after a newer edit: publish only for the version still open.
    const current = documents.get(document.uri);
    if (!current || current.version !== document.version) return;
    let diagnostics: Diagnostic[];
    const started = performance.now();
    try {
      diagnostics = service.diagnostics(file, config);
      const found = diagnostics.length;
      // What another active extension already shows for Compose files is not shown twice.
      if (file.kind === 'compose') diagnostics = filterComposeDiagnostics(diagnostics, peerCoverage(peers?.list, config.settings.coexistence));
      // A Dockerfile finding another extension shows at the same place is left to it (its fix is
      // still offered on the peer's diagnostic).
      else if (peers) diagnostics = filterDockerfileDiagnostics(diagnostics, peers.diagnostics(document.uri), peerSources(peers.list, config.settings.coexistence), ruleOf);
      const shown = diagnostics.length === found ? '' : ` (${found - diagnostics.length} left to another extension that shows them)`;
      log?.(`linted ${document.uri} (version ${document.version}) in ${(performance.now() - started).toFixed(1)} ms: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}${shown}`);
    } catch (error) {
      connection.console.error(`shipshape: lint failed for ${document.uri}: ${(error as Error).stack ?? error}`);
      diagnostics = [];
    }
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  };

  documents.onDidChangeContent((event) => {
    void validate(event.document);
    // A Compose file's findings depend on its override file and on the Dockerfiles its services
    // build: re-lint the other open Compose files at or above this document's folder.
    const folder = event.document.uri.slice(0, event.document.uri.lastIndexOf('/') + 1);
    for (const other of documents.all()) {
      if (other.uri === event.document.uri || sourceFile(other)?.kind !== 'compose') continue;
      const otherFolder = other.uri.slice(0, other.uri.lastIndexOf('/') + 1);
      if (folder.startsWith(otherFolder)) void validate(other);
    }
  });
  // What the peers show changed: publish again (the lint is cached per version, so this is cheap).
  peers?.onDiagnostics((uri) => {
    const document = documents.get(uri);
    if (document && sourceFile(document)?.kind === 'dockerfile') void validate(document);
  });
  documents.onDidClose((event) => {
    peers?.forget(event.document.uri);
    service.close(event.document.uri);
    settings.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  return {
    revalidateAll: () => {
      for (const document of documents.all()) void validate(document);
    },
  };
}
