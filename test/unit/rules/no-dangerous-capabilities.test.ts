import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/no-dangerous-capabilities';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-dangerous-capabilities', () => {
  it('flags each capability that reaches the host, in any spelling', () => check(`
    services:
      vpn:
        image: acme/vpn:1.2
        cap_add:
          - NET_ADMIN
            ~~~~~~~~~ no-dangerous-capabilities
          - cap_sys_module
            ~~~~~~~~~~~~~~ no-dangerous-capabilities
          - CHOWN
      debug:
        image: acme/debug:1.2
        cap_add: [CAP_SYS_PTRACE, all]
                  ~~~~~~~~~~~~~~ no-dangerous-capabilities
                                  ~~~ no-dangerous-capabilities
  `));

  it("accepts Docker's default capabilities added back after dropping them all", () => check(`
    services:
      web:
        image: acme/web:1.2
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE, NET_RAW, CHOWN, SETUID, SETGID]
      db:
        image: postgres:16.4
        cap_add: [SYS_NICE, IPC_LOCK]
  `));

  it('reads interpolation defaults and skips unknown variables', () => check(`
    services:
      a:
        image: acme/a:1
        cap_add: ["\${EXTRA_CAP:-SYS_ADMIN}", "\${OTHER_CAP}"]
                  ~~~~~~~~~~~~~~~~~~~~~~~~~ no-dangerous-capabilities
  `));

  it('reports a list shared through an anchor once, where it is written', () => check(`
    x-caps: &caps
      cap_add:
        - SYS_ADMIN
          ~~~~~~~~~ no-dangerous-capabilities
    services:
      a:
        <<: *caps
        image: acme/a:1
      b:
        <<: *caps
        image: acme/b:1
  `));

  it('names the service, the capability and what it allows', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        agent:
          image: acme/agent:1
          cap_add: [SYS_ADMIN]
    `));
    assert.match(finding.message, /`cap_add` gives `agent` `SYS_ADMIN`: mounts, namespaces/);
  });

  it("says NET_ADMIN reaches the host only with `network_mode: host`; in the service's own network namespace it is an info", () => {
    const [bridged] = findingsOf(rule, 'compose', dedent(`
      services:
        vpn:
          image: acme/vpn:1
          cap_add: [NET_ADMIN]
    `));
    assert.equal(bridged.severity, 'info');
    assert.match(bridged.message, /^`cap_add` gives `vpn` `NET_ADMIN`: it can reconfigure the interfaces, routes and firewall rules of its own network namespace, not the host's/);
    assert.doesNotMatch(bridged.message, /compromise of the host/);
    const [shared] = findingsOf(rule, 'compose', dedent(`
      services:
        vpn:
          image: acme/vpn:1
        app:
          image: acme/app:1
          network_mode: "service:vpn"
          cap_add: [NET_ADMIN]
    `));
    assert.match(shared.message, /of the network namespace it shares with `vpn`, not the host's/);
    const [host] = findingsOf(rule, 'compose', dedent(`
      services:
        dhcp:
          image: acme/dhcp:1
          network_mode: host
          cap_add: [NET_ADMIN]
    `));
    assert.equal(host.severity, 'warning');
    assert.match(host.message, /^`cap_add` gives `dhcp` `NET_ADMIN` on the host's network \(`network_mode: host`\): reconfiguring the host's interfaces, routes and firewall rules and sniffing all its traffic, so a compromise of the service can become a compromise of the host;/);
  });

  it('fix: removes the item from a block list, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        vpn:
          image: acme/vpn:1.2
          cap_add:
            - NET_ADMIN # needed for the tunnel
            - CHOWN
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Remove `NET_ADMIN` from `cap_add`');
    assert.equal(fixed?.text, dedent(`
      services:
        vpn:
          image: acme/vpn:1.2
          cap_add:
            - CHOWN
          restart: always
    `));
  });

  it('fix: removes the whole key with its last item, and an item of a flow list', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        a:
          image: acme/a:1
          cap_add:
            - SYS_ADMIN
          restart: always
    `)?.text, 'services:\n  a:\n    image: acme/a:1\n    restart: always\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        a:
          image: acme/a:1
          cap_add: [CHOWN, SYS_ADMIN, KILL]
    `)?.text, 'services:\n  a:\n    image: acme/a:1\n    cap_add: [CHOWN, KILL]\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        a:
          image: acme/a:1
          cap_add: [SYS_ADMIN, KILL]
    `)?.text, 'services:\n  a:\n    image: acme/a:1\n    cap_add: [KILL]\n');
  });

  it('offers no fix for a list shared through an anchor', () => {
    assert.equal(applyFix(rule, 'compose', `
      x-caps: &caps [SYS_ADMIN]
      services:
        a:
          image: acme/a:1
          cap_add: *caps
    `), undefined);
  });
});

describe('no-dangerous-capabilities across the merged project', () => {
  it('reports each file its own items (cap_add lists are appended)', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          cap_add: [SYS_PTRACE]
                    ~~~~~~~~~~ no-dangerous-capabilities
    `, { files: { '/work/compose.override.yaml': 'services:\n  app:\n    cap_add: [NET_ADMIN]\n' } });
    checkRule(rule, 'compose', `
      services:
        app:
          cap_add: [NET_ADMIN]
                    ~~~~~~~~~ no-dangerous-capabilities
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  app:\n    image: acme/app:1\n    cap_add: [SYS_PTRACE]\n' } });
  });

  it('is cleared by an override that resets the list', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          cap_add: [SYS_PTRACE]
    `, { files: { '/work/compose.override.yaml': 'services:\n  app:\n    cap_add: !reset []\n' } });
  });
});
