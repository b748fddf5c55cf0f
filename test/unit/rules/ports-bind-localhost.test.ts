import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/ports-bind-localhost';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('ports-bind-localhost', () => {
  it('flags database ports published on every interface', () => check(`
    services:
      db:
        image: postgres:16
        ports:
          - "5432:5432"
            ~~~~~~~~~~~ ports-bind-localhost
          - 5433
            ~~~~ ports-bind-localhost
      cache:
        image: redis:7
        ports:
          - target: 6379
            published: 6379
                       ~~~~ ports-bind-localhost
  `));

  it('accepts bound addresses, application ports, host networking and unknown variables', () => check(`
    services:
      db:
        image: postgres:16
        ports:
          - "127.0.0.1:5432:5432"
          - "[::1]:5433:5432"
          - "0.0.0.0:5434:5432"
          - "\${DB_BIND}:5432"
          - target: 5432
            published: 5435
            host_ip: 127.0.0.1
      web:
        image: acme/web:1
        ports:
          - "8080:8080"
      metrics:
        image: redis:7
        network_mode: host
        ports:
          - "6379:6379"
  `));

  it('judges an interpolated port by its default', () => check(`
    services:
      db:
        image: mysql:8.4
        ports:
          - "\${DB_PORT:-3306}:3306"
            ~~~~~~~~~~~~~~~~~~~~~~~ ports-bind-localhost
  `));

  it('names the family and the bound form in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        db:
          image: bitnami/mongodb:7.0
          ports: ["27017:27017"]
    `));
    assert.match(finding.message, /`db` \(mongo\) publishes `"27017:27017"` on every network interface/);
    assert.match(finding.message, /`127.0.0.1:27017:27017`/);
  });

  it('fix: prefixes 127.0.0.1 inside the quotes, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        db:
          image: postgres:16
          ports:
            - "5432:5432" # for local tools
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        db:
          image: postgres:16
          ports:
            - "127.0.0.1:5432:5432" # for local tools
    `));
  });

  it('fix: binds a plain or bare container port, and adds host_ip to the long form', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  db:\n    image: redis:7\n    ports:\n      - 6379:6379\n')?.text, 'services:\n  db:\n    image: redis:7\n    ports:\n      - 127.0.0.1:6379:6379\n');
    assert.equal(applyFix(rule, 'compose', 'services:\n  db:\n    image: redis:7\n    ports:\n      - 6379\n')?.text, 'services:\n  db:\n    image: redis:7\n    ports:\n      - "127.0.0.1::6379"\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        db:
          image: redis:7
          ports:
            - target: 6379
              published: "6379"
    `)?.text, dedent(`
      services:
        db:
          image: redis:7
          ports:
            - target: 6379
              published: "6379"
              host_ip: 127.0.0.1
    `));
  });
});

describe('ports-bind-localhost across the merged project', () => {
  it('reports ports an override file publishes for a database the base file defines', () => {
    checkRule(rule, 'compose', `
      services:
        db:
          ports:
            - "5432:5432"
              ~~~~~~~~~~~ ports-bind-localhost
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  db:\n    image: postgres:16\n' } });
  });
});

describe('ports-bind-localhost messages', () => {
  it('quotes the long syntax on one line (found with KICS\'s tests)', () => {
    const [finding] = findingsOf(rule, 'compose', 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - target: 5432\n        published: 5432\n        protocol: tcp\n        mode: host\n');
    assert.match(finding.message, /publishes `published: 5432, target: 5432, protocol: tcp` on every network interface/);
    assert.doesNotMatch(finding.message, /\n/);
  });
});
