import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/from-first';
import { checkRule, config, file, service } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('from-first', () => {
  it('flags every instruction other than ARG before the first FROM', () => check(`
    # syntax=docker/dockerfile:1
    ARG NODE_VERSION=20
    ENV NODE_ENV=production
    ~~~ from-first
    LABEL org.opencontainers.image.title=app
    ~~~~~ from-first
    FROM node:\${NODE_VERSION}
    ENV PORT=8080
  `));

  it('accepts ARGs, comments and directives before FROM', () => check(`
    # syntax=docker/dockerfile:1
    # escape=\\
    # The base image version.
    ARG BASE=alpine:3.20
    ARG TARGETARCH
    FROM \${BASE}
    RUN echo ok
  `));

  it('says once that a file without FROM cannot build', () => check(`
    CMD ["echo", "hi"]
    ~~~ from-first
    RUN echo again
  `));

  it('leaves the other rules checking a file without FROM, as hadolint does, except those about the image it builds', () => {
    const text = [
      'RUN apt-get update && apt-get install -y curl',
      'WORKDIR app',
      'RUN cd /srv && make',
      'USER root',
      'EXPOSE 8080',
      'CMD node server.js',
    ].join('\n');
    const rulesOf = (source: string) => new Set(service.lint(file(source, 'dockerfile'), config({ all: true })).map((f) => f.rule));
    const rules = rulesOf(text);
    for (const id of ['from-first', 'apt-no-install-recommends', 'workdir-absolute', 'workdir-not-cd', 'exec-form-cmd', 'package-cache-cleaned', 'no-root-user']) assert.ok(rules.has(id), `${id} still checks the lines of a fragment`);
    // Without a base image there is nothing to judge for these: what the image runs as, whether it serves, what it is.
    const withoutUser = rulesOf(text.replace('USER root\n', ''));
    for (const id of ['no-root-user', 'healthcheck-present', 'runtime-image-minimal', 'image-tag-pinned', 'prefer-multi-stage', 'multi-arch-ready']) assert.ok(!withoutUser.has(id), `${id} needs a FROM`);
  });

  it('leaves lines that are no instruction to the parser', () => check(`
    {"not": "a dockerfile"}
  `));

  it('matches keywords in any case', () => check(`
    run echo early
    ~~~ from-first
    from alpine:3.20
  `));

  it('reports nothing for an empty file or one with only ARGs', () => {
    check('');
    check(`
      ARG A=1
    `);
  });
});
