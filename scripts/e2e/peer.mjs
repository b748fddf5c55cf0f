// Builds the test-only peer extension (test/e2e/peer/): a stand-in for Container Tools that runs
// rcjsuen's real docker-langserver (the devDependency dockerfile-language-server-nodejs, the same
// server Container Tools runs) over stdio, under Container Tools' extension id. Its client and
// the server are bundled with esbuild into a work folder and packaged with vsce into a VSIX that
// the coexistence run installs beside shipshape.vsix (scripts/e2e/run.mjs).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

/**
 * @param {string} work a folder of the run's own
 * @returns {Promise<string>} the peer's VSIX
 */
export async function buildPeer(work) {
  const dir = join(work, 'peer');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const source = join(root, 'test', 'e2e', 'peer');
  copyFileSync(join(source, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'LICENSE'), 'MIT (test-only stand-in; bundles dockerfile-language-server-nodejs, MIT, by Remy Suen)\n');
  writeFileSync(join(dir, 'README.md'), '# Container Tools stand-in\n\nTest-only: runs rcjsuen\'s docker-langserver for Dockerfiles. See Shipshape\'s test/e2e/README.md.\n');
  const server = join(dirname(require.resolve('dockerfile-language-server-nodejs/package.json')), 'lib', 'server.js');
  const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning', nodePaths: [join(root, 'node_modules')] };
  await esbuild.build({ ...common, entryPoints: [join(source, 'extension.js')], outfile: join(dir, 'dist', 'extension.js'), external: ['vscode'] });
  await esbuild.build({ ...common, entryPoints: [server], outfile: join(dir, 'dist', 'server.js') });
  const vsix = join(work, 'peer.vsix');
  const r = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`packaging the peer extension failed:\n${r.stdout}${r.stderr}`);
  return vsix;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node scripts/e2e/peer.mjs <folder>`: build it alone, to try it by hand.
  const out = resolve(process.argv[2] ?? join(root, 'test-results', 'peer'));
  console.log(await buildPeer(out));
}
