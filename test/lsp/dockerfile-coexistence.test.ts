import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, editsFor, TestClient } from './client';
import { loadCorpus } from '../helpers/corpus';
import { ruleById } from '../../server/src/rules';
import { peerNames, samePlace } from '../../server/src/features/coexistence/dockerfile';
import { ruleNames } from '../../server/src/config/settings';

// Shipshape beside Container Tools, with the peer's real diagnostics: rcjsuen's docker-langserver
// (the server Container Tools runs) is started over stdio, its publications are forwarded to
// Shipshape's server as the VS Code client forwards them, and what each shows is compared.
const peerServer = join(dirname(require.resolve('dockerfile-language-server-nodejs/package.json')), 'bin', 'docker-langserver');
const CONTAINER_TOOLS = 'ms-azuretools.vscode-containers';
const coexistenceOff = { enable: true, rules: {}, trustedRegistries: [], coexistence: 'off' };

const text = [
  'FROM alpine:3.20 AS build',
  'MAINTAINER someone@example.com',
  'WORKDIR app',
  'RUN echo hi',
  'FROM alpine:3.20 AS build',
  'USER nobody',
  'CMD ["sh", "-c", "echo hi"]',
  '',
].join('\n');

/** Two servers on the same document: the peer, and ours told about the peer. */
async function pair(peers: string[]) {
  const peer = await TestClient.start({ command: [process.execPath, peerServer, '--stdio'] });
  const ours = await TestClient.start({ initializationOptions: { peers } });
  return {
    peer,
    ours,
    /** Opens the document in both; forwards the peer's diagnostics; resolves with ours after that. */
    async open(uri: string, content: string) {
      // docker-langserver publishes without a version.
      const published = peer.nextDiagnostics(uri, 'any', 20_000);
      await peer.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: content } });
      const theirs = (await published).diagnostics;
      await ours.open(uri, 'dockerfile', content, 10_000);
      const after = ours.nextDiagnostics(uri, 1, 10_000);
      await ours.connection.sendNotification('shipshape/peerDiagnostics', { uri, diagnostics: theirs });
      return { theirs, shown: (await after).diagnostics };
    },
    async dispose() {
      await peer.dispose();
      await ours.dispose();
    },
  };
}

const isTwin = (ours: Diagnostic, theirs: Diagnostic) => {
  const rule = typeof ours.code === 'string' ? ruleById.get(ours.code) : undefined;
  if (!rule) return false;
  const names = new Set(ruleNames(rule));
  return samePlace(ours.range, theirs.range) && peerNames(theirs).some((n) => names.has(n));
};

describe('Dockerfile beside Container Tools (rcjsuen\'s real docker-langserver)', () => {
  it('shows each problem once, offers Shipshape\'s fix on the peer\'s diagnostic, and shows both with coexistence off', async () => {
    const servers = await pair([CONTAINER_TOOLS]);
    try {
      const uri = 'file:///tmp/shipshape-coexist-df/Dockerfile';
      const { theirs, shown } = await servers.open(uri, text);
      const peerCodes = theirs.map((d) => `${String(d.code)}@${d.range.start.line}`);
      // dockerfile-utils: 45 DEPRECATED_MAINTAINER, 50 WORKDIR_IS_NOT_ABSOLUTE, 10 DUPLICATE_BUILD_STAGE_NAME (twice).
      for (const expected of ['45@1', '50@2', '10@0', '10@4']) assert.ok(peerCodes.includes(expected), `the peer reports ${expected}: ${peerCodes.join(', ')}`);
      const codes = shown.map((d) => `${String(d.code)}@${d.range.start.line}`);
      for (const left of ['no-maintainer@1', 'workdir-absolute@2']) assert.ok(!codes.includes(left), `${left} is the peer's to show: ${codes.join(', ')}`);
      for (const d of shown) assert.ok(!theirs.some((t) => isTwin(d, t)), `${String(d.code)}@${d.range.start.line} is shown twice`);

      // The fix of the finding left to the peer is offered on the peer's diagnostic.
      const maintainer = theirs.find((d) => d.code === 45)!;
      const actions = await servers.ours.codeActions(uri, maintainer.range, [maintainer], ['quickfix']);
      const fix = actions.find((a) => a.diagnostics?.[0] === undefined ? false : a.diagnostics[0].source === 'dockerfile-utils' && a.edit);
      assert.ok(fix, `a fix on the peer's MAINTAINER diagnostic: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(!actions.some((a) => a.title.startsWith('Ignore ')), 'no shipshape-ignore on a peer\'s diagnostic');
      assert.match(applyTextEdits(text, editsFor(fix.edit, uri)), /LABEL org\.opencontainers\.image\.authors/);

      // Off: everything Shipshape has is shown again, beside the peer's.
      servers.ours.settings = coexistenceOff;
      const next = servers.ours.nextDiagnostics(uri, 'any');
      await servers.ours.changeSettings(coexistenceOff);
      const all = (await next).diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`);
      for (const back of ['no-maintainer@1', 'workdir-absolute@2']) assert.ok(all.includes(back), `${back} with coexistence off: ${all.join(', ')}`);
      const offActions = await servers.ours.codeActions(uri, maintainer.range, [maintainer], ['quickfix']);
      assert.deepEqual(offActions.filter((a) => a.diagnostics?.[0]?.source === 'dockerfile-utils'), [], 'no fix on the peer\'s diagnostic when ours is shown');
    } finally {
      await servers.dispose();
    }
  });

  it('steps back only for an active peer: the same diagnostics from an extension not in the table change nothing', async () => {
    const servers = await pair(['vscodevim.vim']);
    try {
      const uri = 'file:///tmp/shipshape-coexist-df2/Dockerfile';
      const { shown } = await servers.open(uri, text);
      const codes = shown.map((d) => String(d.code));
      assert.ok(codes.includes('no-maintainer') && codes.includes('workdir-absolute'), codes.join(', '));
    } finally {
      await servers.dispose();
    }
  });

  it('on the corpus: nothing shown twice, nothing lost, every hidden finding has its twin and keeps its fix', async () => {
    const corpus = loadCorpus();
    if (!corpus) return;
    const files = corpus.filter((f) => f.kind === 'dockerfile');
    const servers = await pair([CONTAINER_TOOLS]);
    const off = await TestClient.start({ initializationOptions: { peers: [CONTAINER_TOOLS] } });
    off.settings = coexistenceOff;
    let hidden = 0;
    let fixesOnPeer = 0;
    try {
      for (const [i, f] of files.entries()) {
        const uri = pathToFileURL(`/tmp/shipshape-coexist-corpus/${i}/Dockerfile`).href;
        const { theirs, shown } = await servers.open(uri, f.text);
        await off.open(uri, 'dockerfile', f.text, 10_000);
        const forwarded = off.nextDiagnostics(uri, 1, 10_000);
        await off.connection.sendNotification('shipshape/peerDiagnostics', { uri, diagnostics: theirs });
        const all = (await forwarded).diagnostics;
        const key = (d: Diagnostic) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`;
        const shownKeys = new Set(shown.map(key));
        for (const d of shown) assert.ok(!theirs.some((t) => isTwin(d, t)), `${f.name}: ${key(d)} shown twice`);
        for (const d of all.filter((a) => !shownKeys.has(key(a)))) {
          const twin = theirs.find((t) => isTwin(d, t));
          assert.ok(twin, `${f.name}: ${key(d)} hidden with no peer diagnostic showing it`);
          hidden++;
          const rule = ruleById.get(String(d.code))!;
          if (!rule.fixable) continue;
          const ownActions = await off.codeActions(uri, d.range, [d], ['quickfix']);
          const ownFixes = ownActions.filter((a) => !a.title.startsWith('Ignore ')).map((a) => a.title);
          const onPeer = (await servers.ours.codeActions(uri, twin.range, [twin], ['quickfix'])).map((a) => a.title);
          for (const title of ownFixes) assert.ok(onPeer.includes(title), `${f.name}: '${title}' (${key(d)}) not offered on the peer's diagnostic: ${onPeer.join(', ')}`);
          fixesOnPeer += ownFixes.length;
        }
        await servers.peer.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        await servers.ours.close(uri);
        await off.close(uri);
      }
      // The corpus has MAINTAINER lines, relative WORKDIRs and lower-case instructions.
      assert.ok(hidden >= 5, `only ${hidden} findings left to the peer over ${files.length} files`);
      process.stdout.write(`# coexistence over ${files.length} corpus Dockerfiles: ${hidden} findings left to docker-langserver, ${fixesOnPeer} fixes offered on its diagnostics\n`);
    } finally {
      await servers.dispose();
      await off.dispose();
    }
  });
});
