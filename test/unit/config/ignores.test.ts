import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { config, dedent, file, findingsOf, service } from '../../helpers/check';
import { loadCorpus } from '../../helpers/corpus';
import { parseIgnoreComment, checkDirective, buildkitChecksOf } from '../../../server/src/config/ignores';
import { ruleById } from '../../../server/src/rules';
import copyIgnoredFile from '../../../server/src/rules/dockerfile/copy-ignored-file';

// Suppression is what is under test: the documents are written for these rules, and findings of
// other rules (each with its own tests) are left out so that new rules do not change these tests.
const FOCUS = new Set(['exec-form-cmd', 'image-tag-pinned', 'no-root-user', 'depends-on-healthy', 'no-privileged', 'image-registry-trusted', 'compose-schema', 'compose-syntax']);
const rulesOf = (text: string, kind: 'dockerfile' | 'compose', project = {}) =>
  service.lint(file(dedent(text), kind), config({}, project)).filter((f) => FOCUS.has(f.rule)).map((f) => `${f.rule}@${f.range.start.line}`);

describe('inline ignores', () => {
  it('parses shipshape and hadolint comments', () => {
    assert.deepEqual(parseIgnoreComment(' shipshape-ignore no-root-user, exec-form-cmd'), { scope: 'next', names: ['no-root-user', 'exec-form-cmd'] });
    assert.deepEqual(parseIgnoreComment('shipshape-ignore-file image-tag-pinned'), { scope: 'file', names: ['image-tag-pinned'] });
    assert.deepEqual(parseIgnoreComment('hadolint ignore=DL3006,DL3025'), { scope: 'next', names: ['dl3006', 'dl3025'] });
    assert.deepEqual(parseIgnoreComment('hadolint global ignore=DL3002'), { scope: 'file', names: ['dl3002'] });
    assert.equal(parseIgnoreComment('just a comment about shipshape'), null);
    assert.deepEqual(checkDirective('skip=JSONArgsRecommended,StageNameCasing;error=true').skip, ['jsonargsrecommended', 'stagenamecasing']);
  });

  it('silences the next Dockerfile instruction, all its lines', () => {
    assert.deepEqual(rulesOf(`
      FROM node:20
      # shipshape-ignore exec-form-cmd
      CMD node \\
        server.js
      USER node
    `, 'dockerfile'), []);
  });

  it('honours hadolint ids through aliases, per instruction and globally', () => {
    assert.deepEqual(rulesOf(`
      # hadolint ignore=DL3007
      FROM node:latest
      FROM nginx:latest
      COPY site/ /usr/share/nginx/html/
    `, 'dockerfile'), ['image-tag-pinned@2', 'no-root-user@2']);
    assert.deepEqual(rulesOf(`
      # hadolint global ignore=DL3007,DL3002
      FROM node:latest
      FROM nginx:latest
      COPY site/ /usr/share/nginx/html/
    `, 'dockerfile'), []);
  });

  it('honours BuildKit check=skip directives, including skip=all', () => {
    assert.deepEqual(rulesOf(`
      # check=skip=JSONArgsRecommended
      FROM node:20
      USER node
      CMD npm start
    `, 'dockerfile'), []);
    assert.deepEqual(rulesOf(`
      # check=skip=all
      FROM node:20
      USER node
      CMD npm start
    `, 'dockerfile'), []);
  });

  it('skips BuildKit checks only: skip=all leaves Shipshape\'s own rules and hadolint-only rules on', () => {
    // exec-form-cmd covers JSONArgsRecommended; image-tag-pinned (DL3006/DL3007) is no BuildKit
    // check, so BuildKit's directive does not reach it.
    const text = (directive: string) => `
      ${directive}
      FROM node
      CMD npm start
    `;
    assert.deepEqual(rulesOf(text('# check=skip=all'), 'dockerfile'), ['image-tag-pinned@1']);
    assert.deepEqual(rulesOf(text('# check=skip=all;error=true'), 'dockerfile'), ['image-tag-pinned@1']);
    assert.deepEqual(rulesOf(text('# check=skip=JSONArgsRecommended'), 'dockerfile'), ['image-tag-pinned@1']);
    assert.deepEqual(rulesOf(text('# check=skip=StageNameCasing'), 'dockerfile'), ['image-tag-pinned@1', 'exec-form-cmd@2'], 'another check leaves exec-form-cmd on');
    // Shipshape's ids and hadolint's are no BuildKit checks: the directive does not take them.
    assert.deepEqual(rulesOf(text('# check=skip=image-tag-pinned,DL3006,exec-form-cmd'), 'dockerfile'), ['image-tag-pinned@1', 'exec-form-cmd@2']);
  });

  it('skip=all on a real Dockerfile silences every BuildKit check and nothing else', () => {
    const corpus = loadCorpus();
    if (!corpus) return;
    let checked = 0;
    for (const { path, kind, text } of corpus) {
      if (kind !== 'dockerfile' || /^\s*#\s*check\s*=/im.test(text)) continue;
      checked++;
      const without = service.lint(file(text, 'dockerfile'), config({}));
      const skipped = service.lint(file(`# check=skip=all\n${text}`, 'dockerfile'), config({}));
      const kept = (f: { rule: string }) => buildkitChecksOf(ruleById.get(f.rule)!).length === 0;
      assert.deepEqual(skipped.filter((f) => !kept(f)).map((f) => f.rule), [], path);
      // The directive's own line moves every finding down by one; the rules found stay the same.
      assert.deepEqual(skipped.filter(kept).map((f) => `${f.rule}@${f.range.start.line - 1}`).sort(), without.filter(kept).map((f) => `${f.rule}@${f.range.start.line}`).sort(), path);
    }
    assert.ok(checked > 20, `only ${checked} corpus Dockerfiles`);
  });

  it('runs an experimental check the directive turns on, even under skip=all, as BuildKit does', () => {
    const lines = (directive: string) => findingsOf(copyIgnoredFile, 'dockerfile', `${directive}\nFROM scratch\nCOPY Dockerfile .\n`, { files: { '/work/.dockerignore': '\nDockerfile\n' } }).map((f) => f.range.start.line);
    assert.deepEqual(lines('# check=skip=all;experimental=CopyIgnoredFile'), [2]);
    assert.deepEqual(lines('# check=skip=all;experimental=all'), [2]);
    assert.deepEqual(lines('# check=skip=all'), []);
    assert.deepEqual(lines('# check=skip=CopyIgnoredFile;experimental=JSONArgsRecommended'), [], 'experimental= only turns on experimental checks');
    assert.deepEqual(rulesOf(`
      # check=skip=all;experimental=JSONArgsRecommended
      FROM node:20
      USER node
      CMD npm start
    `, 'dockerfile'), [], 'a check that is not experimental stays skipped');
  });

  it('file-wide shipshape ignores', () => {
    assert.deepEqual(rulesOf(`
      FROM node:20
      # shipshape-ignore-file no-root-user
      CMD ["node"]
    `, 'dockerfile'), []);
  });

  it('silences the next YAML key and what is nested under it', () => {
    assert.deepEqual(rulesOf(`
      services:
        web:
          image: acme/web:1
          # shipshape-ignore depends-on-healthy
          depends_on:
          - db
        db:
          # shipshape-ignore image-tag-pinned
          image: postgres
          privileged: true
    `, 'compose'), ['no-privileged@9']);
  });

  it('honours .hadolint.yaml ignored lists and overrides', () => {
    assert.deepEqual(rulesOf('FROM node\n', 'dockerfile', { ignored: ['DL3006', 'DL3002'] }), []);
    const [finding] = service.lint(file('FROM node:24\nUSER root\n', 'dockerfile'), config({}, { levels: { DL3002: 'error' } }));
    assert.equal(finding.severity, 'error');
  });
});
