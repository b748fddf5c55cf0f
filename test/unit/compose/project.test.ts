import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCompose } from '../../../server/src/compose/parse';
import { buildProject } from '../../../server/src/compose/project';
import healthcheckForDependency from '../../../server/src/rules/compose/healthcheck-for-dependency';
import { checkRule, dedent, fakeFiles, findingsOf } from '../../helpers/check';

const model = (text: string, path = '/work/compose.yaml') => parseCompose(TextDocument.create(`file://${path}`, 'dockercompose', 0, dedent(text)));

describe('Compose project: include', () => {
  const main = `
    include:
      - db/compose.yaml
      - path: [cache/compose.yaml]
    services:
      web:
        image: app:1
  `;
  const files = {
    '/work/db/compose.yaml': 'services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    '/work/cache/compose.yaml': 'include:\n  - ../compose.yaml\nservices:\n  cache:\n    image: redis:7\n',
  };

  it('adds the services of included files (short and long form), stopping at cycles', () => {
    const project = buildProject(model(main), '/work/compose.yaml', fakeFiles(files));
    assert.deepEqual(project.services.map((s) => s.name).sort(), ['cache', 'db', 'web']);
    assert.equal(project.service('db')!.inPrimary, false);
    assert.equal(project.service('web')!.inPrimary, true);
    const test = project.get(project.service('db')!, ['healthcheck', 'test']);
    assert.equal(test?.compose.document.uri, 'file:///work/db/compose.yaml');
  });

  it('lets rules see an included dependency: its healthcheck satisfies service_healthy', () => {
    checkRule(healthcheckForDependency, 'compose', `
      include:
        - db/compose.yaml
      services:
        web:
          image: app:1
          depends_on:
            db:
              condition: service_healthy
    `, { files });
  });

  it('and reports an included dependency that has no healthcheck', () => {
    const findings = findingsOf(healthcheckForDependency, 'compose', dedent(`
      include:
        - db/compose.yaml
      services:
        web:
          image: app:1
          depends_on:
            db:
              condition: service_healthy
    `), { files: { '/work/db/compose.yaml': 'services:\n  db:\n    image: postgres:16\n' } });
    assert.equal(findings.length, 1);
  });

  it('ignores a missing included file', () => {
    const project = buildProject(model('include: [nope.yaml]\nservices:\n  web:\n    image: app:1\n'), '/work/compose.yaml', fakeFiles({}));
    assert.deepEqual(project.services.map((s) => s.name), ['web']);
  });
});
