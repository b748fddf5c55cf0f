import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { accountAt } from '../../../server/src/dockerfile/users';
import { dedent } from '../../helpers/check';

/** The account of `user` at the last instruction of the text. */
function account(text: string, user: string) {
  const model = parseDockerfile(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, dedent(text)));
  return accountAt(model, model.instructions[model.instructions.length - 1], user);
}

describe('user accounts', () => {
  it('reads useradd: clustered options, the default home, the id of a group made before', () => {
    assert.deepEqual(account(`
      FROM debian:12
      RUN groupadd --gid 2000 web && useradd -ms /bin/bash -u 2000 -g web frappe
      USER frappe
    `, 'frappe'), { home: '/home/frappe', uid: '2000', gid: '2000' });
    assert.deepEqual(account(`
      FROM debian:12
      ARG UID=1001
      RUN useradd --uid=$UID --home-dir=/srv/app --no-create-home app
      USER app
    `, 'app'), { home: '/srv/app', uid: '1001', gid: null });
  });

  it("reads BusyBox's and Debian's adduser; a system account's default home is not known", () => {
    assert.deepEqual(account('FROM alpine:3.20\nRUN addgroup -g 70 pg && adduser -D -S -G pg -u 70 -h /var/lib/pg pg\nUSER pg\n', 'pg'), { home: '/var/lib/pg', uid: '70', gid: '70' });
    assert.deepEqual(account('FROM debian:12\nRUN adduser --system --uid 999 svc\nUSER svc\n', 'svc'), { home: null, uid: '999', gid: null });
    assert.deepEqual(account('FROM debian:12\nRUN adduser --disabled-password --gecos "" dev\nUSER dev\n', 'dev'), { home: '/home/dev', uid: null, gid: null });
  });

  it("knows the official node image's user, a numeric user, and nothing of a user made elsewhere", () => {
    assert.deepEqual(account('FROM node:20-slim\nUSER node\n', 'node'), { home: '/home/node', uid: '1000', gid: '1000' });
    assert.deepEqual(account('FROM debian:12\nUSER 10001\n', '10001'), { home: null, uid: '10001', gid: null });
    assert.equal(account('FROM example.com/base:1\nUSER app\n', 'app'), null);
    // Only what runs before the instruction counts.
    assert.equal(account('FROM debian:12\nUSER app\nRUN useradd -u 5 app\n', 'app'), null);
  });
});
