import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-ignored-file';
import { checkRule, findingsOf } from '../../helpers/check';
import { cleanPath, excludedBy, isExcluded, parseDockerignore } from '../../../server/src/dockerfile/dockerignore';

const check = (text: string, ignore: string, extra: Record<string, string> = {}) => checkRule(rule, 'dockerfile', text, { files: { '/work/.dockerignore': ignore, ...extra } });

describe('copy-ignored-file', () => {
  it('flags a source the .dockerignore excludes', () => check(`
    FROM node:20-slim
    COPY package.json ./
    COPY dist/ /app/dist/
         ~~~~~ copy-ignored-file
    COPY ./config/app.yaml /etc/app/
         ~~~~~~~~~~~~~~~~~ copy-ignored-file
  `, 'dist\n# generated\nconfig/*.yaml\n'));

  it('names the pattern, its line and the exception to add', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine\nCOPY tmp/helloworld.txt /\n', { files: { '/work/.dockerignore': '# scratch files\n*/tmp/*\ntmp\n' } });
    assert.equal(finding.message, '`tmp/helloworld.txt` is excluded from the build context by `tmp` (.dockerignore, line 3), so this COPY fails or copies nothing; remove the pattern or add `!tmp/helloworld.txt` after it.');
    assert.deepEqual(finding.data, { source: 'tmp/helloworld.txt', pattern: 'tmp', ignoreFile: '/work/.dockerignore', line: 2 });
  });

  it('honours exceptions: the last matching pattern wins', () => check(`
    FROM golang:1.22
    COPY go.mod go.sum ./
    COPY main.go ./
    COPY docs/README.md ./
         ~~~~~~~~~~~~~~ copy-ignored-file
  `, '*\n!go.*\n!*.go\n'));

  it('does not flag a folder whose files an exception lets through (moby/buildkit#6512)', () => check(`
    FROM golang:1.22
    COPY . /src/
    COPY internal /src/internal
    COPY cmd /src/cmd
  `, '*\n!internal/\n!cmd/**/*.go\n'));

  it('judges a wildcard source as written, and only without exceptions', () => {
    check(`
      FROM alpine
      COPY *.md /docs/
           ~~~~ copy-ignored-file
      COPY docs/*.txt /docs/
    `, '*.md\n');
    check(`
      FROM node:20-slim
      COPY *.json ./
    `, '*\n!package.json\n');
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile', () => {
    const files = { '/work/api.Dockerfile.dockerignore': 'secrets\n', '/work/.dockerignore': 'src\n' };
    assert.deepEqual(findingsOf(rule, 'dockerfile', 'FROM alpine\nCOPY src /src\nCOPY secrets /s\n', { files, path: '/work/api.Dockerfile' }).map((f) => f.data?.source), ['secrets']);
  });

  it('skips --from copies, URLs, unknown variables and paths outside the context', () => check(`
    FROM alpine AS build
    FROM alpine
    ARG SRC
    COPY --from=build /dist /dist
    ADD https://example.com/dist.tar.gz /tmp/
    COPY $SRC /app/
    COPY ../dist /dist
  `, 'dist\n'));

  it('expands build args with defaults', () => check(`
    FROM alpine
    ARG OUT=dist
    COPY \${OUT}/app /app
         ~~~~~~~~~~ copy-ignored-file
  `, 'dist\n'));

  it('reports nothing without a .dockerignore or without a path', () => {
    assert.equal(findingsOf(rule, 'dockerfile', 'FROM alpine\nCOPY dist /dist\n', { files: {} }).length, 0);
    assert.equal(findingsOf(rule, 'dockerfile', 'FROM alpine\nCOPY dist /dist\n').length, 0);
  });
});

describe('.dockerignore matching', () => {
  const excluded = (ignore: string, path: string) => isExcluded(parseDockerignore(ignore), path);

  it('anchors patterns at the context root and strips / and ./', () => {
    assert.ok(excluded('/node_modules\n', 'node_modules/a/index.js'));
    assert.ok(excluded('./dist/\n', 'dist'));
    assert.ok(!excluded('*.md\n', 'docs/guide.md'));
    assert.ok(excluded('*/*.md\n', 'docs/guide.md'));
  });

  it('matches ** across folders, ? and character classes', () => {
    assert.ok(excluded('**/*.log\n', 'a/b/c/x.log'));
    assert.ok(excluded('**/*.log\n', 'x.log'));
    assert.ok(excluded('docs/**\n', 'docs/a/b.md'));
    assert.ok(excluded('file?.txt\n', 'file1.txt'));
    assert.ok(!excluded('file?.txt\n', 'file10.txt'));
    assert.ok(excluded('*.py[cod]\n', 'm.pyc'));
  });

  it('skips comments and blank lines, trims, and cleans paths', () => {
    const patterns = parseDockerignore('\uFEFF# comment\n\n  build  \n!  build/keep\na//b/../c\n');
    assert.deepEqual(patterns.map((p) => [p.pattern, p.negated, p.line]), [['build', false, 2], ['build/keep', true, 3], ['a/c', false, 4]]);
    assert.equal(excludedBy(patterns, 'build/x')?.line, 2);
    assert.equal(excludedBy(patterns, 'build/keep'), null);
    assert.equal(cleanPath('./a/./b/'), 'a/b');
  });
});
