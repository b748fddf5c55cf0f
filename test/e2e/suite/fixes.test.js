// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Quick fixes as the lightbulb offers them: VS Code asks every code-action provider for the
// diagnostics under a range, the user picks one, VS Code applies its workspace edit, and the
// server re-lints the changed text.
const assert = require('node:assert/strict');
const YAML = require('yaml');
const { applyQuickFix, codeOf, open, revertAndClose, waitForCodes, waitForNoCode, waitForDiagnostics } = require('./helpers');

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

  // Pending until the single→multi-stage refactor lands (issue "multi-stage refactor"): open a
  // Go single-stage Dockerfile (add it as workspace/refactor/Dockerfile), apply the refactor's
  // code action and check the result has a build stage and a minimal final stage that copies
  // the binary with COPY --from. The UI test (test/e2e/ui.mjs) then applies it with Ctrl+.
  // instead of the exec-form fix.
  test('the single→multi-stage refactor turns a Go single-stage Dockerfile into a multi-stage one');
});
