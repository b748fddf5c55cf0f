import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config, repoRoot, service } from '../helpers/check';

const dir = join(repoRoot, 'test/fixtures/golden');
const update = process.env.UPDATE_GOLDEN === '1';

/** Compares with the stored file, or rewrites it under UPDATE_GOLDEN=1 (then review the diff). */
function expectGolden(path: string, actual: string): void {
  if (update || !existsSync(path)) {
    if (!update) assert.fail(`${path} is missing: run UPDATE_GOLDEN=1 npm test and review it`);
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${path} differs: if the change is intended, run UPDATE_GOLDEN=1 npm test and review the diff`);
}

describe('golden files', () => {
  const inputs = readdirSync(dir).filter((f) => /\.(Dockerfile|compose\.yaml)$/.test(f)).sort();
  it('has inputs', () => assert.ok(inputs.length >= 4));
  for (const name of inputs) {
    it(name, () => {
      const kind = name.endsWith('.Dockerfile') ? 'dockerfile' : 'compose';
      const text = readFileSync(join(dir, name), 'utf8');
      const source = { uri: `file:///golden/${name}`, text, kind } as const;
      const findings = service.lint(source, config());
      const snap = findings
        .map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.severity} ${f.rule}${service.fixFor(source, f) ? ' (fix)' : ''}\n  ${f.message}\n`)
        .join('');
      expectGolden(join(dir, `${name}.snap`), snap);
      expectGolden(join(dir, `${name}.fixed`), service.fixAll(source, config()).text);
    });
  }
});
