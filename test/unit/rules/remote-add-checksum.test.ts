import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/remote-add-checksum';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('remote-add-checksum', () => {
  it('flags a download without --checksum, in every stage', () => check(`
    FROM alpine:3.20 AS fetch
    ADD https://example.com/tool-1.2.tar.gz /tmp/
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-add-checksum
    FROM alpine:3.20
    ADD --chmod=755 https://example.com/bin/tool-\${VERSION} /usr/local/bin/tool
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-add-checksum
  `));

  it('accepts a download verified with --checksum', () => check(`
    FROM alpine:3.20
    ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
  `));

  it('flags a Git source on a branch or with no ref, not one pinned to a tag or commit', () => check(`
    FROM alpine:3.20
    ADD https://github.com/example/repo.git /src
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-add-checksum
    ADD git@github.com:example/repo.git#main /src
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-add-checksum
    ADD https://github.com/example/repo.git#v1.2.3 /src
    ADD https://github.com/example/repo.git#0123456789abcdef0123456789abcdef01234567 /src
    ADD --keep-git-dir=true https://github.com/example/repo.git#\${VERSION} /src
    ADD https://github.com/example/repo.git?tag=v1.2.3 /src
  `));

  it('does not flag local sources or COPY', () => check(`
    FROM alpine:3.20
    ADD app.tar.gz /opt/
    COPY https.txt /etc/
  `));

  it('says when the download is over plain HTTP', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nADD http://example.com/a.tgz /tmp/\n');
    assert.match(finding.message, /downloads over plain HTTP without checking what it gets/);
    assert.match(finding.message, /--checksum=sha256:<digest>.* and use HTTPS\.$/);
  });

  it('has no fix: the digest must come from the publisher', () => {
    assert.equal(rule.fixable, false);
  });
});
