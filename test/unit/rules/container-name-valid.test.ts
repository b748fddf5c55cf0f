import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/container-name-valid';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('container-name-valid', () => {
  it('flags names the Docker engine refuses', () => check(`
    services:
      web:
        image: acme/web:1
        container_name: my-app@123
                        ~~~~~~~~~~ container-name-valid
      worker:
        image: acme/worker:1
        container_name: _worker
                        ~~~~~~~ container-name-valid
      one:
        image: acme/one:1
        container_name: a
                        ~ container-name-valid
      spaced:
        image: acme/spaced:1
        container_name: "shop web"
                        ~~~~~~~~~~ container-name-valid
      interpolated:
        image: acme/i:1
        container_name: \${NAME:-shop web}
                        ~~~~~~~~~~~~~~~~~ container-name-valid
  `));

  it('accepts letters, digits, _ . - after a letter or digit, a leading slash, and unknown variables', () => check(`
    services:
      web:
        image: acme/web:1
        container_name: shop_web.1-blue
      db:
        image: postgres:16
        container_name: /shop-db
      api:
        image: acme/api:1
        container_name: \${PROJECT}-api
      nameless:
        image: acme/n:1
  `));

  it('says what is wrong with the name', () => {
    const messages = findingsOf(rule, 'compose', 'services:\n  a:\n    image: x:1\n    container_name: a\n  b:\n    image: x:1\n    container_name: -b\n  c:\n    image: x:1\n    container_name: c@d\n').map((f) => f.message);
    assert.match(messages[0], /at least two characters/);
    assert.match(messages[1], /start with a letter or a digit/);
    assert.match(messages[2], /only letters, digits, `_`, `\.` and `-`/);
  });
});
