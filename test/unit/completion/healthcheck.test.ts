import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { config, dedent, fakeFiles } from '../../helpers/check';
import type { DocumentKind } from '../../../server/src/rules/types';

/** Completes at the `|` in the text, as the editor would. */
function complete(kind: DocumentKind, annotated: string, files: Record<string, string> = {}): CompletionItem[] {
  const text = dedent(annotated);
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const before = clean.slice(0, offset).split('\n');
  const service = new LanguageService({ docsBase: 'file:///docs/rules', files: fakeFiles(files) });
  const uri = kind === 'dockerfile' ? 'file:///work/Dockerfile' : 'file:///work/compose.yaml';
  // Only the image-fitted healthcheck items: Compose completion also lists the schema's other keys (test/lsp/compose-features.test.ts).
  return service.complete({ uri, text: clean, kind }, { line: before.length - 1, character: before[before.length - 1].length }).filter((i) => /^healthcheck /i.test(i.label));
}

const newText = (item: CompletionItem | undefined) => (item?.textEdit as TextEdit | undefined)?.newText ?? '';
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe('healthcheck completions: Dockerfile', () => {
  it('offers what the final stage\'s base ships, best first, with the EXPOSEd port', () => {
    const items = complete('dockerfile', `
      FROM python:3.12 AS build
      RUN pip wheel -w /wheels .
      FROM python:3.12-slim
      EXPOSE 8000
      HEALTH|
      CMD ["gunicorn", "app:app"]
    `);
    assert.deepEqual(labels(items), ['HEALTHCHECK with python -c']);
    assert.match(newText(items[0]), /urlopen\('http:\/\/localhost:\$\{5:8000\}\/\$\{6:health\}', timeout=5\)/);
    assert.equal(items[0].detail, 'fits python:3.12-slim');
  });

  it('knows curl that the Dockerfile installs', () => {
    const items = complete('dockerfile', `
      FROM debian:bookworm-slim
      RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
      HEALTHCHECK |
    `);
    assert.deepEqual(labels(items), ['HEALTHCHECK with curl']);
    assert.ok(newText(items[0]).startsWith('--interval=${1:30s}'), 'completes after the keyword without repeating it');
  });

  it('offers the app\'s own binary on scratch', () => {
    const items = complete('dockerfile', `
      FROM scratch
      COPY app /usr/local/bin/app
      ENTRYPOINT ["/usr/local/bin/app"]
      hea|
    `);
    assert.deepEqual(labels(items), ["HEALTHCHECK with the app's own binary"]);
    assert.match(newText(items[0]), /CMD \["\$\{5:\/usr\/local\/bin\/app\}", "\$\{6:healthcheck\}"\]/);
  });

  it('stays quiet elsewhere', () => {
    assert.deepEqual(complete('dockerfile', 'FROM alpine:3.20\nRUN hea|\n'), []);
    assert.deepEqual(complete('dockerfile', 'FROM alpine:3.20\nCO|\n'), []);
  });
});

describe('healthcheck completions: Compose', () => {
  it('offers the readiness probe of a known image, at the indentation of the file', () => {
    const items = complete('compose', `
      services:
          cache:
              image: valkey/valkey:8
              healthcheck:|
    `);
    assert.equal(items[0].label, 'healthcheck for valkey');
    assert.deepEqual(newText(items[0]).split('\n').slice(0, 2), ['healthcheck:', '    test: ["CMD", "valkey-cli", "ping"]']);
  });

  it('picks the Kafka probe by repository', () => {
    const items = complete('compose', 'services:\n  broker:\n    image: confluentinc/cp-kafka:7.7.0\n    hea|\n');
    assert.match(newText(items[0]), /kafka-broker-api-versions --bootstrap-server localhost:9092/);
  });

  it('fits a service that builds to its Dockerfile\'s final base, probing the published port', () => {
    const items = complete('compose', `
      services:
        web:
          build: .
          ports:
            - "127.0.0.1:8080:3000"
          healt|
    `, { '/work/Dockerfile': 'FROM node:22-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n' });
    assert.deepEqual(labels(items), ['healthcheck with wget --spider', 'healthcheck with node -e']);
    assert.equal(newText(items[0]).split('\n')[1], '  test: ["CMD-SHELL", "wget -q --spider http://localhost:${1:3000}/${2:health} || exit 1"]');
    assert.equal(newText(items[0]).split('\n')[2], '  interval: ${3:30s}');
    assert.equal(items[0].detail, 'fits node:22-alpine');
  });

  it('offers nothing outside a service', () => {
    assert.deepEqual(complete('compose', 'services:\n  web:\n    image: nginx\nhea|\n'), []);
    assert.deepEqual(complete('compose', 'volumes:\n  data:\n    hea|\n'), []);
    assert.deepEqual(complete('compose', 'services:\n  web:\n    environment:\n      hea|\n'), []);
  });
});

describe('healthcheck completions: Dockerfile on a database image', () => {
  it('offers the image\'s readiness probe first, in shell form with the variable for the shell', () => {
    const items = complete('dockerfile', `
      FROM postgres:16-alpine
      COPY init.sql /docker-entrypoint-initdb.d/
      HEALTHCHECK |
    `);
    assert.equal(items[0].label, 'HEALTHCHECK for postgres');
    assert.equal(newText(items[0]), '--interval=${1:10s} --timeout=${2:5s} --start-period=${3:30s} --retries=${4:5} \\\\\n  CMD pg_isready -U \\${POSTGRES_USER:-postgres\\} || exit 1');
    assert.equal(items.length, 1, 'no HTTP probe for a database');
  });

  it('inserts a HEALTHCHECK that adds no error or warning', () => {
    const service = new LanguageService({ docsBase: 'file:///docs/rules' });
    for (const image of ['postgres:16-alpine', 'redis:7', 'mysql:8.4', 'mongo:7']) {
      const item = complete('dockerfile', `FROM ${image}\nHEAL|\n`)[0];
      const body = newText(item).replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\\([$}\\])/g, '$1');
      const text = `FROM ${image}\n${body}\n`;
      const loud = service.lint({ uri: `file:///work/${image}/Dockerfile`, text, kind: 'dockerfile' }, config())
        .filter((f) => (f.severity === 'error' || f.severity === 'warning') && f.range.start.line > 0);
      assert.deepEqual(loud.map((f) => f.rule), [], text);
    }
  });

  it('writes an exec-form probe as JSON', () => {
    const items = complete('dockerfile', 'FROM redis:7\nHEAL|\n');
    assert.equal(items[0].label, 'HEALTHCHECK for redis');
    assert.match(newText(items[0]), /\n {2}CMD \["redis-cli", "ping"\]$/);
  });
});

describe('healthcheck completions: unknown images', () => {
  it('offers curl and wget for the user to pick, saying the image is not known', () => {
    const items = complete('compose', 'services:\n  api:\n    image: registry.example.com/api:1.4\n    health|\n');
    assert.deepEqual(labels(items), ['healthcheck with curl', 'healthcheck with wget --spider']);
    assert.equal(items[0].detail, 'HTTP probe');
    assert.match(String((items[0].documentation as { value: string }).value), /does not know whether `registry\.example\.com\/api:1\.4` ships curl/);
  });

  it('offers the app\'s own binary only where there is no shell', () => {
    const items = complete('compose', 'services:\n  api:\n    image: gcr.io/distroless/static-debian12\n    health|\n');
    assert.deepEqual(labels(items), ["healthcheck with the app's own binary"]);
    assert.equal(newText(items[0]).split('\n')[1], '  test: ["CMD", "${1:/app}", "${2:healthcheck}"]');
  });
});
