import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { secretFile } from '../../../server/src/rules/dockerfile/no-secret-files-copied';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

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

  it('tells the final image from a build stage', () => {
    const [builder, final] = findingsOf(rule, 'dockerfile', 'FROM node:20 AS build\nCOPY .npmrc ./\nRUN npm ci\nFROM node:20-slim\nCOPY .env /app/.env\n');
    assert.equal(builder.data?.stage, 'builder');
    assert.equal(builder.severity, 'warning');
    assert.match(builder.message, /^`\.npmrc` is npm registry tokens, and although this build stage is not shipped its layer stays in the build cache/);
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
