// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Helpers for the extension-host suite. Everything waits on VS Code's own events
// (diagnostics changed, document changed) with a deadline; nothing sleeps.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'shipshape.shipshape';
/** How long an event may take before the test fails with a description of what was seen. */
const WAIT_MS = 30000;
/** The first diagnostics also wait for the extension to activate and the server to start. */
const ACTIVATION_WAIT_MS = 90000;

/** The folder the suite runs in: a fresh copy of test/e2e/workspace. */
function workspaceUri() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder (a copy of test/e2e/workspace)');
  return folder.uri;
}

/** @param {string} relative a path inside the workspace, with forward slashes */
function fileUri(relative) {
  return vscode.Uri.joinPath(workspaceUri(), ...relative.split('/'));
}

/**
 * Opens a workspace file in an editor, as a user would.
 * @param {string} relative
 */
async function open(relative) {
  const document = await vscode.workspace.openTextDocument(fileUri(relative));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { document, editor };
}

/**
 * Opens an unsaved document of a language in an editor.
 * @param {string} language
 * @param {string} content
 */
async function openUntitled(language, content) {
  const document = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { document, editor };
}

/**
 * Throws away the edits a test made and closes its editor, so later tests (and the disk) see
 * the workspace as it was. Reverting never asks to save, unlike closing a dirty editor.
 * @param {vscode.TextDocument} document
 */
async function revertAndClose(document) {
  if (document.isClosed) return;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** @param {vscode.Diagnostic} d */
function codeOf(d) {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

/** Shipshape's diagnostics on a document, as VS Code holds them. @param {vscode.Uri} uri */
function shipshapeDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'shipshape');
}

/** @param {vscode.Diagnostic[]} diagnostics */
function describe(diagnostics) {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}: ${d.message}`).join('\n  ');
}

/**
 * Resolves with Shipshape's diagnostics on `uri` as soon as `accept` holds for them: now, or on a
 * later `onDidChangeDiagnostics` for that document.
 * @param {vscode.Uri} uri
 * @param {(diagnostics: vscode.Diagnostic[]) => boolean} accept
 * @param {string} what what is awaited, for the failure message
 * @param {number} [timeoutMs]
 * @returns {Promise<vscode.Diagnostic[]>}
 */
function waitForDiagnostics(uri, accept, what, timeoutMs = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diagnostics = shipshapeDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      finish();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${vscode.workspace.asRelativePath(uri)}; Shipshape diagnostics now:\n  ${describe(shipshapeDiagnostics(uri))}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/**
 * Waits until the document's Shipshape diagnostics include every code in `codes`.
 * @param {vscode.Uri} uri
 * @param {string[]} codes
 */
function waitForCodes(uri, codes, timeoutMs = WAIT_MS) {
  return waitForDiagnostics(uri, (ds) => codes.every((c) => ds.some((d) => codeOf(d) === c)), `diagnostics ${codes.join(', ')}`, timeoutMs);
}

/**
 * Waits until no Shipshape diagnostic with `code` is left on the document.
 * @param {vscode.Uri} uri
 * @param {string} code
 */
function waitForNoCode(uri, code, timeoutMs = WAIT_MS) {
  return waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === code), `${code} to go away`, timeoutMs);
}

/**
 * Resolves once `accept` holds for the document's text: now, or after a later change event.
 * @param {vscode.TextDocument} document
 * @param {(text: string) => boolean} accept
 * @param {string} what
 * @returns {Promise<string>}
 */
function waitForText(document, accept, what, timeoutMs = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = document.getText();
      if (!accept(text)) return;
      finish();
      resolve(text);
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the text is:\n${document.getText()}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/**
 * The quick fixes VS Code collects for a range (from every provider, Shipshape's included).
 * @param {vscode.Uri} uri
 * @param {vscode.Range} range
 * @returns {Promise<vscode.CodeAction[]>}
 */
async function quickFixes(uri, range) {
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return /** @type {vscode.CodeAction[]} */ (actions ?? []);
}

/**
 * Finds the quick fix titled `title` for a diagnostic and applies its edit.
 * @param {vscode.TextDocument} document
 * @param {vscode.Diagnostic} diagnostic
 * @param {string} title
 */
async function applyQuickFix(document, diagnostic, title) {
  const actions = await quickFixes(document.uri, diagnostic.range);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no quick fix "${title}" for ${codeOf(diagnostic)}; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(action.edit, `the quick fix "${title}" carries no edit`);
  const before = document.version;
  assert.ok(await vscode.workspace.applyEdit(action.edit), `workspace.applyEdit refused "${title}"`);
  assert.ok(document.version > before, `"${title}" did not change the document`);
  return action;
}

/** The Shipshape extension as VS Code loaded it. */
function extension() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

module.exports = {
  ACTIVATION_WAIT_MS,
  WAIT_MS,
  applyQuickFix,
  codeOf,
  describe,
  extension,
  fileUri,
  open,
  openUntitled,
  quickFixes,
  revertAndClose,
  shipshapeDiagnostics,
  waitForCodes,
  waitForDiagnostics,
  waitForNoCode,
  waitForText,
  workspaceUri,
};
