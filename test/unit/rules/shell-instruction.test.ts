import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/shell-instruction';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('shell-instruction', () => {
  it('flags relinking /bin/sh to another shell', () => check(`
    FROM debian:12
    RUN ln -sf /bin/bash /bin/sh
        ~~~~~~~~~~~~~~~~~~~~~~~~ shell-instruction
    RUN rm /bin/sh && ln -s bash /usr/bin/sh
                      ~~~~~~~~~~~~~~~~~~~~~~ shell-instruction
  `));

  it('does not flag other links, or restoring a POSIX sh', () => check(`
    FROM debian:12
    RUN ln -s /bin/sh /usr/local/bin/sh && ln -sf /usr/bin/python3 /usr/bin/python
    RUN ln -sf dash /bin/sh && ln -sf /bin/busybox /bin/sh
    RUN ln -s -t /usr/local/bin /bin/bash
  `));

  it('suggests the SHELL line for the shell that was linked', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN ln -sf bash /bin/sh\n');
    assert.match(finding.message, /add `SHELL \["\/bin\/bash", "-c"\]` before the RUNs that need it/);
  });

  it('has no fix: dropping the link changes what runs later', () => {
    assert.equal(rule.fixable, false);
  });
});
