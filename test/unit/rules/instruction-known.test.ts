import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/instruction-known';
import { applyFix, checkRule, config, file, findingsOf, service } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('instruction-known', () => {
  it('flags a keyword that is no instruction', () => check(`
    FORM alpine:3.20
    ~~~~ instruction-known
    RUN echo hi
    COPPY . /app
    ~~~~~ instruction-known
    frobnicate now
    ~~~~~~~~~~ instruction-known
  `));

  it('accepts every instruction in any case', () => check(`
    # syntax=docker/dockerfile:1
    ARG BASE=alpine:3.20
    from $BASE AS build
    Run echo hi
    COPY a /b
    ADD b /c
    CMD ["a"]
    ENTRYPOINT ["b"]
    ENV A=1
    EXPOSE 80
    HEALTHCHECK NONE
    LABEL a=b
    MAINTAINER me
    ONBUILD RUN x
    SHELL ["/bin/sh", "-c"]
    STOPSIGNAL SIGTERM
    USER app
    VOLUME /data
    WORKDIR /app
  `));

  it('does not take heredoc bodies or continuation lines for instructions', () => check(`
    FROM alpine:3.20
    RUN <<EOF
    set -e
    FORM x
    EOF
    RUN apk add \\
        curl
  `));

  it('suggests the closest instruction only when one is clearly closest', () => {
    const message = (text: string) => findingsOf(rule, 'dockerfile', text)[0]?.message ?? '';
    assert.match(message('FORM alpine\n'), /did you mean `FROM`\?/);
    assert.match(message('form alpine\n'), /did you mean `from`\?/);
    assert.match(message('WROKDIR /a\n'), /did you mean `WORKDIR`\?/);
    // Nothing close: no guess.
    assert.doesNotMatch(message('XYZZY a\n'), /did you mean/);
  });

  it('fix: writes the suggested instruction, offered but not applied by fix-all', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FORM alpine:3.20\nRUN echo hi\n'), { text: 'FROM alpine:3.20\nRUN echo hi\n', title: 'Change to FROM', safe: false });
    assert.equal(applyFix(rule, 'dockerfile', 'XYZZY a\n'), undefined);
  });
});

describe('syntax errors hide nothing', () => {
  it('a typo on line 2 still leaves the findings of the lines below it', () => {
    const text = 'FROM debian:12\nFORM alpine:3.20\nRUN apt-get install curl\nCMD node server.js\n';
    const findings = service.lint(file(text, 'dockerfile'), config());
    assert.ok(findings.some((f) => f.rule === 'instruction-known' && f.range.start.line === 1));
    // The rules about later lines still run: apt-get without -y / --no-install-recommends, the shell-form CMD.
    const later = new Set(findings.filter((f) => f.range.start.line >= 2).map((f) => f.rule));
    assert.ok(later.has('apt-no-install-recommends'), [...later].join(', '));
    assert.ok(later.has('exec-form-cmd'), [...later].join(', '));
  });

  it('every syntax rule reports its own line in one file, next to the other rules', () => {
    const text = 'FROM debian:12\nCOPY onlyone\nHEALTHCHECK --intervl=5s CMD true\nRUN --network=hots echo\nCMD [\'node\', \'a.js\']\nRUN apt-get install curl\n';
    const findings = service.lint(file(text, 'dockerfile'), config());
    const at = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.range.start.line);
    assert.deepEqual(at('instruction-arguments'), [1]);
    assert.deepEqual(at('flag-known'), [2]);
    assert.deepEqual(at('flag-value-valid'), [3]);
    assert.deepEqual(at('exec-form-valid'), [4]);
    assert.ok(at('apt-no-install-recommends').includes(5));
  });
});
