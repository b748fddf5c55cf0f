import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-empty-continuation';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-empty-continuation', () => {
  it('flags an empty line inside a continued instruction, from the \\ that continues into it', () => check(`
    FROM debian:12
    RUN apt-get update \\
                       ~ no-empty-continuation

     && apt-get install -y curl
  `));

  it('counts blank lines of spaces, and reports each run of empty lines once', () => check(`
    FROM debian:12
    RUN set -eux; \\
                  ~ no-empty-continuation
        
        
        apt-get update; \\
                        ~ no-empty-continuation

        rm -rf /var/lib/apt/lists/*
  `));

  it('accepts comment lines inside a continuation, as BuildKit does', () => check(`
    FROM debian:12
    RUN apt-get update \\
      # the tools we need
      && apt-get install -y curl
  `));

  it('ignores empty lines after an instruction ends and inside heredocs', () => check(`
    FROM debian:12
    RUN apt-get update

    RUN <<EOF
    echo one \\

    echo two
    EOF
  `));

  it('follows the escape directive', () => check(`
    # escape=\`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    RUN Write-Host one; \`
                        ~ no-empty-continuation

        Write-Host two
  `));

  it('explains a stray \\ that swallows the next instruction', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get install -y curl \\\n\nCOPY . /app\n');
    assert.match(finding.message, /so `COPY \. \/app` on line 4 becomes part of it instead of an instruction of its own; remove the trailing `\\`/);
    assert.deepEqual(finding.data, { swallowed: true });
  });

  it('fix: deletes the empty lines, which Docker skipped anyway', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM debian:12
      RUN apt-get update \\

        
       && apt-get install -y curl
    `);
    assert.deepEqual(fixed, {
      text: dedent(`
        FROM debian:12
        RUN apt-get update \\
         && apt-get install -y curl
      `),
      title: 'Delete the empty lines',
      safe: true,
    });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: removes a stray trailing \\ before a swallowed instruction, as a quick fix only', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get install -y \\\n    curl  \\\n\nCOPY . /app\n');
    assert.deepEqual(fixed, {
      text: 'FROM debian:12\nRUN apt-get install -y \\\n    curl\n\nCOPY . /app\n',
      title: 'End the instruction here: remove the trailing \\',
      safe: false,
    });
  });

  it('fix: handles an empty continuation at the end of the file', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN true \\\n\n# the end\n');
    assert.equal(fixed?.text, 'FROM debian:12\nRUN true \\\n# the end\n');
  });
});

describe('no-empty-continuation across comments', () => {
  it('reports empty lines around comment lines once, and the fix deletes them all', () => {
    const text = 'FROM debian:12\nRUN echo hello \\\n# a comment\n\n# another\n\n  world\n';
    checkRule(rule, 'dockerfile', `
      FROM debian:12
      RUN echo hello \\
                     ~ no-empty-continuation
      # a comment

      # another

        world
    `);
    const fixed = applyFix(rule, 'dockerfile', text);
    assert.equal(fixed?.text, 'FROM debian:12\nRUN echo hello \\\n# a comment\n# another\n  world\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });
});
