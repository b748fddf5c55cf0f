import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/workdir-absolute';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('workdir-absolute', () => {
  it('flags a relative path as the first WORKDIR of a stage', () => check(`
    FROM node:20-slim
    WORKDIR app
            ~~~ workdir-absolute
    COPY . .
  `));

  it('flags ./ paths and quoted paths', () => check(`
    FROM python:3.12-slim
    WORKDIR "./src"
            ~~~~~~~ workdir-absolute
  `));

  it('accepts absolute paths, and relative ones after a WORKDIR this file set (BuildKit semantics)', () => check(`
    FROM node:20-slim
    WORKDIR /srv
    WORKDIR app
    WORKDIR ../other
  `));

  it('only checks the first WORKDIR of a stage, even when that one is relative', () => check(`
    FROM golang:1.22
    WORKDIR src
            ~~~ workdir-absolute
    WORKDIR app
  `));

  it('inherits the WORKDIR of the stage a stage is built FROM, but not of unrelated stages', () => check(`
    FROM node:20 AS deps
    WORKDIR /app
    FROM deps AS build
    WORKDIR dist
    FROM nginx:1.27
    WORKDIR html
            ~~~~ workdir-absolute
  `));

  it('resolves ARG and ENV defaults, and skips variables it cannot know', () => check(`
    FROM golang:1.22
    ARG APP=/srv/app
    WORKDIR $GOPATH/src
    FROM alpine:3.20
    ENV APP_HOME=\${APP:-/opt/app}
    WORKDIR \${APP_HOME}
    FROM alpine:3.20
    ARG DIR=build
    WORKDIR $DIR
            ~~~~ workdir-absolute
  `));

  it('uses the value a variable has at the WORKDIR, not at the end of the stage', () => check(`
    FROM alpine:3.20
    ENV DIR=/srv
    WORKDIR $DIR
    FROM alpine:3.20
    ENV DIR=data
    WORKDIR $DIR
            ~~~~ workdir-absolute
    ENV DIR=/srv
  `));

  it('expands the values of one ENV against the scope before it, as Docker does', () => check(`
    FROM alpine:3.20
    ENV DIR=relative
    ENV DIR=/srv OTHER=$DIR
    WORKDIR $OTHER
            ~~~~~~ workdir-absolute
    FROM alpine:3.20
    ENV BASE=/opt
    ENV BASE=data APP=$BASE/app
    WORKDIR $APP
  `));

  it('treats Windows drive paths as absolute', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    WORKDIR C:\\app
    FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
    WORKDIR C:/tools
  `));

  it('says which image the path depends on', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22 AS build\nWORKDIR src\n');
    assert.match(finding.message, /`WORKDIR src` is relative to whatever working directory `golang:1\.22` sets/);
  });

  it('is an info where the path works today (a base known to set no WORKDIR: spock on haskell) and in build stages, a warning where the base may set its own', () => {
    const severity = (text: string) => findingsOf(rule, 'dockerfile', text).map((f) => f.severity);
    assert.deepEqual(severity('FROM haskell:9.8\nWORKDIR spock\nCMD ["spock"]\n'), ['info']);
    assert.deepEqual(severity('FROM golang:1.22 AS build\nWORKDIR src\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n'), ['info']);
    assert.deepEqual(severity('FROM golang:1.22\nWORKDIR src\nCMD ["./app"]\n'), ['warning']);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM haskell:9.8\nWORKDIR spock\n')?.text, 'FROM haskell:9.8\nWORKDIR /spock\n');
  });

  it('fix: prefixes / when the base image is known to start at /', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nWORKDIR app\nCOPY . .\n');
    assert.deepEqual(fixed, { text: 'FROM alpine:3.20\nWORKDIR /app\nCOPY . .\n', title: 'Make the path absolute: /app', safe: true });
  });

  it('fix: handles ./ prefixes, quotes, variables and scratch', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nWORKDIR ./app/src\n')?.text, 'FROM debian:12\nWORKDIR /app/src\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nWORKDIR "my app"\n')?.text, 'FROM ubuntu:24.04\nWORKDIR "/my app"\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM scratch\nARG D=bin\nWORKDIR $D\n')?.text, 'FROM scratch\nARG D=bin\nWORKDIR /$D\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20 AS base\nFROM base\nWORKDIR app\n')?.text, 'FROM alpine:3.20 AS base\nFROM base\nWORKDIR /app\n');
  });

  it('fix: is not offered when the base image may set its own working directory', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22\nWORKDIR src\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM example.com/alpine:3\nWORKDIR src\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nWORKDIR ../src\n'), undefined);
  });

  it('fix: clears the finding', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nWORKDIR ./app\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });
});

describe('workdir-absolute ignores', () => {
  it('honours hadolint and BuildKit names', () => {
    assert.equal(findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3000\nWORKDIR app\n').length, 0);
    assert.equal(findingsOf(rule, 'dockerfile', '# check=skip=WorkdirRelativePath\nFROM alpine:3.20\nWORKDIR app\n').length, 0);
  });
});
