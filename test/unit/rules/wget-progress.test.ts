import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/wget-progress';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('wget-progress', () => {
  it('is off by default', () => {
    assert.equal(rule.enabledByDefault, false);
  });

  it('flags GNU wget without a quieter progress setting', () => check(`
    FROM debian:12
    RUN wget -O /tmp/app.tgz https://example.com/app.tgz
        ~~~~ wget-progress
  `));

  it('accepts --progress, -q, -nv, a log file, or clustered -qO-', () => check(`
    FROM debian:12
    RUN wget --progress=dot:giga https://example.com/a.tgz
    RUN wget -q https://example.com/a.tgz && wget -nv https://example.com/b.tgz
    RUN wget --no-verbose -O a.tgz https://example.com/a.tgz && wget -o /tmp/log https://example.com/b.tgz
    RUN wget -qO- https://example.com/a.sh | sh
  `));

  it('does not flag signature and checksum downloads, which are a few bytes', () => check(`
    FROM debian:12
    RUN wget -O app.tgz.asc "$URL.asc" && wget https://example.com/SHA256SUMS
  `));

  it('leaves BusyBox wget on Alpine alone, but not GNU wget installed there', () => check(`
    FROM alpine:3.20 AS busybox
    RUN wget -O /tmp/app.tgz https://example.com/app.tgz
    FROM alpine:3.20
    RUN apk add --no-cache wget
    RUN wget -O /tmp/app.tgz https://example.com/app.tgz
        ~~~~ wget-progress
  `));

  it('fix: adds --progress=dot:giga after wget', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN wget -O /tmp/a.tgz https://example.com/a.tgz\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN wget --progress=dot:giga -O /tmp/a.tgz https://example.com/a.tgz\n', title: 'Add --progress=dot:giga to wget', safe: true });
  });

  it('fix: the result is no longer reported', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN wget https://example.com/a.tgz\n');
    assert.ok(fixed);
    check(fixed.text);
  });

  it('offers no fix where the wget at hand is unknown', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM example.com/base:1\nRUN wget https://example.com/a.tgz\n'), undefined);
  });
});
