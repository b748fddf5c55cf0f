import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unquoteWord } from '../../../server/src/dockerfile/copyArguments';

describe('COPY/ADD words as Docker reads them', () => {
  it('removes quotes, keeps a single-quoted $ literal, and leaves unterminated quotes as written', () => {
    assert.equal(unquoteWord('"file.tgz"', '\\'), 'file.tgz');
    assert.equal(unquoteWord("'a b'/c", '\\'), 'a b/c');
    assert.equal(unquoteWord("'$HOME'", '\\'), '\\$HOME');
    assert.equal(unquoteWord("'$HOME'", '`'), '`$HOME');
    assert.equal(unquoteWord('"say \\"hi\\""', '\\'), 'say "hi"');
    assert.equal(unquoteWord('"open', '\\'), '"open');
    assert.equal(unquoteWord('plain', '\\'), 'plain');
  });
});
