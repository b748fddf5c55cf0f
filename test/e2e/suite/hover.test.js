// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Hovers as the editor asks for them: every hover provider at a position, merged by VS Code.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { open, revertAndClose, waitForCodes } = require('./helpers');

/**
 * The markdown of every hover VS Code collects at a position.
 * @param {vscode.Uri} uri
 * @param {vscode.Position} position
 */
async function hoverText(uri, position) {
  /** @type {vscode.Hover[]} */
  const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}

suite('Hover', () => {
  test('hovering `COPY . .` shows the layer-cache card', async () => {
    const { document } = await open('Dockerfile');
    // The server is up once the file has its diagnostics.
    await waitForCodes(document.uri, ['exec-form-cmd']);
    const line = document.getText().split('\n').findIndex((l) => l.trim() === 'COPY . .');
    assert.ok(line >= 0, 'the workspace Dockerfile has a `COPY . .` line');
    const text = await hoverText(document.uri, new vscode.Position(line, 1));
    assert.match(text, /\*\*Layer cache\*\*/, `no layer-cache card on \`COPY . .\`; hovers:\n${text}`);
    assert.match(text, /any change to a file in the build context — all of it/, text);
    await revertAndClose(document);
  });

  test('hovering a build arg in compose.yaml shows what a new value re-runs in the Dockerfile it builds', async () => {
    const { document } = await open('compose-project/compose.yaml');
    await waitForCodes(document.uri, ['no-new-privileges']);
    const line = document.getText().split('\n').findIndex((l) => l.includes('NODE_VERSION:'));
    const text = await hoverText(document.uri, new vscode.Position(line, 10));
    assert.match(text, /\*\*Build arg `NODE_VERSION`\*\*/, text);
    assert.match(text, /changes the base image of stages `base`, `runtime`/, text);
    assert.match(text, /`npm ci` \(line 5\)/, text);
    await revertAndClose(document);
  });
});
