// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Quick fixes as the lightbulb offers them: VS Code asks every code-action provider for the
// diagnostics under a range, the user picks one, VS Code applies its workspace edit, and the
// server re-lints the changed text.
const assert = require('node:assert/strict');
const YAML = require('yaml');
const vscode = require('vscode');
const { applyQuickFix, codeOf, open, quickFixes, revertAndClose, waitForCodes, waitForNoCode, waitForDiagnostics } = require('./helpers');

suite('Quick fixes', () => {
  test('"Rewrite CMD in exec form" rewrites the CMD and its diagnostic disappears', async () => {
    const { document } = await open('Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['exec-form-cmd']);
    const execForm = diagnostics.find((d) => codeOf(d) === 'exec-form-cmd');
    assert.ok(execForm);
    await applyQuickFix(document, execForm, 'Rewrite CMD in exec form');
    assert.equal(document.lineAt(5).text, 'CMD ["node", "server.js"]');
    const after = await waitForNoCode(document.uri, 'exec-form-cmd');
    // Only that finding went: the others on the file are still reported.
    assert.ok(after.some((d) => codeOf(d) === 'no-root-user'), 'no-root-user went away too');
    await revertAndClose(document);
  });

  test('"Ignore no-root-user for this line" inserts the comment and silences the rule', async () => {
    const { document } = await open('Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['no-root-user', 'image-tag-pinned']);
    const noRoot = diagnostics.find((d) => codeOf(d) === 'no-root-user');
    assert.ok(noRoot);
    assert.equal(noRoot.range.start.line, 0);
    await applyQuickFix(document, noRoot, 'Ignore no-root-user for this line');
    assert.equal(document.lineAt(0).text, '# shipshape-ignore no-root-user');
    assert.equal(document.lineAt(1).text, 'FROM node:latest');
    // The comment silences exactly that rule on that instruction.
    await waitForDiagnostics(document.uri,
      (ds) => !ds.some((d) => codeOf(d) === 'no-root-user') && ds.some((d) => codeOf(d) === 'image-tag-pinned' && d.range.start.line === 1),
      'no-root-user to be silenced while image-tag-pinned stays (on the moved FROM line)');
    await revertAndClose(document);
  });

  test('"Wait for `db` to be healthy" adds condition: service_healthy and a pg_isready healthcheck', async () => {
    const { document } = await open('compose.yaml');
    const diagnostics = await waitForCodes(document.uri, ['depends-on-healthy']);
    const dependsOn = diagnostics.find((d) => codeOf(d) === 'depends-on-healthy');
    assert.ok(dependsOn);
    await applyQuickFix(document, dependsOn, 'Wait for `db` to be healthy');

    const text = document.getText();
    const compose = YAML.parse(text);
    assert.deepEqual(compose.services.web.depends_on, { db: { condition: 'service_healthy' } }, text);
    const healthcheck = compose.services.db.healthcheck;
    assert.ok(healthcheck, `db got no healthcheck:\n${text}`);
    assert.match(JSON.stringify(healthcheck.test), /pg_isready/, text);
    // The rest of the file is untouched.
    assert.equal(compose.services.web.privileged, true);
    assert.equal(compose.services.db.image, 'postgres');
    await waitForNoCode(document.uri, 'depends-on-healthy');
    await revertAndClose(document);
  });

  test('the single→multi-stage refactor turns a Go single-stage Dockerfile into a multi-stage one', async () => {
    const { document } = await open('refactor/Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['prefer-multi-stage']);
    const finding = diagnostics.find((d) => codeOf(d) === 'prefer-multi-stage');
    assert.ok(finding);
    // The lightbulb on the finding offers it as a quick fix…
    const fixes = await quickFixes(document.uri, finding.range);
    assert.ok(fixes.some((a) => /^Convert to multi-stage build \(Go\) — typical: /.test(a.title)), JSON.stringify(fixes.map((a) => a.title)));
    // …and the refactor menu offers it anywhere in the file (here on the CMD line).
    const cmdLine = document.lineCount - 2;
    const refactors = /** @type {vscode.CodeAction[]} */ (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, new vscode.Range(cmdLine, 0, cmdLine, 0), vscode.CodeActionKind.Refactor.value)) ?? [];
    const convert = refactors.find((a) => a.title.startsWith('Convert to multi-stage build (Go)'));
    assert.ok(convert?.edit, `no refactor offered on line ${cmdLine + 1}: ${JSON.stringify(refactors.map((a) => a.title))}`);
    assert.ok(convert.kind && vscode.CodeActionKind.RefactorRewrite.contains(convert.kind), `kind ${convert.kind?.value}`);
    assert.ok(await vscode.workspace.applyEdit(convert.edit));

    const text = document.getText();
    assert.match(text, /^FROM --platform=\$BUILDPLATFORM golang:1\.22 AS build$/m, text);
    assert.match(text, /GOOS=\$TARGETOS GOARCH=\$TARGETARCH CGO_ENABLED=0 go build/, text);
    assert.match(text, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m, text);
    assert.match(text, /^COPY --from=build .*\/bin\/server \/bin\/server$/m, text);
    assert.match(text, /^EXPOSE 8080$/m, text);
    assert.match(text, /^CMD \["\/bin\/server"\]$/m, text);
    await waitForDiagnostics(document.uri,
      (ds) => !ds.some((d) => ['prefer-multi-stage', 'runtime-image-minimal', 'no-root-user'].includes(String(codeOf(d)))),
      'the converted file to have no prefer-multi-stage, runtime-image-minimal or no-root-user finding');
    await revertAndClose(document);
  });


  test('a conversion that cannot be made edits nothing, and the finding\'s hover says why', async () => {
    const { document } = await open('refactor-declined/Dockerfile');
    const diagnostics = await waitForCodes(document.uri, ['prefer-multi-stage']);
    const finding = diagnostics.find((d) => codeOf(d) === 'prefer-multi-stage');
    assert.ok(finding);
    const refactors = /** @type {vscode.CodeAction[]} */ (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.Refactor.value)) ?? [];
    // VS Code's API command leaves disabled actions out (the UI test sees it greyed out in the
    // refactor menu): no conversion that edits the file is offered.
    assert.equal(refactors.filter((a) => a.title.startsWith('Convert to multi-stage') && a.edit).length, 0, JSON.stringify(refactors.map((a) => a.title)));
    // The finding's hover says why.
    const hovers = /** @type {vscode.Hover[]} */ (await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, finding.range.start)) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Convert to multi-stage build\*\* is not offered: the app starts with `dotnet run`/, text);
    await revertAndClose(document);
  });
});
