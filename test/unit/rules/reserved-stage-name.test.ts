import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/reserved-stage-name';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('reserved-stage-name', () => {
  it('flags stages named scratch or context, in any case', () => check(`
    FROM alpine:3.20 AS scratch
                        ~~~~~~~ reserved-stage-name
    FROM alpine:3.20 AS Context
                        ~~~~~~~ reserved-stage-name
  `));

  it('accepts other names, and FROM scratch itself', () => check(`
    FROM scratch AS empty
    FROM alpine:3.20 AS build-context
    FROM scratch
  `));

  it('says what the name already means', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20 AS scratch\n');
    assert.match(finding.message, /`FROM scratch` means the empty image/);
  });
});
