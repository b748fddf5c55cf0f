import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandVariables } from '../../../server/src/text/variables';
import { parseImageRef } from '../../../server/src/text/image';

describe('variable expansion', () => {
  const vars = new Map<string, string | null>([['A', 'a'], ['EMPTY', ''], ['UNSET', null]]);
  const cases: [string, string | null][] = [
    ['$A-${A}', 'a-a'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${NOPE:-x${A}}', 'xa'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${UNSET}', null],
    ['${NOPE}', null],
    ['${A:?must}', 'a'],
    ['${NOPE:?must}', null],
    ['\\$A', '$A'],
    ['${unclosed', null],
    ['cost: $5', 'cost: $5'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(expandVariables(input, vars), expected));

  it('compose syntax: $$ is a literal dollar', () => {
    assert.equal(expandVariables('$$A $A', vars, { syntax: 'compose' }), '$A a');
  });
});

describe('image references', () => {
  it('splits registry, repository, tag and digest', () => {
    assert.deepEqual(parseImageRef('node:20'), { registry: null, repository: 'node', name: 'node', tag: '20', digest: null });
    assert.deepEqual(parseImageRef('localhost:5000/a/b'), { registry: 'localhost:5000', repository: 'a/b', name: 'b', tag: null, digest: null });
    assert.deepEqual(parseImageRef('ghcr.io/o/r:1@sha256:abc'), { registry: 'ghcr.io', repository: 'o/r', name: 'r', tag: '1', digest: 'sha256:abc' });
    assert.equal(parseImageRef('bitnami/redis')!.registry, null);
    assert.equal(parseImageRef('two words'), null);
    assert.equal(parseImageRef(''), null);
    assert.equal(parseImageRef('busybox:'), null, 'an empty tag is no reference');
    assert.equal(parseImageRef('alpine@'), null, 'nor is an empty digest');
  });
});
