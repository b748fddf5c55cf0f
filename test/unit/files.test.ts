import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindFromPath } from '../../server/src/files';
import { repoRoot } from '../helpers/check';

/** The extension manifest's file associations, as VS Code matches them (case-insensitively). */
function manifestKind(name: string): string | null {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[] }[] };
  };
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  for (const language of manifest.contributes.languages) {
    const kind = language.id === 'dockerfile' ? 'dockerfile' : language.id === 'dockercompose' ? 'compose' : null;
    if ((language.filenames ?? []).some((f) => f.toLowerCase() === name.toLowerCase())) return kind;
    if ((language.filenamePatterns ?? []).some((p) => glob(p).test(name))) return kind;
    if ((language.extensions ?? []).some((e) => name.toLowerCase().endsWith(e.toLowerCase()))) return kind;
  }
  return null;
}

const NAMES: [string, 'dockerfile' | 'compose' | null][] = [
  ['Dockerfile', 'dockerfile'],
  ['dockerfile', 'dockerfile'],
  ['Containerfile', 'dockerfile'],
  ['Dockerfile.prod', 'dockerfile'],
  ['Containerfile.dev', 'dockerfile'],
  ['Dockerfile-Alpine', 'dockerfile'],
  ['Dockerfile_test_add', 'dockerfile'],
  ['Containerfile-fedora', 'dockerfile'],
  ['api.Dockerfile', 'dockerfile'],
  ['api.dockerfile', 'dockerfile'],
  ['web.Containerfile', 'dockerfile'],
  ['web.containerfile', 'dockerfile'],
  ['compose.yaml', 'compose'],
  ['compose.yml', 'compose'],
  ['docker-compose.yml', 'compose'],
  ['docker-compose.yaml', 'compose'],
  ['compose.override.yaml', 'compose'],
  ['docker-compose.prod.yml', 'compose'],
  ['docker-compose-dev.yml', 'compose'],
  ['compose-with-overrides.yaml', 'compose'],
  ['pwd.yml', null],
  ['notes.txt', null],
  ['Dockerfiles', null],
  ['compose.json', null],
  ['README.md', null],
];

describe('kindFromPath', () => {
  it('classifies the common Dockerfile and Compose file names', () => {
    for (const [name, kind] of NAMES) assert.equal(kindFromPath(`/work/project/${name}`), kind, name);
  });

  it('agrees with the languages the extension manifest contributes', () => {
    for (const [name] of NAMES) assert.equal(manifestKind(name), kindFromPath(name), name);
  });

  it('leaves the ignore file BuildKit reads beside a Dockerfile alone', () => {
    assert.equal(kindFromPath('Dockerfile.dockerignore'), null);
    assert.equal(kindFromPath('api.Dockerfile.dockerignore'), null);
  });
});
