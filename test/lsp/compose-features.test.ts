import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentHighlight, DocumentLink, DocumentSymbol, Hover, Location, MarkupContent, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits, editsFor } from './client';

// Compose editing over the protocol, on a small project on disk: a base file, its override file,
// a file the override `extends`, a file the base `include`s, `.env`, and the Dockerfile a service
// builds. Cross-file answers (definition, references, rename) come from files that are not open.

const PROJECT: Record<string, string> = {
  'compose.yaml': [
    'x-defaults: &defaults',
    '  restart: unless-stopped',
    '',
    'services:',
    '  web:',
    '    <<: *defaults',
    '    build:',
    '      context: ./app',
    '      target: runtime',
    '      args:',
    '        NODE_VERSION: "22"',
    '    depends_on:',
    '      db:',
    '        condition: service_healthy',
    '    env_file: .env.web',
    '    volumes:',
    '      - ./static:/srv/static:ro',
    '      - data:/var/lib/data',
    '    networks: [backend]',
    '    secrets: [db_password]',
    '    environment:',
    '      DB_HOST: db',
    '      TAG: ${TAG:-latest}',
    '  db:',
    '    image: postgres:16',
    '    healthcheck:',
    '      test: ["CMD-SHELL", "pg_isready"]',
    'volumes:',
    '  data:',
    'networks:',
    '  backend:',
    'secrets:',
    '  db_password:',
    '    file: ./db_password.txt',
    'include:',
    '  - extra/compose.yaml',
    '',
  ].join('\n'),
  'compose.override.yaml': [
    'services:',
    '  db:',
    '    ports:',
    '      - "127.0.0.1:5432:5432"',
    '  worker:',
    '    extends:',
    '      file: common.yaml',
    '      service: base',
    '    depends_on: [db]',
    '',
  ].join('\n'),
  'common.yaml': 'services:\n  base:\n    image: busybox:1.36\n',
  'extra/compose.yaml': 'services:\n  cache:\n    image: redis:7.4\n',
  '.env': 'TAG=1.2.3\nPORT=8080\n',
  '.env.web': 'A=1\n',
  'db_password.txt': 'secret\n',
  'static/index.html': '<p>hi</p>\n',
  'app/Dockerfile': [
    'ARG NODE_VERSION=20',
    'FROM node:${NODE_VERSION}-slim AS base',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci',
    'FROM base AS build',
    'COPY . .',
    'RUN npm run build',
    'FROM node:${NODE_VERSION}-slim AS runtime',
    'WORKDIR /app',
    'COPY --from=build /app/dist ./dist',
    'USER node',
    'CMD ["node", "dist/index.js"]',
    '',
  ].join('\n'),
};

const pos = (line: number, character: number) => ({ line, character });
const markdown = (hover: Hover | null) => {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
};
const lineOf = (text: string, needle: string) => {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `no line with ${needle}`);
  return index;
};
const at = (text: string, needle: string, offset = 0) => {
  const line = lineOf(text, needle);
  return pos(line, text.split('\n')[line].indexOf(needle) + offset);
};

describe('Compose language features over stdio', () => {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const base = () => PROJECT['compose.yaml'];
  const override = () => PROJECT['compose.override.yaml'];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-compose-'));
    for (const [name, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    client = await TestClient.start({ workspaceFolder: dir });
    await client.open(uri('compose.yaml'), 'dockercompose', base());
    await client.open(uri('compose.override.yaml'), 'dockercompose', override());
  });

  after(async () => {
    await client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises definition, references, highlight, rename with prepare, outline, links and formatting', () => {
    const c = client.initializeResult!.capabilities;
    assert.equal(c.definitionProvider, true);
    assert.equal(c.referencesProvider, true);
    assert.equal(c.documentHighlightProvider, true);
    assert.deepEqual(c.renameProvider, { prepareProvider: true });
    assert.equal(c.documentSymbolProvider, true);
    assert.ok(c.documentLinkProvider);
    assert.equal(c.documentFormattingProvider, true);
  });

  describe('completion', () => {
    it('lists the keys a service may have at an empty position, healthcheck fitted to the image among them', async () => {
      const text = base().replace('    image: postgres:16\n', '    image: postgres:16\n    \n');
      await client.replace(uri('compose.yaml'), text);
      const items = await client.completion(uri('compose.yaml'), pos(lineOf(text, 'image: postgres') + 1, 4));
      const labels = items.map((i) => i.label);
      assert.ok(labels.includes('restart'), labels.join(', '));
      assert.ok(labels.includes('deploy'));
      // db already has a healthcheck, image and no duplicate keys are offered.
      assert.ok(!labels.includes('image') && !labels.includes('healthcheck'));
      const restart = items.find((i) => i.label === 'restart')!;
      assert.equal((restart.textEdit as TextEdit).newText, 'restart: ${1|no,always,on-failure,unless-stopped|}');
      const extendsItem = items.find((i) => i.label === 'extends')!;
      assert.equal((extendsItem.textEdit as TextEdit).newText, 'extends:\n  service: $1', 'a snippet with the required sub-key');
      // Under web (no healthcheck), the image-fitted block comes at an empty position, with no prefix typed.
      const webText = base().replace('    <<: *defaults\n', '    <<: *defaults\n    \n');
      await client.replace(uri('compose.yaml'), webText);
      const webItems = await client.completion(uri('compose.yaml'), pos(lineOf(webText, '<<: *defaults') + 1, 4));
      assert.ok(webItems.some((i) => /^healthcheck with /.test(i.label)), webItems.map((i) => i.label).join(', '));
      await client.replace(uri('compose.yaml'), base());
    });

    it('offers the values of a key: condition, restart', async () => {
      const text = base().replace('condition: service_healthy', 'condition: ');
      await client.replace(uri('compose.yaml'), text);
      const items = await client.completion(uri('compose.yaml'), at(text, 'condition: ', 'condition: '.length));
      assert.deepEqual(items.map((i) => i.label), ['service_started', 'service_healthy', 'service_completed_successfully']);
      // Capabilities in cap_drop, each documented.
      const caps = base().replace('    image: postgres:16\n', '    image: postgres:16\n    cap_drop:\n      - \n');
      await client.replace(uri('compose.yaml'), caps);
      const capItems = await client.completion(uri('compose.yaml'), pos(lineOf(caps, 'cap_drop:') + 1, 8));
      assert.ok(capItems.some((i) => i.label === 'ALL') && capItems.some((i) => i.label === 'NET_BIND_SERVICE'), capItems.map((i) => i.label).join(', '));
      await client.replace(uri('compose.yaml'), base());
    });

    it('offers the names the project declares: services in depends_on (across files), volumes, networks, secrets', async () => {
      const text = override().replace('depends_on: [db]', 'depends_on:\n      - ');
      await client.replace(uri('compose.override.yaml'), text);
      const services = await client.completion(uri('compose.override.yaml'), pos(lineOf(text, 'depends_on:') + 1, 8));
      assert.deepEqual(services.map((i) => i.label).sort(), ['cache', 'db', 'web'], 'services of the base, the override and the included file; not itself');
      // A flow list: `depends_on: [db, |]`.
      const flow = override().replace('depends_on: [db]', 'depends_on: [db, ]');
      await client.replace(uri('compose.override.yaml'), flow);
      assert.ok((await client.completion(uri('compose.override.yaml'), at(flow, '[db, ', '[db, '.length))).some((i) => i.label === 'cache'));
      await client.replace(uri('compose.override.yaml'), override());
      const networks = base().replace('networks: [backend]', 'networks:\n      - ');
      await client.replace(uri('compose.yaml'), networks);
      assert.deepEqual((await client.completion(uri('compose.yaml'), pos(lineOf(networks, 'networks:') + 1, 8))).map((i) => i.label), ['backend']);
      const secrets = base().replace('secrets: [db_password]', 'secrets:\n      - ');
      await client.replace(uri('compose.yaml'), secrets);
      assert.deepEqual((await client.completion(uri('compose.yaml'), pos(lineOf(secrets, 'secrets:') + 1, 8))).map((i) => i.label), ['db_password']);
      await client.replace(uri('compose.yaml'), base());
    });

    it('offers the Dockerfile\'s stages for build.target, .env variables inside ${…}, and image tags', async () => {
      const target = base().replace('target: runtime', 'target: ');
      await client.replace(uri('compose.yaml'), target);
      const stages = await client.completion(uri('compose.yaml'), at(target, 'target: ', 'target: '.length));
      assert.deepEqual(stages.map((i) => i.label), ['base', 'build', 'runtime']);
      const variable = base().replace('TAG: ${TAG:-latest}', 'TAG: ${');
      await client.replace(uri('compose.yaml'), variable);
      const variables = await client.completion(uri('compose.yaml'), at(variable, 'TAG: ${', 'TAG: ${'.length));
      assert.deepEqual(variables.map((i) => [i.label, i.detail, (i.textEdit as TextEdit).newText]), [['TAG', '= 1.2.3', 'TAG}'], ['PORT', '= 8080', 'PORT}']]);
      const image = base().replace('image: postgres:16', 'image: postgres:');
      await client.replace(uri('compose.yaml'), image);
      const tags = await client.completion(uri('compose.yaml'), at(image, 'image: postgres:', 'image: postgres:'.length));
      assert.ok(tags.some((i) => i.label === 'postgres:17-alpine'), tags.map((i) => i.label).join(', '));
      await client.replace(uri('compose.yaml'), base());
    });
  });

  describe('hover', () => {
    it('explains a value, shows what a name refers to across files, and the value of ${VAR}', async () => {
      assert.match(markdown(await client.hover(uri('compose.yaml'), at(base(), 'service_healthy', 3))), /Start once the dependency's healthcheck passes/);
      const volume = markdown(await client.hover(uri('compose.yaml'), at(base(), '- data:', 3)));
      assert.match(volume, /\*\*Volume `data`\*\* · declared in `compose.yaml:29`/);
      const variable = markdown(await client.hover(uri('compose.yaml'), at(base(), '${TAG', 3)));
      assert.match(variable, /From `.env`: `1.2.3`/);
      assert.match(variable, /Default `latest`/);
      const anchor = markdown(await client.hover(uri('compose.yaml'), at(base(), '*defaults', 2)));
      assert.match(anchor, /Anchor `defaults`/);
      assert.match(anchor, /restart: unless-stopped/);
      // The override file's depends_on names db of the base file: its image and healthcheck.
      const db = markdown(await client.hover(uri('compose.override.yaml'), at(override(), '[db]', 2)));
      assert.match(db, /Service `db`/);
      assert.match(db, /pg_isready/);
      // extends.service names a service of common.yaml.
      const extended = markdown(await client.hover(uri('compose.override.yaml'), at(override(), 'service: base', 'service: b'.length)));
      assert.match(extended, /Service `base`\*\* · declared in `common.yaml:2`/);
    });
  });

  it('shows the layer-cache card of a build arg, from the Dockerfile the service builds (issue 19)', async () => {
    const card = markdown(await client.hover(uri('compose.yaml'), at(base(), 'NODE_VERSION', 3)));
    assert.match(card, /\*\*Build arg `NODE_VERSION`\*\* · layer cache of `app\/Dockerfile`/);
    assert.match(card, /Declared before the first FROM .* at line 1, default `20`/);
    assert.match(card, /changes the base image of stages `base`, `runtime`/);
    assert.match(card, /`NODE_VERSION`: Value for the key/, 'the schema description stays below');
    const target = markdown(await client.hover(uri('compose.yaml'), at(base(), 'target: runtime', 2)));
    assert.match(target, /\*\*Builds\*\* `base`, `build`, `runtime`/);
  });

  describe('navigation', () => {
    it('goes from a depends_on entry of the override file to the service in the base file and its override', async () => {
      const locations = await client.send<Location[]>('textDocument/definition', { textDocument: { uri: uri('compose.override.yaml') }, position: at(override(), '[db]', 2) });
      const targets = locations.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}:${l.range.start.character}`).sort();
      assert.deepEqual(targets, ['compose.override.yaml:1:2', 'compose.yaml:23:2']);
    });

    it('goes from extends.service into the extended file, and from build.target and build.args into the Dockerfile', async () => {
      const [extended] = await client.send<Location[]>('textDocument/definition', { textDocument: { uri: uri('compose.override.yaml') }, position: at(override(), 'service: base', 10) });
      assert.equal(extended.uri, uri('common.yaml'));
      assert.deepEqual(extended.range.start, pos(1, 2));
      const [stage] = await client.send<Location[]>('textDocument/definition', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), 'runtime', 2) });
      assert.equal(stage.uri, uri('app/Dockerfile'));
      assert.equal(stage.range.start.line, 8);
      const [arg] = await client.send<Location[]>('textDocument/definition', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), 'NODE_VERSION', 3) });
      assert.equal(arg.uri, uri('app/Dockerfile'));
      assert.equal(arg.range.start.line, 0);
    });

    it('finds every reference to a service in the project\'s files, and highlights those of this file', async () => {
      const references = await client.send<Location[]>('textDocument/references', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), '  db:', 3), context: { includeDeclaration: true } });
      const found = references.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}`).sort();
      assert.deepEqual(found, ['compose.override.yaml:1', 'compose.override.yaml:8', 'compose.yaml:12', 'compose.yaml:23']);
      const highlights = await client.send<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), '  db:', 3) });
      assert.deepEqual(highlights.map((h) => [h.range.start.line, h.kind]).sort(), [[12, 2], [23, 3]]);
    });

    it('renames a service defined in the base file from the override file, in every file, and asks to confirm', async () => {
      const prepared = await client.send<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri('compose.override.yaml') }, position: at(override(), '[db]', 2) });
      assert.equal(prepared.placeholder, 'db');
      const edit = await client.send<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri('compose.override.yaml') }, position: at(override(), '[db]', 2), newName: 'database' });
      assert.equal(applyTextEdits(override(), editsFor(edit, uri('compose.override.yaml'))), override().replace('  db:', '  database:').replace('[db]', '[database]'));
      assert.equal(applyTextEdits(base(), editsFor(edit, uri('compose.yaml'))), base().replace('      db:\n', '      database:\n').replace('  db:\n    image', '  database:\n    image'));
      // `DB_HOST: db` still reaches the old name: the editor shows why before applying.
      const annotation = Object.values(edit.changeAnnotations ?? {})[0];
      assert.equal(annotation?.needsConfirmation, true);
      assert.match(annotation?.description ?? '', /`compose.yaml:22` still name `db`/);
      await assert.rejects(client.send('textDocument/rename', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), '  db:', 3), newName: 'web' }), /already declares a service `web`/);
    });

    it('renames an anchor with its aliases, and a volume with a note about its data', async () => {
      const anchor = await client.send<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), '&defaults', 2), newName: 'common' });
      assert.equal(applyTextEdits(base(), editsFor(anchor, uri('compose.yaml'))), base().replace('&defaults', '&common').replace('*defaults', '*common'));
      const volume = await client.send<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri('compose.yaml') }, position: at(base(), '  data:', 3), newName: 'pgdata' });
      assert.equal(applyTextEdits(base(), editsFor(volume, uri('compose.yaml'))), base().replace('- data:', '- pgdata:').replace('  data:\n', '  pgdata:\n'));
      assert.match(Object.values(volume.changeAnnotations ?? {})[0]?.description ?? '', /the data stays in the old one/);
    });
  });

  it('outlines the sections and the services with their keys', async () => {
    const symbols = await client.send<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('compose.yaml') } });
    assert.deepEqual(symbols.map((s) => s.name), ['x-defaults', 'services', 'volumes', 'networks', 'secrets', 'include']);
    const services = symbols.find((s) => s.name === 'services')!;
    assert.deepEqual(services.children?.map((s) => [s.name, s.detail]), [['web', 'build ./app'], ['db', 'postgres:16']]);
    assert.ok(services.children![0].children!.some((k) => k.name === 'build' && k.children?.some((c) => c.name === 'target')));
  });

  it('links the files the project names and images to their registry page', async () => {
    const links = await client.send<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri('compose.yaml') } });
    const targets = links.map((l) => l.target!.replace(pathToFileURL(dir).href, '.')).sort();
    assert.deepEqual(targets, ['./.env.web', './app', './db_password.txt', './extra/compose.yaml', './static', 'https://hub.docker.com/_/postgres']);
  });

  it('formats indentation only, keeping comments, anchors, quotes, key order and the file\'s list style; twice changes nothing', async () => {
    const messy = 'x-a: &a\n    restart: "no"   \nservices:\n    web:   # the app\n        <<: *a\n        image: nginx:1.27\n        ports:\n        - "80:80"\n        command: >\n            nginx -g\n            "daemon off;"\n';
    await client.replace(uri('compose.yaml'), messy);
    const edits = await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri('compose.yaml') }, options: { tabSize: 2, insertSpaces: true } });
    const formatted = applyTextEdits(messy, edits);
    assert.equal(formatted, 'x-a: &a\n  restart: "no"\nservices:\n  web:   # the app\n    <<: *a\n    image: nginx:1.27\n    ports:\n    - "80:80"\n    command: >\n      nginx -g\n      "daemon off;"\n');
    await client.replace(uri('compose.yaml'), formatted);
    assert.deepEqual(await client.send<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri('compose.yaml') }, options: { tabSize: 2, insertSpaces: true } }), []);
    await client.replace(uri('compose.yaml'), base());
  });

  it('turns the schema\'s "did you mean" into a quick fix', async () => {
    const text = base().replace('    image: postgres:16', '    image: postgres:16\n    restrat: always');
    const diagnostics = await client.replace(uri('compose.yaml'), text);
    const schema = diagnostics.find((d) => d.code === 'compose-schema')!;
    assert.match(schema.message, /did you mean `restart`/);
    const actions = await client.codeActions(uri('compose.yaml'), schema.range, [schema]);
    const fix = actions.find((a) => a.title === 'Rename `restrat` to `restart`');
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(applyTextEdits(text, editsFor(fix.edit, uri('compose.yaml'))), text.replace('restrat:', 'restart:'));
    await client.replace(uri('compose.yaml'), base());
  });
});

describe('Compose beside other extensions', () => {
  it('leaves YAML and schema errors and key descriptions to Red Hat YAML when it is active, and shows them with coexistence off', async () => {
    const client = await TestClient.start({ initializationOptions: { peers: ['redhat.vscode-yaml', 'vscodevim.vim'] } });
    try {
      const uri = 'file:///tmp/shipshape-coexist/compose.yaml';
      const text = 'services:\n  web:\n    image: nginx:1.27\n    restrat: always\n    privileged: true\n';
      const codes = (await client.open(uri, 'dockercompose', text)).map((d) => d.code);
      assert.ok(!codes.includes('compose-schema'), codes.join(', '));
      assert.ok(codes.includes('no-privileged'), 'its own findings stay');
      const hover = markdown(await client.hover(uri, pos(4, 6)));
      assert.doesNotMatch(hover, /extended privileges/i, 'no schema description');
      assert.match(hover, /In production/);
      const broken = await client.replace(uri, 'services:\n  web: [\n');
      assert.deepEqual(broken.map((d) => d.code), []);
      await client.changeSettings({ enable: true, rules: {}, trustedRegistries: [], coexistence: 'off' });
      const all = await client.nextDiagnostics(uri, 'any');
      assert.deepEqual(all.diagnostics.map((d) => d.code), ['compose-syntax']);
    } finally {
      await client.dispose();
    }
  });
});
