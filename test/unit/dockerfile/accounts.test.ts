import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { accountsCreated } from '../../../server/src/dockerfile/accounts';
import type { Family } from '../../../server/src/dockerfile/system';

const created = (run: string, family: Family | null) => {
  const model = parseDockerfile(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, `FROM x\nARG NAME=svc\n${run}\n`));
  return accountsCreated(model, model.stages[0], family).map((a) => `${a.kind}:${a.name}${a.tolerant ? '?' : ''}`);
};

describe('accounts created by RUN commands', () => {
  it('reads shadow-utils: useradd creates a group of its name unless given one', () => {
    assert.deepEqual(created('RUN groupadd -r -g 1000 app && useradd -r -g app -s /bin/false app', 'debian'), ['group:app', 'user:app']);
    assert.deepEqual(created('RUN useradd --system --uid 1001 web', 'debian'), ['user:web', 'group:web']);
    assert.deepEqual(created('RUN groupadd -f docker', 'debian'), ['group:docker?']);
  });

  it('reads BusyBox adduser/addgroup, where two names add a user to a group', () => {
    assert.deepEqual(created('RUN addgroup -S app && adduser -S -G app app && addgroup app wheel', 'alpine'), ['group:app', 'user:app']);
    assert.deepEqual(created('RUN adduser -D -h /home/dev dev', 'alpine'), ['user:dev', 'group:dev']);
  });

  it('reads Debian adduser: --system --group, --ingroup, and adduser --group as addgroup', () => {
    assert.deepEqual(created('RUN adduser --system --group --no-create-home app', 'debian'), ['user:app', 'group:app']);
    assert.deepEqual(created('RUN adduser --disabled-password --gecos "" --ingroup staff dev', 'debian'), ['user:dev']);
    assert.deepEqual(created('RUN adduser --group web && adduser dev web', 'debian'), ['group:web']);
  });

  it('expands build-arg defaults and keeps unknown names as null', () => {
    assert.deepEqual(created('RUN useradd -g users $NAME && useradd -g users "$OTHER"', 'debian'), ['user:svc', 'user:null']);
  });
});
