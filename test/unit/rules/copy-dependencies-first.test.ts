import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-dependencies-first';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string, files?: Record<string, string>) => checkRule(rule, 'dockerfile', text, files ? { files } : {});

describe('copy-dependencies-first', () => {
  it('flags npm ci after COPY . .', () => check(`
    FROM node:20-slim
    WORKDIR /app
    COPY . .
         ~ copy-dependencies-first
    RUN npm ci
    CMD ["node", "server.js"]
  `));

  it('flags pip, go, maven, bundler and composer installs, on the source', () => {
    for (const [copy, install] of [
      ['COPY . /app', 'pip install -r requirements.txt'],
      ['ADD . .', 'go mod download'],
      ['COPY ./ ./', 'go build -o /bin/app .'],
      ['COPY . .', 'mvn -B package'],
      ['COPY . .', 'bundle install'],
      ['COPY . .', 'composer install --no-dev'],
      ['COPY . .', 'dotnet publish -c Release'],
      ['COPY . .', 'cargo build --release'],
      ['COPY . .', 'poetry install --no-root'],
      ['COPY . .', 'uv sync --frozen'],
      ['COPY . .', 'yarn install --frozen-lockfile'],
      ['COPY . .', 'pnpm install'],
    ]) {
      const findings = findingsOf(rule, 'dockerfile', `FROM alpine\nWORKDIR /app\n${copy}\nRUN ${install}\n`);
      assert.equal(findings.length, 1, `${copy} / ${install}`);
      assert.equal(findings[0].range.start.line, 2);
    }
  });

  it('says what to copy first and what to run', () => {
    const [go] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n');
    assert.match(go.message, /copy `go\.mod` and `go\.sum` first, run `go mod download`, then copy the rest/);
    const [pip] = findingsOf(rule, 'dockerfile', 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements/prod.txt\n');
    assert.match(pip.message, /copy `requirements\/prod\.txt` first, run `pip install -r requirements\/prod\.txt`/);
    assert.deepEqual(pip.data, { ecosystem: 'python', tool: 'pip', install: 'pip install -r requirements/prod.txt', installLine: 2, manifests: ['requirements/prod.txt'] });
  });

  it('flags an install after a COPY of a source folder that holds the manifest', () => {
    check(`
      FROM node:20-slim
      WORKDIR /app
      COPY src/web/ ./
           ~~~~~~~~ copy-dependencies-first
      RUN npm ci
    `);
    check(`
      FROM python:3.12-slim
      COPY ./api /srv/
           ~~~~~ copy-dependencies-first
      WORKDIR /srv
      RUN pip install -r requirements.txt
    `);
    check(`
      FROM golang:1.22
      WORKDIR /src
      COPY services/ ./
           ~~~~~~~~~ copy-dependencies-first
      RUN cd billing && go build -o /bin/billing .
    `);
    const [npm] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim\nWORKDIR /app\nCOPY src/web/ ./\nRUN npm ci\n');
    assert.match(npm.message, /^`COPY src\/web\/ \.\/` copies the sources in `src\/web\/` before `npm ci`, so any edit there invalidates the cache .*; copy `src\/web\/package\.json` and `src\/web\/package-lock\.json` first, run `npm ci`, then copy the rest\.$/);
    const [pip] = findingsOf(rule, 'dockerfile', 'FROM python:3.12-slim\nCOPY app/ /app/\nRUN pip install -r /app/requirements/prod.txt\n');
    assert.deepEqual(pip.data?.manifests, ['app/requirements/prod.txt']);
  });

  it('reads the folder on disk when it is there, and takes its answer', () => {
    const text = `
      FROM acme/node-base:1
      WORKDIR /app
      COPY web/ ./
           ~~~~ copy-dependencies-first
      RUN npm ci
    `;
    checkRule(rule, 'dockerfile', text, { files: { '/work/web/package.json': '{}' } });
    // The folder is there without a package.json: the base image brings it, and the copy is only sources.
    checkRule(rule, 'dockerfile', text.replace(/\n\s*~+ copy-dependencies-first/, ''), { files: { '/work/web': '', '/work/web/index.js': '' } });
  });

  it('leaves alone folders that only bring manifests, other folders, and single files', () => {
    check(`
      FROM python:3.12-slim
      WORKDIR /app
      COPY requirements/ ./requirements/
      RUN pip install -r requirements/base.txt
    `);
    check(`
      FROM maven:3.9-eclipse-temurin-21
      WORKDIR /app
      COPY .mvn/ .mvn/
      COPY mvnw pom.xml ./
      RUN ./mvnw dependency:go-offline
    `);
    check(`
      FROM node:20-slim
      WORKDIR /app
      COPY package*.json ./
      COPY prisma ./prisma/
      COPY src/ ./
      RUN npm ci
    `);
    check(`
      FROM ruby:3.3
      WORKDIR /app
      COPY Gemfile ./
      RUN bundle install
    `);
    check(`
      FROM node:20-slim
      WORKDIR /app
      COPY web/ ./
      RUN npm ci --prefix client
    `);
    // Without the folder on disk, an image of your own may bring the manifest, and so may a clone.
    check(`
      FROM acme/node-app:1
      WORKDIR /app
      COPY web/ ./
      RUN npm ci
    `);
    check(`
      FROM node:20-slim
      WORKDIR /app
      RUN git clone https://example.com/app.git .
      COPY overrides/ ./
      RUN npm ci
    `);
  });

  it('accepts manifests copied and installed first', () => check(`
    FROM node:20-slim
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
  `));

  it('accepts installs that are not the project dependencies', () => check(`
    FROM python:3.12-slim
    COPY . /app
    RUN pip install --upgrade pip && npm install -g pnpm && go install golang.org/x/tools/gopls@latest
    RUN pip install .
  `));

  it('accepts installs that use a cache or bind mount', () => check(`
    FROM golang:1.22
    COPY . .
    RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .
  `));

  it('counts a dependency step of an earlier stage, and custom Gradle tasks before the copy', () => {
    check(`
      FROM node:20 AS deps
      COPY package*.json ./
      RUN npm ci
      FROM deps AS build
      COPY . .
      RUN npm ci && npm run build
    `);
    check(`
      FROM eclipse-temurin:21-jdk
      COPY build.gradle gradlew ./
      COPY gradle gradle
      RUN ./gradlew downloadRepos
      COPY . .
      RUN ./gradlew installDist
    `);
  });

  it('leaves GOPATH builds and vendored modules alone', () => {
    check(`
      FROM golang:1.10
      COPY . /go/src/app
      RUN go get -d ./... && go build -o /app .
    `);
    check(`
      FROM golang:1.22
      COPY . .
      RUN go build -mod=vendor -o /app .
    `);
    check(`
      FROM golang:1.22
      COPY . .
      RUN go build -o /app .
    `, { '/work/go.mod': 'module x\n', '/work/vendor/modules.txt': '' });
  });

  it('reports each broad COPY once, in every stage', () => check(`
    FROM node:20 AS web
    COPY . .
         ~ copy-dependencies-first
    RUN npm ci && npm run build
    FROM python:3.12-slim
    COPY . .
         ~ copy-dependencies-first
    RUN pip install -r requirements.txt && pip install -r requirements-dev.txt
  `));
});

describe('copy-dependencies-first fix', () => {
  const files = (entries: Record<string, string>) => ({ files: Object.fromEntries(Object.entries(entries).map(([k, v]) => [`/work/${k}`, v])) });

  it('moves npm ci before COPY . . with the manifests found on disk', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      WORKDIR /app
      COPY --chown=node:node . .
      RUN npm ci
      CMD ["node", "server.js"]
    `, files({ 'package.json': '{"name":"a","scripts":{"start":"node server.js"}}', 'package-lock.json': '{}', '.dockerignore': 'node_modules\n' }));
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Copy package.json package-lock.json and run npm ci before COPY . .');
    assert.equal(fixed?.text, dedent(`
      FROM node:20-slim
      WORKDIR /app
      COPY --chown=node:node package.json package-lock.json ./
      RUN npm ci
      COPY --chown=node:node . .
      CMD ["node", "server.js"]
    `));
  });

  it('is not applied by fix-all when the context lets a local node_modules in, or an install script may need the sources', () => {
    const text = `
      FROM node:20-slim
      WORKDIR /app
      COPY . .
      RUN npm ci
    `;
    // npm ci deletes node_modules first; after the move, COPY . . would lay the host's over the installed one.
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a"}', 'package-lock.json': '{}' }))?.safe, false);
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a"}', '.dockerignore': 'dist\n' }))?.safe, false);
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a","scripts":{"postinstall":"node scripts/setup.js"}}', '.dockerignore': 'node_modules\n' }))?.safe, false);
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a"}', 'binding.gyp': '{}', '.dockerignore': 'node_modules\n' }))?.safe, false);
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a","dependencies":{"shared":"file:../shared"}}', '.dockerignore': 'node_modules\n' })), undefined, 'a file: package needs its folder');
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"name":"a"}', '.dockerignore': 'node_modules\n' }))?.safe, true);
  });

  it('copies the manifests from the folder the broad COPY copies', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      WORKDIR /app
      COPY src/web/ ./
      RUN npm ci
    `, files({ 'src/web/package.json': '{"name":"web"}', 'src/web/package-lock.json': '{}', '.dockerignore': '**/node_modules\n' }));
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Copy src/web/package.json src/web/package-lock.json and run npm ci before COPY src/web/ ./');
    assert.equal(fixed?.text, dedent(`
      FROM node:20-slim
      WORKDIR /app
      COPY src/web/package.json src/web/package-lock.json ./
      RUN npm ci
      COPY src/web/ ./
    `));
    const unverified = applyFix(rule, 'dockerfile', 'FROM node:20-slim\nWORKDIR /app\nCOPY web ./\nRUN npm ci\n');
    assert.equal(unverified?.safe, false);
    assert.equal(unverified?.text, 'FROM node:20-slim\nWORKDIR /app\nCOPY web/package*.json ./\nRUN npm ci\nCOPY web ./\n');
    const pip = applyFix(rule, 'dockerfile', 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY api/ ./\nRUN pip install -r requirements.txt\n', files({ 'api/requirements.txt': 'flask\n' }));
    assert.equal(pip?.text, 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY api/requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY api/ ./\n');
  });

  it('splits the install off a chained RUN, keeping its mounts', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-slim
      COPY . .
      RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci \\
          && npm run build
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      FROM node:20-slim
      COPY package*.json ./
      RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
      COPY . .
      RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm run build
    `));
  });

  it('is not safe when package.json runs install scripts, and offers nothing for workspaces', () => {
    const text = 'FROM node:20\nCOPY . .\nRUN npm install\n';
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"scripts":{"postinstall":"prisma generate"}}' }))?.safe, false);
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'package.json': '{"workspaces":["packages/*"]}' })), undefined);
  });

  it('copies pip requirement files and the files they include, into the same folders', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      COPY . /srv
      WORKDIR /srv
      RUN pip install --no-cache-dir -r requirements/prod.txt
      CMD ["gunicorn", "app:app"]
    `, files({ 'requirements/prod.txt': '-r base.txt\ngunicorn==22.0.0\n', 'requirements/base.txt': 'flask==3.0.3\n' }));
    // WORKDIR between the copy and the install changes where the install runs: no fix.
    assert.equal(fixed, undefined);
    const moved = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      WORKDIR /srv
      COPY . /srv
      RUN pip install --no-cache-dir -r requirements/prod.txt
    `, files({ 'requirements/prod.txt': '-r base.txt\ngunicorn==22.0.0\n', 'requirements/base.txt': 'flask==3.0.3\n' }));
    assert.equal(moved?.safe, true);
    assert.equal(moved?.text, dedent(`
      FROM python:3.12-slim
      WORKDIR /srv
      COPY requirements/prod.txt requirements/base.txt /srv/requirements/
      RUN pip install --no-cache-dir -r requirements/prod.txt
      COPY . /srv
    `));
  });

  it('offers nothing when the requirements install the project itself', () => {
    const text = 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n';
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'requirements.txt': 'flask\n-e .\n' })), undefined);
  });

  it('adds go mod download before the copy and keeps the build after it', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.22 AS build
      WORKDIR /src
      COPY . .
      RUN CGO_ENABLED=0 go build -o /app ./cmd/api
    `, files({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'go.sum': '' }));
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Copy go.mod go.sum and run go mod download before COPY . .');
    assert.equal(fixed?.text, dedent(`
      FROM golang:1.22 AS build
      WORKDIR /src
      COPY go.mod go.sum ./
      RUN go mod download
      COPY . .
      RUN CGO_ENABLED=0 go build -o /app ./cmd/api
    `));
  });

  it('offers nothing for a go.mod that replaces modules with local folders', () => {
    const text = 'FROM golang:1.22\nCOPY . .\nRUN go mod download\n';
    assert.equal(applyFix(rule, 'dockerfile', text, files({ 'go.mod': 'module a\nreplace example.com/b => ./b\n' })), undefined);
  });

  it('offers nothing for tools without a reliable recipe, or an install that is not first in its RUN', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM maven:3.9-eclipse-temurin-21\nCOPY . .\nRUN mvn -B package\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCOPY . .\nRUN cd web && npm ci\n'), undefined);
  });
});
