import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/logging-rotation';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('logging-rotation', () => {
  it('flags json-file without max-size on the driver, and options without max-size on the options key', () => check(`
    services:
      web:
        image: acme/web:1
        logging:
          driver: json-file
                  ~~~~~~~~~ logging-rotation
      worker:
        image: acme/worker:1
        logging:
          options:
          ~~~~~~~ logging-rotation
            max-file: "5"
  `));

  it('accepts max-size, other drivers, and services that keep the daemon default', () => check(`
    services:
      web:
        image: acme/web:1
        logging:
          driver: json-file
          options:
            max-size: 10m
      api:
        image: acme/api:1
        logging:
          driver: local
      syslog:
        image: acme/syslog:1
        logging:
          driver: syslog
          options:
            syslog-address: "udp://127.0.0.1:514"
      plain:
        image: acme/plain:1
  `));

  it('reports a shared anchor once', () => check(`
    x-logging: &logging
      driver: json-file
              ~~~~~~~~~ logging-rotation
    services:
      a:
        image: acme/a:1
        logging: *logging
      b:
        image: acme/b:1
        logging: *logging
  `));

  it('fix: adds rotation options under logging, safely', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          logging:
            driver: json-file
          restart: always
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          logging:
            driver: json-file
            options:
              max-size: "10m"
              max-file: "3"
          restart: always
    `));
  });

  it('fix: completes existing options and keeps max-file', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1
          logging:
            driver: json-file
            options:
              max-file: "5"
    `);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1
          logging:
            driver: json-file
            options:
              max-file: "5"
              max-size: "10m"
    `));
  });
});

describe('logging-rotation across the merged project', () => {
  it('is cleared by max-size in the override file', () => {
    checkRule(rule, 'compose', 'services:\n  web:\n    image: acme/web:1\n    logging:\n      driver: json-file\n', {
      files: { '/work/compose.override.yaml': 'services:\n  web:\n    logging:\n      options:\n        max-size: 5m\n' },
    });
  });
});
