// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Opening a Dockerfile or a Compose file activates the extension, starts the language server and
// shows its findings: proof that the manifest's languages, the activation events and the client's
// document selector agree, and that each diagnostic links its rule's page inside the extension.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { ACTIVATION_WAIT_MS, codeOf, extension, open, revertAndClose, waitForCodes } = require('./helpers');

/**
 * Every diagnostic of `code` links `docs/rules/<code>.md`, and that page ships with the extension.
 * @param {vscode.Diagnostic[]} diagnostics
 * @param {string} code
 */
function assertDocsLink(diagnostics, code) {
  const ofCode = diagnostics.filter((d) => codeOf(d) === code);
  assert.ok(ofCode.length > 0, `no ${code} diagnostic`);
  for (const d of ofCode) {
    assert.equal(typeof d.code, 'object', `${code}: the code carries no link (codeDescription.href)`);
    const target = /** @type {{ value: string | number, target: vscode.Uri }} */ (d.code).target;
    assert.ok(target.path.endsWith(`/docs/rules/${code}.md`), `${code} links ${target.toString()}`);
    assert.equal(target.scheme, 'file', `${code} links ${target.toString()}`);
    assert.ok(fs.existsSync(target.fsPath), `${code} links ${target.fsPath}, which the extension does not ship`);
  }
}

suite('Diagnostics', () => {
  test('a Dockerfile gets Shipshape diagnostics with codes and docs links', async () => {
    const { document } = await open('Dockerfile');
    assert.equal(document.languageId, 'dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['no-root-user', 'image-tag-pinned', 'exec-form-cmd'], ACTIVATION_WAIT_MS);
    assert.ok(extension().isActive, 'the extension did not activate');

    const execForm = diagnostics.find((d) => codeOf(d) === 'exec-form-cmd');
    assert.equal(execForm?.range.start.line, 5, 'exec-form-cmd points at the CMD line');
    assert.equal(execForm?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(execForm?.message ?? '', /CMD node server\.js/);
    for (const code of ['no-root-user', 'image-tag-pinned', 'exec-form-cmd']) assertDocsLink(diagnostics, code);
    await revertAndClose(document);
  });

  test('a Compose file gets Shipshape diagnostics with codes and docs links', async () => {
    const { document } = await open('compose.yaml');
    assert.equal(document.languageId, 'dockercompose');
    const diagnostics = await waitForCodes(document.uri, ['depends-on-healthy', 'no-privileged', 'image-tag-pinned']);

    const privileged = diagnostics.find((d) => codeOf(d) === 'no-privileged');
    assert.equal(privileged?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.lineAt(privileged?.range.start.line ?? 0).text.trim(), 'privileged: true');
    const dependsOn = diagnostics.find((d) => codeOf(d) === 'depends-on-healthy');
    assert.match(dependsOn?.message ?? '', /`db`/);
    for (const code of ['depends-on-healthy', 'no-privileged', 'image-tag-pinned']) assertDocsLink(diagnostics, code);
    await revertAndClose(document);
  });

  test('an invalid Compose file gets compose-schema errors', async () => {
    const { document } = await open('schema/compose.yaml');
    const diagnostics = await waitForCodes(document.uri, ['compose-schema']);
    const schema = diagnostics.find((d) => codeOf(d) === 'compose-schema');
    assert.equal(schema?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(schema?.range.start.line, 3, 'compose-schema points at the unknown key');
    assert.match(schema?.message ?? '', /`port`/);
    assertDocsLink(diagnostics, 'compose-schema');
    await revertAndClose(document);
  });
});
