import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/depends-on-healthy';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('depends-on-healthy', () => {
  it('flags each stateful dependency of a short-form list', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          - db
            ~~ depends-on-healthy
          - cache
            ~~~~~ depends-on-healthy
          - worker
      worker:
        image: acme/worker:1
      db:
        image: postgres:16
      cache:
        image: bitnami/redis:7.2
  `));

  it('flags service_started in the long form on the condition, and a missing condition on the key', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          db:
            condition: service_started
                       ~~~~~~~~~~~~~~~ depends-on-healthy
          queue:
          ~~~~~ depends-on-healthy
            restart: true
      db:
        image: mysql:8.4
      queue:
        image: rabbitmq:3-management
  `));

  it('flags any dependency that has a healthcheck, whatever its image', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on: [api]
                     ~~~ depends-on-healthy
      api:
        build: ./api
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost/health"]
  `));

  it('accepts service_healthy and service_completed_successfully, and ignores disabled healthchecks', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          db:
            condition: service_healthy
          migrate:
            condition: service_completed_successfully
          api:
            condition: service_started
      db:
        image: postgres:16
      migrate:
        image: postgres:16
      api:
        image: acme/api:1
        healthcheck:
          disable: true
  `));

  it('names the dependency and the service in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          depends_on: [db]
        db:
          image: postgres:16
    `));
    assert.match(finding.message, /`web` starts as soon as `db` \(postgres\) has started/);
    assert.match(finding.message, /give `db` a healthcheck/);
  });

  it('fix: turns a list into the long form and adds a healthcheck fitted to the image', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          depends_on:
            - db
            - worker
        worker:
          image: acme/worker:1
        db:
          image: postgres:16
          environment:
            POSTGRES_PASSWORD_FILE: /run/secrets/pg
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          depends_on:
            db:
              condition: service_healthy
            worker:
              condition: service_started
        worker:
          image: acme/worker:1
        db:
          image: postgres:16
          environment:
            POSTGRES_PASSWORD_FILE: /run/secrets/pg
          healthcheck:
            test: ["CMD-SHELL", "pg_isready -U $\${POSTGRES_USER:-postgres}"]
            interval: 10s
            timeout: 5s
            retries: 5
            start_period: 30s
    `));
  });

  it('fix: keeps the file\'s indentation step and a flow list', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
          web:
              depends_on: [cache]
          cache:
              image: redis:7
              healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
    `);
    assert.equal(fixed?.text, dedent(`
      services:
          web:
              depends_on:
                  cache:
                      condition: service_healthy
          cache:
              image: redis:7
              healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
    `));
  });

  it('fix: writes a name listed twice once (found by the fuzzer: duplicate keys are invalid YAML)', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          depends_on: [cache, queue, cache]
        queue:
          image: rabbitmq:3
        cache:
          image: redis:7
          healthcheck:
            test: ["CMD", "redis-cli", "ping"]
    `);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          depends_on:
            cache:
              condition: service_started
            queue:
              condition: service_healthy
        queue:
          image: rabbitmq:3
          healthcheck:
            test: ["CMD", "rabbitmq-diagnostics", "-q", "ping"]
            interval: 10s
            timeout: 5s
            retries: 5
            start_period: 30s
        cache:
          image: redis:7
          healthcheck:
            test: ["CMD", "redis-cli", "ping"]
    `));
  });

  it('fix: adds no second healthcheck key when the one written cannot be read (found by the fuzzer)', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          depends_on: [cache]
        cache:
          image: redis:7
          healthcheck: *missing-anchor
    `);
    assert.equal(fixed, undefined);
  });

  it('fix: replaces service_started and adds a missing condition in the long form', () => {
    const started = applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              condition: service_started
              restart: true
        db:
          image: mariadb:11
          healthcheck:
            test: ["CMD", "healthcheck.sh", "--connect"]
    `);
    assert.match(started!.text, /db:\n {8}condition: service_healthy\n {8}restart: true/);
    const missing = applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              restart: true
        db:
          image: mariadb:11
          healthcheck:
            test: ["CMD", "healthcheck.sh", "--connect"]
    `);
    assert.match(missing!.text, /db:\n {8}condition: service_healthy\n {8}restart: true/);
  });

  it('fix: writes the condition in the service\'s own entry, not in an anchor other services merge', () => {
    const fixed = applyFix(rule, 'compose', `
      x-started: &started
        condition: service_started
      services:
        web:
          image: acme/web:1
          depends_on:
            db:
              <<: *started
        worker:
          image: acme/worker:1
          depends_on:
            db:
              <<: *started
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD", "pg_isready"]
    `);
    assert.equal(fixed!.text, dedent(`
      x-started: &started
        condition: service_started
      services:
        web:
          image: acme/web:1
          depends_on:
            db:
              condition: service_healthy
              <<: *started
        worker:
          image: acme/worker:1
          depends_on:
            db:
              <<: *started
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD", "pg_isready"]
    `));
  });

  it('offers no fix when the depends_on is shared through an anchor (getsentry/self-hosted)', () => {
    // Rewriting the anchor would make every service that merges it wait for a healthy `db`.
    assert.equal(applyFix(rule, 'compose', `
      x-defaults: &defaults
        image: acme/app:1
        depends_on:
          db:
            condition: service_started
      services:
        web:
          <<: *defaults
        worker:
          <<: *defaults
        db:
          image: postgres:16
          healthcheck:
            test: ["CMD", "pg_isready"]
    `), undefined);
  });

  it('offers no healthcheck for a dependency whose definition is shared through an anchor', () => {
    // The healthcheck would land on every service that merges the anchor.
    assert.equal(applyFix(rule, 'compose', `
      x-db: &db
        image: postgres:16
      services:
        web:
          image: acme/web:1
          depends_on: [db]
        db: *db
        db-replica: *db
    `), undefined);
  });

  it('offers no fix when no healthcheck is known for the image', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          depends_on: [mc]
        mc:
          image: memcached:1.6
    `), undefined);
  });
});

describe('depends-on-healthy across the merged project', () => {
  const base = `
    services:
      web:
        build: .
        depends_on:
          - api
            ~~~ depends-on-healthy
      api:
        build: ./api
  `;

  it('sees a healthcheck that the override file adds', () => {
    checkRule(rule, 'compose', base, {
      files: { '/work/compose.override.yaml': 'services:\n  api:\n    healthcheck:\n      test: ["CMD", "true"]\n' },
    });
  });

  it('is cleared by a condition the override file sets', () => {
    checkRule(rule, 'compose', base.replace('~~~ depends-on-healthy', ''), {
      files: {
        '/work/compose.override.yaml': 'services:\n  web:\n    depends_on:\n      api:\n        condition: service_healthy\n  api:\n    healthcheck:\n      test: ["CMD", "true"]\n',
      },
    });
  });

  it('reports in the override file what the override writes', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
            ~~ depends-on-healthy
              restart: true
    `, {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n  db:\n    image: postgres:16\n' },
    });
  });

  it('reads the HEALTHCHECK of the Dockerfile a dependency builds, at its target', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          depends_on: [api]
                       ~~~ depends-on-healthy
        api:
          build:
            context: ./api
            target: runtime
    `, {
      files: { '/work/api/Dockerfile': 'FROM alpine:3.20 AS runtime\nHEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1\nFROM runtime AS debug\nHEALTHCHECK NONE\n' },
    });
  });

  it('follows extends to the base service', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          depends_on: [db]
                       ~~ depends-on-healthy
        db:
          extends:
            file: common.yaml
            service: database
    `, { files: { '/work/common.yaml': 'services:\n  database:\n    image: postgres:16\n' } });
  });
});
