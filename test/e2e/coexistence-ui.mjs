// The coexistence case on screen, in the workbench where the Container Tools stand-in (rcjsuen's
// docker-langserver, test/e2e/peer/) is installed beside Shipshape (scripts/e2e/run.mjs): the
// Problems panel lists the MAINTAINER and WORKDIR problems once (the peer's `dockerfile-utils`
// rows) next to Shipshape's own findings, and Ctrl+. on the peer's MAINTAINER squiggle offers
// Shipshape's fix. The screenshot becomes docs/images/dockerfile-coexistence.png (--update-images).
import { join } from 'node:path';

const TIMEOUT = 30_000;
const ACTIVATION_TIMEOUT = 90_000;

/**
 * @param {{ newContext: () => Promise<import('playwright-core').BrowserContext> }} browser
 * @param {{ serverUrl: string, workspace: string, shotsDir: string }} options
 * @returns {Promise<{ passed: string[], failed: { title: string, error: string }[] }>}
 */
export async function runCoexistenceUi(browser, { serverUrl, workspace, shotsDir }) {
  const results = { passed: [], failed: [] };
  const title = 'beside docker-langserver the Problems panel shows each problem once, and Ctrl+. on the peer\'s MAINTAINER offers Shipshape\'s fix';
  const context = await browser.newContext();
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: join(shotsDir, `ui-${name}.png`) });
  try {
    await page.goto(`${serverUrl}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await page.keyboard.press('Control+P');
    await page.keyboard.type('coexistence/Dockerfile');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'coexistence' }).first().waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Enter');
    await editor.locator('.view-line', { hasText: 'MAINTAINER' }).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row');
    // The peer's rows (its messages, source `dockerfile-utils`), Shipshape's own findings, and no
    // Shipshape copy of the two problems the peer shows.
    await problems.filter({ hasText: 'MAINTAINER has been deprecated' }).first().waitFor({ timeout: ACTIVATION_TIMEOUT });
    await problems.filter({ hasText: 'WORKDIR paths should be absolute' }).first().waitFor({ timeout: TIMEOUT });
    await problems.filter({ hasText: 'dockerignore-present' }).first().waitFor({ timeout: ACTIVATION_TIMEOUT });
    await problems.filter({ hasText: 'no-maintainer' }).first().waitFor({ state: 'detached', timeout: TIMEOUT });
    await problems.filter({ hasText: 'workdir-absolute' }).first().waitFor({ state: 'detached', timeout: TIMEOUT });
    const rows = await problems.allTextContents();
    if (rows.filter((r) => /MAINTAINER/.test(r)).length !== 1 || rows.filter((r) => /WORKDIR/.test(r)).length !== 1) throw new Error(`a problem is listed twice:\n${rows.join('\n')}`);
    await editor.locator('.view-line', { hasText: 'MAINTAINER' }).click();
    await page.keyboard.press('Home');
    const menu = page.locator('.action-widget');
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      const shown = await menu.locator('.monaco-list-row', { hasText: 'Replace with LABEL' }).first().waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 3) throw new Error('Ctrl+. on the MAINTAINER line did not offer "Replace with LABEL…"');
      await page.keyboard.press('Escape');
    }
    await shot('dockerfile-coexistence');
    await page.keyboard.press('Escape');
    results.passed.push(title);
    console.log(`  ✓ ${title}`);
  } catch (error) {
    results.failed.push({ title, error: String(error?.stack ?? error) });
    console.log(`  ✗ ${title}\n    ${String(error?.message ?? error)}`);
    await shot('failure-coexistence').catch(() => undefined);
  } finally {
    await context.close().catch(() => undefined);
  }
  return results;
}
