// Headless Chromium (Debian's, not a Playwright download) for the workbench. One browser per run;
// each suite gets its own context, so storage and exposed functions never leak between them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const LOCAL = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;

/**
 * @param {string} executablePath
 * @param {string} home a folder for what Chromium writes outside its profile ("Crash Reports"
 *   under XDG_CONFIG_HOME), so that nothing lands in the user's home
 * @returns {Promise<{ browser: import('playwright-core').Browser, newContext: () => Promise<import('playwright-core').BrowserContext>, close: () => Promise<void>, external: Set<string> }>}
 */
export async function launchBrowser(executablePath, home) {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      // Offline machine: nothing may try the network.
      '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  // The run is offline: any request that leaves 127.0.0.1 is reported (none is expected).
  const external = new Set();
  const newContext = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    context.on('request', (request) => {
      const url = request.url();
      if (/^(https?|wss?):/.test(url) && !LOCAL.test(url)) external.add(url);
    });
    return context;
  };
  // browser.close() returns when the connection closes; Chromium's helpers (zygote, crash
  // handler) exit a moment later. Wait for every process that carries this run's environment,
  // then kill what is left, so that the run leaves nothing behind.
  const marker = `XDG_CONFIG_HOME=${join(home, 'config')}\0`;
  const close = async () => {
    await browser.close().catch(() => undefined);
    const deadline = Date.now() + 5000;
    let left = ours(marker);
    while (left.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = ours(marker);
    }
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  return { browser, newContext, close, external };
}

/** The live processes whose environment contains `marker` (Linux /proc). */
function ours(marker) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}
