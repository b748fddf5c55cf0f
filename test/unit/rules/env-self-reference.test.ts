import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/env-self-reference';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('env-self-reference', () => {
  it('flags a variable used after the same ENV sets it', () => check(`
    FROM alpine:3.20
    ENV APP_HOME=/app APP_BIN=\${APP_HOME}/bin
                              ~~~~~~~~~~~ env-self-reference
  `));

  it('flags it on a continued line, and when it changes an earlier value', () => check(`
    FROM alpine:3.20
    ENV VERSION=1.0
    ENV VERSION=2.0 \\
        URL=https://example.com/$VERSION.tar.gz
                                ~~~~~~~~ env-self-reference
  `));

  it('accepts extending a variable with its own old value', () => check(`
    FROM golang:1.22
    ENV PATH=/usr/local/go/bin:$PATH GOPATH=/go
  `));

  it('accepts references to variables set before the line', () => check(`
    FROM alpine:3.20
    ENV APP_HOME=/app
    ENV APP_BIN=$APP_HOME/bin APP_LOG=$APP_HOME/log
  `));

  it('accepts a use before the definition on the same line (it naturally means the old value)', () => check(`
    FROM alpine:3.20
    ENV OLD=$NAME NAME=new
  `));

  it('accepts setting the same literal value again, which changes nothing', () => check(`
    FROM alpine:3.20
    ENV LANG=C.UTF-8
    ENV LANG=C.UTF-8 LC_ALL=$LANG
  `));

  it('ignores single-quoted and escaped dollars, which Docker does not expand', () => check(`
    FROM alpine:3.20
    ENV A=1 B='$A' C=\\$A
  `));

  it('reports the old value it picks up, found through the FROM stages', () => {
    const findings = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20 AS base\nENV MODE=dev\nFROM base\nENV MODE=prod FLAG=--$MODE\n');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /previous value `dev`/);
  });

  it('fix: splits the ENV before the pair that needs the new value', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM alpine:3.20
        ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
    `);
    assert.deepEqual(fixed, { text: dedent(`
      FROM alpine:3.20
        ENV APP_HOME=/app
        ENV APP_BIN=$APP_HOME/bin
    `), title: 'Split the ENV before `APP_BIN`', safe: false });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: works across a continuation and keeps the rest together', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nenv A=1 \\\n    B=$A \\\n    C=3\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nenv A=1\nenv B=$A \\\n    C=3\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: keeps CRLF line endings', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\r\nENV A=1 B=$A\r\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\r\nENV A=1\r\nENV B=$A\r\n');
  });

  it('offers no fix when a comment sits between the pairs', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV A=1 \\\n# the binary\n    B=$A\n'), undefined);
  });
});
