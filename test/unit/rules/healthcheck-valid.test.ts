import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { parseDuration } from '../../../server/src/rules/compose/healthcheck-valid';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('healthcheck-valid', () => {
  it('parses durations as Go does', () => {
    assert.equal(parseDuration('1m30s'), 90e9);
    assert.equal(parseDuration('500ms'), 500e6);
    assert.equal(parseDuration('1.5h'), 5400e9);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('30'), null);
    assert.equal(parseDuration('10 s'), null);
    assert.equal(parseDuration('10S'), null);
  });

  it('flags durations Compose refuses', () => check(`
    services:
      api:
        image: acme/api:1
        healthcheck:
          test: ["CMD", "/healthz"]
          interval: 30
                    ~~ healthcheck-valid
          timeout: 10 s
                   ~~~~ healthcheck-valid
          start_period: 1m30
                        ~~~~ healthcheck-valid
          start_interval: 500us
                          ~~~~~ healthcheck-valid
  `));

  it('accepts Go durations, zero and interpolated values', () => check(`
    services:
      api:
        image: acme/api:1
        healthcheck:
          test: ["CMD", "/healthz"]
          interval: 1m30s
          timeout: \${HC_TIMEOUT:-10s}
          start_period: \${HC_START}
          start_interval: 0
          retries: 3
  `));

  it('suggests the duration that was meant', () => {
    const messages = findingsOf(rule, 'compose', dedent(`
      services:
        api:
          image: acme/api:1
          healthcheck:
            test: ["CMD", "/healthz"]
            interval: 30
            timeout: 10 seconds
            start_period: 1m30
    `)).map((f) => f.message);
    assert.match(messages[0], /`interval: 30` of `api` has no unit.*write `30s`/);
    assert.match(messages[1], /`timeout: 10 seconds`.*write `10s`/);
    assert.match(messages[2], /`start_period: 1m30`.*write `1m30s`/);
  });

  it('flags a test whose type Docker does not know', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["curl", "-f", "http://localhost/"]
                 ~~~~~~ healthcheck-valid
      b:
        image: acme/b:1
        healthcheck:
          test: ["cmd", "/healthz"]
                 ~~~~~ healthcheck-valid
  `));

  it('flags CMD given a shell command line, shell operators or escaped variables', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["CMD", "curl -f http://localhost/ || exit 1"]
                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-valid
      b:
        image: acme/b:1
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost/", "||", "exit", "1"]
                                                           ~~~~ healthcheck-valid
      c:
        image: postgres:16
        healthcheck:
          test: ["CMD", "pg_isready", "-U", "$\${POSTGRES_USER}"]
                                            ~~~~~~~~~~~~~~~~~~~ healthcheck-valid
          start_period: 30s
  `));

  it('flags CMD-SHELL with the command split into items', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["CMD-SHELL", "curl", "-f", "http://localhost/"]
                                      ~~~~ healthcheck-valid
  `));

  it('flags a string test that repeats the type, or a list written as a string', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: CMD curl -f http://localhost/
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-valid
      b:
        image: acme/b:1
        healthcheck:
          test: '["CMD", "curl", "-f", "http://localhost/"]'
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-valid
  `));

  it('accepts well-formed tests, including the shell test command', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost/"]
      b:
        image: acme/b:1
        healthcheck:
          test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
      c:
        image: acme/c:1
        healthcheck:
          test: '[ "$$(redis-cli ping)" = "PONG" ]'
      d:
        image: acme/d:1
        healthcheck:
          test: ["NONE"]
      e:
        image: acme/e:1
        healthcheck:
          test: wget -q --spider http://localhost/ || exit 1
  `));

  it('flags retries of 0, which Docker reads as the default, and negative retries', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["CMD", "/healthz"]
          retries: 0
                   ~ healthcheck-valid
      b:
        image: acme/b:1
        healthcheck:
          test: ["CMD", "/healthz"]
          retries: -1
                   ~~ healthcheck-valid
  `));

  it('flags a timeout longer than the interval only when a hang goes unnoticed for minutes', () => check(`
    services:
      a:
        image: acme/a:1
        healthcheck:
          test: ["CMD", "/healthz"]
          interval: 2s
          timeout: 2m
                   ~~ healthcheck-valid
      b:
        image: acme/b:1
        healthcheck:
          test: ["CMD", "/healthz"]
          interval: 10s
          timeout: 30s
          retries: 3
  `));

  it('flags a database healthcheck that gives a first start under 30s without start_period', () => check(`
    services:
      db:
        image: postgres:16
        healthcheck:
        ~~~~~~~~~~~ healthcheck-valid
          test: ["CMD-SHELL", "pg_isready -U postgres"]
          interval: 5s
          retries: 3
      slow:
        image: mysql:8.4
        healthcheck:
          test: ["CMD", "mysqladmin", "ping"]
          interval: 10s
          retries: 5
      patient:
        image: postgres:16
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
          interval: 5s
          start_period: 30s
      cache:
        image: redis:7
        healthcheck:
          test: ["CMD", "redis-cli", "ping"]
          interval: 1s
          retries: 3
  `));

  it('grades each finding: error for what cannot work, warning for slow detection, info for advice', () => {
    const severities = findingsOf(rule, 'compose', dedent(`
      services:
        api:
          image: acme/api:1
          healthcheck:
            test: ["curl", "-f", "http://localhost/"]
            interval: 2s
            timeout: 2m
            retries: 0
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD-SHELL", "pg_isready"]
            interval: 5s
    `)).map((f) => f.severity);
    assert.deepEqual(severities, ['error', 'warning', 'info', 'info']);
  });

  it('explains the start_period budget', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD-SHELL", "pg_isready -U postgres"]
            interval: 5s
    `));
    assert.match(finding.message, /`db` \(postgres\) has no `start_period`, so it is marked unhealthy after 15s \(3 failures × 5s\)/);
  });
});

describe('healthcheck-valid across the merged project', () => {
  it('is cleared by a start_period the override file adds', () => {
    checkRule(rule, 'compose', `
      services:
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD-SHELL", "pg_isready -U postgres"]
            interval: 5s
    `, { files: { '/work/compose.override.yaml': 'services:\n  db:\n    healthcheck:\n      start_period: 40s\n' } });
  });

  it('judges the interval of one file against the timeout of the other, reporting where the timeout is written', () => {
    checkRule(rule, 'compose', `
      services:
        api:
          healthcheck:
            timeout: 3m
                     ~~ healthcheck-valid
    `, {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  api:\n    image: acme/api:1\n    healthcheck:\n      test: ["CMD", "/healthz"]\n      interval: 5s\n' },
    });
  });
});
