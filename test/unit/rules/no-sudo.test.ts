import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-sudo';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-sudo', () => {
  it('flags sudo in RUN, in every stage', () => check(`
    FROM ubuntu:24.04 AS build
    RUN sudo apt-get update && sudo apt-get install -y make
        ~~~~ no-sudo
                               ~~~~ no-sudo
    FROM ubuntu:24.04
    RUN sudo -E make install
        ~~~~ no-sudo
  `));

  it('flags sudo inside sh -c and heredocs', () => check(`
    FROM debian:12
    RUN sh -c 'sudo make install'
               ~~~~ no-sudo
    RUN <<EOF
    sudo chown app /srv
    ~~~~ no-sudo
    EOF
  `));

  it('does not flag sudo as a package name or an argument', () => check(`
    FROM debian:12
    RUN apt-get install -y sudo && echo sudo && grep -q sudo /etc/group
  `));

  it('says why, depending on who the RUN runs as', () => {
    const [asRoot] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN sudo make install\n');
    assert.match(asRoot.message, /already runs as root here/);
    const [asUser] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nUSER app\nRUN sudo make install\n');
    assert.match(asUser.message, /after `USER app` works only with a password-less sudo rule/);
    const [otherUser] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -u postgres initdb\n');
    assert.match(otherUser.message, /`USER postgres`, or with `runuser -u postgres --`/);
  });

  it('fix: removes sudo and the options that only change how it starts', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -E apt-get update\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN apt-get update\n', title: 'Remove sudo', safe: false });
  });

  it('fix: keeps the rest of a chain and the line continuations', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN make && \\\n    sudo make install\n');
    assert.equal(fixed?.text, 'FROM debian:12\nRUN make && \\\n    make install\n');
  });

  it('offers no fix when sudo switches users or has nothing to run', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -u postgres initdb\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -E\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["sudo", "make", "install"]\n'), undefined);
  });
});
