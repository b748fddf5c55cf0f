import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-not-add';
import { applyFix, checkRule, config, file, findingsOf, strict } from '../../helpers/check';
import { LanguageService } from '../../../server/src/service';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('copy-not-add', () => {
  it('flags ADD of local files and directories', () => check(`
    FROM node:20
    ADD package.json package-lock.json ./
    ~~~ copy-not-add
    ADD --chown=node:node src/ /app/src/
    ~~~ copy-not-add
    ADD ["my file.txt", "/app/"]
    ~~~ copy-not-add
  `));

  it('flags an ADD heredoc, which COPY writes just as well', () => check(`
    FROM alpine:3.20
    ADD <<EOF /etc/motd
    ~~~ copy-not-add
    hello
    EOF
  `));

  it('does not flag archives ADD unpacks, URLs, Git sources, or globs that may match an archive', () => check(`
    FROM alpine:3.20
    ADD rootfs.tar.xz /
    ADD vendor.tgz /opt/
    ADD https://example.com/a.txt /tmp/
    ADD git@github.com:example/repo.git /src
    ADD dist/* /opt/
    ADD $SOURCE /opt/
  `));

  it('reads sources the way Docker does, quotes removed (from hadolint\'s DL3020 tests)', () => check(`
    FROM alpine:3.20
    ADD "file.tgz" /usr/src/app/
    ADD 'vendor.tar.gz' /opt/
    ADD "http://file.com" /usr/src/app/
    ADD "app.conf" /etc/app/
    ~~~ copy-not-add
  `));

  it('flags a glob that names its extension', () => check(`
    FROM alpine:3.20
    ADD scripts/*.sh /usr/local/bin/
    ~~~ copy-not-add
  `));

  it('quotes the sources in the message', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nADD app.py /srv/\n');
    assert.match(finding.message, /^`ADD app\.py` copies local files, which is COPY's job/);
  });

  it('fix: replaces ADD by COPY and keeps the flags COPY shares', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nADD --chown=app:app --chmod=644 app.py /srv/\n');
    assert.deepEqual(fixed, { text: 'FROM alpine:3.20\nCOPY --chown=app:app --chmod=644 app.py /srv/\n', title: 'Replace ADD with COPY', safe: true });
  });

  it('fix: keeps a lower-case keyword lower-case', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nadd app.py /srv/\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\ncopy app.py /srv/\n');
    assert.deepEqual(findingsOf(rule, 'dockerfile', fixed!.text), []);
  });

  it('offers no fix when ADD-only flags are present', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nADD --keep-git-dir=true app.py /srv/\n'), undefined);
  });

  it('is style, reported at info on each ADD, and fix-all rewrites every one of them', () => {
    const text = 'FROM debian:12\nADD a.sh /a.sh\nADD b.sh /b.sh\nADD c.key /c.key\n';
    const findings = findingsOf(rule, 'dockerfile', text);
    assert.deepEqual(findings.map((f) => [f.range.start.line, f.severity]), [[1, 'info'], [2, 'info'], [3, 'info']]);
    const own = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], onFailure: strict });
    const fixed = own.fixAll(file(text, 'dockerfile'), config());
    assert.equal(fixed.text, 'FROM debian:12\nCOPY a.sh /a.sh\nCOPY b.sh /b.sh\nCOPY c.key /c.key\n');
  });
});
