import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { CodeActionRequest, DidChangeTextDocumentNotification, DidChangeWorkspaceFoldersNotification, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, repoRoot, withTimeout } from './client';
import { LanguageService } from '../../server/src/service';
import { normalizeSettings, emptyProjectConfig } from '../../server/src/config/settings';

/** The server's resident memory in MB, from /proc (Linux); null elsewhere. */
function rssOf(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const seedDockerfile = `FROM node:20-bookworm AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build && apt-get update && apt-get install -y curl

FROM node:20-bookworm-slim
COPY --from=build /app/dist /app
CMD ["node", "/app/index.js"]
`;

describe('the server under load', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    await client.dispose();
  });

  it('1,000 rapid edits interleaved with hovers, code actions and cancellations end on the diagnostics of the final text', { timeout: 120_000 }, async () => {
    const uri = 'file:///load/Dockerfile';
    await client.open(uri, 'dockerfile', seedDockerfile);
    // Warm up, then take the baseline.
    const document = client.document(uri);
    const send = (text: string) => {
      document.version += 1;
      document.text = text;
      void client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: document.version }, contentChanges: [{ text }] });
    };
    for (let i = 0; i < 50; i++) send(seedDockerfile + `# warm ${i}\n`);
    await client.replace(uri, seedDockerfile);
    const baseline = rssOf(client.child.pid);

    const pending: Promise<unknown>[] = [];
    let text = seedDockerfile;
    for (let i = 0; i < 1000; i++) {
      // A one-character edit somewhere in the file, sent without waiting, as fast typing does.
      const line = i % 10;
      const lines = text.split('\n');
      lines[line] = i % 3 === 0 ? lines[line] + ' ' : lines[line].replace(/ $/, '');
      text = lines.join('\n');
      document.version += 1;
      document.text = text;
      void client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: document.version },
        contentChanges: [{ text }],
      });
      if (i % 10 === 0) pending.push(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: line, character: 2 } }).catch(() => null));
      if (i % 25 === 0) {
        const source = new CancellationTokenSource();
        const request = client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } }, context: { diagnostics: [] } }, source.token).catch(() => null);
        if (i % 50 === 0) source.cancel();
        pending.push(request);
      }
    }
    await withTimeout(Promise.all(pending), 60_000, 'the interleaved requests');
    // One more edit whose diagnostics we wait for; they must equal a fresh lint of the final text.
    const final = await client.replace(uri, text + '\n');
    const fresh = new LanguageService({ docsBase: 'file:///docs' }).diagnostics(
      { uri, text: text + '\n', kind: 'dockerfile' },
      { settings: normalizeSettings({}), project: emptyProjectConfig },
    );
    const key = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
    assert.deepEqual(final.map(key).sort(), fresh.map(key).sort());

    await client.close(uri);
    const afterLoad = rssOf(client.child.pid);
    if (baseline !== null && afterLoad !== null) {
      // No growth with the number of edits: within a garbage collector's slack of the baseline.
      assert.ok(afterLoad < baseline + 60, `server RSS ${afterLoad.toFixed(0)} MB after the load, ${baseline.toFixed(0)} MB before`);
    }
    const { exit } = await client.shutdown();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.doesNotMatch(client.stderr, /error|exception/i);
  });
});

describe('no ambient authority at run time', () => {
  it('the server lints with process, network and eval guarded, and reads nothing outside the workspace', { timeout: 30_000 }, async () => {
    const base = mkdtempSync(join(tmpdir(), 'shipshape-authority-'));
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    mkdirSync(join(base, 'outside'));
    // A service that extends a file outside the workspace: its privileged settings must not be read.
    writeFileSync(join(base, 'outside', 'base.yaml'), 'services:\n  base:\n    image: nginx:1.27\n    privileged: true\n');
    const compose = 'services:\n  web:\n    extends:\n      file: ../outside/base.yaml\n      service: base\n    image: nginx:1.27\n';
    writeFileSync(join(workspace, 'compose.yaml'), compose);
    const client = await TestClient.start({
      execArgv: ['--disallow-code-generation-from-strings', '--require', resolve(repoRoot, 'test/fixtures/authority/guard.cjs')],
      workspaceFolder: workspace,
    });
    try {
      const dockerfile = await client.open(pathToFileURL(join(workspace, 'Dockerfile')).href, 'dockerfile', seedDockerfile);
      assert.ok(dockerfile.length > 0);
      await client.open(pathToFileURL(join(workspace, 'compose.yaml')).href, 'dockercompose', compose);
      const touched = [...client.stderr.matchAll(/^FILE ACCESS: \w+ (.*)$/gm)].map((m) => m[1]);
      // The server does look beside the document (the base file exists check proves the guard sees it)…
      assert.ok(touched.some((p) => p.startsWith(workspace)), touched.join('\n'));
      // …but nothing outside the workspace and its own installation.
      const outside = touched.filter((p) => !p.startsWith(workspace) && !p.startsWith(repoRoot) && !p.startsWith('/proc/'));
      assert.deepEqual(outside, []);
      const { exit } = await client.shutdown();
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.doesNotMatch(client.stderr, /AUTHORITY VIOLATION|EvalError|Code generation from strings/);
    } finally {
      await client.dispose();
    }
  });

  it('a folder added to the workspace later is read from then on, and one removed is not', { timeout: 30_000 }, async () => {
    const base = mkdtempSync(join(tmpdir(), 'shipshape-folders-'));
    const [first, second] = [join(base, 'first'), join(base, 'second')];
    mkdirSync(first);
    mkdirSync(second);
    // A .dockerignore beside the Dockerfile: readable only while its folder is in the workspace.
    writeFileSync(join(second, '.dockerignore'), '.git\n');
    const uri = pathToFileURL(join(second, 'Dockerfile')).href;
    const client = await TestClient.start({ workspaceFolder: first });
    try {
      const ignored = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === 'dockerignore-present');
      assert.ok(ignored(await client.open(uri, 'dockerfile', 'FROM alpine:3.20\nCOPY . /app\n')), 'outside the workspace, the .dockerignore is not read');
      const folder = { uri: pathToFileURL(second).href, name: 'second' };
      let published = client.nextDiagnostics(uri, 1);
      await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [folder], removed: [] } });
      assert.ok(!ignored((await published).diagnostics), 'once its folder is added, the .dockerignore is found');
      published = client.nextDiagnostics(uri, 1);
      await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [folder] } });
      assert.ok(ignored((await published).diagnostics), 'once its folder is removed, it is not read again');
      const { exit } = await client.shutdown();
      assert.deepEqual(exit, { code: 0, signal: null });
    } finally {
      await client.dispose();
    }
  });
});
