// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Syntax errors as the build would hit them (issue 15, item 1): the `FORM` typo gets an error
// squiggle with a did-you-mean quick fix, and the lines below it keep their own findings.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { applyQuickFix, codeOf, open, revertAndClose, waitForCodes, waitForDiagnostics, waitForNoCode } = require('./helpers');

suite('Syntax errors', () => {
  test('`FORM` is an error with "Change to FROM", and the lines below keep their findings', async () => {
    const { document } = await open('syntax/Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['instruction-known', 'flag-known']);
    const typo = diagnostics.find((d) => codeOf(d) === 'instruction-known');
    assert.ok(typo);
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(typo.range.start.line, 0);
    assert.equal(document.getText(typo.range), 'FORM');
    assert.match(typo.message, /did you mean `FROM`\?/);
    // One bad line hides nothing: the HEALTHCHECK typo on line 3 is reported too.
    const flag = diagnostics.find((d) => codeOf(d) === 'flag-known');
    assert.equal(flag?.range.start.line, 2);

    await applyQuickFix(document, typo, 'Change to FROM');
    assert.equal(document.lineAt(0).text, 'FROM alpine:3.20');
    const after = await waitForNoCode(document.uri, 'instruction-known');
    assert.ok(after.some((d) => codeOf(d) === 'flag-known'), 'flag-known went away too');
    await revertAndClose(document);
  });

  test('"Change to --interval" fixes the unknown HEALTHCHECK flag', async () => {
    const { document } = await open('syntax/Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['flag-known']);
    const flag = diagnostics.find((d) => codeOf(d) === 'flag-known');
    assert.ok(flag);
    await applyQuickFix(document, flag, 'Change to --interval');
    assert.match(document.lineAt(2).text, /^HEALTHCHECK --interval=30s CMD/);
    await waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'flag-known') && ds.some((d) => codeOf(d) === 'instruction-known'),
      'flag-known to go while instruction-known stays');
    await revertAndClose(document);
  });
});
