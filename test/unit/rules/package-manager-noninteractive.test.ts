import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/package-manager-noninteractive';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('package-manager-noninteractive', () => {
  it('flags apt-get and apt commands that would prompt', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install curl
                          ~~~~~~~~~~~~~~~ package-manager-noninteractive
    RUN apt install git && apt-get purge --auto-remove build-essential
        ~~~~~~~~~~~ package-manager-noninteractive
                           ~~~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('accepts -y, --yes, --assume-yes, clustered -qy and quiet level 2', () => check(`
    FROM debian:12
    RUN apt-get install -y a && apt-get --yes install b && apt-get install --assume-yes c && apt-get install -qy d
    RUN apt-get install -qq e && apt-get -q -q install f && apt-get install -q=2 g && apt-get -o APT::Get::Assume-Yes=true install h
  `));

  it('does not count a single -q, or DEBIAN_FRONTEND, as an answer', () => check(`
    FROM debian:12
    RUN DEBIAN_FRONTEND=noninteractive apt-get install -q curl
                                       ~~~~~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('accepts yes piped in, a simulated run, and an apt configuration written earlier', () => check(`
    FROM debian:12
    RUN yes | apt-get install curl && apt-get install -s git
    RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes
    RUN apt-get install jq
  `));

  it('ignores apt-get commands that never ask', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get clean && apt-get source hello
  `));

  it('flags yum and dnf without -y, not microdnf', () => check(`
    FROM rockylinux:9
    RUN yum install httpd && yum -y install git && dnf upgrade && dnf install --assumeyes jq && microdnf install tar
        ~~~~~~~~~~~ package-manager-noninteractive
                                                   ~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('flags zypper without -n (global) or -y (after the subcommand)', () => check(`
    FROM opensuse/leap:15.6
    RUN zypper install curl && zypper -n install git && zypper in -y jq && zypper --non-interactive dup && zypper refresh
        ~~~~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('flags pip uninstall without -y', () => check(`
    FROM python:3.12
    RUN pip uninstall setuptools && pip uninstall -y wheel && pip install flask
        ~~~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('sees through sudo, env and xargs', () => check(`
    FROM debian:12
    RUN sudo -E apt-get install curl && env DEBIAN_FRONTEND=noninteractive apt-get install git && xargs -r apt-get install < pkgs.txt
                ~~~~~~~~~~~~~~~ package-manager-noninteractive
                                                                           ~~~~~~~~~~~~~~~ package-manager-noninteractive
                                                                                                           ~~~~~~~~~~~~~~~ package-manager-noninteractive
  `));

  it('fix: inserts -y after the subcommand', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', title: 'Add `-y`', safe: true });
    assert.equal(applyFix(rule, 'dockerfile', 'FROM fedora:40\nRUN dnf install git\n')?.text, 'FROM fedora:40\nRUN dnf install -y git\n');
  });

  it('fix: puts zypper\'s -n before the subcommand', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM opensuse/leap:15.6\nRUN zypper --gpg-auto-import-keys in curl\n');
    assert.equal(fixed?.text, 'FROM opensuse/leap:15.6\nRUN zypper --gpg-auto-import-keys -n in curl\n');
  });

  it('fix: offers nothing for exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["apt-get", "install", "curl"]\n'), undefined);
  });
});
