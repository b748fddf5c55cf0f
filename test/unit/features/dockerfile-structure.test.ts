import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { LanguageService, type DockerfileContext } from '../../../server/src/service';
import { diskFiles } from '../../../server/src/files';
import { outlineDockerfile } from '../../../server/src/features/outline/dockerfile';
import { foldingDockerfile } from '../../../server/src/features/folding/dockerfile';
import { linksDockerfile } from '../../../server/src/features/links/dockerfile';
import { dockerfileLibrary } from '../../../server/src/features/dockerfile/library';
import { loadCorpus } from '../../helpers/corpus';

// Outline, folding and document links of Dockerfiles, on small cases and over the corpus.

const service = new LanguageService({ docsBase: 'file:///docs', files: diskFiles, onFailure: (what, error) => { throw new Error(`${what}: ${String(error)}`); } });

function context(text: string, uri = 'file:///project/Dockerfile'): DockerfileContext {
  return service.dockerfileFeature({ uri, text, kind: 'dockerfile' })!;
}

const MULTI = [
  '# syntax=docker/dockerfile:1',
  '# Builds the app,',
  '# then serves it.',
  'ARG NODE=22',
  'FROM node:${NODE} AS build',
  'WORKDIR /app',
  'RUN npm ci \\',
  '    && npm run build',
  'RUN <<EOF',
  'echo one',
  'echo two',
  'EOF',
  '',
  'FROM nginx:1.27',
  'ENV A=1 B=2',
  'COPY --from=build /app/dist /usr/share/nginx/html',
  '',
].join('\n');

describe('Dockerfile outline', () => {
  it('lists global ARGs, then stages (name or index, base image) with their instructions', () => {
    const outline = outlineDockerfile(context(MULTI).model);
    assert.deepEqual(outline.map((s) => [s.name, s.kind, s.detail]), [
      ['ARG', SymbolKind.Variable, 'NODE=22'],
      ['build', SymbolKind.Class, 'node:${NODE}'],
      ['stage 1', SymbolKind.Class, 'nginx:1.27'],
    ]);
    assert.deepEqual(outline[1].children!.map((c) => c.name), ['WORKDIR', 'RUN', 'RUN']);
    assert.equal(outline[1].children![1].detail, 'npm ci && npm run build');
    assert.deepEqual(outline[2].children![0].children!.map((c) => c.name), ['A', 'B']);
    assert.deepEqual(outline[0].children!.map((c) => [c.name, c.detail]), [['NODE', '22']]);
  });

  it('lists the instructions of a file without FROM at the top level', () => {
    assert.deepEqual(outlineDockerfile(context('RUN a\nCMD b\n').model).map((s) => s.name), ['RUN', 'CMD']);
  });
});

describe('Dockerfile folding', () => {
  it('folds stages, multi-line instructions, here-documents and comment blocks', () => {
    const ranges = foldingDockerfile(context(MULTI).model).map((r) => [r.startLine, r.endLine, r.kind ?? null]);
    assert.deepEqual(ranges, [
      [0, 2, FoldingRangeKind.Comment],
      [4, 11, FoldingRangeKind.Region],
      [6, 7, null],
      [8, 11, null],
      [13, 15, FoldingRangeKind.Region],
    ]);
  });

  it('folds a here-document that starts on a continuation line on its own', () => {
    const text = 'FROM alpine\nRUN --mount=type=cache,target=/x \\\n  <<EOF\necho a\necho b\nEOF\n';
    const ranges = foldingDockerfile(context(text).model).map((r) => [r.startLine, r.endLine]);
    assert.deepEqual(ranges, [[0, 5], [1, 5], [2, 4]]);
  });
});

describe('Dockerfile document links', () => {
  it('links FROM images to their registry page, and nothing for stages, scratch, variables or private registries', () => {
    const text = [
      'FROM node:22 AS build',
      'FROM build',
      'FROM ghcr.io/astral-sh/uv:0.5 AS uv',
      'FROM mcr.microsoft.com/dotnet/aspnet:8.0',
      'FROM quay.io/prometheus/node-exporter',
      'FROM public.ecr.aws/lambda/python:3.12',
      'FROM bitnami/redis@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      'FROM scratch',
      'FROM ${IMAGE}',
      'FROM registry.example.com/team/app:1',
      'FROM gcr.io/distroless/static',
      '',
    ].join('\n');
    const links = linksDockerfile(context(text));
    const lines = text.split('\n');
    assert.deepEqual(links.map((l) => [lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.target]), [
      ['node:22', 'https://hub.docker.com/_/node'],
      ['ghcr.io/astral-sh/uv:0.5', 'https://ghcr.io/astral-sh/uv'],
      ['mcr.microsoft.com/dotnet/aspnet:8.0', 'https://mcr.microsoft.com/artifact/mar/dotnet/aspnet'],
      ['quay.io/prometheus/node-exporter', 'https://quay.io/repository/prometheus/node-exporter'],
      ['public.ecr.aws/lambda/python:3.12', 'https://gallery.ecr.aws/lambda/python'],
      ['bitnami/redis@sha256:0000000000000000000000000000000000000000000000000000000000000000', 'https://hub.docker.com/r/bitnami/redis'],
    ]);
  });

  it('the library links public.ecr.aws and gcr.io images to Docker Hub pages of other images (why the links are ours)', () => {
    const text = 'FROM public.ecr.aws/lambda/python:3.12\nFROM gcr.io/distroless/static\n';
    const theirs = dockerfileLibrary().computeLinks(text).map((l) => (l.data as string | undefined) ?? l.target);
    assert.deepEqual(theirs, ['r/lambda/python/', 'r/distroless/static/']);
    assert.deepEqual(linksDockerfile(context(text)).map((l) => l.target), ['https://gallery.ecr.aws/lambda/python']);
  });

  it('links COPY and ADD sources that are files of the build context, not globs, folders or missing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-links-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'package.json'), '{}');
      writeFileSync(join(dir, 'src', 'main.js'), '');
      const text = [
        'FROM node:22 AS build',
        'COPY package.json missing.json ./',
        'COPY ["src/main.js", "/app/"]',
        'COPY src/ /app/src/',
        'COPY *.json ./',
        'ADD https://example.com/a.tgz /tmp/',
        'COPY --from=build /app/package.json /x',
        'COPY ./package.json /y',
        '',
      ].join('\n');
      const path = join(dir, 'Dockerfile');
      writeFileSync(path, text);
      const links = linksDockerfile(context(text, pathToFileURL(path).href)).filter((l) => l.target!.startsWith('file:'));
      const lines = text.split('\n');
      assert.deepEqual(links.map((l) => [l.range.start.line, lines[l.range.start.line].slice(l.range.start.character, l.range.end.character), l.target]), [
        [1, 'package.json', pathToFileURL(join(dir, 'package.json')).href],
        [2, '"src/main.js"', pathToFileURL(join(dir, 'src', 'main.js')).href],
        [7, './package.json', pathToFileURL(join(dir, 'package.json')).href],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const corpus = loadCorpus()?.filter((f) => f.kind === 'dockerfile') ?? [];

function inside(range: Range, lineCount: number): boolean {
  return range.start.line >= 0 && range.end.line < lineCount && (range.start.line < range.end.line || range.start.character <= range.end.character);
}

function walk(symbols: DocumentSymbol[], visit: (s: DocumentSymbol, parent: DocumentSymbol | null) => void, parent: DocumentSymbol | null = null): void {
  for (const s of symbols) {
    visit(s, parent);
    walk(s.children ?? [], visit, s);
  }
}

describe('Dockerfile structure over the corpus', () => {
  it('outline: one symbol per stage, every instruction once, each inside its parent; folds inside the file; links where images are', { skip: corpus.length === 0 }, () => {
    let links = 0;
    for (const file of corpus) {
      const c = context(file.text, pathToFileURL(file.path).href);
      const lineCount = file.text.split(/\r?\n/).length;
      const outline = outlineDockerfile(c.model);
      const real = c.model.stages.filter((s) => !s.implicit);
      assert.equal(outline.filter((s) => s.kind === SymbolKind.Class).length, real.length, file.name);
      let instructions = 0;
      walk(outline, (s, parent) => {
        assert.ok(inside(s.range, lineCount) && inside(s.selectionRange, lineCount), file.name);
        if (parent) assert.ok(parent.range.start.line <= s.range.start.line && s.range.end.line <= parent.range.end.line, `${file.name}: ${s.name}`);
        if (s.kind !== SymbolKind.Class && (!parent || parent.kind === SymbolKind.Class)) instructions++;
      });
      assert.equal(instructions, c.model.instructions.length - real.length, file.name);
      for (const r of foldingDockerfile(c.model)) assert.ok(r.startLine < r.endLine && r.endLine < lineCount, `${file.name}: ${r.startLine}-${r.endLine}`);
      const found = linksDockerfile(c);
      for (const l of found) assert.ok(inside(l.range, lineCount) && /^(https|file):/.test(l.target!), file.name);
      links += found.length;
    }
    assert.ok(links > corpus.length / 2, `${links} links`);
  });
});
