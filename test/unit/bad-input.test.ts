import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { config, file, service } from '../helpers/check';
import type { DocumentKind } from '../../server/src/rules/types';

const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString('utf8');
const invalidUtf8 = Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x0a, 0x52, 0x55, 0x4e, 0x20, 0xe2, 0x82]).toString('utf8');
const bigDockerfile = 'FROM debian:12\n' + Array.from({ length: 120_000 }, (_, i) => `RUN echo line ${i} && apt-get install -y pkg${i}\n`).join('');
const bigCompose = 'services:\n' + Array.from({ length: 40_000 }, (_, i) => `  s${i}:\n    image: app:${i}\n    depends_on: [s${i + 1}]\n`).join('');

const cases: [string, DocumentKind, string][] = [
  ['empty Dockerfile', 'dockerfile', ''],
  ['whitespace only', 'dockerfile', '\n\n   \n'],
  ['prose, not a Dockerfile', 'dockerfile', 'Hello, this is a README.\nIt has words: FROM nowhere.\n'],
  ['unterminated heredoc', 'dockerfile', 'FROM alpine:3.20\nRUN <<EOF\necho never closed\n'],
  ['invalid JSON in exec form', 'dockerfile', 'FROM alpine:3.20\nCMD ["a", \nENTRYPOINT [\'x\'\n'],
  ['only ARGs and a dangling continuation', 'dockerfile', 'ARG A=1\nARG B\nRUN echo \\'],
  ['escape directive and CRLF', 'dockerfile', '# escape=`\r\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\r\nRUN dir `\r\n  C:\\\r\n'],
  ['binary junk as Dockerfile', 'dockerfile', junk],
  ['invalid UTF-8 as Dockerfile', 'dockerfile', invalidUtf8],
  ['empty Compose file', 'compose', ''],
  ['YAML syntax error', 'compose', 'services:\n  web:\n    image: [unclosed\n  db: {\n'],
  ['Compose file that is a list', 'compose', '- a\n- b\n'],
  ['Compose file that is a scalar', 'compose', '42\n'],
  ['services that is a list', 'compose', 'services:\n  - web\n  - db\n'],
  ['service that is a scalar', 'compose', 'services:\n  web: nginx\n  db:\n'],
  ['depends_on of odd shapes', 'compose', 'services:\n  web:\n    depends_on: 3\n  api:\n    depends_on: [[a], {b: c}, null]\n  x:\n    depends_on:\n      y: 1\n  y:\n    image: postgres\n'],
  ['recursive aliases and merge keys', 'compose', 'x: &a\n  <<: *a\nservices:\n  web:\n    <<: [*a, *a]\n    image: *a\n'],
  ['undefined alias', 'compose', 'services:\n  web: *nope\n'],
  ['tabs and a BOM', 'compose', '\ufeffservices:\n\tweb:\n\t\timage: x\n'],
  ['binary junk as Compose', 'compose', junk],
  ['invalid UTF-8 as Compose', 'compose', invalidUtf8],
  ['deep nesting', 'compose', 'services:\n  web:\n    x: ' + '['.repeat(500) + ']'.repeat(500) + '\n'],
];

describe('bad input never crashes or hangs the service', () => {
  for (const [name, kind, text] of cases) {
    it(name, () => {
      const source = file(text, kind);
      const document = TextDocument.create(source.uri, kind, 0, text);
      const findings = service.lint(source, config({ all: true }));
      for (const f of findings) {
        assert.ok(document.offsetAt(f.range.start) <= document.offsetAt(f.range.end));
        assert.ok(f.range.end.line < Math.max(1, document.lineCount));
        const diagnostic = service.toDiagnostic(f);
        service.codeActions(source, config({ all: true }), [diagnostic]);
      }
      service.fixAll(source, config({ all: true }));
      for (let line = 0; line < Math.min(document.lineCount, 5); line++) {
        service.hover(source, { line, character: 2 });
        service.complete(source, { line, character: 2 });
      }
    });
  }

  it('a YAML syntax error is one diagnostic at its position', () => {
    const findings = service.lint(file('services:\n  web:\n    image: nginx:1\n     ports: [80\n', 'compose'), config());
    assert.equal(findings.length, 1);
    assert.equal(findings[0].rule, 'compose-syntax');
    // The parser notices the problem where `image:`'s value runs into the over-indented line.
    assert.equal(findings[0].range.start.line, 2);
  });

  it('lints a 5 MB Dockerfile and a 40,000-service Compose file in bounded time', () => {
    assert.ok(bigDockerfile.length > 5_000_000);
    for (const [text, kind] of [[bigDockerfile, 'dockerfile'], [bigCompose, 'compose']] as const) {
      const started = Date.now();
      service.lint(file(text, kind), config({ all: true }));
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 15_000, `${kind}: ${elapsed} ms`);
    }
  });
});
