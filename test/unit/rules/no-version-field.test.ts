import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-version-field';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-version-field', () => {
  it('flags a top-level version on the key and value', () => check(`
    version: "3.8"
    ~~~~~~~~~~~~~~ no-version-field
    services:
      web:
        image: nginx:1.27
  `));

  it('accepts a file without version, and a service or extension key named version', () => check(`
    x-meta:
      version: 2
    services:
      web:
        image: nginx:1.27
        labels:
          version: "1"
  `));

  it('quotes the written value in the message', () => {
    const [finding] = findingsOf(rule, 'compose', "version: '2.4'\nservices: {}\n");
    assert.match(finding.message, /`version: '2.4'` is obsolete/);
  });

  it('fix: removes the line and the blank line after it, safely', () => {
    const fixed = applyFix(rule, 'compose', `
      version: "3.8"  # compose file format

      services:
        web:
          image: nginx:1.27
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: nginx:1.27
    `));
  });

  it('fix: keeps comments above and content below when version is not first', () => {
    const fixed = applyFix(rule, 'compose', `
      # the shop
      name: shop
      version: '3'
      services:
        web:
          image: nginx:1.27
    `);
    assert.equal(fixed?.text, '# the shop\nname: shop\nservices:\n  web:\n    image: nginx:1.27\n');
  });
});
