import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { labelKeyProblem } from '../../../server/src/rules/dockerfile/label-key-valid';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('label-key-valid', () => {
  it('flags reserved namespaces, capitals, odd characters and separators', () => check(`
    FROM alpine:3.20
    LABEL com.docker.compose.project=app
          ~~~~~~~~~~~~~~~~~~~~~~~~~~ label-key-valid
    LABEL Version=1.0 com.example.build_date=2024-01-01
          ~~~~~~~ label-key-valid
                      ~~~~~~~~~~~~~~~~~~~~~~ label-key-valid
    LABEL com..example=x 1abc=y com.example.=z
          ~~~~~~~~~~~~ label-key-valid
                         ~~~~ label-key-valid
                                ~~~~~~~~~~~~ label-key-valid
  `));

  it('accepts reverse-DNS keys, OCI keys and plain lower-case keys', () => check(`
    FROM alpine:3.20
    LABEL org.opencontainers.image.source="https://example.com" maintainer="Jane" com.example.v2=yes
    LABEL "com.example.quoted"="fine"
  `));

  it('flags a quoted key on its text, quotes included', () => check(`
    FROM alpine:3.20
    LABEL "Com.Example"=x
          ~~~~~~~~~~~~~ label-key-valid
  `));

  it('leaves keys built from variables alone', () => check(`
    FROM alpine:3.20
    ARG VENDOR=com.example
    LABEL \${VENDOR}.Version=1
  `));

  it('flags the key of a legacy `LABEL key value`', () => check(`
    FROM alpine:3.20
    LABEL Maintainer Jane Doe
          ~~~~~~~~~~ label-key-valid
  `));

  it('explains each problem', () => {
    assert.match(labelKeyProblem('io.docker.x')!, /reserves/);
    assert.match(labelKeyProblem('Version')!, /upper-case/);
    assert.match(labelKeyProblem('a_b')!, /`_`/);
    assert.match(labelKeyProblem('-ab')!, /start/);
    assert.match(labelKeyProblem('ab-')!, /end/);
    assert.match(labelKeyProblem('a--b')!, /consecutive/);
    assert.equal(labelKeyProblem('org.opencontainers.image.version'), null);
  });

  it('fix: lower-cases a key when that is all it needs (not safe: readers of the old key lose it)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL Version=1.0 other=x\n');
    assert.deepEqual(fixed, { text: 'FROM alpine:3.20\nLABEL version=1.0 other=x\n', title: 'Lower-case the label key to `version`', safe: false });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
    const quoted = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL "Com.Example"=x\n');
    assert.equal(quoted?.text, 'FROM alpine:3.20\nLABEL "com.example"=x\n');
  });

  it('offers no fix when lower case is not enough', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL com.docker.x=1\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nLABEL Build_Date=1\n'), undefined);
  });
});
