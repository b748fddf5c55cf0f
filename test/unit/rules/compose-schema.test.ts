import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rule from '../../../server/src/rules/compose/compose-schema';
import { closest, composeSchema } from '../../../server/src/compose/schema';
import { applyFix, checkRule, findingsOf, dedent, repoRoot } from '../../helpers/check';
import { corpusDir, loadCorpus } from '../../helpers/corpus';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('compose-schema', () => {
  it('reports an unknown key on the key, with a suggestion', () => {
    check(`
      services:
        web:
          image: nginx:1.27
          helthcheck:
          ~~~~~~~~~~ compose-schema
            test: ["CMD", "true"]
    `);
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          image: nginx:1.27
          helthcheck:
            test: ["CMD", "true"]
    `));
    assert.match(finding.message, /Unknown key `helthcheck` in service `web` — did you mean `healthcheck`\?/);
  });

  it('fixes a misspelt key to the one it suggests, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', 'services:\n  web:\n    image: nginx:1.27\n    helthcheck:\n      test: ["CMD", "true"]\n    restrat: always\n');
    assert.equal(fixed?.title, 'Rename `helthcheck` to `healthcheck`');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      test: ["CMD", "true"]\n    restrat: always\n');
    const second = findingsOf(rule, 'compose', 'services:\n  web:\n    restrat: always\n');
    assert.deepEqual(second[0].data, { key: 'restrat', suggestion: 'restart', service: 'web' });
    // No suggestion, no fix; a suggestion already present beside it would make a duplicate key.
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    zzzzzz: 1\n'), undefined);
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    restart: "no"\n    restrat: always\n'), undefined);
  });

  it('reports a wrong form with the expected one', () => {
    check(`
      services:
        web:
          image: nginx:1.27
          ports: 8080
                 ~~~~ compose-schema
    `);
    const [finding] = findingsOf(rule, 'compose', 'services:\n  web:\n    ports: 8080\n');
    assert.match(finding.message, /`ports` of service `web` must be a list/);
  });

  it('accepts x- extensions, anchors, merge keys, profiles, interpolation and empty services', () => check(`
    x-logging: &logging
      driver: json-file
      options: { max-size: "10m" }
    services:
      web:
        image: nginx:\${TAG:-1.27}
        logging: *logging
        profiles: [prod]
        cpus: \${CPUS:-0.5}
        ports:
          - "\${PORT:-8080}:80"
        x-team: frontend
      worker:
        image: busybox:1.36
      empty:
  `));

  it('understands !reset and !override tags', () => check(`
    services:
      web:
        image: nginx:1.27
        ports: !reset []
        environment: !override
          A: "1"
  `));

  it('suggests only close names', () => {
    assert.equal(closest('helthcheck', ['healthcheck', 'hostname']), 'healthcheck');
    assert.equal(closest('depends', ['depends_on', 'devices']), null);
  });

  const corpus = loadCorpus();
  it('has no finding on the corpus but for real mistakes', { skip: corpus === null }, () => {
    const findings = corpus!.filter((f) => f.kind === 'compose').flatMap((f) => findingsOf(rule, 'compose', f.text).map((x) => `${f.name}:${x.range.start.line + 1}`));
    // vimagick's matomo file writes `depends:` for `depends_on:`, which Compose rejects.
    assert.deepEqual(findings, ['compose/vimagick__dockerfiles__matomo__docker-compose.yml:23']);
  });

  it('the schema from dclint is the current Compose Specification (compared with ../shared/corpus/schema)', { skip: corpus === null }, () => {
    const reference = JSON.parse(readFileSync(join(corpusDir, 'schema/compose-spec.json'), 'utf8'));
    const ours = composeSchema() as { definitions: Record<string, { properties?: object }> };
    for (const definition of ['service', 'network', 'volume', 'secret', 'config', 'healthcheck', 'deployment']) {
      assert.deepEqual(Object.keys(ours.definitions[definition]?.properties ?? {}).sort(), Object.keys(reference.definitions[definition]?.properties ?? {}).sort(), `definition ${definition}`);
    }
    void repoRoot;
  });
});
