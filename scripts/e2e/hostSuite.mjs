// Runs the extension-test suite (test/e2e/suite/index.js) inside code-server's extension host,
// the way VS Code's own browser integration tests drive a server: code-server's CLI rejects
// --extensionDevelopmentPath/--extensionTestsPath, but the workbench URL accepts them in its
// `payload` as vscode-remote:// URIs. The workbench then runs the module's run() in the
// (server-side, Node) extension host and reports its exit code to the page by calling
// window.codeAutomationExit(code); it forwards the host's output through codeAutomationLog.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';

/**
 * @param {{ newContext: () => Promise<import('playwright-core').BrowserContext> }} browser
 * @param {{ serverUrl: string, workspace: string, extensionPath: string, testsPath: string, resultsFile: string, timeoutMs?: number, verbose?: boolean }} options
 * @returns {Promise<{ passed: string[], failed: { title: string, error: string }[], pending: string[] }>}
 */
export async function runHostSuite(browser, { serverUrl, workspace, extensionPath, testsPath, resultsFile, timeoutMs = 300_000, verbose = false }) {
  const host = new URL(serverUrl).host;
  const remote = (path) => `vscode-remote://${host}${resolve(path)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ];
  const url = `${serverUrl}/?folder=${encodeURIComponent(resolve(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const started = Date.now();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const exit = new Promise((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolveExit({ code }));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The workbench forwards console calls as they were made: a format string and its values.
      const text = format(...(Array.isArray(args) ? args : [args])).replace(/\s+$/, '');
      const stamp = verbose ? `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ` : '';
      if (verbose || isSuiteOutput(text)) for (const line of text.split('\n')) console.log(`  │ ${stamp}${line}`);
    });
    const crashed = new Promise((resolveCrash) => page.on('crash', () => resolveCrash({ crash: 'the page crashed' })));
    let timer;
    const timeout = new Promise((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout({ crash: `no exit code from the extension host after ${timeoutMs / 1000} s` }), timeoutMs);
    });
    await page.goto(url);
    const outcome = await Promise.race([exit, crashed, timeout]);
    clearTimeout(timer);

    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
    if (!results) {
      const why = outcome.crash ?? `the extension host exited with ${outcome.code} without writing ${resultsFile} (the suite did not load or run)`;
      return { passed: [], failed: [{ title: 'extension-host suite', error: why }], pending: [] };
    }
    if (outcome.crash) results.failed.push({ title: 'extension-host suite', error: outcome.crash });
    else if (outcome.code !== 0 && results.failed.length === 0) {
      results.failed.push({ title: 'extension-host suite', error: `exit code ${outcome.code} although no test failed` });
    }
    return results;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/**
 * The extension host forwards everything it logs; show mocha's report and errors, not the
 * workbench's chatter (set E2E_VERBOSE=1 for all of it).
 */
const WORKBENCH_NOISE = [
  /^\s*$/,
  /^Creation of workbench contribution/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Updating additional builtin extensions cache/,
  /^Ignoring fetching additional builtin/,
  /^\[lifecycle\] Long running operations during shutdown/,
  /socket \(|connection token/,
];

function isSuiteOutput(text) {
  return !WORKBENCH_NOISE.some((pattern) => pattern.test(text));
}
