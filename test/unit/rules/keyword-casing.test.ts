import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/keyword-casing';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('keyword-casing', () => {
  it('flags keywords that differ from the majority casing (ConsistentInstructionCasing)', () => check(`
    FROM alpine:3.20
    run echo hello
    ~~~ keyword-casing
    Copy . /app
    ~~~~ keyword-casing
    CMD ["sh"]
  `));

  it('lets a lower-case majority win', () => check(`
    from alpine:3.20
    run echo hello
    COPY . /app
    ~~~~ keyword-casing
    cmd ["sh"]
  `));

  it('prefers upper case on a tie', () => check(`
    FROM alpine:3.20
    run echo hello
    ~~~ keyword-casing
  `));

  it('flags AS in another case than its FROM (FromAsCasing)', () => check(`
    FROM golang:1.22 as build
                     ~~ keyword-casing
    from alpine:3.20 AS run
    ~~~~ keyword-casing
    FROM node:20 AS web
  `));

  it('accepts a consistent file in either casing', () => {
    check(`
      FROM golang:1.22 AS build
      RUN go build
      FROM scratch
    `);
    check(`
      from golang:1.22 as build
      run go build
      from scratch
    `);
  });

  it('explains what to write', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nRun true\nRUN false\n');
    assert.match(finding.message, /^`Run` mixes upper and lower case .* write `RUN`\.$/);
  });

  it('fix: re-cases the keyword', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nrun echo hi\nCMD ["sh"]\n');
    assert.deepEqual(fixed, { text: 'FROM alpine:3.20\nRUN echo hi\nCMD ["sh"]\n', title: 'Write RUN', safe: true });
  });

  it('fix: re-cases AS to match its FROM', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM golang:1.22 as build\nRUN go build\n');
    assert.equal(fixed?.text, 'FROM golang:1.22 AS build\nRUN go build\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: re-casing a FROM re-cases its AS too', () => {
    const fixed = applyFix(rule, 'dockerfile', 'from golang:1.22 as build\nRUN go build\nCOPY . .\n');
    assert.equal(fixed?.text, 'FROM golang:1.22 AS build\nRUN go build\nCOPY . .\n');
    const mixed = applyFix(rule, 'dockerfile', 'from golang:1.22 AS build\nRUN go build\nCOPY . .\n');
    assert.equal(mixed?.text, 'FROM golang:1.22 AS build\nRUN go build\nCOPY . .\n');
    assert.equal(findingsOf(rule, 'dockerfile', mixed!.text).length, 0);
  });
});

describe('keyword-casing scope', () => {
  it('ignores words that are not instructions', () => check(`
    FROM alpine:3.20
    Foo bar
    RUN true
  `));
});
