// Runs every compiled test file with Node's own test runner. `npm test` builds first (pretest),
// so the tests always run against the current sources and the current dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'e2e') files.push(...collect(path));
    } else if (name.endsWith('.test.js') && existsSync(path.replace(/^out[\\/]/, '').replace(/\.js$/, '.ts'))) {
      // A compiled test whose source was deleted or renamed is stale output, not a test.
      files.push(path);
    }
  }
  return files;
}

const filter = process.argv[2];
const files = collect('out/test').filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error('no test files found under out/test: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', './test/setup.mjs', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
