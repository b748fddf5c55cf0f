import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/check';
import { ruleById } from '../../server/src/rules/index';
import { TestClient } from '../lsp/client';

// The npm package of the CLI and the language server (packages/cli), as a user gets it: packed
// from the current build, installed from the tarball into an empty project, and run from there
// with npx. It has no dependencies, so the install needs no registry.

const packageDir = join(repoRoot, 'packages', 'cli');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

function sh(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm package (packages/cli)', () => {
  let dir: string;
  let project: string;
  let packed: { filename: string; files: { path: string }[] };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-npm-'));
    const pack = sh('npm', ['pack', '--json', '--pack-destination', dir], packageDir);
    assert.equal(pack.code, 0, pack.stderr);
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0];
    project = join(dir, 'project');
    cpSync(join(repoRoot, 'examples'), join(project, 'examples'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{ "name": "empty-project", "private": true }\n');
    const install = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], project);
    assert.equal(install.code, 0, install.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the bundles, the grammar, the rule pages and nothing made for development', () => {
    const files = packed.files.map((f) => f.path).sort();
    const pages = [...ruleById.keys()].map((id) => `docs/rules/${id}.md`);
    const expected = [
      'LICENSE', 'README.md', 'package.json',
      'dist/cli.js', 'dist/server.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/compose.schema.json',
      'docs/final-stage.md', 'docs/multi-stage.md',
    ];
    for (const file of [...expected, ...pages]) assert.ok(files.includes(file), `${file} is in the package`);
    const extra = files.filter((f) => !expected.includes(f) && !f.startsWith('docs/rules/'));
    assert.deepEqual(extra, [], 'no source maps, sources, tests or the VS Code client');
    // Every page a rule page links to (the stage that ships) is in the package too.
    for (const page of files.filter((f) => f.startsWith('docs/rules/'))) {
      for (const [, link] of readFileSync(join(packageDir, page), 'utf8').matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)) {
        assert.ok(files.includes(join('docs/rules', link).replace(/\\/g, '/')), `${page} links ${link}, which is in the package`);
      }
    }
  });

  it('declares both commands, the Node.js it needs, the repository’s version and no dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'shipshape', 'package.json'), 'utf8'));
    assert.deepEqual(manifest.bin, { shipshape: 'dist/cli.js', 'shipshape-language-server': 'dist/server.js' });
    assert.equal(manifest.engines.node, '>=20');
    assert.equal(manifest.version, version);
    assert.equal(manifest.private, undefined);
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies']) assert.equal(manifest[key], undefined, key);
  });

  it('runs with npx from an empty project: --version, rules, lint on the examples', () => {
    // As a user types it: the bin is installed, so npx runs it without asking the registry.
    const npx = (...args: string[]) => sh('npx', ['shipshape', ...args], project);
    const shown = npx('--version');
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout.trim(), version);

    const rules = npx('rules', '--format', 'json');
    assert.equal(rules.code, 0, rules.stderr);
    assert.equal((JSON.parse(rules.stdout) as unknown[]).length, ruleById.size);

    const lint = npx('lint', 'examples');
    assert.equal(lint.code, 1, lint.stderr);
    assert.match(lint.stdout, /^examples\/Dockerfile$/m);
    assert.match(lint.stdout, /^examples\/compose\.yaml$/m);
    assert.match(lint.stdout, /\d+ problems \(1 error, \d+ warnings, \d+ infos\)/);

    // SARIF help URIs lead to the pages installed with the package.
    const sarif = JSON.parse(npx('lint', '--format', 'sarif', 'examples').stdout);
    const helpUri = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'no-root-user').helpUri as string;
    assert.equal(helpUri, pathToFileURL(join(project, 'node_modules', 'shipshape', 'docs', 'rules', 'no-root-user.md')).href);
    assert.ok(existsSync(fileURLToPath(helpUri)));
  });

  it('starts the language server from its bin, with diagnostics linked to the installed pages', async () => {
    const client = await TestClient.start({ command: [join(project, 'node_modules', '.bin', 'shipshape-language-server'), '--stdio'] });
    try {
      assert.equal(client.initializeResult?.serverInfo?.name, 'shipshape');
      const uri = pathToFileURL(join(project, 'examples', 'Dockerfile')).href;
      const diagnostics = await client.open(uri, 'dockerfile', readFileSync(join(project, 'examples', 'Dockerfile'), 'utf8'));
      const root = diagnostics.find((d) => d.code === 'no-root-user');
      assert.ok(root, JSON.stringify(diagnostics.map((d) => d.code)));
      const href = root.codeDescription?.href ?? '';
      assert.ok(href.startsWith(pathToFileURL(join(project, 'node_modules', 'shipshape', 'docs', 'rules')).href), href);
      assert.ok(existsSync(fileURLToPath(href)));
    } finally {
      await client.dispose();
    }
  });
});
