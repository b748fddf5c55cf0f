// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// The commands the client contributes: Show Rule Documentation (also as a quick fix on every
// finding), Restart Language Server, Fix All Problems, Convert to Multi-Stage Build.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { codeOf, extension, open, openUntitled, quickFixes, revertAndClose, waitForCodes, waitForDiagnostics, waitForText } = require('./helpers');

suite('Commands', () => {
  test('the manifest contributes the four commands and they are registered', async () => {
    await extension().activate();
    const contributed = (extension().packageJSON.contributes?.commands ?? []).map((/** @type {{ command: string }} */ c) => c.command);
    assert.deepEqual(contributed.sort(), ['shipshape.convertToMultiStage', 'shipshape.fixAll', 'shipshape.restartServer', 'shipshape.showRuleDocumentation']);
    const all = await vscode.commands.getCommands(true);
    for (const id of ['shipshape.showRuleDocumentation', 'shipshape.restartServer', 'shipshape.fixAll', 'shipshape.convertToMultiStage']) assert.ok(all.includes(id), id);
  });

  test('Show Rule Documentation opens the rule\'s page the diagnostic links, from the quick-fix menu and from the palette', async () => {
    const { document, editor } = await open('Dockerfile');
    const ds = await waitForCodes(document.uri, ['exec-form-cmd']);
    const finding = ds.find((d) => codeOf(d) === 'exec-form-cmd');
    assert.ok(finding && typeof finding.code === 'object');
    const href = finding.code.target.toString();
    const actions = await quickFixes(document.uri, finding.range);
    const show = actions.find((a) => a.title === 'Show documentation for exec-form-cmd');
    assert.ok(show?.command, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(show.command.arguments, ['exec-form-cmd', href]);
    // From the palette, with the cursor on the finding.
    editor.selection = new vscode.Selection(finding.range.start, finding.range.start);
    const opened = await vscode.commands.executeCommand('shipshape.showRuleDocumentation');
    assert.equal(opened, href);
    assert.match(vscode.window.activeTextEditor?.document.uri.path ?? '', /\/docs\/rules\/exec-form-cmd\.md$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await revertAndClose(document);
  });

  test('Fix All Problems applies every automatic fix of the active file', async () => {
    const { document } = await openUntitled('dockerfile', 'FROM alpine:3.22\nrun echo hi\nUSER nobody\n');
    await waitForCodes(document.uri, ['keyword-casing']);
    assert.equal(await vscode.commands.executeCommand('shipshape.fixAll'), true);
    await waitForText(document, (t) => t.startsWith('FROM alpine:3.22\nRUN echo hi\n'), 'upper-case instructions');
    await revertAndClose(document);
  });

  test('Convert to Multi-Stage Build converts the active Dockerfile, or says why not', async () => {
    const { document } = await open('refactor/Dockerfile');
    await waitForCodes(document.uri, ['prefer-multi-stage']);
    assert.deepEqual(await vscode.commands.executeCommand('shipshape.convertToMultiStage'), { applied: true });
    await waitForText(document, (t) => (t.match(/^FROM /gm) ?? []).length >= 2, 'a second stage');
    await revertAndClose(document);

    const declined = await open('refactor-declined/Dockerfile');
    await waitForCodes(declined.document.uri, ['prefer-multi-stage']);
    const text = declined.document.getText();
    const result = /** @type {{ applied: boolean, reason?: string }} */ (await vscode.commands.executeCommand('shipshape.convertToMultiStage'));
    assert.equal(result.applied, false);
    assert.match(result.reason ?? '', /dotnet run/);
    assert.equal(declined.document.getText(), text, 'nothing edited');
    await revertAndClose(declined.document);
  });

  test('Restart Language Server: diagnostics come back from the new server', async () => {
    const { document, editor } = await open('Dockerfile');
    await waitForCodes(document.uri, ['exec-form-cmd']);
    await vscode.commands.executeCommand('shipshape.restartServer');
    // An edit after the restart is linted by the new server.
    await editor.edit((b) => b.insert(new vscode.Position(document.lineCount - 1, 0), 'USER node\n'));
    await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'exec-form-cmd') && !ds.some((d) => codeOf(d) === 'no-root-user'), 'the new server\'s findings for the edited file');
    await revertAndClose(document);
  });
});
