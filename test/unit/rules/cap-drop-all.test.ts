import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/cap-drop-all';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('cap-drop-all', () => {
  it('is off by default, as an info', () => {
    assert.equal(rule.enabledByDefault, false);
    assert.equal(rule.severity, 'info');
  });

  it('flags each service that keeps the default capabilities, on its name', () => check(`
    services:
      web:
      ~~~ cap-drop-all
        image: acme/web:1.2
      worker:
      ~~~~~~ cap-drop-all
        build: ./worker
        cap_drop: [NET_RAW]
  `));

  it('accepts cap_drop: [ALL] in any case, with capabilities added back', () => check(`
    services:
      web:
        image: acme/web:1.2
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE]
      worker:
        image: acme/worker:1.2
        cap_drop:
          - all
  `));

  it('skips privileged services and fragments that do not say what runs', () => check(`
    services:
      dind:
        image: docker:27.3-dind
        privileged: true
      extra:
        ports: ["8080:80"]
  `));

  it('tells what to do in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          image: acme/web:1.2
    `));
    assert.match(finding.message, /`web` keeps Docker's default capabilities .* add `cap_drop: \[ALL\]`/);
  });

  it('fix: adds cap_drop: [ALL] and keeps cap_add, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          cap_add: [NET_BIND_SERVICE]
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          cap_add: [NET_BIND_SERVICE]
          restart: always
          cap_drop: [ALL]
    `));
  });

  it('fix: appends ALL to an existing list in its style', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          cap_drop:
            - NET_RAW  # no ping
          restart: always
    `)?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          cap_drop:
            - NET_RAW  # no ping
            - ALL
          restart: always
    `));
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          cap_drop: [NET_RAW]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    cap_drop: [NET_RAW, ALL]\n');
  });
});

describe('cap-drop-all across the merged project', () => {
  it('is cleared by cap_drop in the override file', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    cap_drop: [ALL]\n' } });
  });

  it('reports in the file that says what runs, not in an override that adds ports', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          ports: ["8080:80"]
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1.2\n' } });
    checkRule(rule, 'compose', `
      services:
        web:
        ~~~ cap-drop-all
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n' } });
  });
});
