// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Settings reach the running server: the client forwards `shipshape.*` changes, the server
// re-reads them and re-lints the open documents, with no window reload.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { codeOf, open, revertAndClose, waitForCodes, waitForDiagnostics } = require('./helpers');

suite('Settings', () => {
  /** @type {vscode.TextDocument | undefined} */
  let document;

  teardown(async () => {
    await vscode.workspace.getConfiguration('shipshape').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    if (document) await revertAndClose(document);
    document = undefined;
  });

  test('`shipshape.rules` {"no-root-user": "off"} removes its diagnostics without a reload; restoring brings them back', async () => {
    ({ document } = await open('Dockerfile'));
    const uri = document.uri;
    await waitForCodes(uri, ['no-root-user', 'exec-form-cmd']);

    const config = vscode.workspace.getConfiguration('shipshape', uri);
    await config.update('rules', { 'no-root-user': 'off' }, vscode.ConfigurationTarget.Workspace);
    assert.deepEqual(vscode.workspace.getConfiguration('shipshape', uri).get('rules'), { 'no-root-user': 'off' });
    // Only that rule goes: exec-form-cmd is still reported, so this is a fresh lint, not a cleared file.
    await waitForDiagnostics(uri,
      (ds) => !ds.some((d) => codeOf(d) === 'no-root-user') && ds.some((d) => codeOf(d) === 'exec-form-cmd'),
      'no-root-user to be turned off');

    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForCodes(uri, ['no-root-user', 'exec-form-cmd']);
  });

  test('`shipshape.rules` {"exec-form-cmd": "error"} raises its severity', async () => {
    ({ document } = await open('Dockerfile'));
    const uri = document.uri;
    await waitForCodes(uri, ['exec-form-cmd']);
    await vscode.workspace.getConfiguration('shipshape', uri).update('rules', { 'exec-form-cmd': 'error' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri,
      (ds) => ds.some((d) => codeOf(d) === 'exec-form-cmd' && d.severity === vscode.DiagnosticSeverity.Error),
      'exec-form-cmd to become an error');
  });
});
