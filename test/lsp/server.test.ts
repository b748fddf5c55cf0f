import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Hover, type MarkupContent, type Range, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits, defaultSettings, editsFor, lineCount, rangeInside } from './client';

// Protocol tests: the built server (`dist/server.js --stdio`) driven by a real LSP client, as an
// editor drives it. Every wait is on an event (a response, a publishDiagnostics for a version, the
// process exiting) with a timeout; nothing sleeps.

const base = 'file:///tmp/shipshape-lsp-test';
const FIX_ALL = 'source.fixAll.shipshape';

const dockerfile = 'FROM node:latest\nRUN npm ci\nCMD node server.js\n';

const compose = [
  'services:',
  '  web:',
  '    image: nginx:1.27',
  '    depends_on: [db]',
  '    privileged: true',
  '  db:',
  '    image: postgres:16',
  '',
].join('\n');

const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});

// These tests are about the protocol, not the catalogue: they follow the rules their documents
// were written for, so that a new rule (with its own unit tests) does not change them.
const FOCUS = new Set(['exec-form-cmd', 'image-tag-pinned', 'no-root-user', 'depends-on-healthy', 'no-privileged', 'compose-syntax', 'analysis-limit']);
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).filter((c) => FOCUS.has(c)).sort();

function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code} diagnostic, got ${JSON.stringify(diagnostics, null, 2)}`);
  return found[0];
}

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

function titled(actions: CodeAction[], title: string): CodeAction {
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no code action titled ${JSON.stringify(title)} among ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

/** A deterministic string of random UTF-16 code units: control characters, NULs, lone surrogates. */
function junk(length: number, seed: number): string {
  let state = seed >>> 0;
  const next = () => {
    // xorshift32: reproducible, so a failure can be replayed.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const units: number[] = [];
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r % 17 === 0) units.push(0);
    else if (r % 29 === 0) units.push(0xd800 + (r % 0x800));
    else units.push(r % 256);
  }
  return String.fromCharCode(...units);
}

/**
 * A Dockerfile of about `bytes` bytes, nearly all RUN lines, whose only finding (exec-form-cmd) is
 * on its last instruction.
 */
function hugeDockerfile(bytes: number): { text: string; lines: string[] } {
  const lines = ['FROM node:24.11-alpine', 'USER node'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `RUN echo "layer ${i}" > /tmp/layer-${i % 97}.txt`;
    lines.push(line);
    size += line.length + 1;
  }
  // A pipeline keeps Alpine's sh as PID 1, so exec-form-cmd reports the last line.
  lines.push('CMD node server.js 2>&1 | tee /tmp/server.log', '');
  return { text: lines.join('\n'), lines };
}

describe('language server over stdio', () => {
  let client: TestClient;

  before(async () => {
    client = await TestClient.start();
  });

  after(async () => {
    await client?.dispose();
  });

  it('advertises quick fixes, fix-all, hover and completion, and registers its file watcher', async () => {
    const capabilities = client.initializeResult!.capabilities;
    assert.ok(capabilities.codeActionProvider && typeof capabilities.codeActionProvider === 'object', 'codeActionProvider with options');
    const kinds = capabilities.codeActionProvider.codeActionKinds ?? [];
    assert.ok(kinds.includes(CodeActionKind.QuickFix), `kinds ${JSON.stringify(kinds)}`);
    assert.ok(kinds.includes(FIX_ALL), `kinds ${JSON.stringify(kinds)}`);
    assert.equal(capabilities.hoverProvider, true);
    assert.ok(capabilities.completionProvider, 'completionProvider');
    assert.ok(capabilities.completionProvider.triggerCharacters?.includes(' '), 'completion triggers on the space after `shipshape-ignore`');
    assert.equal(client.initializeResult!.serverInfo?.name, 'shipshape');

    const watcher = await client.registration('workspace/didChangeWatchedFiles');
    assert.match(JSON.stringify(watcher.registerOptions), /\.hadolint\./);
    // The client declared dynamic registration for didChangeConfiguration, so the server asks for it.
    await client.registration('workspace/didChangeConfiguration');
  });

  it('publishes Dockerfile diagnostics with codes, ranges, source and documentation links', async () => {
    const uri = `${base}/Dockerfile`;
    const diagnostics = await client.open(uri, 'dockerfile', dockerfile);
    try {
      assert.deepEqual(codes(diagnostics), ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']);
      assert.deepEqual(only(diagnostics, 'image-tag-pinned').range, range(0, 5, 0, 16));
      assert.deepEqual(only(diagnostics, 'exec-form-cmd').range, range(2, 4, 2, 18));
      assert.equal(only(diagnostics, 'no-root-user').range.start.line, 0);
      for (const d of diagnostics) {
        assert.equal(d.source, 'shipshape');
        if (FOCUS.has(String(d.code))) assert.equal(d.severity, DiagnosticSeverity.Warning, `${String(d.code)} is a warning by default`);
        assert.ok(d.codeDescription?.href.endsWith(`/docs/rules/${String(d.code)}.md`), `href of ${String(d.code)}: ${d.codeDescription?.href}`);
        assert.ok(d.message.length > 20, `a sentence for ${String(d.code)}`);
      }
      assert.match(only(diagnostics, 'image-tag-pinned').message, /`node:latest`/);
      // A new version with the same text gets the same findings (the per-document cache keys on text, not version).
      assert.deepEqual(await client.replace(uri, dockerfile), diagnostics);
    } finally {
      await client.close(uri);
    }
  });

  it('links every diagnostic to a documentation page that exists', async () => {
    const dockerUri = `${base}/docs/Dockerfile`;
    const composeUri = `${base}/docs/compose.yaml`;
    const published = [...(await client.open(dockerUri, 'dockerfile', dockerfile)), ...(await client.open(composeUri, 'dockercompose', compose))];
    await client.close(dockerUri);
    await client.close(composeUri);
    const missing = published
      .map((d) => d.codeDescription?.href ?? '')
      .filter((href) => !href.startsWith('file:') || !existsSync(fileURLToPath(href)));
    assert.deepEqual([...new Set(missing)], [], 'diagnostics whose documentation link leads nowhere');
  });

  it('publishes Compose diagnostics for depends_on without a healthy condition and for privileged', async () => {
    const uri = `${base}/compose.yaml`;
    const diagnostics = await client.open(uri, 'dockercompose', compose);
    try {
      assert.deepEqual(codes(diagnostics), ['depends-on-healthy', 'no-privileged']);
      // On the `db` item of `depends_on: [db]`.
      assert.deepEqual(only(diagnostics, 'depends-on-healthy').range, range(3, 17, 3, 19));
      assert.deepEqual(only(diagnostics, 'no-privileged').range, range(4, 4, 4, 20));
      assert.equal(only(diagnostics, 'no-privileged').severity, DiagnosticSeverity.Error);
      for (const d of diagnostics) {
        assert.equal(d.source, 'shipshape');
        assert.ok(d.codeDescription?.href.endsWith(`/docs/rules/${String(d.code)}.md`), `href of ${String(d.code)}`);
      }
    } finally {
      await client.close(uri);
    }
  });

  it('lints a compose file opened as plain yaml, and ignores other yaml files', async () => {
    const composeUri = `${base}/yaml/docker-compose.prod.yml`;
    const otherUri = `${base}/yaml/values.yaml`;
    assert.deepEqual(codes(await client.open(composeUri, 'yaml', compose)), ['depends-on-healthy', 'no-privileged']);
    await client.close(composeUri);
    // A YAML file that is not a Compose file is not Shipshape's: a hover on it answers null.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: otherUri, languageId: 'yaml', version: 1, text: compose } });
    assert.equal(await client.hover(otherUri, { line: 6, character: 14 }), null);
    await client.close(otherUri);
  });

  it('rewrites CMD in exec form through its quick fix, next to the two ignore actions', async () => {
    const uri = `${base}/quickfix/Dockerfile`;
    const diagnostics = await client.open(uri, 'dockerfile', dockerfile);
    try {
      const exec = only(diagnostics, 'exec-form-cmd');
      const actions = await client.codeActions(uri, exec.range, [exec]);
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Rewrite CMD in exec form', 'Ignore exec-form-cmd for this line', 'Ignore exec-form-cmd in this file'],
      );
      for (const action of actions) {
        assert.equal(action.kind, CodeActionKind.QuickFix);
        assert.deepEqual(action.diagnostics, [exec]);
      }
      const rewrite = titled(actions, 'Rewrite CMD in exec form');
      assert.equal(rewrite.isPreferred, true);

      // The ignore actions produce comments the server honours.
      const lineIgnore = applyTextEdits(dockerfile, editsFor(titled(actions, 'Ignore exec-form-cmd for this line').edit, uri));
      assert.equal(lineIgnore, 'FROM node:latest\nRUN npm ci\n# shipshape-ignore exec-form-cmd\nCMD node server.js\n');
      const fileIgnore = applyTextEdits(dockerfile, editsFor(titled(actions, 'Ignore exec-form-cmd in this file').edit, uri));
      assert.match(fileIgnore, /^# shipshape-ignore-file exec-form-cmd\nFROM node:latest\n/);
      assert.deepEqual(codes(await client.replace(uri, lineIgnore)), ['image-tag-pinned', 'no-root-user']);
      assert.deepEqual(codes(await client.replace(uri, fileIgnore)), ['image-tag-pinned', 'no-root-user']);
      assert.deepEqual(codes(await client.replace(uri, dockerfile)), ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']);

      const version = client.document(uri).version;
      const after = await client.applyWorkspaceEdit(uri, rewrite.edit);
      assert.equal(client.document(uri).version, version + 1);
      assert.equal(client.document(uri).text, 'FROM node:latest\nRUN npm ci\nCMD ["node", "server.js"]\n');
      assert.deepEqual(codes(after), ['image-tag-pinned', 'no-root-user']);
    } finally {
      await client.close(uri);
    }
  });

  it('makes a dependency wait for a healthy database through its quick fix, sent as incremental changes', async () => {
    const uri = `${base}/quickfix/compose.yaml`;
    const diagnostics = await client.open(uri, 'dockercompose', compose);
    try {
      const finding = only(diagnostics, 'depends-on-healthy');
      const actions = await client.codeActions(uri, finding.range, [finding]);
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Wait for `db` to be healthy', 'Ignore depends-on-healthy for this line', 'Ignore depends-on-healthy in this file'],
      );
      const fix = actions[0];
      assert.equal(fix.isPreferred, true);

      // Incremental changes: the server must apply them in order to end up with the same text.
      const after = await client.applyWorkspaceEdit(uri, fix.edit, true);
      const text = client.document(uri).text;
      assert.match(text, /depends_on:\n {6}db:\n {8}condition: service_healthy\n/);
      assert.match(text, /\n {4}healthcheck:\n {6}test: \["CMD-SHELL", "pg_isready [^\n]*"\]\n/);
      assert.deepEqual(codes(after), ['no-privileged']);
      // The server's copy of the text matches ours: the finding it still has sits on our line.
      const privilegedLine = text.split('\n').indexOf('    privileged: true');
      assert.deepEqual(only(after, 'no-privileged').range, range(privilegedLine, 4, privilegedLine, 20));
    } finally {
      await client.close(uri);
    }
  });

  it('offers fix-all as one source action that applies only the safe fixes', async () => {
    const uri = `${base}/fixall/Dockerfile`;
    const diagnostics = await client.open(uri, 'dockerfile', dockerfile);
    try {
      const whole = range(0, 0, lineCount(dockerfile) - 1, 0);
      const actions = await client.codeActions(uri, whole, diagnostics, [FIX_ALL]);
      assert.equal(actions.length, 1, JSON.stringify(actions));
      assert.equal(actions[0].kind, FIX_ALL);
      // Asking for the parent kind, as editors do on save, finds it too; quick fixes do not include it.
      assert.deepEqual((await client.codeActions(uri, whole, diagnostics, ['source.fixAll'])).map((a) => a.kind), [FIX_ALL]);
      assert.ok((await client.codeActions(uri, whole, diagnostics, [CodeActionKind.QuickFix])).every((a) => a.kind === CodeActionKind.QuickFix));

      const after = await client.applyWorkspaceEdit(uri, actions[0].edit);
      // The exec-form rewrite is safe; the USER fix is not, so fix-all leaves that one to the user.
      assert.equal(client.document(uri).text, 'FROM node:latest\nRUN npm ci && npm cache clean --force\nCMD ["node", "server.js"]\n');
      assert.deepEqual(codes(after), ['image-tag-pinned', 'no-root-user']);
      assert.deepEqual(await client.codeActions(uri, whole, after, [FIX_ALL]), [], 'nothing left to fix all');
    } finally {
      await client.close(uri);
    }
  });

  it('hovers a base image, an image in Compose, and a rule id in an ignore comment', async () => {
    const dockerUri = `${base}/hover/Dockerfile`;
    const composeUri = `${base}/hover/compose.yaml`;
    const text = '# shipshape-ignore no-root-user\nFROM node:latest\nRUN npm ci\n# hadolint ignore=DL3025\nCMD node server.js\n';
    assert.deepEqual(codes(await client.open(dockerUri, 'dockerfile', text)), ['image-tag-pinned']);
    await client.open(composeUri, 'dockercompose', compose);
    try {
      const image = await client.hover(dockerUri, { line: 1, character: 9 });
      assert.match(markdown(image), /`node:latest`/);
      assert.match(markdown(image), /tag `latest`/);
      assert.match(markdown(image), /final stage/);
      assert.deepEqual(image!.range, range(1, 5, 1, 16));

      const rule = await client.hover(dockerUri, { line: 0, character: 22 });
      assert.match(markdown(rule), /\*\*no-root-user\*\* — Run the final stage as a non-root user/);
      assert.deepEqual(rule!.range, range(0, 19, 0, 31));
      const alias = await client.hover(dockerUri, { line: 3, character: 20 });
      assert.match(markdown(alias), /\*\*exec-form-cmd\*\*/);

      const run = markdown(await client.hover(dockerUri, { line: 2, character: 5 }));
      assert.match(run, /\*\*Layer cache\*\* · step 2 of stage #0 · writes a filesystem layer/, 'the layer-cache card of `RUN npm ci`');
      assert.match(run, /A `--mount=type=cache`/);

      const service = await client.hover(composeUri, { line: 6, character: 14 });
      assert.match(markdown(service), /\*\*Image of `db`\*\*: `postgres:16`/);
      assert.deepEqual(service!.range, range(6, 11, 6, 22));
    } finally {
      await client.close(dockerUri);
      await client.close(composeUri);
    }
  });

  it('completes rule ids after `# shipshape-ignore ` and nothing elsewhere', async () => {
    const dockerUri = `${base}/completion/Dockerfile`;
    const composeUri = `${base}/completion/compose.yaml`;
    await client.open(dockerUri, 'dockerfile', '# shipshape-ignore \nFROM node:20\n# hadolint ignore=\n');
    await client.open(composeUri, 'dockercompose', '# shipshape-ignore \nservices: {}\n');
    try {
      const labels = (await client.completion(dockerUri, { line: 0, character: 19 })).map((i) => i.label);
      for (const id of ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']) assert.ok(labels.includes(id), `${id} in ${JSON.stringify(labels)}`);
      for (const id of ['compose-syntax', 'depends-on-healthy', 'no-privileged']) assert.ok(!labels.includes(id), `Compose rule ${id} offered in a Dockerfile`);

      const composeLabels = (await client.completion(composeUri, { line: 0, character: 19 })).map((i) => i.label);
      for (const id of ['depends-on-healthy', 'image-tag-pinned', 'no-privileged']) assert.ok(composeLabels.includes(id), `${id} in ${JSON.stringify(composeLabels)}`);
      assert.ok(!composeLabels.includes('exec-form-cmd'), 'Dockerfile rule offered in a Compose file');

      const aliases = (await client.completion(dockerUri, { line: 2, character: 18 })).map((i) => i.label);
      for (const alias of ['DL3002', 'DL3025']) assert.ok(aliases.includes(alias), `${alias} in ${JSON.stringify(aliases)}`);

      // Elsewhere no rule id (after `FROM node:20` the Dockerfile completion offers tags: issue 15).
      const elsewhere = (await client.completion(dockerUri, { line: 1, character: 12 })).map((i) => i.label);
      assert.ok(!elsewhere.some((l) => l === 'no-root-user' || /^DL\d+$/.test(l)), JSON.stringify(elsewhere));
    } finally {
      await client.close(dockerUri);
      await client.close(composeUri);
    }
  });

  it('completes HEALTHCHECK with probes that fit the final image: alpine, debian-slim, distroless', async () => {
    const cases: { image: string; start: string; expect: string; absent: string[] }[] = [
      { image: 'node:22-alpine', start: 'CMD ["node", "server.js"]', expect: 'wget -q --spider http://localhost:${5:3000}/${6:health} || exit 1', absent: ['curl'] },
      { image: 'node:22-bookworm-slim', start: 'CMD ["node", "server.js"]', expect: 'CMD [\"node\", \"-e\", \"require(\'http\').get(\'http://localhost:${5:3000}/${6:health}\'', absent: ['curl', 'wget --spider'] },
      { image: 'gcr.io/distroless/static-debian12:nonroot', start: 'ENTRYPOINT ["/server"]', expect: 'CMD [\"${5:/server}\", \"${6:healthcheck}\"]', absent: ['curl', 'wget --spider', 'node -e'] },
    ];
    for (const [i, c] of cases.entries()) {
      const uri = `${base}/completion-health-${i}/Dockerfile`;
      await client.open(uri, 'dockerfile', `FROM golang:1.23 AS build\nRUN go build -o /server .\n\nFROM ${c.image}\nCOPY --from=build /server /server\nEXPOSE 3000\nHEAL\n${c.start}\n`);
      try {
        const items = await client.completion(uri, { line: 6, character: 4 });
        assert.ok(items.length > 0, `no completion for ${c.image}`);
        const first = items[0];
        assert.equal(first.insertTextFormat, 2, 'a snippet');
        const edit = first.textEdit as TextEdit;
        assert.deepEqual(edit.range, range(6, 0, 6, 4), 'replaces the typed word');
        assert.ok(edit.newText.startsWith('HEALTHCHECK --interval=${1:30s}'), edit.newText);
        assert.ok(edit.newText.includes(c.expect), `${c.image}: ${edit.newText}`);
        for (const tool of c.absent) assert.ok(!items.some((item) => item.label.includes(tool)), `${c.image} offered ${tool}: ${items.map((item) => item.label)}`);
      } finally {
        await client.close(uri);
      }
    }
  });

  it('completes a Compose healthcheck fitted to the service image: postgres', async () => {
    const uri = `${base}/completion-health/compose.yaml`;
    await client.open(uri, 'dockercompose', 'services:\n  db:\n    image: postgres:16\n    heal\n');
    try {
      const items = await client.completion(uri, { line: 3, character: 8 });
      assert.equal(items[0]?.label, 'healthcheck for postgres');
      const edit = items[0].textEdit as TextEdit;
      assert.deepEqual(edit.range, range(3, 4, 3, 8));
      assert.equal(edit.newText.split('\n')[1], '  test: ["CMD-SHELL", "pg_isready -U \\$\\${POSTGRES_USER:-postgres\\}"]');
      assert.equal(items[0].insertTextMode, 2, 'indentation adjusted to the line');
    } finally {
      await client.close(uri);
    }
  });

  it('pulls the settings again on didChangeConfiguration and relints open documents', async () => {
    const uri = `${base}/settings/Dockerfile`;
    const before = await client.open(uri, 'dockerfile', dockerfile);
    try {
      assert.deepEqual(codes(before), ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']);
      const pulled = client.configurationRequests.filter((r) => r.items.some((i) => i.scopeUri === uri && i.section === 'shipshape'));
      assert.ok(pulled.length > 0, 'the server asked for the settings of the document it linted');

      const version = client.document(uri).version;
      let relinted = client.nextDiagnostics(uri, version);
      await client.changeSettings({ ...defaultSettings, rules: { 'no-root-user': 'off', 'image-tag-pinned': 'error' } });
      const changed = (await relinted).diagnostics;
      assert.deepEqual(codes(changed), ['exec-form-cmd', 'image-tag-pinned']);
      assert.equal(only(changed, 'image-tag-pinned').severity, DiagnosticSeverity.Error);

      relinted = client.nextDiagnostics(uri, version);
      await client.changeSettings({ ...defaultSettings, enable: false });
      assert.deepEqual((await relinted).diagnostics, []);

      relinted = client.nextDiagnostics(uri, version);
      await client.changeSettings(defaultSettings);
      assert.deepEqual(codes((await relinted).diagnostics), ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']);
    } finally {
      client.settings = defaultSettings;
      await client.close(uri);
    }
  });

  it('links diagnostics to the pages shipshape.docsBaseUrl names, and to the shipped pages without it', async () => {
    const uri = `${base}/docs-base/Dockerfile`;
    await client.open(uri, 'dockerfile', dockerfile);
    try {
      const version = client.document(uri).version;
      let relinted = client.nextDiagnostics(uri, version);
      await client.changeSettings({ ...defaultSettings, docsBaseUrl: 'https://docs.example.com/shipshape/rules' });
      assert.equal(only((await relinted).diagnostics, 'exec-form-cmd').codeDescription?.href, 'https://docs.example.com/shipshape/rules/exec-form-cmd.md');

      relinted = client.nextDiagnostics(uri, version);
      await client.changeSettings(defaultSettings);
      const href = only((await relinted).diagnostics, 'exec-form-cmd').codeDescription?.href ?? '';
      assert.ok(href.startsWith('file:') && existsSync(fileURLToPath(href)), `the shipped page: ${href}`);
    } finally {
      client.settings = defaultSettings;
      await client.close(uri);
    }
  });

  describe('bad input', () => {
    it('answers an empty Dockerfile with no findings', async () => {
      const uri = `${base}/bad/empty/Dockerfile`;
      assert.deepEqual(await client.open(uri, 'dockerfile', ''), []);
      assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
      // An empty Dockerfile is where FROM is typed first (issue 15's completion).
      assert.ok((await client.completion(uri, { line: 0, character: 0 })).some((i) => i.label === 'FROM'));
      assert.deepEqual(await client.codeActions(uri, range(0, 0, 0, 0), [], [FIX_ALL]), []);
      await client.close(uri);
    });

    it('survives binary junk as a Dockerfile and as a Compose file, with every range inside the document', async () => {
      const noise = junk(64 * 1024, 0x5eed);
      assert.ok(noise.includes('\u0000'));
      const cases = [
        { name: 'Dockerfile', languageId: 'dockerfile', text: noise },
        // Junk inside real instructions reaches the rules and their fixes, not only the parser.
        // (NUL bytes would make it binary, which is not analysed at all: see the Dockerfile case.)
        { name: 'instructions/Dockerfile', languageId: 'dockerfile', text: `FROM alpine:3.20\nCOPY . /app\nRUN ${noise.replace(/\0/g, '\u0001')}\nCMD ${junk(4000, 7).replace(/\0/g, '\u0001')}` },
        { name: 'compose.yaml', languageId: 'dockercompose', text: noise },
      ];
      for (const { name, languageId, text } of cases) {
        const uri = `${base}/bad/junk/${name}`;
        const diagnostics = await client.open(uri, languageId, text);
        try {
          for (const d of diagnostics) {
            assert.equal(d.source, 'shipshape');
            assert.ok(rangeInside(d.range, text), `${name}: ${String(d.code)} range ${JSON.stringify(d.range)} outside a ${lineCount(text)}-line document`);
          }
          if (name === 'instructions/Dockerfile') assert.ok(codes(diagnostics).includes('no-root-user'), `${name}: ${JSON.stringify(codes(diagnostics))}`);
          if (name === 'Dockerfile') assert.deepEqual(codes(diagnostics), ['analysis-limit']);
          await client.hover(uri, { line: 0, character: 3 });
          await client.completion(uri, { line: 1, character: 1 });
          for (const action of await client.codeActions(uri, range(0, 0, 0, 1), diagnostics)) {
            for (const edit of editsFor(action.edit, uri)) assert.ok(rangeInside(edit.range, text), `${name}: edit of "${action.title}" outside the document`);
          }
          await client.codeActions(uri, range(0, 0, 0, 0), [], [FIX_ALL]);
        } finally {
          await client.close(uri);
        }
      }
      assert.ok(client.running);
    });

    it('reports a YAML syntax error as exactly one compose-syntax error at the error', async () => {
      const uri = `${base}/bad/syntax/compose.yaml`;
      const text = 'services:\n  web:\n    image: nginx:1.27\n   ports: ["80:80"]\n';
      const diagnostics = await client.open(uri, 'dockercompose', text);
      await client.close(uri);
      assert.deepEqual(codes(diagnostics), ['compose-syntax'], JSON.stringify(diagnostics));
      const [error] = diagnostics;
      assert.equal(error.severity, DiagnosticSeverity.Error);
      assert.equal(error.range.start.line, 3, `at the misindented key: ${JSON.stringify(error.range)}`);
      assert.equal(error.range.end.line, 3);
    });

    it('reports a Compose file whose top level is a list', async () => {
      const uri = `${base}/bad/list/compose.yaml`;
      const diagnostics = await client.open(uri, 'dockercompose', '- web\n- db\n');
      await client.close(uri);
      assert.deepEqual(codes(diagnostics), ['compose-syntax']);
      assert.match(diagnostics[0].message, /top level is a list/);
      assert.deepEqual(diagnostics[0].range.start, { line: 0, character: 0 });
    });

    it('answers a 5 MB Dockerfile with one analysis-limit diagnostic at the default limits', async () => {
      const uri = `${base}/bad/limit/Dockerfile`;
      const started = Date.now();
      const diagnostics = await client.open(uri, 'dockerfile', hugeDockerfile(5 * 1024 * 1024).text, 10_000);
      try {
        assert.deepEqual(codes(diagnostics), ['analysis-limit']);
        assert.match(diagnostics[0].message, /^File too large to analyse: 5\.2 MB > 2 MB limit/);
        assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
        assert.equal(await client.hover(uri, { line: 0, character: 7 }), null);
      } finally {
        await client.close(uri);
      }
    });

    it('lints a 1 MB, 25,000-line Dockerfile within a few seconds and keeps answering, with the limits raised', async () => {
      await client.changeSettings({ ...defaultSettings, limits: { maxFileSize: 10_000_000, maxLines: 1_000_000 } });
      const uri = `${base}/bad/huge/Dockerfile`;
      const { text, lines } = hugeDockerfile(1024 * 1024);
      const started = Date.now();
      const diagnostics = await client.open(uri, 'dockerfile', text, 10_000);
      const linted = Date.now() - started;
      try {
        // The only finding is on the last instruction, so the whole file was read.
        assert.deepEqual(codes(diagnostics), ['exec-form-cmd']);
        assert.equal(diagnostics[0].range.start.line, lines.length - 2);
        const hoverStarted = Date.now();
        const hover = await client.hover(uri, { line: 0, character: 7 }, 5000);
        const hovered = Date.now() - hoverStarted;
        assert.match(markdown(hover), /`node:24\.11-alpine`/);
        // Once linted, the document is parsed: a hover is answered from that model at once.
        assert.ok(hovered < 500, `a hover on the linted 1 MB Dockerfile took ${hovered} ms`);
        // Past the default limits, but well within a loaded 2-core machine's few seconds.
        assert.ok(linted < 15_000, `the diagnostics of a 1 MB Dockerfile took ${linted} ms`);
      } finally {
        await client.close(uri);
      }
    });

    it('parses a large document once when a request arrives before its first lint', async () => {
      const uri = `${base}/bad/early-hover/Dockerfile`;
      const { text, lines } = hugeDockerfile(1024 * 1024);
      const started = Date.now();
      // open() writes didOpen before its first await, so the hover request follows it on the wire
      // and reaches the server while the first lint still waits for its settings.
      const opened = client.open(uri, 'dockerfile', text, 10_000).then((diagnostics) => ({ diagnostics, at: Date.now() - started }));
      const hovered = client.hover(uri, { line: 0, character: 7 }, 10_000).then((hover) => ({ hover, at: Date.now() - started }));
      const [{ diagnostics, at: linted }, { hover, at: hoverAnswered }] = await Promise.all([opened, hovered]);
      await client.close(uri);
      assert.match(markdown(hover), /`node:24\.11-alpine`/);
      assert.deepEqual(codes(diagnostics), ['exec-form-cmd']);
      assert.equal(diagnostics[0].range.start.line, lines.length - 2);
      // That the service parses once per version is tested without a clock in
      // test/unit/service.test.ts; here only a loose bound: the rules over the shared model finish
      // within twice the time the hover (which parsed) took.
      assert.ok(
        linted - hoverAnswered < 2 * hoverAnswered,
        `hover answered after ${hoverAnswered} ms, but the diagnostics of the same version took another ${linted - hoverAnswered} ms`,
      );
      // The two tests above raised the size limits; the rest run at the defaults.
      await client.changeSettings(defaultSettings);
    });

    it('is still running and answering after all of it', async () => {
      assert.ok(client.running, `the server exited\n${client.stderr}`);
      const uri = `${base}/bad/after/Dockerfile`;
      assert.deepEqual(codes(await client.open(uri, 'dockerfile', dockerfile)), ['exec-form-cmd', 'image-tag-pinned', 'no-root-user']);
      assert.match(markdown(await client.hover(uri, { line: 0, character: 7 })), /`node:latest`/);
      await client.close(uri);
    });

    it('logged no rule, fix or hover failure along the way', () => {
      assert.doesNotMatch(client.stderr, /shipshape: .* failed/);
      assert.ok(!client.logMessages.some((m) => /failed/.test(m)), client.logMessages.join('\n'));
    });
  });

  it('exits with code 0 after shutdown and exit', async () => {
    const { shutdownResult, exit } = await client.shutdown();
    assert.equal(shutdownResult, null);
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});
