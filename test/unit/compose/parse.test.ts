import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCompose } from '../../../server/src/compose/parse';
import { dedent } from '../../helpers/check';

const parse = (text: string, env: [string, string][] = []) =>
  parseCompose(TextDocument.create('file:///compose.yaml', 'dockercompose', 0, dedent(text)), new Map(env));

describe('Compose model', () => {
  it('ends a node before YAML white space only, not before a U+FEFF or a lone CR (found by the fuzzer)', () => {
    const end = (text: string) => {
      const model = parseCompose(TextDocument.create('file:///c.yaml', 'dockercompose', 0, text));
      return model.endOf(model.root!);
    };
    assert.equal(end('a: b  \r\n\n'), 4);
    assert.equal(end('a: b\uFEFF\n'), 5);
    assert.equal(end('a: b\r'), 5);
  });

  it('lists services with their mappings and key ranges', () => {
    const model = parse(`
      services:
        web:
          image: nginx:1.27
        worker: null
    `);
    assert.deepEqual(model.services.map((s) => [s.name, s.node !== null]), [['web', true], ['worker', false]]);
    assert.deepEqual(model.rangeOf(model.services[0].keyNode), { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
  });

  it('resolves anchors and merge keys, own keys winning, values ranged where written', () => {
    const model = parse(`
      x-common: &common
        restart: always
        image: base:1
      x-more: &more
        logging: {driver: local}
      services:
        api:
          <<: [*common, *more]
          image: api:2
    `);
    const api = model.services[0].node;
    assert.equal(model.text(model.get(api, 'image')?.value), 'api:2');
    assert.equal(model.text(model.get(api, 'restart')?.value), 'always');
    assert.equal(model.rangeOf(model.get(api, 'restart')!.value!).start.line, 1, 'merged value points into the anchor');
    assert.ok(model.get(api, 'logging'));
    assert.deepEqual(model.entries(api).map((e) => e.key), ['image', 'restart', 'logging']);
  });

  it('interpolates ${VAR:-default}, $$ and known variables; unknown ones give null', () => {
    const model = parse(`
      services:
        a:
          image: "nginx:\${TAG:-1.27}"
          command: echo $$HOME
          user: \${UID}
          working_dir: \${ROOT:?set ROOT}/app
    `, [['UID', '1000']]);
    const a = model.services[0].node;
    assert.equal(model.text(model.get(a, 'image')?.value), 'nginx:1.27');
    assert.equal(model.text(model.get(a, 'command')?.value), 'echo $HOME');
    assert.equal(model.text(model.get(a, 'user')?.value), '1000');
    assert.equal(model.text(model.get(a, 'working_dir')?.value), null);
  });

  it('reports duplicate keys in linear time', () => {
    const many = 'services:\n' + Array.from({ length: 20000 }, (_, i) => `  s${i}:\n    image: a:1\n`).join('') + '  s0:\n    image: b:1\n';
    const started = Date.now();
    const model = parseCompose(TextDocument.create('file:///c.yaml', 'dockercompose', 0, many));
    assert.equal(model.problems.length, 1);
    assert.match(model.problems[0].message, /`s0` is already set/);
    assert.ok(Date.now() - started < 5000);
  });
});
