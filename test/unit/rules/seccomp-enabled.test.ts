import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/seccomp-enabled';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('seccomp-enabled', () => {
  it('flags each confinement turned off, with either separator', () => check(`
    services:
      debug:
        image: acme/debug:1
        security_opt:
          - seccomp:unconfined
            ~~~~~~~~~~~~~~~~~~ seccomp-enabled
          - apparmor=unconfined
            ~~~~~~~~~~~~~~~~~~~ seccomp-enabled
          - label:disable
            ~~~~~~~~~~~~~ seccomp-enabled
          - no-new-privileges:true
      tools:
        image: acme/tools:1
        security_opt: ["systempaths=unconfined"]
                       ~~~~~~~~~~~~~~~~~~~~~~~~ seccomp-enabled
  `));

  it('accepts custom profiles and labels', () => check(`
    services:
      app:
        image: acme/app:1
        security_opt:
          - seccomp:./seccomp/app.json
          - apparmor:docker-default
          - label:type:svirt_apache_t
  `));

  it('says what the service loses', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        app:
          image: acme/app:1
          security_opt: [seccomp=unconfined]
    `));
    assert.match(finding.message, /`seccomp=unconfined` turns off the seccomp filter for `app`/);
  });

  it('fix: removes the item, or the key with its last item', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          security_opt:
            - seccomp:unconfined
            - no-new-privileges:true
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  app:\n    image: acme/app:1\n    security_opt:\n      - no-new-privileges:true\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          security_opt: [apparmor:unconfined]
          restart: always
    `)?.text, 'services:\n  app:\n    image: acme/app:1\n    restart: always\n');
  });
});

describe('seccomp-enabled across the merged project', () => {
  it('reports what the override file adds when the override is linted', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          security_opt: [seccomp:unconfined]
                         ~~~~~~~~~~~~~~~~~~ seccomp-enabled
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  app:\n    image: acme/app:1\n' } });
  });
});
