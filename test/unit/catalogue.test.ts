import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { rules } from '../../server/src/rules/index';
import { repoRoot } from '../helpers/check';

/** Every rule is a file named after its id, with a docs page, a test, and a fix test when it fixes. */
describe('catalogue', () => {
  const ruleFiles = ['dockerfile', 'compose', 'common'].flatMap((dir) =>
    readdirSync(join(repoRoot, 'server/src/rules', dir)).filter((f) => f.endsWith('.ts')).map((f) => ({ dir, id: f.replace(/\.ts$/, '') })),
  );

  it('has unique kebab-case ids', () => {
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('registers exactly the rule files, each under its id and in the folder of its kind', () => {
    assert.deepEqual(ruleFiles.map((f) => f.id).sort(), rules.map((r) => r.id).sort());
    for (const { dir, id } of ruleFiles) {
      const rule = rules.find((r) => r.id === id)!;
      assert.equal(dir === 'common' ? 'both' : dir, rule.kind, `${id} is in rules/${dir}`);
    }
  });

  for (const rule of rules) {
    it(`${rule.id}: docs page, tests, metadata`, () => {
      const docs = join(repoRoot, 'docs/rules', `${rule.id}.md`);
      assert.ok(existsSync(docs), `docs/rules/${rule.id}.md exists`);
      assert.match(readFileSync(docs, 'utf8'), new RegExp(`^# ${rule.id}\\b`));
      const test = join(repoRoot, 'test/unit/rules', `${rule.id}.test.ts`);
      assert.ok(existsSync(test), `test/unit/rules/${rule.id}.test.ts exists`);
      if (rule.fixable) assert.match(readFileSync(test, 'utf8'), /applyFix\(/, `${rule.id} has a fix test`);
      assert.ok(rule.title.length > 0 && !rule.title.endsWith('.'));
      assert.ok(['size', 'caching', 'security', 'reliability', 'correctness', 'style'].includes(rule.category));
    });
  }

  it('the README lists every rule with a link to its page', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const rule of rules) assert.ok(readme.includes(`(docs/rules/${rule.id}.md)`), `README links ${rule.id}`);
    assert.ok(readme.includes(`| ${rules.length} rules (table below) |`), `the README's feature table counts ${rules.length} rules`);
  });
});

describe('README rule table', () => {
  it('is generated from the catalogue (npm run rules:readme)', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/rules-table.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
