import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-host-namespaces';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-host-namespaces', () => {
  it('flags each host namespace on the key and value', () => check(`
    services:
      agent:
        image: acme/agent:1
        network_mode: host
        ~~~~~~~~~~~~~~~~~~ no-host-namespaces
        pid: "host"
        ~~~~~~~~~~~ no-host-namespaces
        ipc: host
        ~~~~~~~~~ no-host-namespaces
        uts: host
        ~~~~~~~~~ no-host-namespaces
        userns_mode: host
        ~~~~~~~~~~~~~~~~~ no-host-namespaces
  `));

  it('accepts private and shared-with-a-service namespaces', () => check(`
    services:
      app:
        image: acme/app:1
        ipc: shareable
      sidecar:
        image: acme/sidecar:1
        network_mode: "service:app"
        pid: "service:app"
        ipc: "service:app"
      other:
        image: acme/other:1
        network_mode: bridge
  `));

  it('reads interpolation defaults and skips unknown variables', () => check(`
    services:
      a:
        image: acme/a:1
        network_mode: \${NET_MODE:-host}
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-host-namespaces
      b:
        image: acme/b:1
        network_mode: \${NET_MODE}
  `));

  it('says what the container sees', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        exporter:
          image: acme/exporter:1
          pid: host
    `));
    assert.match(finding.message, /`pid: host` gives `exporter` every process on the host/);
  });

  it('fix: removes pid, ipc, uts or userns_mode, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          pid: host
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  app:\n    image: acme/app:1\n    restart: always\n');
  });

  it('offers no fix for network_mode: host, which needs ports written instead', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          network_mode: host
    `), undefined);
  });
});

describe('no-host-namespaces across the merged project', () => {
  it('is cleared by an override that sets another mode', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          network_mode: host
    `, { files: { '/work/compose.override.yaml': 'services:\n  app:\n    network_mode: bridge\n' } });
  });
});
