// `npm run test:e2e`: the extension in the real VS Code workbench, offline.
//
//  1. setup (once): Debian's chromium (and, to build code-server, libkrb5-dev, ripgrep) when
//     missing and running as root; code-server 4.100.3 (= VS Code 1.100.3) into
//     ${XDG_CACHE_HOME:-~/.cache}/shipshape-e2e/code-server-4.100.3, reused when present;
//  2. `npm run build`, `npm run package` (shipshape.vsix), type-check of the suite;
//  3. a fresh code-server: its own user-data, extensions and XDG folders, the VSIX installed
//     with --install-extension, a fresh copy of test/e2e/workspace per suite, its own process
//     group on a free 127.0.0.1 port, no auth;
//  4. (a) the extension-test suite test/e2e/suite inside the extension host, through the
//     workbench URL payload; (b) the Playwright UI test test/e2e/ui.mjs in headless Chromium;
//  5. stops every process it started, prints `N passed, N failed` last, exits 1 on any failure.
//
// Options: --no-build (reuse dist/ and shipshape.vsix), --only=host|ui, --keep (keep the work
// folder), --update-images (copy the refactor-menu and hover screenshots to docs/images/).
// E2E_VERBOSE=1 shows all the extension host's output; E2E_GREP=<text> runs matching host tests;
// E2E_TRACE_SERVER=messages|verbose sets shipshape.trace.server (the trace is in the kept logs).
// Screenshots (and the logs, on failure) go to test-results/. Background: ../shared/e2e/RECIPE.md.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureCodeServer, SetupError, CODE_SERVER_VERSION } from './setup.mjs';
import { freePort, installExtension, prepareServer, startServer, stopServer, tail } from './codeServer.mjs';
import { launchBrowser } from './browser.mjs';
import { runHostSuite } from './hostSuite.mjs';
import { buildPeer } from './peer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const known = /^--(no-build|keep|update-images|only=(host|ui))$/;
const unknown = args.filter((a) => !known.test(a));
if (unknown.length) {
  console.error(`unknown option(s): ${unknown.join(' ')}\nusage: npm run test:e2e [-- --no-build] [--only=host|ui] [--keep] [--update-images]`);
  process.exit(2);
}
const options = {
  build: !args.includes('--no-build'),
  keep: args.includes('--keep'),
  updateImages: args.includes('--update-images'),
  only: args.find((a) => a.startsWith('--only='))?.slice('--only='.length),
  verbose: Boolean(process.env.E2E_VERBOSE),
};

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[e2e ${seconds(started).padStart(7)}] ${message}`);

/** @type {{ passed: string[], failed: { title: string, error: string }[], pending: string[] }} */
const results = { passed: [], failed: [], pending: [] };
const shotsDir = join(root, 'test-results');
let work;
let running;
/** The second workbench, with the peer extension installed beside Shipshape. */
let peerRunning;
let browser;
let stopping = false;
let typeCheckChild;

async function phase(title, fn) {
  const since = Date.now();
  log(`${title}…`);
  const value = await fn();
  log(`${title}: done in ${seconds(since)}`);
  return value;
}

function npm(script) {
  const result = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
}

/** `tsc -p test/e2e` in the background; rejects with its output when the suite does not type-check. */
function typeCheckSuite() {
  const promise = new Promise((resolveCheck, rejectCheck) => {
    const tsc = typeCheckChild = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'test', 'e2e')], { cwd: root });
    let output = '';
    tsc.stdout.on('data', (chunk) => { output += chunk; });
    tsc.stderr.on('data', (chunk) => { output += chunk; });
    tsc.on('error', rejectCheck);
    tsc.on('close', (code) => (code === 0 ? resolveCheck() : rejectCheck(new Error(`tsc -p test/e2e failed: the extension-host suite does not type-check\n${output}`))));
  });
  promise.catch(() => undefined); // awaited later; no unhandled rejection meanwhile
  return promise;
}

/** Stops what this run started; returns the processes that would not stop. */
async function cleanUp() {
  if (stopping) return [];
  stopping = true;
  if (typeCheckChild && typeCheckChild.exitCode === null) typeCheckChild.kill();
  await browser?.close();
  const left = await stopServer(running);
  if (peerRunning) left.push(...await stopServer(peerRunning));
  return left;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n[e2e] ${signal}: stopping code-server and the browser`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  const { chromium, codeServer } = await phase('setup (Chromium, code-server ' + CODE_SERVER_VERSION + ')', () => ({
    chromium: ensureChromium(),
    codeServer: ensureCodeServer(),
  }));

  if (options.build) await phase('npm run build', () => npm('build'));
  // The suite's type-check runs beside the packaging and the server start; it is awaited
  // before the suite runs.
  const typeCheck = typeCheckSuite();
  if (options.build) await phase('npm run package', () => npm('package'));
  const vsix = join(root, 'shipshape.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run without --no-build (or npm run package)`);

  mkdirSync(shotsDir, { recursive: true });
  for (const name of readdirSync(shotsDir)) {
    if (name.startsWith('ui-') && name.endsWith('.png')) rmSync(join(shotsDir, name));
  }
  rmSync(join(shotsDir, 'logs'), { recursive: true, force: true });

  work = mkdtempSync(join(tmpdir(), 'shipshape-e2e-'));
  const workspaces = { host: join(work, 'workspace-host'), ui: join(work, 'workspace-ui') };
  for (const dir of Object.values(workspaces)) cpSync(join(root, 'test', 'e2e', 'workspace'), dir, { recursive: true });
  const resultsFile = join(work, 'host-results.json');

  const settings = process.env.E2E_TRACE_SERVER ? { 'shipshape.trace.server': process.env.E2E_TRACE_SERVER } : {};
  const server = prepareServer({ bin: codeServer, work, port: await freePort(), settings });
  const extensionPath = await phase('install shipshape.vsix into a fresh code-server', () => installExtension(server, vsix));
  running = await phase(`start code-server on ${server.url}`, () => startServer(server, { E2E_RESULTS_FILE: resultsFile }));
  browser = await phase('start Chromium', () => launchBrowser(chromium, join(work, 'chromium')));
  await phase('type-check test/e2e (tsc -p test/e2e)', () => typeCheck);

  if (options.only !== 'ui') {
    const host = await phase('extension-host suite (test/e2e/suite)', () => runHostSuite(browser, {
      serverUrl: server.url,
      workspace: workspaces.host,
      extensionPath,
      testsPath: join(root, 'test', 'e2e', 'suite', 'index.js'),
      resultsFile,
      verbose: options.verbose,
    }));
    results.passed.push(...host.passed.map((t) => `host: ${t}`));
    results.failed.push(...host.failed.map((f) => ({ ...f, title: `host: ${f.title}` })));
    results.pending.push(...host.pending.map((t) => `host: ${t}`));
  }
  if (options.only !== 'host') {
    const { runUiTests } = await import('../../test/e2e/ui.mjs');
    const ui = await phase('UI test (test/e2e/ui.mjs)', () => runUiTests(browser, { serverUrl: server.url, workspace: workspaces.ui, shotsDir }));
    results.passed.push(...ui.passed.map((t) => `ui: ${t}`));
    results.failed.push(...ui.failed.map((f) => ({ ...f, title: `ui: ${f.title}` })));
    if (options.updateImages) {
      if (ui.failed.length) throw new Error('--update-images: the UI test failed, docs/images/ left as they were');
      mkdirSync(join(root, 'docs', 'images'), { recursive: true });
      copyFileSync(join(shotsDir, 'ui-refactor-menu.png'), join(root, 'docs', 'images', 'e2e-refactor.png'));
      copyFileSync(join(shotsDir, 'ui-hover.png'), join(root, 'docs', 'images', 'e2e-hover.png'));
      log('copied test-results/ui-refactor-menu.png and ui-hover.png to docs/images/e2e-refactor.png and e2e-hover.png');
      for (const name of ['compose-completion', 'compose-condition', 'compose-value-hover', 'compose-rename-preview', 'compose-outline', 'compose-build-hover', 'compose-formatted', 'dockerfile-completion', 'dockerfile-hover', 'dockerfile-outline']) {
        if (existsSync(join(shotsDir, `ui-${name}.png`))) copyFileSync(join(shotsDir, `ui-${name}.png`), join(root, 'docs', 'images', `${name}.png`));
      }
    }
    if (browser.external.size) {
      results.failed.push({ title: 'offline', error: `the workbench requested non-local URLs:\n${[...browser.external].join('\n')}` });
      browser.external.clear();
    }
  }

  // Beside another Docker extension: a second workbench with a Container Tools stand-in that runs
  // rcjsuen's real docker-langserver (test/e2e/peer/) installed beside shipshape.vsix; the
  // coexistence suite (suite/coexistence*.test.js) runs there alone, with E2E_PEER=1.
  if (options.only !== 'ui') {
    const peerVsix = await phase('build the peer extension (test/e2e/peer: docker-langserver)', () => buildPeer(work));
    const peerWork = join(work, 'with-peer');
    mkdirSync(peerWork, { recursive: true });
    const peerWorkspace = join(peerWork, 'workspace');
    cpSync(join(root, 'test', 'e2e', 'workspace'), peerWorkspace, { recursive: true });
    const peerResults = join(peerWork, 'host-results.json');
    const peerServer = prepareServer({ bin: codeServer, work: peerWork, port: await freePort(), settings: {} });
    const peerExtensionPath = await phase('install shipshape.vsix and the peer into a second code-server', () => {
      installExtension(peerServer, peerVsix, 'ms-azuretools.vscode-containers-');
      return installExtension(peerServer, vsix);
    });
    peerRunning = await phase(`start the second code-server on ${peerServer.url}`, () => startServer(peerServer, { E2E_RESULTS_FILE: peerResults, E2E_PEER: '1' }));
    const peerHost = await phase('coexistence suite beside the peer (test/e2e/suite/coexistence.test.js)', () => runHostSuite(browser, {
      serverUrl: peerServer.url,
      workspace: peerWorkspace,
      extensionPath: peerExtensionPath,
      testsPath: join(root, 'test', 'e2e', 'suite', 'index.js'),
      resultsFile: peerResults,
      verbose: options.verbose,
    }));
    results.passed.push(...peerHost.passed.map((t) => `beside peer: ${t}`));
    results.failed.push(...peerHost.failed.map((f) => ({ ...f, title: `beside peer: ${f.title}` })));
    results.pending.push(...peerHost.pending.map((t) => `beside peer: ${t}`));
    const { runCoexistenceUi } = await import('../../test/e2e/coexistence-ui.mjs');
    const ui = await phase('coexistence screenshot (test/e2e/coexistence-ui.mjs)', () => runCoexistenceUi(browser, { serverUrl: peerServer.url, workspace: peerWorkspace, shotsDir }));
    results.passed.push(...ui.passed.map((t) => `beside peer ui: ${t}`));
    results.failed.push(...ui.failed.map((f) => ({ ...f, title: `beside peer ui: ${f.title}` })));
    if (options.updateImages && ui.failed.length === 0 && existsSync(join(shotsDir, 'ui-dockerfile-coexistence.png'))) {
      mkdirSync(join(root, 'docs', 'images'), { recursive: true });
      copyFileSync(join(shotsDir, 'ui-dockerfile-coexistence.png'), join(root, 'docs', 'images', 'dockerfile-coexistence.png'));
      log('copied test-results/ui-dockerfile-coexistence.png to docs/images/dockerfile-coexistence.png');
    }
    if (browser.external.size) {
      results.failed.push({ title: 'offline', error: `the workbench requested non-local URLs:\n${[...browser.external].join('\n')}` });
    }
  }
} catch (error) {
  const message = error instanceof SetupError ? `setup failed: ${error.message}`
    : options.verbose ? String(error?.stack ?? error) : String(error?.message ?? error);
  results.failed.push({ title: 'harness', error: message });
} finally {
  const left = await phase('stop code-server and Chromium', cleanUp);
  if (left.length) results.failed.push({ title: 'clean-up', error: `processes left in code-server's group after SIGKILL:\n${left.join('\n')}` });
}

if (results.failed.length && work) {
  // Keep what explains the failure next to the screenshots.
  const logs = join(shotsDir, 'logs');
  mkdirSync(logs, { recursive: true });
  if (existsSync(join(work, 'code-server.log'))) copyFileSync(join(work, 'code-server.log'), join(logs, 'code-server.log'));
  if (existsSync(join(work, 'user-data', 'logs'))) cpSync(join(work, 'user-data', 'logs'), join(logs, 'user-data-logs'), { recursive: true });
  if (running) console.log(`\ncode-server log (last lines):\n${tail(join(work, 'code-server.log'), 20)}`);
}
if (work) {
  if (options.keep || results.failed.length) log(`work folder kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

console.log('');
for (const title of results.pending) console.log(`  - pending: ${title}`);
for (const failure of results.failed) {
  console.log(`  ✗ ${failure.title}\n    ${failure.error.split('\n').slice(0, 20).join('\n    ')}`);
}
console.log(`e2e finished in ${seconds(started)}${results.pending.length ? `; ${results.pending.length} pending` : ''}`);
console.log(`${results.passed.length} passed, ${results.failed.length} failed`);
process.exit(results.failed.length ? 1 : 0);
