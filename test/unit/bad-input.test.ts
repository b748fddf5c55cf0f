import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { config, fakeFiles, file, service } from '../helpers/check';
import { LanguageService } from '../../server/src/service';
import { confinedFiles } from '../../server/src/files';
import { documentLines } from '../../server/src/text/lines';
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
  ['a lone CR inside a continued RUN (found by the fuzzer)', 'dockerfile', 'FROM debian:12\nRUN apt-get update \\\n    && rm -rf /var/lib\rapt/lists \\\n\n    && echo done\nRUN echo a \\\n\n  b\n'],
  ['a blank continuation line ended by a lone CR (found by the fuzzer)', 'dockerfile', 'FROM golang:1.22\nRUN --mount=type=cache,target=/x \\\n \r  go build\n# ignore\rCMD ["/app"]\n'],
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
  // Names built into patterns (found by the fuzzer): variables, files and delimiters with `[`, `*`, `(`.
  ['regular-expression characters in names', 'dockerfile', 'FROM golang:1.22\nARG BAL[v<k=1 *a=2 (x=3\nENV UPLOADS_DIR[=/u\nCOPY ["Gemfile",,>i", "package-lock[.json", "./"]\nCOPY package*.json ./\nRUN npm install && go build -o /app . && echo ${BAL[v<k} $*a\nRUN <<E[F\necho hi\nE[F\nCMD ["/app"]\n'],
  ['regular-expression characters in Compose names', 'compose', 'services:\n  "db[1":\n    image: postgres:16\n    environment:\n      "PASS(WORD": secret\n  web:\n    image: nginx:1.27\n    command: sh -c "echo $${PASS(WORD} db[1"\n    depends_on: ["db[1"]\n'],
];

describe('bad input never crashes or hangs the service', () => {
  for (const [name, kind, text] of cases) {
    it(name, () => {
      const source = file(text, kind);
      const document = TextDocument.create(source.uri, kind, 0, text);
      const findings = service.lint(source, config({ all: true }));
      const lines = documentLines(text);
      for (const f of findings) {
        assert.ok(document.offsetAt(f.range.start) <= document.offsetAt(f.range.end));
        assert.ok(f.range.end.line < Math.max(1, document.lineCount));
        // Inside its line, as the document counts lines (a lone CR ends one).
        for (const p of [f.range.start, f.range.end]) assert.ok(p.character <= (lines[p.line] ?? '').length, `${f.rule}: ${JSON.stringify(f.range)}`);
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

  it('a file past the size limits gets one analysis-limit diagnostic at once, and is linted when the limit is raised', () => {
    assert.ok(bigDockerfile.length > 5_000_000);
    for (const [text, kind] of [[bigDockerfile, 'dockerfile'], [bigCompose, 'compose']] as const) {
      const started = Date.now();
      const findings = service.lint(file(text, kind), config({ all: true }));
      assert.ok(Date.now() - started < 1000, `${kind}: ${Date.now() - started} ms`);
      assert.deepEqual(findings.map((f) => f.rule), ['analysis-limit']);
      assert.match(findings[0].message, /^File too large to analyse: \d+(\.\d)? MB > 2 MB limit/);
    }
    const raised = service.lint(file(bigDockerfile.slice(0, 100_000), 'dockerfile'), config({ limits: { maxFileSize: 10_000_000, maxLines: 100_000 } }));
    assert.ok(!raised.some((f) => f.rule === 'analysis-limit'));
  });
});

/** What an attacker (or an accident) can put in a workspace: each is bounded and explained. */
describe('hostile input', () => {
  const timed = (text: string, kind: DocumentKind, settings: Record<string, unknown> = {}, files?: ReturnType<typeof fakeFiles>, path?: string) => {
    const own = files ? new LanguageService({ docsBase: 'file:///docs', files }) : service;
    const started = Date.now();
    const before = process.memoryUsage().heapUsed;
    const findings = own.lint(file(text, kind, path), config(settings));
    const elapsed = Date.now() - started;
    const grown = (process.memoryUsage().heapUsed - before) / 1e6;
    assert.ok(elapsed < 3000, `${elapsed} ms`);
    assert.ok(grown < 200, `${grown.toFixed(0)} MB`);
    return findings;
  };

  it('a YAML alias bomb ("billion laughs") is one syntax error, counted without being expanded', () => {
    let text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    let previous = 'a';
    for (const name of 'bcdefghi') {
      text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    text += 'services:\n  web:\n    image: nginx:1.27\n    environment: *i\n';
    const findings = timed(text, 'compose');
    assert.deepEqual(findings.map((f) => f.rule), ['compose-syntax']);
    assert.match(findings[0].message, /alias bomb/);
  });

  it('a 10 MB file', () => {
    const text = 'FROM alpine:3.20\n' + `RUN echo ${'x'.repeat(1000)}\n`.repeat(10_100);
    const [finding] = timed(text, 'dockerfile');
    assert.equal(finding.message, 'File too large to analyse: 10.2 MB > 2 MB limit (setting `shipshape.limits.maxFileSize`).');
  });

  it('a file of NULs', () => {
    for (const kind of ['dockerfile', 'compose'] as const) {
      const findings = timed('\0'.repeat(100_000), kind);
      assert.deepEqual(findings.map((f) => f.rule), ['analysis-limit']);
      assert.match(findings[0].message, /NUL bytes/);
    }
  });

  it('invalid UTF-8 (decoded to U+FFFD) is linted as the text it decodes to, with a diagnostic', () => {
    const text = Buffer.from([...Buffer.from('FROM alpine:3.20\nRUN echo '), 0xc3, 0x28, 0xff, 0xfe, 0x0a]).toString('utf8');
    const findings = timed(text, 'dockerfile');
    assert.ok(findings.every((f) => f.range.start.line <= 2));
    const encoding = findings.find((f) => f.rule === 'valid-utf8');
    assert.deepEqual(encoding?.range.start, { line: 1, character: 9 });
    assert.match(encoding!.message, /3 U\+FFFD replacement characters/);
  });

  it('a 100,000-character line', () => {
    timed(`FROM alpine:3.20\nRUN echo ${'a'.repeat(100_000)}\n`, 'dockerfile');
    timed(`services:\n  web:\n    image: nginx:1.27\n    command: ${'a'.repeat(100_000)}\n`, 'compose');
  });

  it('100,000-character names and lines of `${` or escapes stay linear (found by the fuzzer)', () => {
    const cpu = (text: string, kind: DocumentKind) => {
      const started = process.cpuUsage();
      timed(text, kind);
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000;
    };
    const name = 'A'.repeat(100_000);
    // Each undefined name is compared with the names in scope for a "did you mean".
    assert.ok(cpu(`FROM scratch\nARG ABCDEF=1\nENV X=$${name}\nCOPY ${'${'.repeat(30_000)} /x\nWORKDIR /${'\\'.repeat(50_000)}a\n`, 'dockerfile') < 1000);
    assert.ok(cpu(`ARG A=a\nFROM alpine:3.20${'$A'.repeat(30_000)}\nCOPY a ${'\\ '.repeat(30_000)} /x\nCOPY b ${'\\\n#\n'.repeat(10_000)} /y\n`, 'dockerfile') < 1000);
    assert.ok(cpu(`services:\n  web:\n    image: nginx:1.27\n    ${name}: 1\n    build:\n      context: .\n      target: ${name}\n`, 'compose') < 1000);
    // A secret-in-URL pattern tried at every letter of a long value.
    assert.ok(cpu(`services:\n  web:\n    image: nginx:1.27\n    environment:\n      URL: ${'a'.repeat(100_000)}\n      DSN: x${'a'.repeat(50_000)}://\nx:\n  - ARG A=${'a'.repeat(100_000)}\n`, 'compose') < 1000);
    assert.ok(cpu(`FROM alpine:3.20\nENV URL=${'a'.repeat(100_000)} DSN=${'b'.repeat(50_000)}://\n`, 'dockerfile') < 1000);
  });

  it('a Dockerfile of 50,000 RUN lines gets the line limit; raised, it is linted in bounded time', () => {
    const text = 'FROM alpine:3.20\n' + 'RUN echo hi\n'.repeat(50_000);
    const [finding] = timed(text, 'dockerfile');
    assert.equal(finding.message, 'File too long to analyse: more than 20,000 lines (setting `shipshape.limits.maxLines`).');
  });

  it('deep YAML nesting is refused before the parser runs', () => {
    const findings = timed(`services:\n  web:\n    image: nginx:1.27\n    x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'compose');
    assert.deepEqual(findings.map((f) => f.rule), ['analysis-limit']);
    assert.match(findings[0].message, /nest 5,000 levels deep/);
  });

  it('circular extends across files ends, with a diagnostic', () => {
    const files = fakeFiles({
      '/w/compose.yaml': '',
      '/w/a.yaml': 'services:\n  a:\n    extends:\n      file: compose.yaml\n      service: web\n',
    });
    const text = 'services:\n  web:\n    image: nginx:1.27\n    extends:\n      file: a.yaml\n      service: a\n  self:\n    extends: self\n';
    const loops = timed(text, 'compose', {}, files, '/w/compose.yaml').filter((f) => f.rule === 'extends-valid');
    assert.deepEqual(loops.map((f) => f.range.start.line), [5, 7]);
    assert.match(loops[0].message, /circular reference/);
  });

  it('an extends file outside the workspace is not read', () => {
    const read: string[] = [];
    const disk = fakeFiles({ '/outside/base.yaml': 'services:\n  base:\n    image: nginx:1.27\n    privileged: true\n' });
    const spy = { read: (p: string) => (read.push(p), disk.read(p)), exists: (p: string) => (read.push(p), disk.exists(p)) };
    const text = 'services:\n  web:\n    extends:\n      file: ../outside/base.yaml\n      service: base\n';
    timed(text, 'compose', {}, confinedFiles(spy, () => ['/w']), '/w/compose.yaml');
    assert.ok(!read.some((p) => p.startsWith('/outside')), read.join(', '));
  });
});
