// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// The extensionTestsPath module: VS Code's extension host calls run() and turns a rejected
// promise into a failing exit code. The same module runs under @vscode/test-electron (desktop
// VS Code, scripts/e2e/electron.mjs) and under code-server (scripts/e2e/run.mjs, through the
// workbench URL payload). When E2E_RESULTS_FILE is set (the extension host inherits the
// environment of whoever started VS Code), the results are also written there as JSON, which is
// how the code-server harness counts them.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

/** @returns {Promise<void>} */
function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120000, reporter: 'spec' });
  const grep = process.env.E2E_GREP;
  if (grep) mocha.grep(grep);
  // The coexistence suite runs alone, in a second workbench where a peer extension is installed
  // beside Shipshape (E2E_PEER=1, scripts/e2e/run.mjs); the other suites run without it.
  const peerRun = process.env.E2E_PEER === '1';
  for (const name of fs.readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js') && name.startsWith('coexistence') === peerRun) mocha.addFile(path.join(__dirname, name));
  }
  /** @type {{ passed: string[], failed: { title: string, error: string }[], pending: string[] }} */
  const results = { passed: [], failed: [], pending: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.E2E_RESULTS_FILE;
      if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} of the extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, error) => results.failed.push({ title: t.fullTitle(), error: String((error && error.stack) || error) }));
    runner.on('pending', (t) => results.pending.push(t.fullTitle()));
  });
}

module.exports = { run };
