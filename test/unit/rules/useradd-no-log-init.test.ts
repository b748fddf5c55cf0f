import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/useradd-no-log-init';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('useradd-no-log-init', () => {
  it('flags useradd with a UID above 65535 and no --no-log-init', () => check(`
    FROM debian:12
    RUN useradd -u 1000680000 -m app
                ~~~~~~~~~~~~~ useradd-no-log-init
    RUN useradd --uid=70000 app2
                ~~~~~~~~~~~ useradd-no-log-init
  `));

  it('resolves the UID from an ARG default', () => check(`
    FROM debian:12
    ARG APP_UID=100000
    RUN groupadd -g 1000 app && useradd -u "$APP_UID" -g app app
                                        ~~~~~~~~~~~~~ useradd-no-log-init
  `));

  it('accepts --no-log-init or -l, low UIDs, unknown UIDs and adduser', () => check(`
    FROM debian:12
    ARG UID
    RUN useradd --no-log-init -u 1000680000 app && useradd -l -u 200000 app2
    RUN useradd -u 1001 app3 && useradd -u $UID app4 && adduser -u 1000680000 -D app5
  `));

  it('says how much the lastlog file grows', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN useradd -u 1000680000 app\n');
    assert.match(finding.message, /UID 1000680000 writes about 292 GB of zeros to \/var\/log\/lastlog/);
  });

  it('fix: inserts --no-log-init after useradd', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN useradd -u 100000 app\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN useradd --no-log-init -u 100000 app\n', title: 'Add --no-log-init to useradd', safe: true });
    assert.deepEqual(findingsOf(rule, 'dockerfile', fixed!.text), []);
  });

  it('offers no fix in the exec form, where words cannot be edited in place', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["useradd", "-u", "100000", "app"]\n'), undefined);
  });
});
