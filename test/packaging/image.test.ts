import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/check';
import { isExcluded, parseDockerignore } from '../../server/src/dockerfile/dockerignore';

// The container image of the CLI (Dockerfile and .dockerignore at the root). There is no Docker
// daemon in CI to build it, so this checks what can be checked without one: Shipshape has nothing
// to say about it, its build context holds what the build reads and nothing else, and the
// entrypoint runs the npm package's CLI where the image puts it.

const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const ignores = parseDockerignore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));

function walk(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(repoRoot, join(repoRoot, dir, entry.name)).split('\\').join('/')],
  );
}

describe('container image (Dockerfile)', () => {
  it('has no finding, with every rule on', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'lint', '--all', '--format', 'json', 'Dockerfile'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.equal(result.status, 0);
  });

  it('says why each rule it ignores does not apply', () => {
    const comments = [...text.matchAll(/^# shipshape-ignore(?:-file)? (.*)$/gm)].map((m) => m[1]);
    assert.ok(comments.length > 0);
    for (const comment of comments) assert.match(comment, /^[\w,-]+ -- \S.{10,}/, `a reason after " -- ": ${comment}`);
  });

  it('sends the build context the sources, the manifests and the rule pages, and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8')) as { files: string[] };
    const needed = [
      'package.json', 'package-lock.json', 'esbuild.mjs', 'tsconfig.base.json', 'client/tsconfig.json', 'server/tsconfig.json',
      'scripts/stage-cli-package.mjs', 'packages/cli/package.json', 'packages/cli/README.md', 'LICENSE',
      ...walk('client/src'), ...walk('server/src').filter((f) => !f.endsWith('.generated.js')),
      ...manifest.files.filter((f) => f.startsWith('docs/') && !f.includes('*')), ...walk('docs/rules'),
    ];
    assert.deepEqual(needed.filter((f) => isExcluded(ignores, f)), [], 'files the build reads');
    const kept = ['node_modules/yaml/package.json', 'dist/cli.js', '.git/HEAD', '.env', 'test/cli/cli.test.ts', 'out/server/src/cli.js', 'packages/cli/dist/cli.js', 'shipshape.vsix', 'server/src/compose/validate.generated.js'];
    assert.deepEqual(kept.filter((f) => !isExcluded(ignores, f)), [], 'files that must stay out of the context');
  });

  it('runs the npm package’s CLI from where the runtime stage copies the package', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const copy = /^COPY --from=build \/src\/packages\/cli\/ (\/\S+)\/$/m.exec(text);
    assert.ok(copy, 'the runtime stage copies the staged package');
    assert.match(text, new RegExp(`^ENTRYPOINT \\["/nodejs/bin/node", "${copy[1]}/${manifest.bin.shipshape}"\\]$`, 'm'));
    assert.match(text, /RUN node esbuild\.mjs && node scripts\/stage-cli-package\.mjs/);
  });
});
