import { describe, it } from 'node:test';
import rule from '../../../server/src/rules/dockerfile/onbuild-valid';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('onbuild-valid', () => {
  it('flags FROM, MAINTAINER and ONBUILD as triggers', () => check(`
    FROM node:20
    ONBUILD FROM alpine:3.20
            ~~~~ onbuild-valid
    ONBUILD MAINTAINER someone@example.com
            ~~~~~~~~~~ onbuild-valid
    ONBUILD ONBUILD RUN echo hi
            ~~~~~~~ onbuild-valid
  `));

  it('matches trigger keywords in any case', () => check(`
    FROM node:20
    onbuild from alpine:3.20
            ~~~~ onbuild-valid
  `));

  it('accepts the triggers base images use', () => check(`
    FROM python:3.12
    ONBUILD COPY requirements.txt /usr/src/app/
    ONBUILD RUN pip install --no-cache-dir -r /usr/src/app/requirements.txt
    ONBUILD ARG NODE_ENV
    ONBUILD ENV NODE_ENV=$NODE_ENV
    ONBUILD RUN ["echo", "test"]
  `));

  it('does not judge an ONBUILD without a trigger (a syntax error of its own)', () => check(`
    FROM node:20
    ONBUILD
  `));
});
