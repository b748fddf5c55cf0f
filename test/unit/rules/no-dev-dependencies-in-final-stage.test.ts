import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-dev-dependencies-in-final-stage';
import { applyFix as applyFixWith, checkRule, dedent, findingsOf as findingsOfWith, type CheckOptions } from '../../helpers/check';

/** Manifests that have development dependencies: the rule reads them before it says an install brings any. */
const DEV: CheckOptions = {
  files: {
    '/work/package.json': '{"devDependencies": {"jest": "^29"}}',
    '/work/pyproject.toml': '[tool.poetry.group.dev.dependencies]\npytest = "*"\n\n[dependency-groups]\ndev = ["pytest"]\n',
  },
};
const check = (text: string, options: CheckOptions = DEV) => checkRule(rule, 'dockerfile', text, options);
const findingsOf = (r: typeof rule, kind: 'dockerfile', text: string, options: CheckOptions = DEV) => findingsOfWith(r, kind, text, options);
const applyFix = (r: typeof rule, kind: 'dockerfile', text: string, options: CheckOptions = DEV) => applyFixWith(r, kind, text, options);

describe('no-dev-dependencies-in-final-stage', () => {
  it('flags a project install that keeps devDependencies in the final stage', () => check(`
    FROM node:20-slim
    WORKDIR /app
    COPY package*.json ./
    RUN --mount=type=cache,target=/root/.npm npm ci
                                             ~~~~~~ no-dev-dependencies-in-final-stage
    COPY . .
    CMD ["node", "server.js"]
  `));

  it('flags yarn and pnpm installs, and an install in a stage the final one is built FROM', () => check(`
    FROM node:20 AS deps
    RUN yarn install --frozen-lockfile
        ~~~~~~~~~~~~ no-dev-dependencies-in-final-stage
    FROM deps
    RUN pnpm i
        ~~~~~~ no-dev-dependencies-in-final-stage
    CMD ["node", "index.js"]
  `));

  it('flags test, debug and lint tools, development requirement files and extras', () => check(`
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask debugpy pytest==8.2 "Black[jupyter]"
                                         ~~~~~~~ no-dev-dependencies-in-final-stage
                                                 ~~~~~~~~~~~ no-dev-dependencies-in-final-stage
                                                             ~~~~~~~~~~~~~~~~ no-dev-dependencies-in-final-stage
    RUN python -m pip install -r requirements-dev.txt -e ".[test]"
                                 ~~~~~~~~~~~~~~~~~~~~ no-dev-dependencies-in-final-stage
                                                         ~~~~~~~~~ no-dev-dependencies-in-final-stage
    RUN npm install -g nodemon@3 typescript
                       ~~~~~~~~~ no-dev-dependencies-in-final-stage
    CMD ["gunicorn", "app:app"]
  `));

  it('flags poetry and uv, which install the dev group by default', () => check(`
    FROM python:3.12-slim
    RUN poetry install --no-root
        ~~~~~~~~~~~~~~ no-dev-dependencies-in-final-stage
    RUN uv sync --frozen
        ~~~~~~~ no-dev-dependencies-in-final-stage
    RUN poetry install --only main && uv sync --no-dev && poetry install --without dev,docs
    CMD ["python", "-m", "app"]
  `));

  it('accepts installs that leave devDependencies out', () => check(`
    FROM node:20-slim
    RUN npm ci --omit=dev && npm install --only=production && npm i --production
    RUN yarn install --production --frozen-lockfile && pnpm install --prod
    RUN NODE_ENV=production npm ci
    RUN export NODE_ENV=production && npm ci
    CMD ["node", "server.js"]
  `));

  it('accepts NODE_ENV=production set before the install, as ENV or a build arg', () => check(`
    FROM node:20-slim
    ARG NODE_ENV=production
    ENV NODE_ENV $NODE_ENV
    RUN npm ci
    CMD ["node", "server.js"]
  `));

  it('still flags NODE_ENV=production set only after the install', () => check(`
    FROM node:20-slim
    RUN npm ci
        ~~~~~~ no-dev-dependencies-in-final-stage
    ENV NODE_ENV=production
    CMD ["node", "server.js"]
  `));

  it('leaves installs alone when a later build step needs them, or a prune removes them', () => check(`
    FROM node:20 AS one
    RUN npm ci
    COPY . .
    RUN npm run build
    FROM node:20 AS two
    RUN npm ci && npx tsc
    FROM node:20
    RUN npm ci
    COPY . .
    RUN npm prune --omit=dev
    CMD ["node", "dist/index.js"]
  `));

  it('only reads the final stage and its chain: build and test stages may install anything', () => check(`
    FROM python:3.12 AS test
    RUN pip install pytest
    FROM node:20 AS build
    RUN npm ci && npm run build
    FROM node:20-slim
    COPY --from=build /app/dist /app
    RUN npm ci --omit=dev
    CMD ["node", "/app/index.js"]
  `));

  it('leaves tool images and development images alone', () => {
    check(`
      FROM python:3.12-slim
      RUN pip install ruff==0.5
      ENTRYPOINT ["ruff"]
    `);
    check(`
      FROM node:20
      RUN npm ci
      CMD ["npm", "run", "dev"]
    `);
    check(`
      FROM python:3.12-slim AS test
      RUN pip install pytest
    `);
    check(`
      FROM node:20
      RUN npm install -g nodemon && npm ci
    `, { path: '/work/dev.Dockerfile' });
  });

  it('stays quiet when no manifest can be read, rather than assert that the install brings devDependencies', () => {
    check('FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCMD ["node", "server.js"]\n', { files: {} });
    check('FROM python:3.12-slim\nCOPY pyproject.toml .\nRUN poetry install\n', { files: {} });
    // The manifest is read where the COPY takes it from.
    const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY web/package*.json ./\nRUN npm ci\nCMD ["node", "server.js"]\n';
    assert.equal(findingsOf(rule, 'dockerfile', text, { files: { '/work/web/package.json': '{"devDependencies": {"jest": "^29"}}' } }).length, 1);
  });

  it('reads package.json beside the Dockerfile: nothing to leave out means nothing to report', () => {
    const text = 'FROM node:20-slim\nRUN npm ci\nCMD ["node", "a.js"]\n';
    check(text, { files: { '/work/package.json': '{"dependencies": {"express": "^4"}}' } });
    assert.equal(findingsOf(rule, 'dockerfile', text, { files: { '/work/package.json': '{"devDependencies": {"jest": "^29"}}' } }).length, 1);
  });

  it('says what is wrong in each case', () => {
    const [npm] = findingsOf(rule, 'dockerfile', 'FROM node:20\nRUN npm ci\n');
    assert.match(npm.message, /^`npm ci` installs devDependencies too/);
    const [tool] = findingsOf(rule, 'dockerfile', 'FROM python:3.12\nRUN pip install ipdb\n');
    assert.match(tool.message, /^`ipdb` is a development tool/);
  });

  it('fix: adds --omit=dev to npm (unsafe: a runtime package may sit in devDependencies)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      RUN npm ci --no-audit
      CMD ["node", "server.js"]
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Install without devDependencies (`--omit=dev`)');
    assert.equal(fixed?.text, dedent(`
      FROM node:20-slim
      RUN npm ci --omit=dev --no-audit
      CMD ["node", "server.js"]
    `));
  });

  it('fix: --production for npm 6 (Node.js 14 and older), --prod for pnpm', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:14-alpine\nRUN npm install\n')?.text, 'FROM node:14-alpine\nRUN npm install --production\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN pnpm install --frozen-lockfile\n')?.text, 'FROM node:20\nRUN pnpm install --prod --frozen-lockfile\n');
  });

  it('offers no fix for yarn (the flag differs between versions) or for tools', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nRUN yarn install\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN pip install pytest\n'), undefined);
  });
});
