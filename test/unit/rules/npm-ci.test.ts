import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/npm-ci';
import { applyFix, checkRule, type CheckOptions } from '../../helpers/check';

const check = (text: string, options?: CheckOptions) => checkRule(rule, 'dockerfile', text, options);

describe('npm-ci', () => {
  it('flags npm install after the lockfile is copied', () => check(`
    FROM node:20
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm install
        ~~~~~~~~~~~ npm-ci
  `));

  it('reads package*.json globs, shrinkwrap files, JSON-form COPY and npm i', () => check(`
    FROM node:20 AS a
    COPY package*.json ./
    RUN npm i --omit=dev
        ~~~~~ npm-ci
    FROM node:20 AS b
    COPY ["package.json", "npm-shrinkwrap.json", "./"]
    RUN npm install --production
        ~~~~~~~~~~~ npm-ci
  `));

  it('follows the lockfile into a stage built FROM the one that copied it', () => check(`
    FROM node:20 AS deps
    COPY package.json package-lock.json ./
    FROM deps
    RUN npm install
        ~~~~~~~~~~~ npm-ci
  `));

  it('does not flag without a lockfile, or before it is copied', () => check(`
    FROM node:20 AS a
    COPY package.json ./
    RUN npm install
    FROM node:20 AS b
    RUN npm install
    COPY package-lock.json ./
  `));

  it('does not flag installs of named packages, global installs, or npm ci', () => check(`
    FROM node:20
    COPY package.json package-lock.json ./
    RUN npm install express && npm install -g pm2@5 && npm ci && npm install --no-package-lock
  `));

  it('checks the build context for COPY . and globs when it can read it', () => {
    const files = { '/work/package.json': '{}', '/work/package-lock.json': '{}' };
    check(`
      FROM node:20
      COPY . .
      RUN npm install
          ~~~~~~~~~~~ npm-ci
    `, { files });
    // With no lockfile in the context, `package*.json` copies only package.json.
    check(`
      FROM node:20
      COPY package*.json ./
      RUN npm install
    `, { files: { '/work/package.json': '{}' } });
    check(`
      FROM node:20
      COPY . .
      RUN npm install
    `);
  });

  it('fix: replaces install with ci and --production with --omit=dev', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20\nCOPY package*.json ./\nRUN npm install --production --no-audit\n');
    assert.deepEqual(fixed, { text: 'FROM node:20\nCOPY package*.json ./\nRUN npm ci --omit=dev --no-audit\n', title: 'Replace `npm install` with `npm ci`', safe: true });
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:22-alpine\nCOPY package*.json ./\nRUN npm i --only production\n')?.text, 'FROM node:22-alpine\nCOPY package*.json ./\nRUN npm ci --omit=dev\n');
  });

  it('fix: keeps --production for npm 6 (Node 14 and older)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:14\nCOPY package*.json ./\nRUN npm install --production\n');
    assert.equal(fixed?.text, 'FROM node:14\nCOPY package*.json ./\nRUN npm ci --production\n');
  });

  it('fix: offers nothing for exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCOPY package*.json ./\nRUN ["npm", "install"]\n'), undefined);
  });
});
