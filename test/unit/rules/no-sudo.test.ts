import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-sudo';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-sudo', () => {
  it('reports each stage once, on its first sudo, with the count', () => {
    check(`
      FROM ubuntu:24.04 AS build
      RUN sudo apt-get update && sudo apt-get install -y make
          ~~~~ no-sudo
      FROM ubuntu:24.04
      RUN sudo -E make install
          ~~~~ no-sudo
    `);
    const [build, final] = findingsOf(rule, 'dockerfile', 'FROM ubuntu:24.04 AS build\nRUN sudo apt-get update && sudo apt-get install -y make\nRUN sudo make\nFROM ubuntu:24.04\nRUN sudo -E make install\n');
    assert.match(build.message, /^`sudo` on 3 commands of this stage \(`sudo apt-get update`, …\)/);
    assert.match(final.message, /^`sudo -E make install` is not needed/);
  });

  it('flags sudo inside sh -c and heredocs', () => check(`
    FROM debian:12
    RUN sh -c 'sudo make install'
               ~~~~ no-sudo
    FROM debian:12
    RUN <<EOF
    sudo chown app /srv
    ~~~~ no-sudo
    EOF
  `));

  it('does not flag sudo as a package name or an argument', () => check(`
    FROM debian:12
    RUN apt-get install -y sudo && echo sudo && grep -q sudo /etc/group
  `));

  it('as root, sudo only gains nothing: an info, without the "way back to root" claim', () => {
    const [asRoot] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN sudo make install\n');
    assert.equal(asRoot.severity, 'info');
    assert.match(asRoot.message, /is not needed, because RUN already runs as root here; drop it/);
    assert.doesNotMatch(asRoot.message, /way back to root/);
    const [otherUser] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -u postgres initdb\n');
    assert.equal(otherUser.severity, 'info');
    assert.match(otherUser.message, /`runuser -u postgres --`/);
  });

  it('stays an info where sudo is a runtime package of an image that runs as root by design (discourse)', () => {
    const findings = findingsOf(rule, 'dockerfile', dedent(`
      FROM debian:12
      RUN apt-get update && apt-get install -y sudo runit && useradd -m discourse
      RUN sudo -u discourse git clone https://example.com/app.git /var/www/app
      RUN cd /var/www/app && sudo -u discourse bundle install && sudo -u discourse yarn install
    `));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'info');
    assert.match(findings[0].message, /^`sudo` on 3 commands of this stage/);
    assert.doesNotMatch(findings[0].message, /way back to root/);
  });

  it('warns when a RUN after an unprivileged USER needs sudo in the image that ships: it proves a password-less sudo rule for that user', () => {
    const [asUser] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nUSER app\nRUN sudo make install\n');
    assert.equal(asUser.severity, 'warning');
    assert.match(asUser.message, /after `USER app` works only with a password-less sudo rule/);
    // In a build stage the rule does not ship, and an image that runs as root anyway has nothing to escalate from.
    const [build] = findingsOf(rule, 'dockerfile', 'FROM debian:12 AS build\nUSER app\nRUN sudo make install\nFROM debian:12\nUSER app\nCOPY --from=build /out /out\n');
    assert.equal(build.severity, 'info');
    const [root] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nUSER app\nRUN sudo make install\nUSER root\n');
    assert.equal(root.severity, 'info');
  });

  it('fix: removes sudo and the options that only change how it starts', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -E apt-get update\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN apt-get update\n', title: 'Remove sudo', safe: false });
  });

  it('fix: removes every removable sudo of the stage, and keeps the rest of a chain and the line continuations', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN make && \\\n    sudo make install\nRUN sudo -u app ls && sudo ldconfig\nFROM debian:12\nRUN sudo true\n');
    assert.equal(fixed?.text, 'FROM debian:12\nRUN make && \\\n    make install\nRUN sudo -u app ls && ldconfig\nFROM debian:12\nRUN sudo true\n');
    assert.equal(fixed?.title, 'Remove sudo from 2 commands');
  });

  it('offers no fix when sudo switches users or has nothing to run', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -u postgres initdb\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN sudo -E\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["sudo", "make", "install"]\n'), undefined);
  });
});
