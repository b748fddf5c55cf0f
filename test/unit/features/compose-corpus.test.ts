import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { diskFiles } from '../../../server/src/files';
import { completeCompose } from '../../../server/src/features/completion/compose';
import { hoverComposeValue } from '../../../server/src/features/hover/compose';
import { definitionCompose } from '../../../server/src/features/definition/compose';
import { referencesCompose } from '../../../server/src/features/references/compose';
import { highlightCompose } from '../../../server/src/features/highlight/compose';
import { prepareRenameCompose } from '../../../server/src/features/rename/compose';
import { outlineCompose } from '../../../server/src/features/outline/compose';
import { linksCompose } from '../../../server/src/features/links/compose';
import { formatCompose } from '../../../server/src/features/formatting/compose';
import { occurrencesIn } from '../../../server/src/compose/symbols';
import { loadCorpus } from '../../helpers/corpus';
import { pathToFileURL } from 'node:url';

// Every Compose editor feature over the real-world Compose files: nothing throws, every range is
// inside its document, and formatting keeps what the file means and is idempotent.

const corpus = loadCorpus()?.filter((f) => f.kind === 'compose') ?? [];

function inside(range: Range, document: TextDocument): boolean {
  const end = document.positionAt(document.getText().length);
  const ok = (p: Range['start']) => p.line >= 0 && p.character >= 0 && (p.line < end.line || (p.line === end.line && p.character <= end.character));
  return ok(range.start) && ok(range.end);
}

describe('Compose editor features over the corpus', () => {
  const service = new LanguageService({ docsBase: 'file:///docs', files: diskFiles, onFailure: (what, error) => { throw new Error(`${what}: ${String(error)}`); } });

  it('answers every feature at names, keys and values of every file without throwing, with ranges inside', { skip: corpus.length === 0 }, () => {
    for (const file of corpus) {
      const source = { uri: pathToFileURL(file.path).href, text: file.text, kind: 'compose' as const };
      const context = service.composeFeature(source)!;
      const document = context.compose.document;
      // Every occurrence start, and a spread of other offsets (keys, values, indentation).
      const offsets = new Set<number>(occurrencesIn(context.compose).map((o) => o.start + 1));
      for (let offset = 0; offset < file.text.length; offset += Math.max(7, Math.floor(file.text.length / 60))) offsets.add(offset);
      for (const offset of offsets) {
        const position = document.positionAt(offset);
        for (const item of completeCompose(context, file.text, position)) {
          const edit = item.textEdit as { range: Range } | undefined;
          if (edit) assert.ok(inside(edit.range, document), `${file.name}: completion range at ${JSON.stringify(position)}`);
        }
        const hover = hoverComposeValue(context, position, null, null);
        if (hover?.range) assert.ok(inside(hover.range, document), `${file.name}: hover range`);
        for (const location of [...definitionCompose(context, position), ...referencesCompose(context, position, true)]) {
          if (location.uri === source.uri) assert.ok(inside(location.range, document), `${file.name}: location range`);
        }
        for (const h of highlightCompose(context, position)) assert.ok(inside(h.range, document), `${file.name}: highlight range`);
        const prepared = prepareRenameCompose(context, position);
        if (prepared) assert.equal(document.getText(prepared.range), prepared.placeholder, `${file.name}: rename range is the name`);
      }
      for (const symbol of outlineCompose(context.compose)) assert.ok(inside(symbol.range, document) && inside(symbol.selectionRange, document), `${file.name}: outline`);
      for (const link of linksCompose(context)) assert.ok(inside(link.range, document), `${file.name}: link`);
    }
  });

  it('formats every file to the same data and comments, and a second time to nothing', { skip: corpus.length === 0 }, () => {
    let changed = 0;
    for (const file of corpus) {
      const context = service.composeFeature({ uri: pathToFileURL(file.path).href, text: file.text, kind: 'compose' })!;
      const edits = formatCompose(context.compose, { tabSize: 2, insertSpaces: true });
      if (edits.length === 0) continue;
      changed++;
      const formatted = TextDocument.applyEdits(context.compose.document, edits);
      assert.deepEqual(parseDocument(formatted).toJS({ maxAliasCount: -1 }), parseDocument(file.text).toJS({ maxAliasCount: -1 }), file.name);
      const again = service.composeFeature({ uri: `${pathToFileURL(file.path).href}#formatted`, text: formatted, kind: 'compose' })!;
      assert.deepEqual(formatCompose(again.compose, { tabSize: 2, insertSpaces: true }), [], `${file.name}: formatting twice changes more`);
    }
    assert.ok(changed > 0, 'some corpus file is not formatted yet');
  });
});
