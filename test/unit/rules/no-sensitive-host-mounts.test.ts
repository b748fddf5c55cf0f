import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-sensitive-host-mounts';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-sensitive-host-mounts', () => {
  it('flags host secrets and host state, read-only or not', () => check(`
    services:
      agent:
        image: acme/agent:1
        volumes:
          - /:/host:ro
            ~~~~~~~~~~ no-sensitive-host-mounts
          - /etc/:/host/etc:ro
            ~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - ~/.ssh:/root/.ssh:ro
            ~~~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - \${HOME}/.aws/credentials:/root/.aws/credentials
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - /proc:/host/proc:ro
            ~~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - /var/lib/docker:/var/lib/docker:ro
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - /usr:/host/usr
            ~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - /lib/modules:/lib/modules
            ~~~~~~~~~~~~~~~~~~~~~~~~~ no-sensitive-host-mounts
          - type: bind
            source: /root
                    ~~~~~ no-sensitive-host-mounts
            target: /host/root
  `));

  it('accepts the usual harmless or read-only mounts of system paths', () => check(`
    services:
      app:
        image: acme/app:1
        volumes:
          - /etc/localtime:/etc/localtime:ro
          - /etc/timezone:/etc/timezone:ro
          - /etc/passwd:/etc/passwd:ro
          - /sys:/host/sys:ro
          - /usr:/host/usr:ro
          - /lib/modules:/lib/modules:ro
          - /usr/src:/usr/src
          - /var/lib/docker/containers:/var/lib/docker/containers:ro
          - /srv/app/data:/data
          - /home/deploy/app:/app
          - ./config:/config
          - app-data:/var/lib/app
    volumes:
      app-data:
  `));

  it('leaves the Docker socket to no-docker-socket', () => check(`
    services:
      app:
        image: acme/app:1
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock
          - /var/run:/var/run
  `));

  it('flags a named volume whose driver binds a sensitive host path', () => check(`
    services:
      app:
        image: acme/app:1
        volumes:
          - hostetc:/host/etc
    volumes:
      hostetc:
        driver: local
        driver_opts:
          type: none
          o: bind
          device: /etc
                  ~~~~ no-sensitive-host-mounts
  `));

  it('says what the path holds and whether it can be rewritten', () => {
    const [ro, rw] = findingsOf(rule, 'compose', dedent(`
      services:
        app:
          image: acme/app:1
          volumes:
            - /etc:/host/etc:ro
            - /boot:/boot
    `));
    assert.match(ro.message, /`app` mounts the host's `\/etc`, which holds the host's configuration, password hashes .* can read it; mount only/);
    assert.match(rw.message, /`\/boot`, .* can read and rewrite it; mount it read-only/);
  });
});

describe('no-sensitive-host-mounts across the merged project', () => {
  it('reports each mount in the file that writes it', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          volumes:
            - /etc:/host/etc
              ~~~~~~~~~~~~~~ no-sensitive-host-mounts
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  app:\n    image: acme/app:1\n    volumes:\n      - /proc:/host/proc\n' } });
  });
});
