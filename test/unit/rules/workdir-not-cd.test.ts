import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/workdir-not-cd';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('workdir-not-cd', () => {
  it('flags a RUN that starts by changing directory', () => check(`
    FROM node:20
    RUN cd /app && npm ci
        ~~~~~~~ workdir-not-cd
  `));

  it('looks past a leading set -eux', () => check(`
    FROM debian:12
    RUN set -eux; cd /usr/src/app; make
                  ~~~~~~~~~~~~~~~ workdir-not-cd
  `));

  it('flags a cd that is the whole RUN: it changes nothing', () => check(`
    FROM alpine:3.20
    RUN cd /srv
        ~~~~~~~ workdir-not-cd
  `));

  it('flags a cd that ends the RUN: the next instruction starts in the WORKDIR again', () => check(`
    FROM alpine:3.20
    RUN mkdir -p /srv/app && cd /srv/app
                             ~~~~~~~~~~~ workdir-not-cd
    COPY . .
  `));

  it('flags the first command of a heredoc script', () => check(`
    FROM alpine:3.20
    RUN <<EOF
    cd /srv
    ~~~~~~~ workdir-not-cd
    make
    EOF
  `));

  it('does not flag a cd in the middle of a RUN: a directory made by that RUN, scoped to it', () => check(`
    FROM debian:12
    RUN curl -fsSL https://example.com/src.tar.gz | tar -xz -C /tmp \\
        && cd /tmp/src && ./configure && make install \\
        && cd / && rm -rf /tmp/src
  `));

  it('does not flag cd in a subshell, a command substitution, a condition or sh -c', () => check(`
    FROM debian:12
    RUN (cd /src && make) && make -C /other
    RUN echo "$(cd /src && pwd)"
    RUN if true; then cd /src; fi
    RUN sh -c 'cd /src && make'
    RUN ["sh", "-c", "cd /src && make"]
  `));

  it('does not flag scratch directories: temporary ones, or one the RUN deletes again', () => check(`
    FROM debian:12
    RUN cd /tmp && curl -fsSLO https://example.com/x.deb && dpkg -i x.deb
    RUN cd /usr/src/build && make && cd / && rm -rf /usr/src/build
    RUN cd "$(mktemp -d)" && make
    RUN cd - && make
  `));

  it('resolves an ENV in the directory and skips one only known at build time', () => check(`
    FROM golang:1.22
    ENV SRC=/go/src/app
    RUN cd $SRC && go build
        ~~~~~~~ workdir-not-cd
    ARG DIR
    RUN cd $DIR && make
  `));

  it('leaves Windows stages alone', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    RUN cd C:\\app && build.cmd
  `));

  it('fix: moves a leading cd into a WORKDIR line, keeping flags and continuations', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20
      RUN --mount=type=cache,target=/root/.npm cd /app && \\
          npm ci
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Move `cd /app` into a WORKDIR instruction');
    assert.equal(fixed?.text, dedent(`
      FROM node:20
      WORKDIR /app
      RUN --mount=type=cache,target=/root/.npm npm ci
    `));
  });

  it('fix: keeps a leading set and the indentation of the RUN', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\n  RUN set -eux; cd /src; make\n');
    assert.equal(fixed?.text, 'FROM debian:12\n  WORKDIR /src\n  RUN set -eux; make\n');
  });

  it('fix: removes the line from a heredoc script', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN <<EOF\ncd /srv\nmake\nEOF\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nWORKDIR /srv\nRUN <<EOF\nmake\nEOF\n');
  });

  it('fix: replaces a RUN that only changes directory by WORKDIR', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN cd /srv\nCOPY . .\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nWORKDIR /srv\nCOPY . .\n');
  });

  it('fix: the result is no longer reported (idempotent)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20\nRUN cd /app && npm ci\n');
    assert.ok(fixed);
    check(fixed.text);
  });

  it('offers no fix for a variable, a relative path, a guarded cd, or a cd that ends the RUN', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22\nENV SRC=/go/src\nRUN cd $SRC && go build\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN cd app && npm ci\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN cd /app || exit 1; npm ci\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN npm ci && cd /app\n'), undefined);
  });
});
