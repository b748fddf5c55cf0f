import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { credentialIn, secretWord } from '../../../server/src/rules/dockerfile/no-secrets-in-arg-env';
import { applyFix, declinedFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-secrets-in-arg-env', () => {
  it('flags ARG and ENV names that look like secrets, on the name', () => check(`
    FROM node:20-slim
    ARG NPM_TOKEN
        ~~~~~~~~~ no-secrets-in-arg-env
    ARG AWS_SECRET_ACCESS_KEY
        ~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-arg-env
    ENV DB_HOST=db DB_PASSWORD=hunter2
                   ~~~~~~~~~~~ no-secrets-in-arg-env
    ENV NAGIOSADMIN_PASS nagios
        ~~~~~~~~~~~~~~~~ no-secrets-in-arg-env
    ENV SECRET_KEY_BASE=\${RAILS_KEY}
        ~~~~~~~~~~~~~~~ no-secrets-in-arg-env
  `));

  it('says why ARG and ENV differ', () => {
    const [arg, env] = findingsOf(rule, 'dockerfile', 'FROM alpine\nARG GITHUB_TOKEN\nENV API_KEY=abc123\n');
    assert.match(arg.message, /^Build arg `GITHUB_TOKEN` looks like a secret, and the value passed with --build-arg is recorded in the history of every RUN that uses it, where anyone who can pull the image reads it/);
    assert.match(arg.message, /`RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN`/);
    assert.deepEqual(arg.data, { name: 'GITHUB_TOKEN', keyword: 'ARG', reason: 'name', word: 'token', stage: 'final' });
    assert.equal(arg.severity, 'warning');
    assert.match(env.message, /^`ENV API_KEY` looks like a secret and is stored in the image configuration/);
    assert.equal(env.severity, 'error');
  });

  it('flags credentials by their format whatever the name', () => check(`
    FROM alpine
    ENV BOOTSTRAP=AKIAIOSFODNN7EXAMPLE
        ~~~~~~~~~ no-secrets-in-arg-env
    ARG DATABASE_URL=postgres://app:s3cret@db:5432/app
        ~~~~~~~~~~~~ no-secrets-in-arg-env
    ENV CI_HELPER=ghp_0123456789abcdefghijABCDEFGHIJ012345
        ~~~~~~~~~ no-secrets-in-arg-env
  `));

  it('leaves the false positives of BuildKit and hadolint alone', () => check(`
    FROM golang:1.22
    ENV GOPRIVATE=github.com/acme/*
    ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
    ENV GPG_KEYS="AFD8691FDAEDF03BDF6E460563F15A9B715376CA 9D7F99A0CB8F05C8A6958D6256A97AF7600A39A6"
    ENV AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token
    ENV CHAMBER_KMS_KEY_ALIAS=parameter_store_key
    ENV AUTH_MODULE_VERSION=2.1.0
    ENV SESSION_SECRET_FILE=/run/secrets/session
    ENV NEXT_PUBLIC_API_KEY=pk_test_123
    ENV FACEBOOK_APP_ID=1234 TRAVIS_OS_NAME=linux TRAVIS_SUDO=true
    ENV DB_USER=app PASSWORD_MIN_LENGTH=12 CACHE_KEY_PREFIX=app: SSL_KEY_PATH=/etc/ssl/private/app.key
    ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes TLS_KEY=/run/secrets/tls.key DB_PASSWORD=
    ARG AWS_ACCESS_KEY_ID
    ARG KEY
    ENV PWD=/app
    ENV DATABASE_URL=postgres://db:5432/app APP_DATABASE_URL=postgres://app:\${DB_PASSWORD}@db/app
  `));

  it('reports a global ARG once, not again where a stage imports it', () => check(`
    ARG NPM_TOKEN
        ~~~~~~~~~ no-secrets-in-arg-env
    FROM node:20
    ARG NPM_TOKEN
    RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci
  `));
});

describe('secret names', () => {
  it('takes the secret word as the head of the name', () => {
    assert.equal(secretWord('apiKey'), 'key');
    assert.equal(secretWord('JWT_SECRET'), 'secret');
    assert.equal(secretWord('client-secret'), 'secret');
    assert.equal(secretWord('BASIC_AUTH'), 'auth');
    assert.equal(secretWord('DB_PWD'), 'pwd');
    assert.equal(secretWord('SECRET_KEY_BASE'), 'secret');
    assert.equal(secretWord('TOKEN_B64'), 'token');
    assert.equal(secretWord('MONKEY'), null);
    assert.equal(secretWord('AUTH'), null);
    assert.equal(secretWord('TOKENIZERS_PARALLELISM'), null);
    assert.equal(secretWord('SORT_KEY'), null);
  });

  it('recognises credential formats', () => {
    assert.equal(credentialIn('-----BEGIN OPENSSH PRIVATE KEY-----\nabc'), 'a private key');
    assert.equal(credentialIn('xoxb-123456789012-abcdefghij'), 'a Slack token');
    assert.equal(credentialIn('https://user:${TOKEN}@example.com'), null);
    assert.equal(credentialIn('1.2.3'), null);
  });
});

describe('no-secrets-in-arg-env fix', () => {
  it('moves a build arg to a secret mount on the RUNs that read it', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      ARG NPM_TOKEN
      COPY package*.json ./
      RUN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
      COPY . .
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Pass NPM_TOKEN as a build secret');
    assert.equal(fixed?.text, dedent(`
      # syntax=docker/dockerfile:1
      FROM node:20-slim
      COPY package*.json ./
      RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
      COPY . .
    `));
  });

  it('removes one property of several, and keeps a recent syntax directive', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      # syntax=docker/dockerfile:1.10
      FROM alpine
      ENV APP_PORT=8080 API_TOKEN=abc123 APP_ENV=production
      RUN wget --header "Authorization: Bearer $API_TOKEN" https://example.com/asset
    `);
    assert.equal(fixed?.text, dedent(`
      # syntax=docker/dockerfile:1.10
      FROM alpine
      ENV APP_PORT=8080 APP_ENV=production
      RUN --mount=type=secret,id=api_token,env=API_TOKEN wget --header "Authorization: Bearer $API_TOKEN" https://example.com/asset
    `));
  });

  it('fix: declined, with what to do first, when code of the build context reads the ENV it would remove (the app would lose the value at run time)', () => {
    const text = 'FROM node:24-slim\nCOPY . .\nENV MYSQL_PSWD=benchmarkdbpass\nCMD ["node", "dist/main.js"]\n';
    const files = { '/work/src/app/mysql.service.ts': 'export const c = { password: process.env.MYSQL_PSWD };\n', '/work/package.json': '{}' };
    assert.equal(applyFix(rule, 'dockerfile', text, { files, path: '/work/Dockerfile' }), undefined);
    assert.match(declinedFix(rule, 'dockerfile', text, { files, path: '/work/Dockerfile' }) ?? '', /^`src\/app\/mysql\.service\.ts` reads MYSQL_PSWD at run time, so removing the ENV would leave the app without it; give it to the container another way first/);
    assert.equal(applyFix(rule, 'dockerfile', text, { files: { '/work/package.json': '{}' }, path: '/work/Dockerfile' })?.title, 'Remove ENV MYSQL_PSWD');
  });

  it('offers no fix when something other than RUN reads the variable, for global ARGs, or an old syntax', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine\nENV DB_PASSWORD=x\nCMD ["sh", "-c", "app --password $DB_PASSWORD"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'ARG NPM_TOKEN\nFROM node:20\nRUN npm ci\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', '# syntax=docker/dockerfile:1.4\nFROM alpine\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN\n'), undefined);
  });
});
