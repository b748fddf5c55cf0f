import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/healthcheck-for-dependency';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('healthcheck-for-dependency', () => {
  it('flags service_healthy on a database image that declares no healthcheck', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          db:
            condition: service_healthy
                       ~~~~~~~~~~~~~~~ healthcheck-for-dependency
          cache:
            condition: service_healthy
                       ~~~~~~~~~~~~~~~ healthcheck-for-dependency
      db:
        image: postgres:16
      cache:
        image: bitnami/redis:7.2
  `));

  it('flags a dependency whose healthcheck is disabled', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          api:
            condition: service_healthy
                       ~~~~~~~~~~~~~~~ healthcheck-for-dependency
      api:
        image: acme/api:1
        healthcheck:
          disable: true
  `));

  it('says when the dependency\'s Dockerfile disables its healthcheck with HEALTHCHECK NONE', () => {
    const [finding] = findingsOf(rule, 'compose', 'services:\n  web:\n    image: acme/web:1\n    depends_on:\n      api:\n        condition: service_healthy\n  api:\n    build: ./api\n', { files: { '/work/api/Dockerfile': 'FROM node:22-alpine\nHEALTHCHECK NONE\nCMD ["node", "server.js"]\n' } });
    assert.match(finding.message, /disabled with `HEALTHCHECK NONE` in its Dockerfile/);
  });

  it('accepts dependencies with a healthcheck, other conditions, optional ones and unknown images', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          db:
            condition: service_healthy
          migrate:
            condition: service_completed_successfully
          cache:
            condition: service_started
          search:
            condition: service_healthy
            required: false
          api:
            condition: service_healthy
      db:
        image: postgres:16
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
      migrate:
        image: postgres:16
      cache:
        image: redis:7
      search:
        image: elasticsearch:8.15.0
      api:
        image: acme/api:1
  `));

  it('accepts a dependency scaled to zero, which Compose does not wait for', () => check(`
    services:
      web:
        image: acme/web:1
        depends_on:
          db:
            condition: service_healthy
      db:
        image: postgres:16
        deploy:
          replicas: 0
  `));

  it('says why in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          depends_on:
            db:
              condition: service_healthy
        db:
          image: postgres:16
    `));
    assert.match(finding.message, /`web` waits for `db` to be healthy, but it has no healthcheck \(none in the Compose files, and the postgres image declares none\)/);
    assert.match(finding.message, /has no healthcheck configured/);
  });

  it('fix: adds a healthcheck fitted to the image to the dependency, safely', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          depends_on:
            db:
              condition: service_healthy
        db:
          image: mysql:8.4
          environment:
            MYSQL_DATABASE: shop
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          depends_on:
            db:
              condition: service_healthy
        db:
          image: mysql:8.4
          environment:
            MYSQL_DATABASE: shop
          healthcheck:
            test: ["CMD", "mysqladmin", "ping", "-h", "localhost"]
            interval: 10s
            timeout: 5s
            retries: 5
            start_period: 30s
    `));
  });

  it('offers no fix for a disabled healthcheck or an image without a known probe', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              condition: service_healthy
        db:
          image: postgres:16
          healthcheck:
            test: ["NONE"]
    `), undefined);
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            mc:
              condition: service_healthy
        mc:
          image: memcached:1.6
    `), undefined);
  });
});

describe('healthcheck-for-dependency across the merged project', () => {
  const base = `
    services:
      web:
        image: acme/web:1
        depends_on:
          api:
            condition: service_healthy
                       ~~~~~~~~~~~~~~~ healthcheck-for-dependency
      api:
        build: ./api
  `;

  it('reads the Dockerfile the dependency builds: no HEALTHCHECK on an official base', () => {
    checkRule(rule, 'compose', base, { files: { '/work/api/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n' } });
  });

  it('accepts a HEALTHCHECK in the Dockerfile, and a base image that may declare one', () => {
    checkRule(rule, 'compose', base.replace(/^.*~~~.*$/m, ''), { files: { '/work/api/Dockerfile': 'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "print(1)"\n' } });
    checkRule(rule, 'compose', base.replace(/^.*~~~.*$/m, ''), { files: { '/work/api/Dockerfile': 'FROM ghcr.io/acme/python-base:3\nCOPY . /app\n' } });
  });

  it('accepts a dependency whose Dockerfile cannot be read', () => {
    checkRule(rule, 'compose', base.replace(/^.*~~~.*$/m, ''), { files: { '/work/other': '' } });
  });

  it('sees a healthcheck the override file adds', () => {
    checkRule(rule, 'compose', base.replace(/^.*~~~.*$/m, ''), {
      files: {
        '/work/api/Dockerfile': 'FROM python:3.12-slim\n',
        '/work/compose.override.yaml': 'services:\n  api:\n    healthcheck:\n      test: ["CMD", "true"]\n',
      },
    });
  });

  it('reports in the override file the condition the override writes', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              condition: service_healthy
                         ~~~~~~~~~~~~~~~ healthcheck-for-dependency
    `, {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n  db:\n    image: postgres:16\n' },
    });
  });

  it('offers no fix when the dependency is defined in another file', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              condition: service_healthy
    `, {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n  db:\n    image: postgres:16\n' },
    });
    assert.equal(fixed, undefined);
  });

  it('fix: fits the probe to the official image a Dockerfile builds on', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          depends_on:
            db:
              condition: service_healthy
        db:
          build: ./db
    `, { files: { '/work/db/Dockerfile': 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n' } });
    assert.match(fixed!.text, /db:\n    build: .\/db\n    healthcheck:\n      test: \["CMD-SHELL", "pg_isready/);
  });
});
