import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent, SemanticTokens, SemanticTokensLegend, SignatureHelp, TextEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from './client';

// Dockerfile completion, hover, signature help and semantic tokens over stdio, with the built
// server: the capabilities it advertises and what each request answers.

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG GO_VERSION=1.23',
  'FROM golang:${GO_VERSION}-alpine AS build',
  'WORKDIR /src',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
  '',
  'FROM alpine:3.20',
  'COPY --from=build /out/app /usr/local/bin/app',
  'ENV PORT=8080',
  'RUN echo $PORT',
  'CMD ["app"]',
  '',
].join('\n');

const pos = (line: number, character: number) => ({ line, character });

describe('Dockerfile editing over stdio', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-dockerfile-editing-'));
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    uri = pathToFileURL(join(dir, 'Dockerfile')).href;
    client = await TestClient.start({ workspaceFolder: dir });
    await client.open(uri, 'dockerfile', DOCKERFILE);
  });

  after(async () => {
    await client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises signature help, semantic tokens and the completion triggers for $, {, - and :', () => {
    const c = client.initializeResult!.capabilities;
    assert.deepEqual(c.signatureHelpProvider?.triggerCharacters, [' ']);
    const legend = (c.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
    for (const type of ['keyword', 'parameter', 'variable', 'namespace', 'class', 'macro', 'string']) assert.ok(legend.tokenTypes.includes(type), type);
    for (const ch of ['$', '{', '-', ':']) assert.ok(c.completionProvider?.triggerCharacters?.includes(ch), ch);
  });

  it('completes instructions on an empty line, stages after --from= and variables after $', async () => {
    const empty = await client.completion(uri, pos(5, 0));
    const from = empty.find((i) => i.label === 'FROM');
    assert.ok(from, empty.map((i) => i.label).join(', '));
    assert.equal(from.insertTextFormat, 2, 'a snippet');
    const text = DOCKERFILE.replace('COPY --from=build', 'COPY --from=').replace('RUN echo $PORT', 'RUN echo $');
    await client.replace(uri, text);
    assert.deepEqual((await client.completion(uri, pos(7, 'COPY --from='.length))).map((i) => i.label), ['build']);
    const variables = await client.completion(uri, pos(9, 'RUN echo $'.length));
    assert.ok(variables.some((i) => i.label === 'PORT' && (i.textEdit as TextEdit).newText === 'PORT'));
    assert.ok(!variables.some((i) => i.label === 'GO_VERSION'), 'a global ARG needs ARG in the stage');
    await client.replace(uri, DOCKERFILE);
  });

  it('hovers an instruction with its cache card and its reference in one hover', async () => {
    const hover: Hover | null = await client.hover(uri, pos(4, 1));
    const value = (hover!.contents as MarkupContent).value;
    assert.ok(value.indexOf('**Layer cache**') >= 0 && value.indexOf('**RUN**') > value.indexOf('**Layer cache**'), value);
    assert.ok(value.includes('https://docs.docker.com/reference/dockerfile/#run'));
    const variable = (await client.hover(uri, pos(9, 'RUN echo $P'.length)))!.contents as MarkupContent;
    assert.match(variable.value, /\*\*`PORT`\*\* · ENV \(line 9\) = `8080`/);
  });

  it('answers signature help on COPY and FROM', async () => {
    const help = await client.send<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: pos(7, 'COPY --from=build /out/app '.length) });
    const signature = help.signatures[help.activeSignature!];
    const [start, end] = signature.parameters![help.activeParameter!].label as [number, number];
    assert.equal(signature.label.slice(start, end), '<dest>');
    const none = await client.send<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri }, position: pos(5, 0) });
    assert.equal(none, null);
  });

  it('returns semantic tokens for the whole file', async () => {
    const legend = (client.initializeResult!.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
    const tokens = await client.send<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(tokens.data.length % 5, 0);
    const lines = DOCKERFILE.split('\n');
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      character = tokens.data[i] === 0 ? character + tokens.data[i + 1] : tokens.data[i + 1];
      decoded.push(`${lines[line].substr(character, tokens.data[i + 2])}:${legend.tokenTypes[tokens.data[i + 3]]}`);
    }
    for (const expected of ['syntax:macro', 'FROM:keyword', 'build:namespace', '--mount:parameter', '${GO_VERSION}:variable', 'golang::class', '$PORT:variable']) assert.ok(decoded.includes(expected), `${expected} in ${decoded.join(' ')}`);
  });
});
