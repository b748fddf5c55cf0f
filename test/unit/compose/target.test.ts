import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { composeTarget, shippedStage } from '../../../server/src/compose/target';
import { dedent, fakeFiles } from '../../helpers/check';

const model = parseDockerfile(TextDocument.create('file:///repo/services/web/Dockerfile', 'dockerfile', 0, dedent(`
  FROM node:20 AS dev
  FROM node:20-slim AS release
  FROM release AS tools
`)));
const build = (target?: string, context = 'services/web') => `      context: ${context}\n${target ? `      target: ${target}\n` : ''}`;
const compose = (...services: string[]) => `services:\n${services.map((s, i) => `  s${i}:\n    build:\n${s}`).join('')}`;
const target = (files: Record<string, string>, path = '/repo/services/web/Dockerfile') => composeTarget(model, path, fakeFiles(files));

describe('the build target Compose files name', () => {
  it('is read from a Compose file in the folder of the Dockerfile or above', () => {
    assert.equal(target({ '/repo/compose.yaml': compose(build('release')) }), 'release');
    assert.equal(target({ '/repo/services/web/docker-compose.yml': compose(build('release', '.')) }), 'release');
    assert.equal(shippedStage({ dockerfile: model, path: '/repo/services/web/Dockerfile', files: fakeFiles({ '/repo/compose.yaml': compose(build('release')) }) })?.name, 'release');
    assert.equal(shippedStage({ dockerfile: model, path: '/repo/services/web/Dockerfile', files: fakeFiles({}) })?.name, 'tools');
  });

  it('merges override files, and takes a production overlay first', () => {
    assert.equal(target({ '/repo/compose.yaml': compose(build()), '/repo/compose.override.yaml': 'services:\n  s0:\n    build:\n      target: release\n' }), 'release');
    assert.equal(target({ '/repo/compose.yaml': compose(build('tools')), '/repo/compose.prod.yaml': 'services:\n  s0:\n    build:\n      target: release\n' }), 'release');
  });

  it('is none when the files disagree, build the last stage too, name a development or unknown stage, or build another file', () => {
    assert.equal(target({ '/repo/compose.yaml': compose(build('release'), build('tools')) }), undefined);
    assert.equal(target({ '/repo/compose.yaml': compose(build('release'), build()) }), undefined);
    assert.equal(target({ '/repo/compose.yaml': compose(build('dev')) }), undefined);
    assert.equal(target({ '/repo/compose.yaml': compose(build('dev'), build('release')) }), 'release', 'a development target says nothing about what ships');
    assert.equal(target({ '/repo/compose.yaml': compose(build('prod')) }), undefined);
    assert.equal(target({ '/repo/compose.yaml': compose(build('release', 'services/api')) }), undefined);
    assert.equal(target({ '/repo/compose.yaml': compose(build('release')) }, null as unknown as string), undefined);
  });
});
