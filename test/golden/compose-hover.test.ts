import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { repoRoot } from '../helpers/check';
import { LanguageService } from '../../server/src/service';
import { diskFiles } from '../../server/src/files';
import { initShellParser } from '../../server/src/dockerfile/shell';

// The layer-cache cards of Compose build settings (issue 19) on small projects, each a Compose
// file with the Dockerfiles it builds: every key and list item under a service's `build`, and
// `pull_policy`, hovered as a user would, one snapshot per project.

const service = new LanguageService({ docsBase: 'file:///docs/rules', files: diskFiles });
const dir = join(repoRoot, 'test/fixtures/compose-hover');
const update = process.env.UPDATE_GOLDEN === '1';

/** The nodes to hover under a service: the keys below `build` (and their list items), and `pull_policy`. */
function targets(map: YAMLMap, path: string[]): { path: string[]; node: Node }[] {
  const out: { path: string[]; node: Node }[] = [];
  for (const pair of map.items as Pair[]) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    const value = pair.value as Node | null;
    const here = [...path, name];
    const wanted = here.length === 1 ? name === 'build' || name === 'pull_policy' : true;
    if (!wanted) continue;
    out.push({ path: here, node: key });
    if (here.length === 1 && isScalar(value)) out.push({ path: [...here, '(value)'], node: value! });
    if (isMap(value)) out.push(...targets(value as YAMLMap, here));
    if (isSeq(value)) value.items.forEach((item, i) => { if (isScalar(item)) out.push({ path: [...here, String(i)], node: item as Node }); });
  }
  return out;
}

describe('Compose build-setting hover golden files', () => {
  before(async () => {
    await initShellParser();
  });
  const projects = readdirSync(dir).sort();
  it('has projects', () => assert.ok(projects.length >= 2));
  for (const project of projects) {
    it(project, () => {
      const path = join(dir, project, 'compose.yaml');
      const text = readFileSync(path, 'utf8');
      const source = { uri: pathToFileURL(path).href, text, kind: 'compose' } as const;
      const model = service.model(source);
      if (model.kind !== 'compose') throw new Error('expected a Compose file');
      let out = '';
      for (const own of model.services) {
        for (const target of targets(own.node!, [])) {
          const position = model.document.positionAt(target.node.range![0] + 1);
          const hover = service.hover(source, position);
          const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '(none)';
          out += `## ${own.name}: ${target.path.join('.')} (line ${position.line + 1}: \`${text.split('\n')[position.line].trim()}\`)\n\n${value}\n\n`;
        }
      }
      const golden = join(dir, project, 'compose.yaml.hover.md');
      if (update) writeFileSync(golden, out);
      else {
        assert.ok(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npm test and review it`);
        assert.equal(out, readFileSync(golden, 'utf8'), `${golden} differs: if intended, run UPDATE_GOLDEN=1 npm test and review the diff`);
      }
    });
  }
});
