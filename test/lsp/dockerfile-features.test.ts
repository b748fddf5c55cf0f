import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentHighlight, DocumentLink, DocumentSymbol, FoldingRange, Location, Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits, defaultSettings, editsFor } from './client';
import { loadCorpus } from '../helpers/corpus';

// Dockerfile navigation, outline, folding, links and formatting over stdio, on a small project on
// disk and on real corpus Dockerfiles; the Compose answers stay as they were (compose-features).

const DOCKERFILE = [
  'ARG NODE=22',
  'FROM node:${NODE}-slim AS Build',
  'WORKDIR /app',
  'COPY package.json ./',
  'run npm ci \\',
  '  && npm run build',
  'FROM nginx:1.27',
  'COPY --from=build /app/dist /usr/share/nginx/html',
  '',
].join('\n');

function at(text: string, needle: string, offset = 0): Position {
  const index = text.indexOf(needle) + offset;
  const before = text.slice(0, index);
  return { line: before.split('\n').length - 1, character: index - before.lastIndexOf('\n') - 1 };
}

describe('Dockerfile language features over stdio', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-dockerfile-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    uri = pathToFileURL(join(dir, 'Dockerfile')).href;
    client = await TestClient.start({ workspaceFolder: dir });
    await client.open(uri, 'dockerfile', DOCKERFILE);
  });

  after(async () => {
    await client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises folding and range formatting beside the rest', () => {
    const c = client.initializeResult!.capabilities;
    assert.equal(c.foldingRangeProvider, true);
    assert.equal(c.documentRangeFormattingProvider, true);
    assert.equal(c.documentFormattingProvider, true);
  });

  it('goes from --from to the stage, finds its references and highlights them', async () => {
    const position = at(DOCKERFILE, '--from=build', 9);
    const [location] = await client.send<Location[]>('textDocument/definition', { textDocument: { uri }, position });
    assert.deepEqual(location.range.start, at(DOCKERFILE, 'Build'));
    const references = await client.send<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
    assert.equal(references.length, 2);
    const highlights = await client.send<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: at(DOCKERFILE, '${NODE}', 3) });
    assert.deepEqual(highlights.map((h) => h.range.start.line), [0, 1]);
  });

  it('renames a stage everywhere, and refuses an invalid name with the reason', async () => {
    const position = at(DOCKERFILE, '--from=build', 9);
    const prepared = await client.send<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position });
    assert.equal(prepared.placeholder, 'build');
    const edit = await client.send<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'compile' });
    const renamed = applyTextEdits(DOCKERFILE, editsFor(edit, uri));
    assert.match(renamed, /AS compile\n/);
    assert.match(renamed, /--from=compile /);
    await assert.rejects(client.send('textDocument/rename', { textDocument: { uri }, position, newName: '9lives' }), /not a valid stage name/);
  });

  it('answers the outline, folding ranges and links', async () => {
    const outline = await client.send<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(outline.map((s) => s.name), ['ARG', 'Build', 'stage 1']);
    const folds = await client.send<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.some((f) => f.startLine === 4 && f.endLine === 5));
    const links = await client.send<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.map((l) => l.target).sort(), [pathToFileURL(join(dir, 'package.json')).href, 'https://hub.docker.com/_/nginx'].sort());
  });

  it('formats the document and a range, and follows shipshape.format.ignoreMultilineInstructions', async () => {
    const options = { tabSize: 4, insertSpaces: true };
    const edits = await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    const formatted = applyTextEdits(DOCKERFILE, edits);
    assert.match(formatted, /\nRUN npm ci \\\n {4}&& npm run build\n/);
    const range = await client.send<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, options, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 5 } } });
    assert.deepEqual(range.map((e) => e.range.start.line), [5]);
    await client.changeSettings({ ...defaultSettings, format: { ignoreMultilineInstructions: true } });
    const kept = await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    assert.match(applyTextEdits(DOCKERFILE, kept), /\nRUN npm ci \\\n {2}&& npm run build\n/);
    await client.changeSettings(defaultSettings);
  });

  it('answers every feature on real Dockerfiles of the corpus', async () => {
    const corpus = loadCorpus()?.filter((f) => f.kind === 'dockerfile').slice(0, 25) ?? [];
    for (const file of corpus) {
      const fileUri = pathToFileURL(file.path).href;
      const text = readFileSync(file.path, 'utf8');
      await client.open(fileUri, 'dockerfile', text);
      const outline = await client.send<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: fileUri } });
      assert.ok(Array.isArray(outline), file.name);
      const edits = await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri: fileUri }, options: { tabSize: 4, insertSpaces: true } });
      const formatted = applyTextEdits(text, edits);
      await client.replace(fileUri, formatted);
      assert.deepEqual(await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri: fileUri }, options: { tabSize: 4, insertSpaces: true } }), [], file.name);
      assert.ok(Array.isArray(await client.send<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: fileUri } })));
      await client.close(fileUri);
    }
  });
});
