import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-privileged';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-privileged', () => {
  it('flags privileged: true on the key and value', () => check(`
    services:
      agent:
        image: acme/agent:1
        privileged: true
        ~~~~~~~~~~~~~~~~ no-privileged
  `));

  it('accepts privileged: false and services without the key', () => check(`
    services:
      a:
        image: acme/a:1
        privileged: false
      b:
        image: acme/b:1
  `));

  it('fix: removes the line, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        agent:
          image: acme/agent:1
          privileged: true
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  agent:\n    image: acme/agent:1\n    restart: always\n');
  });

  it('offers no fix for a value merged from an anchor, which other services share', () => {
    assert.equal(applyFix(rule, 'compose', `
      x-priv: &priv
        privileged: true
      services:
        a:
          <<: *priv
          image: acme/a:1
    `), undefined);
  });
});
