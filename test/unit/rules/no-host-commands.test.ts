import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-host-commands';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-host-commands', () => {
  it('flags interactive programs and commands that only inspect the build container', () => check(`
    FROM debian:12
    RUN vim /etc/nginx/nginx.conf
        ~~~ no-host-commands
    RUN ps aux && free -m && top
        ~~ no-host-commands
                  ~~~~ no-host-commands
                             ~~~ no-host-commands
  `));

  it('flags power and privileged system commands', () => check(`
    FROM debian:12
    RUN mount -t tmpfs none /mnt && ifconfig eth0 up && shutdown -h now
        ~~~~~ no-host-commands
                                    ~~~~~~~~ no-host-commands
                                                        ~~~~~~~~ no-host-commands
  `));

  it('flags systemctl verbs that need a running systemd, not the ones that edit files', () => check(`
    FROM fedora:40
    RUN systemctl enable httpd && systemctl mask tmp.mount
    RUN systemctl start httpd
        ~~~~~~~~~ no-host-commands
  `));

  it('flags a service started at the end of a RUN, not one started to set up data', () => check(`
    FROM debian:12
    RUN service postgresql start && psql -c 'CREATE DATABASE app' && service postgresql stop
    RUN apt-get install -y nginx && service nginx start
                                    ~~~~~~~ no-host-commands
    RUN /etc/init.d/mysql start
        ~~~~~~~~~~~~~~~~~ no-host-commands
  `));

  it('does not flag the names as arguments, scripted editors, version checks or kill', () => check(`
    FROM debian:12
    RUN apt-get install -y vim procps openssh-client && echo top
    RUN vim -es +PlugInstall +qall && emacs --batch -l init.el
    RUN iptables --version | grep legacy && ssh -V
    RUN redis-server --daemonize yes && redis-cli ping && kill "$(cat /var/run/redis.pid)"
  `));

  it('flags ssh unless the RUN forwards an SSH agent', () => check(`
    FROM alpine:3.20
    RUN ssh git@example.com true
        ~~~ no-host-commands
    RUN --mount=type=ssh ssh -o StrictHostKeyChecking=accept-new git@example.com true
  `));

  it('explains what the service does after the RUN', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN service nginx start\n');
    assert.match(finding.message, /^`service nginx start` ends the RUN, so nginx stops with it/);
  });

  it('has no fix', () => {
    assert.equal(rule.fixable, false);
  });
});
