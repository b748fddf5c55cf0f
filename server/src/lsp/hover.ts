import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';
import type { Peers } from './coexistence';
import { peerCoverage } from '../features/coexistence/compose';

export function registerHover(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore, peers?: Peers): void {
  connection.onHover(async (params) => {
    const file = sourceFile(documents.get(params.textDocument.uri));
    if (!file) return null;
    // The document's size limits decide whether it is analysed at all, for hovers as for lints.
    const config = await settings.configFor(file.uri);
    // A key's schema description is left to another extension that already hovers it.
    const schemaDescriptions = file.kind !== 'compose' || !peerCoverage(peers?.list, config.settings.coexistence).keyHover;
    return service.hover(file, params.position, config.settings.limits, config, { schemaDescriptions });
  });
}
