import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-maintainer';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-maintainer', () => {
  it('flags MAINTAINER in any stage and any case', () => check(`
    FROM debian:12
    MAINTAINER Jane Doe <jane@example.com>
    ~~~~~~~~~~ no-maintainer
    FROM alpine:3.20
    maintainer ops@example.com
    ~~~~~~~~~~ no-maintainer
  `));

  it('accepts the OCI authors label', () => check(`
    FROM debian:12
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
  `));

  it('quotes the maintainer in the message', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nMAINTAINER Jane Doe\n');
    assert.match(finding.message, /so `Jane Doe` is effectively lost; use `LABEL org\.opencontainers\.image\.authors="…"` instead\.$/);
  });

  it('fix: rewrites MAINTAINER as the authors label', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\n');
    assert.deepEqual(fixed, {
      text: 'FROM debian:12\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\nRUN true\n',
      title: 'Replace with LABEL org.opencontainers.image.authors',
      safe: true,
    });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: escapes quotes, backslashes and $, and folds continuations', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nMAINTAINER "Jo" \\\n  C:\\Users $HOME\n');
    assert.equal(fixed?.text, 'FROM debian:12\nLABEL org.opencontainers.image.authors="\\"Jo\\" C:\\\\Users \\$HOME"\n');
  });

  it('fix: deletes MAINTAINER when the stage already has the authors label', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nLABEL org.opencontainers.image.authors="team@example.com"\nMAINTAINER Jane\nRUN true\n');
    assert.equal(fixed?.text, 'FROM debian:12\nLABEL org.opencontainers.image.authors="team@example.com"\nRUN true\n');
  });

  it('fix: is not offered for an empty MAINTAINER', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nMAINTAINER\n'), undefined);
  });
});
