import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-new-privileges';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-new-privileges', () => {
  it('flags a service without it, on its name', () => check(`
    services:
      web:
      ~~~ no-new-privileges
        image: acme/web:1.2
        security_opt:
          - apparmor:docker-default
  `));

  it('accepts every spelling Docker accepts', () => check(`
    services:
      a:
        image: acme/a:1
        security_opt: ["no-new-privileges:true"]
      b:
        image: acme/b:1
        security_opt: [no-new-privileges]
      c:
        image: acme/c:1
        security_opt:
          - no-new-privileges=1
  `));

  it('flags an explicit opt-out on the item', () => check(`
    services:
      a:
        image: acme/a:1
        security_opt: ["no-new-privileges:false"]
                       ~~~~~~~~~~~~~~~~~~~~~~~~~ no-new-privileges
  `));

  it('skips fragments that do not say what runs', () => check(`
    services:
      extra:
        environment:
          DEBUG: "1"
  `));

  it('explains the risk in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          image: acme/web:1.2
    `));
    assert.match(finding.message, /gain root through a setuid binary/);
    assert.match(finding.message, /security_opt: \["no-new-privileges:true"\]/);
  });

  it('fix: adds security_opt, as a quick fix only', () => {
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
          security_opt: ["no-new-privileges:true"]
    `));
  });

  it('fix: appends to an existing list and turns an opt-out on', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          security_opt:
            - label:type:svirt_apache_t
    `)?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          security_opt:
            - label:type:svirt_apache_t
            - no-new-privileges:true
    `));
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          security_opt: [no-new-privileges=false]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    security_opt: [no-new-privileges:true]\n');
  });
});

describe('no-new-privileges across the merged project', () => {
  it('is cleared by security_opt in the override file', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    security_opt: [no-new-privileges:true]\n' } });
  });

  it('follows extends in the same file', () => check(`
    services:
      base:
        image: acme/web:1.2
        security_opt: [no-new-privileges:true]
      web:
        extends: base
  `));
});
