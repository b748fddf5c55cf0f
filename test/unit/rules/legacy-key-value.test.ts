import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/legacy-key-value';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('legacy-key-value', () => {
  it('flags ENV and LABEL written as `key value`', () => check(`
    FROM alpine:3.20
    ENV GOSU_VERSION 1.17
        ~~~~~~~~~~~~~~~~~ legacy-key-value
    LABEL maintainer Jane Doe <jane@example.com>
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ legacy-key-value
  `));

  it('accepts key=value, several pairs, and quoted values', () => check(`
    FROM alpine:3.20
    ENV A=1 B="two words" C=
    LABEL org.opencontainers.image.title="My app" maintainer=jane@example.com
    ARG VERSION
  `));

  it('does not judge ARG, whose `ARG a b` declares two arguments', () => check(`
    FROM alpine:3.20
    ARG a b
  `));

  it('points at the pair on a continued line', () => check(`
    FROM alpine:3.20
    ENV \\
      PATH /usr/local/bin:$PATH
      ~~~~~~~~~~~~~~~~~~~~~~~~~ legacy-key-value
  `));

  it('fix: adds the equals sign to a one-word value', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM golang:1.22\nENV PATH /usr/local/go/bin:$PATH\n');
    assert.deepEqual(fixed, { text: 'FROM golang:1.22\nENV PATH=/usr/local/go/bin:$PATH\n', title: 'Rewrite as `ENV PATH=…`', safe: true });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: quotes a value of several words, which the legacy form took whole', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL maintainer Jane Doe <jane@example.com>\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nLABEL maintainer="Jane Doe <jane@example.com>"\n');
    const env = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV SCUBA 1 DUBA 3\n');
    assert.equal(env?.text, 'FROM alpine:3.20\nENV SCUBA="1 DUBA 3"\n');
  });

  it('fix: keeps a value quoted as a whole as it is', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV GREETING "hello world"\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nENV GREETING="hello world"\n');
  });

  it('fix: keeps a Windows path under the backtick escape', () => {
    const fixed = applyFix(rule, 'dockerfile', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV GOPATH C:\\go\n');
    assert.equal(fixed?.text, '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV GOPATH=C:\\go\n');
  });

  it('offers no fix when quotes or escapes mix with blanks, or the value spans lines', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL maintainer James "james@example.com"\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV A b\\ c d\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV A b \\\n  c\n'), undefined);
  });
});
