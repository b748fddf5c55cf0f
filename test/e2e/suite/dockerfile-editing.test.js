// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Dockerfile editing through VS Code's own providers (what Ctrl+Space, hovering, signature help
// and semantic highlighting ask for), on workspace/dockerfile-editing/Dockerfile.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { open, revertAndClose, waitForDiagnostics } = require('./helpers');

/** @param {vscode.TextDocument} document @param {string} needle @param {number} [offset] */
function positionOf(document, needle, offset = 0) {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `no ${needle} in ${document.uri.path}`);
  return document.positionAt(index + offset);
}

/** Opens the Dockerfile and waits until Shipshape has linted it (the server has it). */
async function openLinted() {
  const { document, editor } = await open('dockerfile-editing/Dockerfile');
  await waitForDiagnostics(document.uri, (list) => list.length > 0, 'a Shipshape finding');
  return { document, editor };
}

/** @param {vscode.Uri} uri @param {vscode.Position} position @param {string} [trigger] */
async function completionItems(uri, position, trigger) {
  /** @type {vscode.CompletionList} */
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position, trigger);
  return list.items;
}
/** @param {vscode.CompletionItem} item */
const labelOf = (item) => (typeof item.label === 'string' ? item.label : item.label.label);

suite('Dockerfile editing', () => {
  test('an empty line lists FROM and the other instructions as snippets; --from= lists the stages above', async () => {
    const { document, editor } = await openLinted();
    const blank = positionOf(document, '\n\nFROM alpine', 1);
    const items = await completionItems(document.uri, blank);
    const labels = items.map(labelOf);
    assert.ok(labels.includes('FROM') && labels.includes('RUN') && labels.includes('COPY'), labels.join(', '));
    const from = items.find((i) => labelOf(i) === 'FROM');
    assert.ok(from?.insertText instanceof vscode.SnippetString, 'FROM is a snippet');
    const at = positionOf(document, '--from=build', '--from='.length);
    await editor.edit((e) => e.delete(new vscode.Range(at, at.translate(0, 'build'.length))));
    const stages = (await completionItems(document.uri, at, '=')).map(labelOf);
    assert.deepEqual(stages, ['build']);
    await revertAndClose(document);
  });

  test('hovering an instruction shows the layer-cache card and the Dockerfile reference in one hover', async () => {
    const { document } = await openLinted();
    /** @type {vscode.Hover[]} */
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, positionOf(document, 'RUN go build', 1));
    const texts = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
    const ours = texts.find((t) => t.includes('Layer cache'));
    assert.ok(ours, texts.join('\n---\n'));
    assert.ok(ours.includes('**RUN**') && ours.includes('https://docs.docker.com/reference/dockerfile/#run'), ours);
    assert.ok(ours.indexOf('Layer cache') < ours.indexOf('**RUN**'), 'the card first');
    await revertAndClose(document);
  });

  test('signature help follows COPY\'s arguments, and semantic tokens mark the stage name', async () => {
    const { document } = await openLinted();
    /** @type {vscode.SignatureHelp} */
    const help = await vscode.commands.executeCommand('vscode.executeSignatureHelpProvider', document.uri, positionOf(document, '/out/app /usr/local/bin/app', '/out/app '.length));
    const signature = help.signatures[help.activeSignature];
    const label = signature.parameters[help.activeParameter].label;
    assert.equal(Array.isArray(label) ? signature.label.slice(label[0], label[1]) : label, '<dest>');
    /** @type {vscode.SemanticTokensLegend} */
    const legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', document.uri);
    /** @type {vscode.SemanticTokens} */
    const tokens = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', document.uri);
    const lines = document.getText().split('\n');
    const decoded = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      character = tokens.data[i] === 0 ? character + tokens.data[i + 1] : tokens.data[i + 1];
      decoded.push(`${lines[line].substr(character, tokens.data[i + 2])}:${legend.tokenTypes[tokens.data[i + 3]]}`);
    }
    assert.ok(decoded.includes('build:namespace') && decoded.includes('FROM:keyword'), decoded.join(' '));
    await revertAndClose(document);
  });
});
