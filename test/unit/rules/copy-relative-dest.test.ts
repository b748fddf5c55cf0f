import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-relative-dest';
import { argumentWords } from '../../../server/src/dockerfile/copyArguments';
import { checkRule, findingsOf } from '../../helpers/check';
import { TextDocument } from 'vscode-languageserver-textdocument';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('copy-relative-dest', () => {
  it('flags COPY and ADD to a relative destination before any WORKDIR', () => check(`
    FROM python:3.12-slim
    COPY requirements.txt .
                          ~ copy-relative-dest
    ADD app.tar.gz app/
                   ~~~~ copy-relative-dest
    WORKDIR /srv
    COPY . .
  `));

  it('accepts absolute destinations, Windows ones included', () => check(`
    FROM python:3.12-slim
    COPY requirements.txt /srv/
    COPY ["a b.txt", "/srv/a b.txt"]
    COPY --chown=app:app entrypoint.sh /usr/local/bin/
    COPY app.exe C:\\app\\
    COPY app.exe c:/app/
    COPY "./config" "/etc/app/"
  `));

  it('trusts a WORKDIR set in a stage this one is built FROM', () => check(`
    FROM node:20 AS base
    WORKDIR /app
    FROM base AS deps
    COPY package.json ./
    FROM deps
    COPY . .
  `));

  it('judges each stage on its own chain: COPY --from does not bring a WORKDIR', () => check(`
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    FROM debian:12-slim
    COPY --from=build /src/app app
                               ~~~ copy-relative-dest
  `));

  it('does not flag FROM scratch, where the working directory is plainly /', () => check(`
    FROM scratch
    COPY app .
  `));

  it('leaves destinations built from a variable alone', () => check(`
    FROM alpine:3.20
    ENV APP=/opt/app
    COPY run.sh $APP/
    COPY run.sh "\${APP}"/bin/
  `));

  it('finds the destination of JSON form, heredocs and continued lines', () => check(`
    FROM alpine:3.20
    COPY ["a.txt", "b.txt", "dir/"]
                            ~~~~~~ copy-relative-dest
    COPY <<EOF conf/app.ini
               ~~~~~~~~~~~~ copy-relative-dest
    [main]
    EOF
    COPY a.txt \\
      b.txt \\
      target/
      ~~~~~~~ copy-relative-dest
  `));

  it('does not look into ONBUILD triggers, which run in the child image', () => check(`
    FROM node:20
    ONBUILD COPY . .
  `));

  it('is an info where the destination works today (a base known to set no WORKDIR: node, ubuntu) and in build stages, a warning where the base may set its own', () => {
    const severity = (text: string) => findingsOf(rule, 'dockerfile', text).map((f) => f.severity);
    const [node] = findingsOf(rule, 'dockerfile', 'FROM node:24-slim\nCOPY ./ ./\nCMD ["node", "index.js"]\n');
    assert.equal(node.severity, 'info');
    assert.match(node.message, /lands in `\/`, since `node:24-slim` sets no WORKDIR/);
    assert.deepEqual(severity('FROM golang:1.22 AS build\nCOPY go.mod .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n'), ['info']);
    assert.deepEqual(severity('FROM golang:1.22\nCOPY . .\nCMD ["./app"]\n'), ['warning']);
  });

  it('splits arguments the way Docker does', () => {
    const text = 'COPY a "b c" d\\ e \\\n  # note\n  f\n';
    const doc = TextDocument.create('file:///x', 'dockerfile', 0, text);
    const words = argumentWords(doc, { start: { line: 0, character: 5 }, end: doc.positionAt(text.length - 1) }, '\\');
    assert.deepEqual(words.map((w) => w.text), ['a', '"b c"', 'd\\ e', 'f']);
  });
});
