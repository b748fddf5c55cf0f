import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { composeParts } from '../../../server/src/rules/compose/healthcheck-present-compose';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('healthcheck-present (Compose)', () => {
  it('exports its parts for the shared rule', () => {
    assert.equal(typeof composeParts.check, 'function');
    assert.equal(typeof composeParts.fix, 'function');
  });

  it('flags databases, brokers and web servers without a healthcheck, on the service key', () => check(`
    services:
      db:
      ~~ healthcheck-present
        image: postgres:16
      queue:
      ~~~~~ healthcheck-present
        image: rabbitmq:3.13-management
      proxy:
      ~~~~~ healthcheck-present
        image: nginx:1.27-alpine
  `));

  it('accepts a healthcheck, a disabled one, jobs run on a database image, and unknown images', () => check(`
    services:
      db:
        image: postgres:16
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
      cache:
        image: redis:7
        healthcheck:
          disable: true
      backup:
        image: postgres:16
        command: pg_dump -h db -U postgres shop
      shell:
        image: redis:7
        entrypoint: ["/bin/sh", "-c"]
      app:
        image: acme/app:1
        ports:
          - "8080:8080"
  `));

  it('names the probe the fix would add', () => {
    const [finding] = findingsOf(rule, 'compose', 'services:\n  db:\n    image: postgres:16\n');
    assert.match(finding.message, /`db` runs postgres but has no healthcheck/);
    assert.match(finding.message, /pg_isready/);
  });

  it('fix: adds the fitted healthcheck in the file\'s indentation, safely', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
          cache:
              image: redis:7.4
              volumes:
                  - cache:/data
      volumes:
          cache: {}
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
          cache:
              image: redis:7.4
              volumes:
                  - cache:/data
              healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
                  interval: 10s
                  timeout: 3s
                  retries: 5
                  start_period: 10s
      volumes:
          cache: {}
    `));
  });

  it('offers no fix for a web server, whose probe depends on the site', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  proxy:\n    image: nginx:1.27\n'), undefined);
  });
});

describe('healthcheck-present (Compose) across the merged project', () => {
  it('flags a built image whose final stage EXPOSEs a port, when the Dockerfile has no HEALTHCHECK', () => {
    checkRule(rule, 'compose', `
      services:
        api:
        ~~~ healthcheck-present
          build: ./api
    `, { files: { '/work/api/Dockerfile': 'FROM node:22-alpine\nCOPY . /app\nEXPOSE 3000\nCMD ["node", "/app/server.js"]\n' } });
  });

  it('reads the targeted stage and the Dockerfile HEALTHCHECK, and skips test targets', () => {
    const dockerfile = 'FROM node:22-alpine AS base\nEXPOSE 3000\nFROM base AS test\nCMD ["npm", "test"]\nFROM base AS debug\nCMD ["node", "--inspect", "server.js"]\nFROM base AS prod\nHEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1\n';
    checkRule(rule, 'compose', `
      services:
        api:
          build:
            context: ./api
            target: prod
        api-debug:
        ~~~~~~~~~ healthcheck-present
          build:
            context: ./api
            target: debug
        tests:
          build:
            context: ./api
            target: test
    `, { files: { '/work/api/Dockerfile': dockerfile } });
  });

  it('accepts a healthcheck the override file adds, and reports nothing in a fragment without an image', () => {
    checkRule(rule, 'compose', 'services:\n  db:\n    image: postgres:16\n', {
      files: { '/work/compose.override.yaml': 'services:\n  db:\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready"]\n' },
    });
    checkRule(rule, 'compose', 'services:\n  db:\n    ports:\n      - "5432:5432"\n', { path: '/work/compose.override.yaml', files: {} });
  });

  it('reports in the file that sets the image', () => {
    checkRule(rule, 'compose', 'services:\n  db:\n    environment:\n      POSTGRES_DB: shop\n', {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  db:\n    image: postgres:16\n' },
    });
  });
});
