// Stages the npm package of the CLI and language server in packages/cli: the bundles and the
// WebAssembly grammar from dist/ (built by `npm run build`), the rule pages and the licence, as
// that package.json's `files` lists them. `npm pack` and `npm publish` in packages/cli run it
// (prepack); `npm run pack:cli` at the root builds first and writes the tarball beside the VSIX.
//
// It does not build: dist/ must be current. It fails when a listed file is missing, or when the
// package's version is not the repository's (the CLI prints the same version).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'packages', 'cli');
const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
const repository = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function fail(message) {
  console.error(`stage-cli-package: ${message}`);
  process.exit(1);
}

if (manifest.version !== repository.version) {
  fail(`packages/cli/package.json is version ${manifest.version} but the repository is ${repository.version}: give both the same version`);
}
if (!existsSync(join(root, 'dist', 'cli.js'))) fail('dist/cli.js is missing: run `npm run build` at the repository root first');

for (const staged of ['dist', 'docs', 'LICENSE']) rmSync(join(target, staged), { recursive: true, force: true });

/** The files of the repository one `files` entry names: a path, or `dir/*.ext`. */
function matches(pattern) {
  const star = pattern.indexOf('*');
  if (star < 0) return existsSync(join(root, pattern)) ? [pattern] : [];
  const dir = pattern.slice(0, pattern.lastIndexOf('/', star));
  const suffix = pattern.slice(star + 1);
  if (pattern.slice(dir.length + 1, star) !== '' || suffix.includes('*') || suffix.includes('/')) fail(`unsupported pattern in files: ${pattern}`);
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir)).filter((name) => name.endsWith(suffix)).sort().map((name) => `${dir}/${name}`);
}

let count = 0;
for (const pattern of [...manifest.files, 'LICENSE']) {
  const found = matches(pattern);
  if (found.length === 0) fail(`${pattern} (in packages/cli/package.json "files") matches nothing in the repository`);
  for (const file of found) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(root, file), join(target, file));
    count++;
  }
}
for (const bin of Object.values(manifest.bin)) {
  if (!existsSync(join(target, bin))) fail(`bin ${bin} is not among the staged files`);
}
console.error(`stage-cli-package: staged ${count} files in packages/cli`);
