import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/package-cache-cleaned';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('package-cache-cleaned', () => {
  it('flags apt-get update whose lists stay in the layer', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends curl
        ~~~~~~~~~~~~~~ package-cache-cleaned
  `));

  it('accepts the lists removed in the same RUN, apt-get dist-clean, or a mount over them', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    RUN set -eux; apt-get update; apt-get install -y git; apt-get dist-clean
    RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y jq
    RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y jq
  `));

  it('still flags lists removed only by a later RUN', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y curl
        ~~~~~~~~~~~~~~ package-cache-cleaned
    RUN rm -rf /var/lib/apt/lists/*
  `));

  it('judges only the stages that reach the final image', () => check(`
    FROM debian:12 AS build
    RUN apt-get update && apt-get install -y build-essential && pip install -r requirements.txt
    FROM build AS test
    RUN apk add bash
    FROM debian:12-slim AS base
    RUN apt-get update && apt-get install -y ca-certificates
        ~~~~~~~~~~~~~~ package-cache-cleaned
    FROM base
    COPY --from=build /out /app
  `));

  it('flags apk add without --no-cache and apk update, not --no-cache or --no-network', () => check(`
    FROM alpine:3.20
    RUN apk add curl
        ~~~~~~~~~~~~ package-cache-cleaned
    RUN apk update && apk add --no-cache git
        ~~~~~~~~~~ package-cache-cleaned
    RUN apk add --no-cache bash && apk add --no-network --virtual .rundeps $runDeps
    RUN apk add --update jq && rm -rf /var/cache/apk/*
  `));

  it('flags pip install without --no-cache-dir unless PIP_NO_CACHE_DIR is set', () => check(`
    FROM python:3.12-slim
    RUN pip install -r requirements.txt
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-cache-cleaned
    RUN python -m pip install --no-cache-dir gunicorn
    RUN PIP_NO_CACHE_DIR=1 pip install flask
    ENV PIP_NO_CACHE_DIR=off
    RUN pip install uvicorn
  `));

  it('accepts PIP_NO_CACHE_DIR or UV_NO_CACHE exported earlier in the RUN (hadolint\'s DL3042 tests)', () => check(`
    FROM python:3.12-slim
    RUN export PIP_NO_CACHE_DIR=1 && pip install MySQL_python
    RUN export PIP_NO_CACHE_DIR=yes; pip install flask
    RUN export UV_NO_CACHE=1 && uv pip install --system httpx
    RUN pip install requests && export PIP_NO_CACHE_DIR=1
        ~~~~~~~~~~~~~~~~~~~~ package-cache-cleaned
  `));

  it('accepts pip cache purge and a cache mount at the pip cache', () => check(`
    FROM python:3.12-slim
    RUN pip install -r requirements.txt && pip cache purge
    RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
  `));

  it('flags npm and yarn installs without a cache clean, and yum, dnf and zypper without clean', () => check(`
    FROM node:20-slim
    RUN npm ci --omit=dev
        ~~~~~~~~~~~~~~~~~ package-cache-cleaned
    RUN npm install -g pm2 && npm cache clean --force
    RUN yarn install --frozen-lockfile
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-cache-cleaned
    RUN yarn --version && yarn install && yarn cache clean
  `));

  it('flags the RPM family and zypper', () => check(`
    FROM rockylinux:9
    RUN yum install -y httpd
        ~~~~~~~~~~~~~~~~~~~~ package-cache-cleaned
    RUN dnf install -y git && dnf clean all
    RUN microdnf install -y tar
        ~~~~~~~~~~~~~~~~~~~~~~~ package-cache-cleaned
    RUN zypper -n install curl && zypper clean --all
  `));

  it('reports one finding per manager and RUN, at the first command', () => {
    const findings = findingsOf(rule, 'dockerfile', 'FROM python:3.12\nRUN pip install a && pip install b && apt-get update\n');
    assert.deepEqual(findings.map((f) => f.range.start.character), [4, 38]);
  });

  it('leaves alone a RUN the shell grammar cannot read', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y a \\
      b \`# a comment\` \\
      && rm -rf /var/lib/apt/lists/*
  `));

  it('fix: appends the apt lists cleanup at the end of the RUN', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM debian:12
      RUN apt-get update \\
          && apt-get install -y curl
      CMD ["curl"]
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Append `rm -rf /var/lib/apt/lists/*` to the RUN');
    assert.equal(fixed?.text, dedent(`
      FROM debian:12
      RUN apt-get update \\
          && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
      CMD ["curl"]
    `));
  });

  it('fix: appends inside a here-document script', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git\nEOF\n');
    assert.equal(fixed?.text, 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git && rm -rf /var/lib/apt/lists/*\nEOF\n');
  });

  it('fix: is unsafe when a later RUN installs from the same lists without updating', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl\n');
  });

  it('fix: is unsafe, saying why, when a later RUN runs a script Shipshape cannot read, which may install from the lists', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nCOPY install-lib /tmp/\nRUN /tmp/install-lib\n');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Append `rm -rf /var/lib/apt/lists/*` to the RUN (`/tmp/install-lib` may still read the lists)');
  });

  it('fix: offers nothing when the RUN does not end with a plain command', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN if true; then apt-get update && apt-get install -y curl; fi\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl > /dev/null\n'), undefined);
  });

  it('fix: adds --no-cache to apk add and --no-cache-dir to pip install', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN apk add curl git\n')?.text, 'FROM alpine:3.20\nRUN apk add --no-cache curl git\n');
    const pip = applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN pip install -r a.txt && python3 -m pip install b==1\n');
    assert.equal(pip?.text, 'FROM python:3.12\nRUN pip install --no-cache-dir -r a.txt && python3 -m pip install --no-cache-dir b==1\n');
    assert.equal(pip?.safe, true);
  });

  it('fix: removes the index after apk update', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN apk update && apk add curl\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n');
  });

  it('fix: cleans npm, yarn and dnf caches with their own commands', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN npm ci\n')?.text, 'FROM node:20\nRUN npm ci && npm cache clean --force\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN yarn install --frozen-lockfile\n')?.text, 'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM fedora:40\nRUN microdnf install -y tar\n')?.text, 'FROM fedora:40\nRUN microdnf install -y tar && microdnf clean all\n');
  });

  it('offers no fix that removes a cache a later stage copies', () => {
    assert.equal(applyFix(rule, 'dockerfile', dedent(`
      FROM node:20 AS deps
      WORKDIR /app
      RUN npm ci
      FROM deps
      COPY --from=deps /root/.npm /root/.npm-offline
      CMD ["node", "server.js"]
    `)), undefined);
  });

  it('fix: keeps sudo for the cleanup of a command run through sudo', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl\n');
    assert.equal(fixed?.text, 'FROM debian:12\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*\n');
  });

  it('fix: offers nothing for exec form, where flags cannot be placed', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN ["pip", "install", "flask"]\n'), undefined);
  });
});
