import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { secretFile } from '../../../server/src/rules/dockerfile/no-secret-files-copied';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string, files?: Record<string, string>) => checkRule(rule, 'dockerfile', text, files ? { files } : {});

describe('no-secret-files-copied', () => {
  it('flags env files, SSH keys, private keys and credential files copied by name', () => check(`
    FROM node:20-slim
    COPY .env ./
         ~~~~ no-secret-files-copied
    COPY .env.production id_rsa /app/
         ~~~~~~~~~~~~~~~ no-secret-files-copied
                         ~~~~~~ no-secret-files-copied
    ADD certs/server.key /etc/ssl/private/
        ~~~~~~~~~~~~~~~~ no-secret-files-copied
    COPY ["secrets/cert.p12", "/etc/app/"]
          ~~~~~~~~~~~~~~~~~~ no-secret-files-copied
    COPY .aws/credentials /root/.aws/credentials
         ~~~~~~~~~~~~~~~~ no-secret-files-copied
    COPY .docker/config.json /root/.docker/
         ~~~~~~~~~~~~~~~~~~~ no-secret-files-copied
    COPY .ssh /root/.ssh
         ~~~~ no-secret-files-copied
  `));

  it('reads quoted sources as Docker does (quotes removed)', () => check(`
    FROM nginx:1.30
    COPY "certs/server.key" /etc/nginx/server.key
         ~~~~~~~~~~~~~~~~~~ no-secret-files-copied
    COPY 'id_rsa' /root/.ssh/
         ~~~~~~~~ no-secret-files-copied
  `));

  it('tells the final image from a build stage', () => {
    const [builder, final] = findingsOf(rule, 'dockerfile', 'FROM node:20 AS build\nCOPY .npmrc ./\nRUN npm ci\nFROM node:20-slim\nCOPY .env /app/.env\n');
    assert.equal(builder.data?.stage, 'builder');
    assert.equal(builder.severity, 'warning');
    assert.match(builder.message, /^`\.npmrc` can hold npm registry tokens \(it could not be read here to tell\), and although this build stage is not shipped its layer stays in the build cache/);
    assert.equal(final.data?.stage, 'final');
    assert.match(final.message, /^`\.env` is an environment file, and once copied it stays in an image layer anyone who pulls the image can extract, even if a later step deletes it/);
  });

  it('leaves templates, public keys, certificates and whole-context copies alone', () => check(`
    FROM nginx:1.27
    COPY .env.example .env.sample /app/
    COPY id_rsa.pub /root/.ssh/authorized_keys
    COPY certs/fullchain.pem certs/ca.pem /etc/nginx/certs/
    COPY nodesource.gpg.key /tmp/
    COPY .ssh/known_hosts /root/.ssh/known_hosts
    COPY . /app
    COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
  `));

  it('reads the file when it can: a key file holding a certificate, an .npmrc without a token', () => {
    check(`
      FROM nginx:1.27
      COPY server.key .npmrc /etc/app/
    `, { '/work/server.key': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', '/work/.npmrc': 'registry=https://npm.example.com/\n//npm.example.com/:_authToken=${NPM_TOKEN}\n' });
    check(`
      FROM nginx:1.27
      COPY tls/site.pem /etc/nginx/
           ~~~~~~~~~~~~ no-secret-files-copied
    `, { '/work/tls/site.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' });
  });

  it('reads the file from the build context above the Dockerfile when it is not beside it', () => {
    // `docker build -f services/web/Dockerfile .`: the COPY source exists only at the context root.
    checkRule(rule, 'dockerfile', `
      FROM node:20-slim
      COPY .npmrc package.json ./
    `, { path: '/repo/services/web/Dockerfile', files: { '/repo/.git': 'gitdir: /elsewhere', '/repo/.npmrc': 'registry=https://npm.example.com/\nalways-auth=false\n', '/repo/package.json': '{}' } });
    checkRule(rule, 'dockerfile', `
      FROM node:20-slim
      COPY .npmrc package.json ./
           ~~~~~~ no-secret-files-copied
    `, { path: '/repo/services/web/Dockerfile', files: { '/repo/.git': 'gitdir: /elsewhere', '/repo/.npmrc': '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n', '/repo/package.json': '{}' } });
  });

  it('says what it found: a token when the file holds one, only a possibility when it cannot be read', () => {
    const [read] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim\nCOPY .npmrc ./\n', { files: { '/work/.npmrc': '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n' } });
    assert.match(read.message, /^`\.npmrc` holds an npm registry token, and once copied/);
    const [unread] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim\nCOPY .npmrc ./\n');
    assert.match(unread.message, /^`\.npmrc` can hold npm registry tokens \(it could not be read here to tell\), and once copied/);
  });

  it('follows COPY --from: a build stage whose files the final stage copies is shipped', () => {
    const [finding] = findingsOf(rule, 'dockerfile', dedent(`
      FROM node:20 AS build
      WORKDIR /app
      COPY .npmrc package.json ./
      RUN npm ci
      FROM node:20-slim
      COPY --from=build /app /app
      CMD ["node", "/app/server.js"]
    `));
    assert.equal(finding.severity, 'error');
    assert.equal(finding.data?.stage, 'final');
    assert.match(finding.message, /^`\.npmrc` can hold npm registry tokens \(it could not be read here to tell\), and `COPY --from=build \/app \/app` \(line 6\) copies it into the final image, where anyone who pulls the image can extract it;/);
    assert.doesNotMatch(finding.message, /not shipped/);
  });

  it('follows COPY --from through several stages and FROM chains', () => {
    const findings = findingsOf(rule, 'dockerfile', dedent(`
      FROM node:20 AS deps
      WORKDIR /src
      COPY .env ./
      FROM deps AS build
      RUN npm run build
      FROM alpine:3.20 AS bundle
      COPY --from=build /src /bundle/
      FROM nginx:1.27
      COPY --from=bundle /bundle /usr/share/nginx/html
    `));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'error');
    assert.match(findings[0].message, /`COPY --from=bundle \/bundle \/usr\/share\/nginx\/html` \(line 9\) copies it into the final image/);
  });

  it('keeps "not shipped" for a build stage whose copied paths leave the file behind, and says "may" when it cannot tell', () => {
    const [kept] = findingsOf(rule, 'dockerfile', dedent(`
      FROM node:20 AS build
      WORKDIR /app
      COPY .npmrc package.json ./
      RUN npm ci && npm run build
      FROM nginx:1.27
      COPY --from=build /app/dist /usr/share/nginx/html
    `));
    assert.equal(kept.severity, 'warning');
    assert.match(kept.message, /although this build stage is not shipped/);
    const [unsure] = findingsOf(rule, 'dockerfile', dedent(`
      FROM node:20 AS build
      COPY .npmrc package.json ./
      RUN npm ci
      FROM node:20-slim
      ARG SRC
      COPY --from=build $SRC /app
    `));
    assert.equal(unsure.severity, 'error');
    assert.match(unsure.message, /`COPY --from=build \$SRC \/app` \(line 6\) may copy it into the final image/);
  });

  it('classifies paths', () => {
    const none = () => null;
    assert.equal(secretFile('config/.env.local', none)?.kind, 'an environment file');
    assert.equal(secretFile('deploy/id_ed25519', none)?.kind, 'an SSH private key');
    assert.equal(secretFile('.kube/config', none)?.kind, 'a Kubernetes config');
    assert.equal(secretFile('.env.test', none), null);
    assert.equal(secretFile('keys/root-ca.pem', none), null);
    assert.equal(secretFile('src/keyboard.ts', none), null);
  });

  it('offers no fix', () => {
    assert.equal(rule.fixable, false);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine\nCOPY .env /\n'), undefined);
  });
});
