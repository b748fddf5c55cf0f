import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-docker-socket';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-docker-socket', () => {
  it('flags the socket in the short and long syntax, read-only or not', () => check(`
    services:
      ci:
        image: acme/ci-runner:1
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
          - "//var/run/docker.sock:/run/docker.sock:ro"
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
          - ./cache:/cache
      monitor:
        image: acme/monitor:1
        volumes:
          - type: bind
            source: /run/podman/podman.sock
                    ~~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
            target: /var/run/docker.sock
            read_only: true
  `));

  it('flags a directory that holds the socket, and a rootless socket behind a variable', () => check(`
    services:
      a:
        image: acme/a:1
        volumes:
          - /var/run:/host/var/run
            ~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
          - \${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
  `));

  it('accepts named volumes, other host paths, and a socket proxy, which is the remedy', () => check(`
    services:
      proxy:
        image: tecnativa/docker-socket-proxy:0.3
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock:ro
      app:
        image: acme/app:1
        volumes:
          - docker-data:/var/lib/docker
          - /var/run/app:/var/run/app
          - ./docker.sock.md:/docs/socket.md
    volumes:
      docker-data:
  `));

  it('says that :ro does not help, and what a known tool uses the socket for', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        traefik:
          image: traefik:v3.2
          volumes:
            - /var/run/docker.sock:/var/run/docker.sock:ro
    `));
    assert.match(finding.message, /`traefik` mounts the Docker socket \(`\/var\/run\/docker\.sock`\)/);
    assert.match(finding.message, /`:ro` does not help/);
    assert.match(finding.message, /reads container labels .* socket proxy/);
  });
});

describe('no-docker-socket across the merged project', () => {
  it('is cleared by an override that mounts something else at the same target', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          volumes:
            - /var/run/docker.sock:/var/run/docker.sock
    `, { files: { '/work/compose.override.yaml': 'services:\n  app:\n    volumes:\n      - ./fake:/var/run/docker.sock\n' } });
  });

  it('reports what the override file mounts when the override is linted', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          volumes:
            - /var/run/docker.sock:/var/run/docker.sock
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-docker-socket
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  app:\n    image: acme/app:1\n' } });
  });
});
