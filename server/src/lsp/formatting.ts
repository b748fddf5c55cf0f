import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../service';
import type { SettingsStore } from './settings';
import { sourceFile } from './documents';
import { formatCompose } from '../features/formatting/compose';
import { formatDockerfile } from '../features/formatting/dockerfile';

export function registerFormatting(connection: Connection, documents: TextDocuments<TextDocument>, service: LanguageService, settings: SettingsStore): void {
  connection.onDocumentFormatting(async (params) => {
    // The settings first: the edits are then computed on the document as it is when they are sent
    // (format-on-save must not answer for a version the user has typed past).
    const { settings: current } = await settings.configFor(params.textDocument.uri);
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    if (dockerfile) return service.attempt('formatting', () => formatDockerfile(dockerfile.model, params.options, current.format), []);
    const context = file && service.composeFeature(file);
    return context ? service.attempt('formatting', () => formatCompose(context.compose, params.options), []) : null;
  });
  connection.onDocumentRangeFormatting(async (params) => {
    const { settings: current } = await settings.configFor(params.textDocument.uri);
    const file = sourceFile(documents.get(params.textDocument.uri));
    const dockerfile = file && service.dockerfileFeature(file);
    return dockerfile ? service.attempt('formatting', () => formatDockerfile(dockerfile.model, params.options, current.format, params.range), []) : null;
  });
}
