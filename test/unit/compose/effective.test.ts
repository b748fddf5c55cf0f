import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCompose } from '../../../server/src/compose/parse';
import { buildProject } from '../../../server/src/compose/project';
import { effectiveServices } from '../../../server/src/compose/effective';
import capDropAll from '../../../server/src/rules/compose/cap-drop-all';
import noNewPrivileges from '../../../server/src/rules/compose/no-new-privileges';
import { applyFix, dedent, fakeFiles } from '../../helpers/check';

const effective = (text: string, files: Record<string, string> = {}) => {
  const compose = parseCompose(TextDocument.create('file:///work/compose.yaml', 'dockercompose', 0, dedent(text)));
  const all = effectiveServices(buildProject(compose, '/work/compose.yaml', fakeFiles(files)));
  return Object.fromEntries([...all].map(([name, json]) => [name, JSON.parse(json) as unknown]));
};

describe('Compose effective configuration', () => {
  it('resolves anchors, merge keys (own keys win) and extends, in merge order', () => {
    assert.deepEqual(effective(`
      x-base: &base
        image: acme/app:1
        environment: { A: "1" }
      services:
        web:
          <<: *base
          environment: { B: "2" }
        worker:
          extends: web
          command: work
    `), {
      web: { image: 'acme/app:1', environment: { B: '2' } },
      worker: { image: 'acme/app:1', environment: { B: '2' }, extends: 'web', command: 'work' },
    });
  });

  it('merges the override file: mappings key by key, sequences appended, !reset removes', () => {
    assert.deepEqual(effective(`
      services:
        web:
          image: acme/app:1
          ports: ["80:80"]
          environment: { A: "1" }
    `, { '/work/compose.override.yaml': 'services:\n  web:\n    ports: ["443:443"]\n    environment: !reset {}\n' }), {
      web: { image: 'acme/app:1', ports: ['80:80', '443:443'] },
    });
  });
});

describe('Compose fixes change their own service only', () => {
  it('withdraws a fix that would change a service extending the finding\'s one', () => {
    assert.equal(applyFix(capDropAll, 'compose', `
      services:
        base:
          image: acme/app:1
        worker:
          extends: base
          cap_drop: [ALL]
    `), undefined);
  });

  it('withdraws a fix that would change the services merging the finding\'s one (netbox-docker)', () => {
    assert.equal(applyFix(noNewPrivileges, 'compose', `
      services:
        netbox: &netbox
          image: netboxcommunity/netbox:v4
        netbox-worker:
          <<: *netbox
          command: rqworker
    `), undefined);
  });

  it('keeps a fix whose edit stays in the service', () => {
    assert.match(applyFix(capDropAll, 'compose', `
      services:
        web:
          image: acme/app:1
        worker:
          image: acme/app:1
          cap_drop: [ALL]
    `)!.text, /web:\n {4}image: acme\/app:1\n {4}cap_drop: \[ALL\]\n {2}worker:/);
  });
});
