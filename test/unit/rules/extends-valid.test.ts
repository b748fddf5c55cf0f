import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/extends-valid';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

describe('extends-valid', () => {
  it('flags every extends of a loop within a file, and a service extending itself', () => checkRule(rule, 'compose', `
    services:
      web:
        image: nginx:1.27
        extends: worker
                 ~~~~~~ extends-valid
      worker:
        extends:
          service: web
                   ~~~ extends-valid
      self:
        extends: self
                 ~~~~ extends-valid
  `));

  it('flags a loop across files in each file of the loop', () => {
    const files = { '/work/base.yaml': 'services:\n  base:\n    extends:\n      file: compose.yaml\n      service: web\n' };
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          extends:
            file: base.yaml
            service: base
    `), { files });
    assert.match(finding.message, /^`web` extends `base`, which leads back to it \(`web` \(compose\.yaml\) → `base` \(base\.yaml\) → `web` \(compose\.yaml\)\)/);
  });

  it('flags a service that does not exist, in this file or another', () => checkRule(rule, 'compose', `
    services:
      web:
        extends: wrker
                 ~~~~~ extends-valid
      api:
        extends:
          file: common.yaml
          service: bse
                   ~~~ extends-valid
      worker:
        image: alpine:3.20
  `, { files: { '/work/common.yaml': 'services:\n  base:\n    image: alpine:3.20\n' } }));

  it('passes chains that end, and files it cannot read', () => checkRule(rule, 'compose', `
    services:
      base:
        image: alpine:3.20
      web:
        extends: base
      api:
        extends: web
      remote:
        extends:
          file: missing.yaml
          service: anything
      shared:
        extends:
          file: common.yaml
          service: base
  `, { files: { '/work/common.yaml': 'services:\n  base:\n    extends: root\n  root:\n    image: alpine:3.20\n' } }));

  it('names the missing service and its file', () => {
    const [finding] = findingsOf(rule, 'compose', 'services:\n  web:\n    extends: wrker\n  worker:\n    image: alpine:3.20\n');
    assert.match(finding.message, /^`web` extends `wrker` \(.*\), but no such service is defined there/);
  });
});
