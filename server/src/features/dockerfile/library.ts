import { DockerfileLanguageServiceFactory, type DockerfileLanguageService } from 'dockerfile-language-service';
import { MarkupKind } from 'vscode-languageserver-types';

/**
 * rcjsuen's Dockerfile language service (MIT, the engine behind Docker DX's and Container Tools'
 * Dockerfile features, on the same dockerfile-ast as our parser), behind one accessor so every
 * Dockerfile editor feature (features/<feature>/dockerfile.ts) shares one configured instance.
 * It is stateless: each call takes the document's text. What it gets wrong or lacks (heredocs,
 * our cache cards, image-aware completion) is corrected or added by the feature that wraps it.
 */
let instance: DockerfileLanguageService | null = null;

export function dockerfileLibrary(): DockerfileLanguageService {
  if (!instance) {
    instance = DockerfileLanguageServiceFactory.createLanguageService();
    instance.setCapabilities({
      completion: { completionItem: { snippetSupport: true, deprecatedSupport: true, documentationFormat: [MarkupKind.Markdown, MarkupKind.PlainText] } },
      hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
      foldingRange: { lineFoldingOnly: false },
    });
  }
  return instance;
}
