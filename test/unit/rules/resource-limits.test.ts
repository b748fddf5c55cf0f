import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/resource-limits';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('resource-limits', () => {
  it('flags services without a memory limit, on the service key', () => check(`
    services:
      web:
      ~~~ resource-limits
        image: acme/web:1
      worker:
      ~~~~~~ resource-limits
        build: ./worker
        deploy:
          resources:
            limits:
              cpus: "0.5"
  `));

  it('flags a limit of 0, which is Docker\'s "no limit" (found with KICS\'s tests)', () => check(`
    services:
      a:
      ~ resource-limits
        image: nginx:1.27
        deploy: {resources: {limits: {memory: 0}}}
      c:
      ~ resource-limits
        image: nginx:1.27
        mem_limit: "0m"
      d:
        image: nginx:1.27
        mem_limit: 256m
  `));

  it('accepts deploy limits, mem_limit, one-shot jobs and fragments without an image', () => check(`
    services:
      web:
        image: acme/web:1
        deploy:
          resources:
            limits:
              memory: 256M
      legacy:
        image: acme/legacy:1
        mem_limit: 1g
      migrate:
        image: acme/web:1
        command: ["./manage.py", "migrate"]
        restart: "no"
      seed:
        image: acme/seed:1
      app:
        image: acme/app:1
        mem_limit: \${APP_MEMORY:-512m}
        depends_on:
          seed:
            condition: service_completed_successfully
      tweak:
        environment:
          DEBUG: "1"
  `));

  it('fix: adds deploy.resources.limits.memory, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          ports:
            - "8080:8080"
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          ports:
            - "8080:8080"
          deploy:
            resources:
              limits:
                memory: 512M
    `));
  });

  it('fix: turns a limit of 0 into the default limit instead of adding a second key', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: nginx:1.27\n    mem_limit: 0\n')?.text, 'services:\n  web:\n    image: nginx:1.27\n    mem_limit: 512M\n');
    assert.equal(applyFix(rule, 'compose', 'x-lim: &lim\n  limits:\n    memory: 0\nservices:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources: *lim\n'), undefined, 'a value shared through an anchor');
  });

  it('fix: merges into the deploy mapping the service already has', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          deploy:
            replicas: 2
            resources:
              limits:
                cpus: "1"
    `);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          deploy:
            replicas: 2
            resources:
              limits:
                cpus: "1"
                memory: 512M
    `));
    const partial = applyFix(rule, 'compose', 'services:\n  web:\n    image: acme/web:1\n    deploy:\n      replicas: 2\n');
    assert.equal(partial?.text, 'services:\n  web:\n    image: acme/web:1\n    deploy:\n      replicas: 2\n      resources:\n        limits:\n          memory: 512M\n');
  });

  it('offers no fix when deploy comes from a shared anchor', () => {
    assert.equal(applyFix(rule, 'compose', `
      x-deploy: &deploy
        deploy:
          replicas: 2
      services:
        web:
          <<: *deploy
          image: acme/web:1
    `), undefined);
  });
});

describe('resource-limits across the merged project', () => {
  it('is cleared by a limit the override file sets, and reports where the image is set', () => {
    checkRule(rule, 'compose', 'services:\n  web:\n    image: acme/web:1\n', {
      files: { '/work/compose.override.yaml': 'services:\n  web:\n    mem_limit: 300m\n' },
    });
    checkRule(rule, 'compose', 'services:\n  web:\n    ports:\n      - "8080:8080"\n', {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n' },
    });
  });

  it('is cleared by a limit in the production overlay', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1
        db:
        ~~ resource-limits
          image: postgres:16
    `, { files: { '/work/compose.prod.yaml': 'services:\n  web:\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n' } });
  });
});
