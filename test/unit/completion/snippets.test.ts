import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { config, fakeFiles, repoRoot } from '../../helpers/check';
import { LanguageService } from '../../../server/src/service';
import { composeSnippetDefinitions, dockerfileSnippetDefinitions, expandDefaults, snippetBody, toSnippetJson, type SnippetDefinition } from '../../../server/src/completion/snippets';
import { healthcheckTemplate, healthcheckTemplateNames } from '../../../server/src/compose/healthchecks';
import type { DocumentKind } from '../../../server/src/rules/types';

const kinds: [DocumentKind, string, () => SnippetDefinition[]][] = [
  ['dockerfile', 'snippets/dockerfile.json', dockerfileSnippetDefinitions],
  ['compose', 'snippets/compose.json', composeSnippetDefinitions],
];

/** The host file with the body in place of `$BODY`, each body line at that line's indentation. */
function insert(definition: SnippetDefinition): { before: string; after: string } {
  const lines = definition.host.split('\n');
  const at = lines.findIndex((l) => l.includes('$BODY'));
  const indent = lines[at].slice(0, lines[at].indexOf('$BODY'));
  const body = expandDefaults(definition.lines).map((l) => (l ? indent + l : l));
  const before = [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n') + '\n';
  const after = [...lines.slice(0, at), ...body, ...lines.slice(at + 1)].join('\n') + '\n';
  return { before, after };
}

// A minimal project: the file, with a .dockerignore beside it as every project should have.
const service = new LanguageService({ docsBase: 'file:///docs/rules', files: fakeFiles({ '/work/.dockerignore': '.git\n' }) });
let counter = 0;
const file = (text: string, kind: DocumentKind) => ({ uri: `file:///work/${kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml'}#${counter++}`, text, kind });

const loud = (kind: DocumentKind, text: string) =>
  service.lint(file(text, kind), config()).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.rule}: ${f.message}`);

describe('snippets', () => {
  for (const [kind, path, definitions] of kinds) {
    it(`${path} is generated from the shared tables (npm run snippets)`, () => {
      const onDisk = JSON.parse(readFileSync(join(repoRoot, path), 'utf8'));
      assert.deepEqual(onDisk, toSnippetJson(definitions()));
    });

    it(`${path}: prefixes are unique, kebab-case and discoverable`, () => {
      const prefixes = definitions().map((d) => d.prefix);
      assert.equal(new Set(prefixes).size, prefixes.length);
      for (const p of prefixes) assert.match(p, /^[a-z0-9]+(-[a-z0-9]+)+$/);
    });

    for (const definition of definitions()) {
      it(`${definition.prefix}: inserted with its defaults, parses and adds no error or warning`, () => {
        const { before, after } = insert(definition);
        const model = service.model(file(after, kind));
        if (model.kind === 'compose') assert.deepEqual(model.yaml.errors.map((e) => e.message), []);
        const baseline = loud(kind, before);
        const added = loud(kind, after).filter((f) => !baseline.includes(f));
        assert.deepEqual(added, [], `${definition.prefix} in:\n${after}`);
      });
    }
  }

  it('every Compose readiness probe in the table has a snippet with its exact test', () => {
    const compose = composeSnippetDefinitions();
    for (const name of healthcheckTemplateNames()) {
      const template = healthcheckTemplate(name)!;
      const test = `test: [${template.test.map((t) => JSON.stringify(t)).join(', ')}]`;
      if (name === 'bitnami/kafka' || name === 'confluentinc/cp-kafka') continue; // one Kafka snippet, for apache/kafka
      assert.ok(compose.some((d) => d.lines.some((l) => l.trim() === test)), `no snippet runs ${test}`);
    }
  });

  it('escapes text for the snippet syntax and keeps placeholders', () => {
    assert.deepEqual(snippetBody(['a $${X} \\ ⟦1:8080⟧ ⟦2|curl,wget⟧']), ['a \\$\\${X\\} \\\\ ${1:8080} ${2|curl,wget|}']);
    assert.deepEqual(expandDefaults(['⟦1:8080⟧/⟦2|curl,wget⟧']), ['8080/curl']);
  });

  it('scripts/snippets.mjs --check agrees', () => {
    const run = spawnSync(process.execPath, ['scripts/snippets.mjs', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});
