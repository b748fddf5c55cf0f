import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/common/valid-utf8';
import { checkRule, findingsOf } from '../../helpers/check';

/** What a UTF-8 decoder makes of Latin-1 text: `café` saved as ISO-8859-1. */
const latin1 = (text: string) => Buffer.from(text, 'latin1').toString('utf8');

describe('valid-utf8', () => {
  it('flags the first replacement character of a Dockerfile', () => checkRule(rule, 'dockerfile', `
    FROM alpine:3.20
    LABEL description="${latin1('café')}"
                          ~ valid-utf8
    RUN echo "${latin1('naïve')}"
  `));

  it('flags a Compose file, and passes valid UTF-8 of any script', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: nginx:1.27
          environment:
            GREETING: "${latin1('olá')}"
                         ~ valid-utf8
    `);
    checkRule(rule, 'dockerfile', `
      FROM alpine:3.20
      LABEL description="café — naïve 日本語 🐳"
    `);
  });

  it('counts the characters and names the line of the first', () => {
    const [finding] = findingsOf(rule, 'dockerfile', `FROM alpine:3.20\nRUN echo ${latin1('é è ê')}\n`);
    assert.match(finding.message, /^This Dockerfile has 3 U\+FFFD replacement characters \(�\), the first on line 2, usually bytes that are not valid UTF-8/);
    const [compose] = findingsOf(rule, 'compose', `services:\n  web:\n    image: ${latin1('nginxé')}\n`);
    assert.match(compose.message, /a U\+FFFD replacement character \(�\) on line 3.*Compose reads YAML as UTF-8/);
  });
});
