import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clockAt, repoRoot, TEST_TODAY } from '../helpers/check';
import { LanguageService } from '../../server/src/service';

// A fixed docs base keeps the snapshots the same wherever the repository is cloned, a fixed clock
// whenever they run (a FROM hover shows the image's support status).
const service = new LanguageService({ docsBase: 'file:///docs/rules', clock: clockAt(TEST_TODAY) });

const dir = join(repoRoot, 'test/fixtures/hover');
const update = process.env.UPDATE_GOLDEN === '1';

/** The hover card of every instruction of realistic Dockerfiles, as the user reads it. */
describe('layer-cache hover golden files', () => {
  const inputs = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort();
  it('has inputs', () => assert.ok(inputs.length >= 4));
  for (const name of inputs) {
    it(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const source = { uri: `file:///hover/${name}`, text, kind: 'dockerfile' } as const;
      const model = service.model(source);
      if (model.kind !== 'dockerfile') throw new Error('expected a Dockerfile');
      let out = '';
      for (const instruction of model.instructions) {
        const line = instruction.range.start.line;
        const hover = service.hover(source, { line, character: 1 });
        const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '(none)';
        assert.ok(value.split('\n').filter((l) => l.trim()).length <= 12, `${name}:${line + 1}: at most 12 lines`);
        out += `## line ${line + 1}: ${text.split('\n')[line]}\n\n${value}\n\n`;
      }
      const path = join(dir, `${name}.hover.md`);
      if (update) writeFileSync(path, out);
      else {
        assert.ok(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npm test and review it`);
        assert.equal(out, readFileSync(path, 'utf8'), `${path} differs: if intended, run UPDATE_GOLDEN=1 npm test and review the diff`);
      }
    });
  }
});
