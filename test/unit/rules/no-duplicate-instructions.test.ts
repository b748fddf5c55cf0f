import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-duplicate-instructions';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-duplicate-instructions', () => {
  it('flags every earlier CMD, ENTRYPOINT and HEALTHCHECK of a stage, not the last one', () => check(`
    FROM node:20-slim
    CMD ["node", "a.js"]
    ~~~~~~~~~~~~~~~~~~~~ no-duplicate-instructions
    ENTRYPOINT ["tini", "--"]
    ~~~~~~~~~~~~~~~~~~~~~~~~~ no-duplicate-instructions
    HEALTHCHECK NONE
    ~~~~~~~~~~~~~~~~ no-duplicate-instructions
    CMD ["node", "b.js"]
    ~~~~~~~~~~~~~~~~~~~~ no-duplicate-instructions
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD ["node", "c.js"]
  `));

  it('counts per stage: one CMD in each stage is fine', () => check(`
    FROM node:20 AS build
    CMD ["npm", "test"]
    FROM node:20-slim
    CMD ["node", "server.js"]
  `));

  it('does not count the CMD of a HEALTHCHECK or an ONBUILD trigger', () => check(`
    FROM python:3.12-slim
    ONBUILD CMD ["python", "setup.py"]
    HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/ || exit 1
    CMD ["python", "-m", "http.server"]
  `));

  it('draws a multi-line instruction from its keyword', () => check(`
    FROM alpine:3.20
    CMD echo one \\
    ~~~~~~~~~~~~~~ no-duplicate-instructions
      && echo two
    CMD ["sh"]
  `));

  it('names the instruction that wins', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nCMD ["a"]\nRUN true\nCMD ["b"]\n');
    assert.match(finding.message, /^This `CMD` is replaced by the `CMD` on line 4 of the same stage, so it never runs/);
  });

  it('fix: deletes the earlier instruction and its comment, keeping the others', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      COPY . .
      # the dev server
      CMD ["npm", "run", "dev"]
      # hadolint ignore=DL3025
      CMD npm start
    `);
    assert.deepEqual(fixed, {
      text: dedent(`
        FROM node:20-slim
        COPY . .
        # hadolint ignore=DL3025
        CMD npm start
      `),
      title: 'Delete the overridden CMD',
      safe: true,
    });
  });

  it('fix: leaves no double blank line and no trailing blank line', () => {
    const between = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN true\n\nCMD ["a"]\n\nUSER app\nCMD ["b"]\n');
    assert.equal(between?.text, 'FROM alpine:3.20\nRUN true\n\nUSER app\nCMD ["b"]\n');
    const multiLine = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nCMD echo one \\\n  two\n\nCMD ["b"]');
    assert.equal(multiLine?.text, 'FROM alpine:3.20\n\nCMD ["b"]\n');
  });

  it('fix: deletes the first of two stages\' HEALTHCHECKs and clears the finding', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK NONE\n');
    assert.equal(fixed?.text, 'FROM nginx:1.27\nHEALTHCHECK NONE\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });
});

describe('no-duplicate-instructions ignores', () => {
  it('is silenced on the overridden instruction by hadolint and BuildKit names', () => {
    assert.equal(findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL4003\nCMD ["a"]\nCMD ["b"]\n').length, 0);
    assert.equal(findingsOf(rule, 'dockerfile', '# check=skip=MultipleInstructionsDisallowed\nFROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\n').length, 0);
  });
});
