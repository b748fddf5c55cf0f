import { describe, it } from 'node:test';
import rule from '../../../server/src/rules/dockerfile/from-first';
import { checkRule } from '../../helpers/check';

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
