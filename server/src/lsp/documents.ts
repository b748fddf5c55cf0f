import type { TextDocument } from 'vscode-languageserver-textdocument';
import { kindFromLanguage } from '../files';
import type { SourceFile } from '../service';

/** The service's view of an open document, or null for documents Shipshape does not lint. */
export function sourceFile(document: TextDocument | undefined): SourceFile | null {
  if (!document) return null;
  const kind = kindFromLanguage(document.languageId, document.uri);
  return kind ? { uri: document.uri, text: document.getText(), kind, version: document.version } : null;
}
