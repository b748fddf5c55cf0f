import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument, type YAMLMap } from 'yaml';
import { parseCompose } from '../../../server/src/compose/parse';
import { appendToMap, contentFollows } from '../../../server/src/compose/edit';
import { addSequenceItem } from '../../../server/src/compose/hardening';

const model = (text: string) => parseCompose(TextDocument.create('file:///compose.yaml', 'dockercompose', 0, text));
const apply = (text: string, edit: { range: { start: { line: number; character: number } }; newText: string }) => {
  const document = TextDocument.create('file:///compose.yaml', 'dockercompose', 0, text);
  return TextDocument.applyEdits(document, [{ range: { start: edit.range.start, end: edit.range.start }, newText: edit.newText }]);
};

describe('Compose edits', () => {
  it('appends a key after the last line of a service', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27 # pinned\n  db:\n    image: postgres:16\n';
    const compose = model(text);
    const edit = appendToMap(compose, compose.services[0].node, ['read_only: true'])!;
    const fixed = apply(text, edit);
    assert.equal(fixed, 'services:\n  web:\n    image: nginx:1.27 # pinned\n    read_only: true\n  db:\n    image: postgres:16\n');
  });

  it('appends nothing when the parser dropped text the mapping should own (found by the fuzzer)', () => {
    // `- ef` is less indented than the `? - postgres` key it continues: the yaml library drops it
    // without an error, and a key inserted between the two would make the file unreadable.
    const text = 'services:\n  postgres:\n    image: postgres:16\n    profiles:\n    ?   - postgres\n      - ef\n\n  mysql:\n    image: mysql:8\n';
    const compose = model(text);
    assert.equal(compose.problems.length, 0, 'the parser reports nothing');
    assert.equal(appendToMap(compose, compose.services[0].node, ['cap_drop: [ALL]']), undefined);
    // The next service is fine.
    const edit = appendToMap(compose, compose.services[1].node, ['cap_drop: [ALL]'])!;
    assert.equal(parseDocument(apply(text, edit).replace('      - ef\n', '')).errors.length, 0);
  });

  it('adds an item to a block list, also one written at its key\'s own column', () => {
    for (const text of ['services:\n  web:\n    cap_add:\n      - NET_ADMIN\n    image: nginx:1.27\n', 'services:\n  web:\n    cap_add:\n    - NET_ADMIN\n    image: nginx:1.27\n']) {
      const compose = model(text);
      const edit = addSequenceItem(compose, compose.services[0].node as YAMLMap, 'cap_add', 'SYS_TIME')!;
      assert.ok(edit, text);
      const fixed = apply(text, edit);
      assert.deepEqual(parseDocument(fixed).toJS().services.web.cap_add, ['NET_ADMIN', 'SYS_TIME']);
    }
  });

  it('finds the text after a block by its indentation, past blank lines, comments and document markers', () => {
    const text = 'a:\n  b: 1\n\n    # a comment\n---\n  c: 2\n';
    assert.equal(contentFollows(text, text.indexOf('b: 1') + 4, 2), true, 'c is at column 2');
    assert.equal(contentFollows(text, text.indexOf('b: 1') + 4, 3), false);
    assert.equal(contentFollows('a:\n  b: 1\n', 9, 2), false, 'nothing follows');
    assert.equal(contentFollows('a:\r  b: 1\rc: 2\r', 9, 2), false, 'lone CRs end lines');
  });
});
