import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-duplicate-container-names';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-duplicate-container-names', () => {
  it('flags the second service that asks for a name', () => check(`
    services:
      web:
        image: acme/web:1
        container_name: shop
      worker:
        image: acme/worker:1
        container_name: shop
                        ~~~~ no-duplicate-container-names
      api:
        image: acme/api:1
        container_name: \${PREFIX:-shop}
                        ~~~~~~~~~~~~~~~ no-duplicate-container-names
  `));

  it('accepts distinct names, unknown variables and alternatives in profiles', () => check(`
    services:
      web:
        image: acme/web:1
        container_name: shop-web
      worker:
        image: acme/worker:1
        container_name: shop-worker
      a:
        image: acme/a:1
        container_name: \${PREFIX}-x
      b:
        image: acme/b:1
        container_name: \${PREFIX}-x
      dev:
        image: acme/app:1
        profiles: [dev]
        container_name: app
      prod:
        image: acme/app:1
        profiles: [prod]
        container_name: app
  `));

  it('names the other service in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        a:
          container_name: db
        b:
          container_name: db
    `));
    assert.match(finding.message, /`b` asks for the container name `db`, which `a` already uses/);
  });

  it('judges the merged project and reports in the file that writes the name', () => {
    checkRule(rule, 'compose', `
      services:
        worker:
          image: acme/worker:1
          container_name: shop
                          ~~~~ no-duplicate-container-names
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n    container_name: shop\n' } });
  });
});
