import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/restart-policy';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('restart-policy', () => {
  it('flags servers and services that publish ports, on the service key', () => check(`
    services:
      db:
      ~~ restart-policy
        image: postgres:16
      proxy:
      ~~~~~ restart-policy
        image: traefik:v3.1
      web:
      ~~~ restart-policy
        build: .
        ports:
          - "8080:8080"
  `));

  it('accepts restart or deploy.restart_policy, jobs and services that serve nothing', () => check(`
    services:
      db:
        image: postgres:16
        restart: unless-stopped
      cache:
        image: redis:7
        deploy:
          restart_policy:
            condition: on-failure
      backup:
        image: postgres:16
        command: ["pg_dump", "-h", "db", "shop"]
      worker:
        image: acme/worker:1
      once:
        image: acme/tool:1
        restart: "no"
        ports:
          - "9000:9000"
  `));

  it('says what makes the service long-running', () => {
    const messages = findingsOf(rule, 'compose', dedent(`
      services:
        db:
          image: bitnami/postgresql:16
        web:
          image: acme/web:1
          ports:
            - "127.0.0.1:8080:80"
    `)).map((f) => f.message);
    assert.match(messages[0], /`db` runs postgres but has no restart policy/);
    assert.match(messages[1], /`web` publishes `127.0.0.1:8080:80` but has no restart policy/);
  });

  it('fix: adds restart: unless-stopped, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        db:
          image: postgres:16
          volumes:
            - db:/var/lib/postgresql/data
      volumes:
        db:
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        db:
          image: postgres:16
          volumes:
            - db:/var/lib/postgresql/data
          restart: unless-stopped
      volumes:
        db:
    `));
  });
});

describe('restart-policy across the merged project', () => {
  it('is cleared by a policy the override file sets', () => {
    checkRule(rule, 'compose', 'services:\n  db:\n    image: postgres:16\n', {
      files: { '/work/compose.override.yaml': 'services:\n  db:\n    restart: always\n' },
    });
  });

  it('reports ports an override adds in the override, and nothing for a fragment without its base', () => {
    checkRule(rule, 'compose', `
      services:
        web:
        ~~~ restart-policy
          ports:
            - "8080:80"
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n' } });
    checkRule(rule, 'compose', 'services:\n  web:\n    ports:\n      - "8080:80"\n', { path: '/work/compose.override.yaml', files: {} });
  });

  it('reads EXPOSE in the Dockerfile a service builds', () => {
    checkRule(rule, 'compose', `
      services:
        api:
        ~~~ restart-policy
          build: ./api
    `, { files: { '/work/api/Dockerfile': 'FROM golang:1.23 AS build\nRUN go build -o /api\nFROM gcr.io/distroless/static\nCOPY --from=build /api /api\nEXPOSE 8080\nENTRYPOINT ["/api"]\n' } });
  });
});

describe('restart-policy and the command a service runs', () => {
  it('does not take EXPOSE as evidence for a service that runs its own command and publishes nothing', () => {
    checkRule(rule, 'compose', `
      services:
        web:
        ~~~ restart-policy
          build: .
          command: gunicorn -b 0.0.0.0:8000 app:app
          ports:
            - "8000:8000"
        worker:
          build: .
          command: celery -A app worker
    `, { files: { '/work/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n' } });
  });
});
