// `npm run test:e2e:electron`: the same extension-test suite (test/e2e/suite) in desktop VS Code
// 1.100.3 (the release inside code-server 4.100.3), downloaded by @vscode/test-electron into
// .vscode-test/. For machines that can download VS Code, such as GitHub's runners; on headless
// Linux run it under xvfb-run. The offline development machine uses `npm run test:e2e` instead.
//
// Options: --no-build (dist/ is already current, e.g. right after `npm test`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { VSCODE_VERSION } from './setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = !process.argv.includes('--no-build');

function step(title, command, args) {
  console.log(`[e2e:electron] ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[e2e:electron] ${title} failed`);
    process.exit(1);
  }
}

if (build) step('npm run build', 'npm', ['run', 'build']);
if (!existsSync(join(root, 'dist', 'client.js')) || !existsSync(join(root, 'dist', 'server.js'))) {
  console.error('[e2e:electron] dist/client.js or dist/server.js is missing: run npm run build');
  process.exit(1);
}
step('type-check test/e2e', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'test', 'e2e')]);

// A fresh copy of the workspace and a fresh profile: the suite writes files and settings.
const work = mkdtempSync(join(tmpdir(), 'shipshape-e2e-electron-'));
const workspace = join(work, 'workspace');
cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
const resultsFile = join(work, 'results.json');

let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || VSCODE_VERSION,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'e2e', 'suite', 'index.js'),
    extensionTestsEnv: { E2E_RESULTS_FILE: resultsFile },
    launchArgs: [
      workspace,
      // Only the extension under test: no built-in Docker/YAML extensions, no trust prompt.
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir', join(work, 'user-data'),
      '--skip-welcome', '--skip-release-notes', '--disable-telemetry',
    ],
  });
} catch (error) {
  const message = String(error?.message ?? error);
  console.error(`[e2e:electron] ${message}`);
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(message)) {
    console.error(`[e2e:electron] could not download VS Code ${VSCODE_VERSION}: this machine is offline. Run the suite in code-server instead: npm run test:e2e`);
  }
  code = 1;
}

const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
rmSync(work, { recursive: true, force: true });
if (!results) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
for (const title of results.pending) console.log(`  - pending: ${title}`);
for (const failure of results.failed) console.log(`  ✗ ${failure.title}\n    ${failure.error.split('\n').slice(0, 20).join('\n    ')}`);
if (code && results.failed.length === 0) results.failed.push({ title: 'VS Code', error: 'exited with a failure although no test failed' });
console.log(`${results.passed.length} passed, ${results.failed.length} failed`);
process.exit(results.failed.length ? 1 : 0);
