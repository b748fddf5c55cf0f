import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/parser-directive-valid';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('parser-directive-valid', () => {
  it('accepts directives at the top', () => check(`
    # syntax=docker/dockerfile:1.7
    # escape=\`
    # check=skip=JSONArgsRecommended;error=true
    FROM alpine:3.20
  `));

  it('flags a directive after an instruction, a comment or a blank line, as a warning', () => {
    check(`
    FROM alpine:3.20
    # syntax=docker/dockerfile:1
    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ parser-directive-valid
    `);
    check(`
    # A comment first
    # escape=\`
    ~~~~~~~~~~ parser-directive-valid
    FROM alpine:3.20
    `);
    const [finding] = findingsOf(rule, 'dockerfile', '\n# syntax=docker/dockerfile:1\nFROM alpine\n');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /a blank line on line 1/);
  });

  it('flags a repeated directive and bad values', () => check(`
    # syntax=docker/dockerfile:1
    # syntax=docker/dockerfile:1.7
    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ parser-directive-valid
    # escape=/
             ~ parser-directive-valid
    # check=skip=DL3008;errors=true
            ~~~~~~~~~~~~~~~~~~~~~~~ parser-directive-valid
    FROM alpine:3.20
  `));

  it('flags a syntax that is no image reference', () => check(`
    # syntax=Docker/Dockerfile:1
             ~~~~~~~~~~~~~~~~~~~ parser-directive-valid
    FROM alpine:3.20
  `));

  it('flags a misspelt directive name, and leaves comments alone', () => {
    check(`
    # sytnax=docker/dockerfile:1
      ~~~~~~ parser-directive-valid
    FROM alpine:3.20
    `);
    check(`
    # Author=me
    # hadolint ignore=DL3008
    FROM alpine:3.20
    # not a directive: just a note
    `);
  });

  it('fix: moves a misplaced directive to the top, or removes it when the top sets it already', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', '# Copyright\n# syntax=docker/dockerfile:1\nFROM alpine\n'), {
      text: '# syntax=docker/dockerfile:1\n# Copyright\nFROM alpine\n', title: 'Move the directive to the top of the file', safe: false,
    });
    assert.deepEqual(applyFix(rule, 'dockerfile', '# syntax=docker/dockerfile:1\nFROM alpine\n# syntax=docker/dockerfile:1.4\nRUN true\n'), {
      text: '# syntax=docker/dockerfile:1\nFROM alpine\nRUN true\n', title: 'Remove the ignored directive', safe: false,
    });
    // The file below a misplaced escape was written for `\`: moving it would change every line.
    assert.equal(applyFix(rule, 'dockerfile', '# note\n# escape=`\nFROM alpine\nRUN a \\\n  b\n'), undefined);
  });

  it('fix: writes the directive name it meant', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', '# sytnax=docker/dockerfile:1\nFROM alpine\n'), { text: '# syntax=docker/dockerfile:1\nFROM alpine\n', title: 'Change to syntax', safe: false });
  });
});
