// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Dockerfile navigation, outline, folding, links and formatting through VS Code's own providers
// (what F12, Shift+F12, F2, the Outline view, folding, Ctrl+click and Format Document ask for), on
// workspace/dockerfile-navigation/Dockerfile.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { open, revertAndClose, waitForCodes, waitForText } = require('./helpers');

const FILE = 'dockerfile-navigation/Dockerfile';

/** @param {vscode.TextDocument} document @param {string} needle @param {number} [offset] */
function positionOf(document, needle, offset = 0) {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `no ${needle} in ${document.uri.path}`);
  return document.positionAt(index + offset);
}

/** Opens the Dockerfile and waits until Shipshape has linted it (the server has it). */
async function openLinted() {
  const opened = await open(FILE);
  await waitForCodes(opened.document.uri, ['healthcheck-present']);
  return opened;
}

suite('Dockerfile navigation', () => {
  test('F12 on a --from stage name goes to its FROM … AS, and on a variable to its ARG', async () => {
    const { document } = await openLinted();
    /** @type {(vscode.Location | vscode.LocationLink)[]} */
    const targets = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', document.uri, positionOf(document, '--from=build', 9));
    const ranges = targets.map((t) => ('targetRange' in t ? t.targetRange : t.range));
    assert.equal(ranges.length, 1);
    assert.equal(document.getText(ranges[0]), 'build');
    assert.equal(ranges[0].start.line, positionOf(document, 'AS build').line);
    /** @type {(vscode.Location | vscode.LocationLink)[]} */
    const arg = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', document.uri, positionOf(document, '${NODE_VERSION}', 3));
    assert.equal(arg.length, 1);
    assert.equal(('targetRange' in arg[0] ? arg[0].targetRange : arg[0].range).start.line, positionOf(document, 'ARG NODE_VERSION').line);
    await revertAndClose(document);
  });

  test('F2 renames a stage in its FROM, a FROM built on it and every --from; Shift+F12 finds them', async () => {
    const { document } = await openLinted();
    const at = positionOf(document, 'AS build', 4);
    /** @type {vscode.Location[]} */
    const references = await vscode.commands.executeCommand('vscode.executeReferenceProvider', document.uri, at);
    assert.deepEqual(references.map((r) => r.range.start.line).sort((a, b) => a - b), [2, 8, 12]);
    /** @type {vscode.WorkspaceEdit} */
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', document.uri, at, 'compile');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.match(document.getText(), /AS compile\n/);
    assert.match(document.getText(), /FROM compile AS test/);
    assert.match(document.getText(), /--from=compile /);
    await revertAndClose(document);
  });

  test('the outline lists the stages with their instructions; stages and multi-line RUNs fold; images are links', async () => {
    const { document } = await openLinted();
    /** @type {vscode.DocumentSymbol[]} */
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
    assert.deepEqual(symbols.map((s) => s.name), ['ARG', 'build', 'test', 'stage 2']);
    assert.deepEqual(symbols[1].children.map((s) => s.name), ['WORKDIR', 'COPY', 'RUN']);
    /** @type {vscode.FoldingRange[]} */
    const folds = await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', document.uri);
    const run = positionOf(document, 'RUN npm install').line;
    assert.ok(folds.some((f) => f.start === run && f.end === run + 1), JSON.stringify(folds));
    /** @type {vscode.DocumentLink[]} */
    const links = await vscode.commands.executeCommand('vscode.executeLinkProvider', document.uri);
    const targets = links.map((l) => l.target?.toString() ?? '');
    assert.ok(targets.includes('https://hub.docker.com/_/nginx'), targets.join(', '));
    assert.ok(targets.some((t) => t.endsWith('/dockerfile-navigation/package.json')), targets.join(', '));
    await revertAndClose(document);
  });

  test('Format Document (the editor command, as format-on-save runs it) upper-cases keywords and re-indents continuation lines', async () => {
    const { document, editor } = await openLinted();
    const text = document.getText();
    const messy = text.replace('RUN npm install', 'run npm install').replace('  && npm run build', '          && npm run build');
    await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(0), document.positionAt(text.length)), messy));
    editor.options = { tabSize: 2, insertSpaces: true };
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await waitForText(document, (t) => t === text, 'the Dockerfile formatted back to its original');
    await revertAndClose(document);
  });
});
