import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/check';
import { corpusDir } from '../helpers/corpus';
import { kindFromPath } from '../../server/src/files';

// The pre-commit hook's definition (.pre-commit-hooks.yaml) and what pre-commit installs for it
// (`npm pack` at the root). `npm run test:pre-commit` runs the hook itself with pre-commit.

interface Hook { id: string; name: string; entry: string; language: string; files: string; exclude?: string; description?: string }
const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'shipshape')!;

/** pre-commit matches with Python's re.search on the path from the repository root. */
function pythonRegex(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const body = insensitive ? pattern.slice(4) : pattern;
  // Only syntax that means the same in Python and JavaScript.
  assert.doesNotMatch(body, /\(\?[PiLmsux<=!#]|\\[AZ]/, `keep ${pattern} to syntax both languages read alike`);
  return new RegExp(body, insensitive ? 'i' : '');
}

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('runs `shipshape lint` as a node hook', () => {
    assert.ok(hook, 'a hook with id shipshape');
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'shipshape lint');
    assert.equal(typeof hook.description, 'string');
  });

  it('passes the hook the files `shipshape lint` finds in a directory, and no others', () => {
    const files = pythonRegex(hook.files);
    const exclude = hook.exclude ? pythonRegex(hook.exclude) : /$^/;
    const names = [
      'Dockerfile', 'Containerfile', 'dockerfile', 'Dockerfile.prod', 'Dockerfile-alpine', 'Dockerfile_test', 'api.Dockerfile', 'app/web.containerfile',
      'deploy/Dockerfile.dockerignore', 'Dockerfile.', 'Dockerfiles/readme.md', 'MyDockerfile', 'docs/Dockerfile.md',
      'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yaml', 'compose.prod.yml', 'docker-compose-dev.yml',
      'compose-ci.yaml', 'services/api/docker-compose.yml', 'my-compose.yaml', 'compose.json', 'values.yaml', 'composer.yaml', 'docker-compose.yml.orig',
    ];
    // The corpus's files are named after their repository paths (owner__repo__path__to__file).
    for (const dir of ['dockerfile', 'compose']) {
      if (existsSync(join(corpusDir, dir))) names.push(...readdirSync(join(corpusDir, dir)).map((n) => n.split('__').slice(2).join('/')).filter(Boolean));
    }
    const disagree = names.filter((path) => (files.test(path) && !exclude.test(path)) !== (kindFromPath(path) !== null));
    assert.deepEqual(disagree, []);
  });

  it('is installed from `npm pack` at the root, which holds the CLI, its grammar and the rule pages', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const expected = [manifest.bin.shipshape, 'dist/server.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/compose.schema.json', 'docs/rules/no-root-user.md', 'docs/final-stage.md', 'package.json', 'LICENSE'];
    for (const file of expected) assert.ok(files.includes(file), `${file} in the root package`);
    assert.deepEqual(files.filter((f) => /\.(ts|map)$|^(test|server|client|scripts|bench|node_modules|out)\/|^dist\/client\.js$|^docs\/images\//.test(f)), [], 'no sources, tests, maps or the VS Code client');
  });
});
