import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/read-only-root-filesystem';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('read-only-root-filesystem', () => {
  it('is off by default, as an info', () => {
    assert.equal(rule.enabledByDefault, false);
    assert.equal(rule.severity, 'info');
  });

  it('flags a writable root filesystem on the service name, and read_only: false on the pair', () => check(`
    services:
      web:
      ~~~ read-only-root-filesystem
        image: acme/web:1.2
      api:
        build: ./api
        read_only: false
        ~~~~~~~~~~~~~~~~ read-only-root-filesystem
  `));

  it('accepts read_only: true and skips fragments that do not say what runs', () => check(`
    services:
      web:
        image: acme/web:1.2
        read_only: true
      extra:
        ports: ["8080:80"]
  `));

  it('fix: adds read_only and a tmpfs for /tmp, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          restart: always
          read_only: true
          tmpfs: [/tmp]
    `));
  });

  it('fix: merges /tmp into an existing tmpfs and turns read_only: false on', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          read_only: false
          tmpfs:
            - /run
    `)?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          read_only: true
          tmpfs:
            - /run
            - /tmp
    `));
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          tmpfs: /run
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    tmpfs: ["/run", /tmp]\n    read_only: true\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          tmpfs: ["/tmp:size=64m"]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    tmpfs: ["/tmp:size=64m"]\n    read_only: true\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          volumes: ["scratch:/tmp"]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    volumes: ["scratch:/tmp"]\n    read_only: true\n');
  });

  it('fix: adds no /tmp when the override file already mounts one', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    tmpfs: [/tmp]\n' } });
    assert.equal(fixed?.text, 'services:\n  web:\n    image: acme/web:1.2\n    read_only: true\n');
  });
});

describe('read-only-root-filesystem across the merged project', () => {
  it('is cleared by read_only: true in the override file', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    read_only: true\n' } });
  });
});
