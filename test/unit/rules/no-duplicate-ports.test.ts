import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-duplicate-ports';
import { parseShortPort } from '../../../server/src/compose/ports';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-duplicate-ports', () => {
  it('parses the short syntax as Docker does', () => {
    assert.deepEqual(parseShortPort('8080:80'), { hostIp: null, host: [8080, 8080], container: [80, 80], protocol: 'tcp' });
    assert.deepEqual(parseShortPort('127.0.0.1:5000-5010:5000-5010'), { hostIp: '127.0.0.1', host: [5000, 5010], container: [5000, 5010], protocol: 'tcp' });
    assert.deepEqual(parseShortPort('[::1]:6001:6001'), { hostIp: '::1', host: [6001, 6001], container: [6001, 6001], protocol: 'tcp' });
    assert.deepEqual(parseShortPort('::1:6000:6000'), { hostIp: '::1', host: [6000, 6000], container: [6000, 6000], protocol: 'tcp' });
    assert.deepEqual(parseShortPort('53:53/udp'), { hostIp: null, host: [53, 53], container: [53, 53], protocol: 'udp' });
    assert.deepEqual(parseShortPort('3000'), { hostIp: null, host: null, container: [3000, 3000], protocol: 'tcp' });
    assert.equal(parseShortPort('http'), null);
  });

  it('flags a host port published twice, on the later entry', () => check(`
    services:
      web:
        image: acme/web:1
        ports:
          - "8080:80"
      admin:
        image: acme/admin:1
        ports:
          - "8080:8080"
            ~~~~~~~~~~~ no-duplicate-ports
          - "9000-9001:9000-9001"
      api:
        image: acme/api:1
        ports:
          - target: 9001
            published: 9001
                       ~~~~ no-duplicate-ports
  `));

  it('flags every interface against one address, and a port twice in one service', () => check(`
    services:
      web:
        image: acme/web:1
        ports:
          - "127.0.0.1:3000:3000"
          - "3001:3000"
      docs:
        image: acme/docs:1
        ports:
          - "3000:80"
            ~~~~~~~~~ no-duplicate-ports
          - "127.0.0.1:3001:81"
            ~~~~~~~~~~~~~~~~~~~ no-duplicate-ports
  `));

  it('accepts other addresses, protocols, ephemeral and flexible ranges, and alternatives in profiles', () => check(`
    services:
      dns:
        image: acme/dns:1
        ports:
          - "53:53/udp"
          - "53:53/tcp"
          - "127.0.0.1:8080:80"
          - "8000-8010:80"
          - "3000"
      other:
        image: acme/other:1
        ports:
          - "127.0.0.2:8080:80"
          - "[::1]:8080:80"
          - "8005:80"
          - "3000"
      app-dev:
        image: acme/app:1
        profiles: [dev]
        ports:
          - "9000:9000"
      app-prod:
        image: acme/app:1
        profiles: [prod]
        ports:
          - "9000:9000"
      host:
        image: acme/host:1
        network_mode: host
        ports:
          - "53:53/udp"
      off:
        image: acme/off:1
        scale: 0
        ports:
          - "53:53/udp"
      maybe:
        image: acme/maybe:1
        ports:
          - "\${PORT}:53/udp"
  `));

  it('judges interpolated ports by their defaults', () => check(`
    services:
      a:
        image: acme/a:1
        ports:
          - "\${A_PORT:-8080}:80"
      b:
        image: acme/b:1
        ports:
          - "\${B_PORT:-8080}:80"
            ~~~~~~~~~~~~~~~~~~~~ no-duplicate-ports
  `));

  it('names both services in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          ports: ["80:80"]
        proxy:
          ports: ["80:8080"]
    `));
    assert.match(finding.message, /`proxy` publishes host port 80 \(`"80:8080"`\), which `web` already publishes \(`"80:80"`\)/);
  });
});

describe('no-duplicate-ports across the merged project', () => {
  it('flags a port the override file adds against the base file, in the override', () => {
    checkRule(rule, 'compose', `
      services:
        admin:
          image: acme/admin:1
          ports:
            - "8080:80"
              ~~~~~~~~~ no-duplicate-ports
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  web:\n    image: acme/web:1\n    ports:\n      - "8080:80"\n' } });
  });

  it('does not count a port the override repeats for the same service', () => {
    checkRule(rule, 'compose', 'services:\n  web:\n    image: acme/web:1\n    ports:\n      - "8080:80"\n', {
      files: { '/work/compose.override.yaml': 'services:\n  web:\n    ports:\n      - "8080:80"\n' },
    });
  });
});
