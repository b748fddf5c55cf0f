import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/tls-verification-enabled';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('tls-verification-enabled', () => {
  it('flags download tools told to skip certificate checks', () => check(`
    FROM debian:12
    RUN curl -k https://example.com/a && curl --insecure https://example.com/b
             ~~ tls-verification-enabled
                                              ~~~~~~~~~~ tls-verification-enabled
    RUN curl -fsSLk https://example.com/a | sh && wget --no-check-certificate https://example.com/b
             ~~~~~~ tls-verification-enabled
                                                       ~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
  `));

  it('reads curl option clusters the way curl does', () => check(`
    FROM debian:12
    RUN curl -ko /tmp/a https://example.com/a
             ~~~ tls-verification-enabled
    RUN curl -fsSLo k https://example.com/a
  `));

  it('flags pip, npm, yarn and git switches that trust any certificate', () => check(`
    FROM python:3.12
    RUN pip install --trusted-host pypi.example.com -r requirements.txt
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    RUN python -m pip install --trusted-host=pypi.example.com app
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    RUN npm config set strict-ssl false && yarn config set strict-ssl false
                       ~~~~~~~~~~~~~~~~ tls-verification-enabled
                                                           ~~~~~~~~~~~~~~~~ tls-verification-enabled
    RUN git config --global http.sslVerify false && git -c http.sslVerify=false clone https://example.com/r.git
                            ~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
                                                        ~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
  `));

  it('flags package managers told to skip signatures', () => check(`
    FROM debian:12
    RUN apt-get install -y --allow-unauthenticated pkg && apt-get -o Acquire::https::Verify-Peer=false update
                           ~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
                                                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    FROM fedora:40
    RUN dnf install -y --nogpgcheck pkg && rpm -i --nosignature /tmp/x.rpm && yum-config-manager --setopt=sslverify=false --save
                       ~~~~~~~~~~~~ tls-verification-enabled
                                                  ~~~~~~~~~~~~~ tls-verification-enabled
                                                                                                 ~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    FROM alpine:3.20
    RUN apk add --allow-untrusted --repository https://example.com/repo pkg
                ~~~~~~~~~~~~~~~~~ tls-verification-enabled
  `));

  it('does not flag apk installing or indexing local package files built in the build', () => check(`
    FROM alpine:3.20
    COPY --from=build /packages /tmp/packages
    RUN apk add --no-cache --allow-untrusted /tmp/packages/app-\${VERSION}.apk
    RUN apk index --allow-untrusted -o /tmp/packages/APKINDEX.tar.gz /tmp/packages/*.apk
  `));

  it('flags ENV, ARG defaults and assignments that turn verification off', () => check(`
    FROM node:20
    ENV NODE_TLS_REJECT_UNAUTHORIZED=0
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    ARG PYTHONHTTPSVERIFY=0
        ~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    ENV GIT_SSL_NO_VERIFY=false NPM_CONFIG_STRICT_SSL=false
        ~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
    RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci && export PIP_TRUSTED_HOST=pypi.example.com
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
                                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
  `));

  it('does not flag values that keep verification on, or an ARG without a default', () => check(`
    ARG NODE_TLS_REJECT_UNAUTHORIZED=0
    FROM node:20
    ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 NPM_CONFIG_STRICT_SSL=true
    ARG GIT_SSL_NO_VERIFY
    RUN curl -fsSL https://example.com/a && npm config set strict-ssl true && echo "-k"
  `));

  it('flags a stage ARG that brings in a global default', () => check(`
    ARG NODE_TLS_REJECT_UNAUTHORIZED=0
    FROM node:20
    ARG NODE_TLS_REJECT_UNAUTHORIZED
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ tls-verification-enabled
  `));

  it('says where an ENV applies: the running container, for the final stage', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n');
    assert.match(finding.message, /for Node\.js in the build and in the running container/);
    assert.match(finding.message, /NODE_EXTRA_CA_CERTS/);
    const [build] = findingsOf(rule, 'dockerfile', 'FROM node:20 AS build\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nFROM node:20-slim\n');
    assert.match(build.message, /for Node\.js in every RUN of this stage/);
  });

  it('fix: removes the flag word, or the k of a cluster', () => {
    const flag = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN curl -k -fsSL https://example.com/a\n');
    assert.deepEqual(flag, { text: 'FROM debian:12\nRUN curl -fsSL https://example.com/a\n', title: 'Remove `curl -k`', safe: false });
    const cluster = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN curl -fsSLk https://example.com/a\n');
    assert.equal(cluster?.text, 'FROM debian:12\nRUN curl -fsSL https://example.com/a\n');
  });

  it('fix: removes an option with its value, at the end of a line too', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN pip install -r requirements.txt --trusted-host pypi.example.com\n');
    assert.equal(fixed?.text, 'FROM python:3.12\nRUN pip install -r requirements.txt\n');
  });

  it('fix: removes an ENV line, or one setting of several', () => {
    const whole = applyFix(rule, 'dockerfile', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nCMD ["node", "app.js"]\n');
    assert.equal(whole?.text, 'FROM node:20\nCMD ["node", "app.js"]\n');
    const one = applyFix(rule, 'dockerfile', 'FROM node:20\nENV NODE_ENV=production NODE_TLS_REJECT_UNAUTHORIZED=0\n');
    assert.equal(one?.text, 'FROM node:20\nENV NODE_ENV=production\n');
  });

  it('fix: removes a prefix assignment', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20
      RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci
    `);
    assert.equal(fixed?.text, dedent(`
      FROM node:20
      RUN npm ci
    `));
    assert.deepEqual(findingsOf(rule, 'dockerfile', fixed!.text), []);
  });

  it('offers no fix where removing a word would not do: config commands, exports, the exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN npm config set strict-ssl false\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["curl", "-k", "https://example.com"]\n'), undefined);
  });
});
