// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Compose editing through VS Code's own providers (what Ctrl+Space, F12, Shift+F12, F2, the Outline
// view, links and Format Document ask for), on workspace/compose-project: a base file, its override
// file, `.env`, and the Dockerfile `web` builds.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { open, revertAndClose, waitForCodes } = require('./helpers');

/** @param {vscode.TextDocument} document @param {string} needle @param {number} [offset] */
function positionOf(document, needle, offset = 0) {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `no ${needle} in ${document.uri.path}`);
  return document.positionAt(index + offset);
}

/** Opens a file of the project and waits until Shipshape has linted it (the server has it). */
async function openLinted(relative = 'compose-project/compose.yaml') {
  const { document, editor } = await open(relative);
  await waitForCodes(document.uri, ['no-new-privileges']);
  return { document, editor };
}
const openProject = () => openLinted();

/** @param {vscode.Uri} uri @param {vscode.Position} position */
async function completionLabels(uri, position) {
  /** @type {vscode.CompletionList} */
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

suite('Compose editing', () => {
  test('Ctrl+Space at an empty key lists healthcheck and restart; after `condition: ` it lists service_healthy', async () => {
    const { document, editor } = await openProject();
    const db = positionOf(document, '    image: postgres');
    await editor.edit((e) => e.insert(new vscode.Position(db.line, 0), '    \n'));
    const keys = await completionLabels(document.uri, new vscode.Position(db.line, 4));
    assert.ok(keys.includes('restart'), keys.join(', '));
    assert.ok(keys.includes('deploy'), keys.join(', '));
    await revertAndClose(document);
    const again = await openProject();
    const web = positionOf(again.document, '    restart: unless-stopped');
    await again.editor.edit((e) => e.replace(new vscode.Range(web, web.translate(0, '    restart: unless-stopped'.length)), '    '));
    const webKeys = await completionLabels(again.document.uri, web.translate(0, 4));
    assert.ok(webKeys.some((k) => k.startsWith('healthcheck')), `an image-fitted healthcheck at an empty position: ${webKeys.join(', ')}`);
    assert.ok(webKeys.includes('restart'));
    const condition = positionOf(again.document, 'service_healthy');
    await again.editor.edit((e) => e.delete(new vscode.Range(condition, condition.translate(0, 'service_healthy'.length))));
    const values = await completionLabels(again.document.uri, condition);
    assert.ok(values.includes('service_healthy'), values.join(', '));
    await revertAndClose(again.document);
  });

  test('F12 on a depends_on entry of the override file goes to the service in compose.yaml', async () => {
    await openProject();
    const { document } = await openLinted('compose-project/compose.override.yaml');
    /** @type {(vscode.Location | vscode.LocationLink)[]} */
    const targets = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', document.uri, positionOf(document, '[db]', 2));
    const uris = targets.map((t) => ('targetUri' in t ? t.targetUri : t.uri).path.split('/').pop());
    assert.deepEqual(uris, ['compose.yaml']);
    await revertAndClose(document);
  });

  test('F2 renames a service in every file of the project, and Shift+F12 finds it in both', async () => {
    const { document } = await openProject();
    const at = positionOf(document, '  db:', 3);
    /** @type {vscode.Location[]} */
    const references = await vscode.commands.executeCommand('vscode.executeReferenceProvider', document.uri, at);
    assert.deepEqual([...new Set(references.map((r) => r.uri.path.split('/').pop()))].sort(), ['compose.override.yaml', 'compose.yaml']);
    /** @type {vscode.WorkspaceEdit} */
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', document.uri, at, 'database');
    const files = edit.entries().map(([uri, edits]) => [uri.path.split('/').pop(), edits.length]).sort();
    assert.deepEqual(files, [['compose.override.yaml', 1], ['compose.yaml', 2]]);
    await revertAndClose(document);
  });

  test('the outline lists the services, Format Document re-indents, and paths are links', async () => {
    const { document, editor } = await openProject();
    /** @type {vscode.DocumentSymbol[]} */
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
    const services = symbols.find((s) => s.name === 'services');
    assert.deepEqual(services?.children.map((s) => s.name), ['web', 'db']);
    /** @type {vscode.DocumentLink[]} */
    const links = await vscode.commands.executeCommand('vscode.executeLinkProvider', document.uri);
    assert.ok(links.some((l) => l.target?.path.endsWith('/compose-project/app')), links.map((l) => l.target?.toString()).join(', '));
    const text = document.getText();
    await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(0), document.positionAt(text.length)), text.replace(/^ {4}/gm, '      ')));
    /** @type {vscode.TextEdit[]} */
    const edits = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', document.uri, { tabSize: 2, insertSpaces: true });
    const formatted = new vscode.WorkspaceEdit();
    formatted.set(document.uri, edits);
    await vscode.workspace.applyEdit(formatted);
    assert.equal(document.getText(), text);
    await revertAndClose(document);
  });
});
