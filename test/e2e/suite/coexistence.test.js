// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Shipshape beside Container Tools: a stand-in extension with Container Tools' id
// (test/e2e/peer/, built by scripts/e2e/peer.mjs) runs rcjsuen's real docker-langserver over
// stdio, as Container Tools does. This suite runs alone in a workbench where both are installed
// (E2E_PEER=1). Each problem must be shown once, Shipshape's fix must be offered on the peer's
// diagnostic, and with `shipshape.coexistence: off` both must show.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { WAIT_MS, codeOf, describe, open, quickFixes, revertAndClose, waitForText } = require('./helpers');

/**
 * Resolves with every extension's diagnostics on `uri` once `accept` holds for them (the helpers'
 * waitForDiagnostics sees Shipshape's only).
 * @param {vscode.Uri} uri
 * @param {(diagnostics: vscode.Diagnostic[]) => boolean} accept
 * @param {string} what
 * @returns {Promise<vscode.Diagnostic[]>}
 */
function waitForDiagnostics(uri, accept, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const all = vscode.languages.getDiagnostics(uri);
      if (!accept(all)) return;
      finish();
      resolve(all);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; all diagnostics now:\n  ${vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.source}(${codeOf(d)}): ${d.message}`).join('\n  ')}`));
    }, WAIT_MS);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

const PEER = 'ms-azuretools.vscode-containers';
/** dockerfile-utils' ValidationCode numbers: DEPRECATED_MAINTAINER, WORKDIR_IS_NOT_ABSOLUTE. */
const MAINTAINER = 45;
const WORKDIR = 50;

/** @param {vscode.Diagnostic[]} ds @param {number} code */
const peerHas = (ds, code) => ds.some((d) => d.source === 'dockerfile-utils' && codeOf(d) === String(code));
/** @param {vscode.Diagnostic[]} ds @param {string} code */
const oursHas = (ds, code) => ds.some((d) => d.source === 'shipshape' && codeOf(d) === code);

suite('Beside Container Tools (rcjsuen\'s docker-langserver)', () => {
  teardown(async () => {
    await vscode.workspace.getConfiguration('shipshape').update('coexistence', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('the peer is installed and active beside Shipshape', async () => {
    const peer = vscode.extensions.getExtension(PEER);
    assert.ok(peer, `${PEER} (the stand-in) is not installed`);
    await peer.activate();
    assert.ok(peer.isActive);
  });

  test('each problem is shown once, and Shipshape\'s own findings stay', async () => {
    const { document } = await open('coexistence/Dockerfile');
    const ds = await waitForDiagnostics(document.uri,
      (all) => peerHas(all, MAINTAINER) && peerHas(all, WORKDIR) && !oursHas(all, 'no-maintainer') && !oursHas(all, 'workdir-absolute') && all.some((d) => d.source === 'shipshape'),
      'the peer\'s MAINTAINER and WORKDIR findings, without Shipshape\'s copies');
    // Per line, one finding per problem: the MAINTAINER line and the WORKDIR line carry the peer's only.
    assert.deepEqual(ds.filter((d) => d.range.start.line === 1).map((d) => d.source), ['dockerfile-utils'], describe(ds));
    assert.deepEqual(ds.filter((d) => d.range.start.line === 2).map((d) => d.source), ['dockerfile-utils'], describe(ds));
    await revertAndClose(document);
  });

  test('Shipshape\'s quick fix is offered on the peer\'s diagnostic and applies', async () => {
    const { document } = await open('coexistence/Dockerfile');
    const ds = await waitForDiagnostics(document.uri, (all) => peerHas(all, MAINTAINER) && !oursHas(all, 'no-maintainer'), 'the peer\'s MAINTAINER finding alone');
    const maintainer = ds.find((d) => d.source === 'dockerfile-utils' && codeOf(d) === String(MAINTAINER));
    assert.ok(maintainer);
    const actions = await quickFixes(document.uri, maintainer.range);
    const fix = actions.find((a) => a.title.startsWith('Replace with LABEL org.opencontainers.image.authors'));
    assert.ok(fix?.edit, `Shipshape's fix on the peer's diagnostic: ${JSON.stringify(actions.map((a) => a.title))}`);
    // (That the action names the peer's diagnostic is checked over LSP in test/lsp/dockerfile-coexistence.test.ts:
    // VS Code's executeCodeActionProvider does not hand the actions' diagnostics back.)
    const workdir = ds.find((d) => d.source === 'dockerfile-utils' && codeOf(d) === String(WORKDIR));
    assert.ok(workdir);
    assert.ok((await quickFixes(document.uri, workdir.range)).some((a) => a.title === 'Make the path absolute: /app'), 'the WORKDIR fix too');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForText(document, (t) => t.includes('LABEL org.opencontainers.image.authors="ops@example.com"') && !/^MAINTAINER/m.test(t), 'MAINTAINER replaced by the authors label');
    await revertAndClose(document);
  });

  test('with shipshape.coexistence off, both show', async () => {
    const { document } = await open('coexistence/Dockerfile');
    await vscode.workspace.getConfiguration('shipshape').update('coexistence', 'off', vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(document.uri,
      (all) => peerHas(all, MAINTAINER) && peerHas(all, WORKDIR) && oursHas(all, 'no-maintainer') && oursHas(all, 'workdir-absolute'),
      'both extensions\' MAINTAINER and WORKDIR findings');
    await vscode.workspace.getConfiguration('shipshape').update('coexistence', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(document.uri, (all) => peerHas(all, MAINTAINER) && !oursHas(all, 'no-maintainer'), 'Shipshape\'s copy to go again with auto');
    await revertAndClose(document);
  });
});
