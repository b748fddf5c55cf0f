import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/dockerignore-present';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';
import { isExcluded, parseDockerignore } from '../../../server/src/dockerfile/dockerignore';
import { LanguageService } from '../../../server/src/service';
import { defaultSettings, emptyProjectConfig } from '../../../server/src/config/settings';

const check = (text: string, files: Record<string, string> = {}, path = '/work/Dockerfile') => checkRule(rule, 'dockerfile', text, { files, path });

describe('dockerignore-present', () => {
  it('flags the first COPY of the whole context when no .dockerignore exists', () => check(`
    FROM node:20-slim
    WORKDIR /app
    COPY package*.json ./
    RUN npm ci
    COPY . .
         ~ dockerignore-present
    COPY . /other
    CMD ["node", "server.js"]
  `));

  it('flags ADD of the context and ./ or / as the source', () => {
    for (const copy of ['ADD . /app', 'COPY ./ /app/', 'COPY --chown=app:app / /app', 'COPY ["./", "/app/"]']) {
      assert.equal(findingsOf(rule, 'dockerfile', `FROM alpine\n${copy}\n`, { files: {}, path: '/work/Dockerfile' }).length, 1, copy);
    }
  });

  it('accepts a .dockerignore, or a Dockerfile-specific one', () => {
    check('FROM alpine\nCOPY . /app\n', { '/work/.dockerignore': '.git\n' });
    check('FROM alpine\nCOPY . /app\n', { '/work/api.Dockerfile.dockerignore': '.git\n' }, '/work/api.Dockerfile');
  });

  it('looks in the build context a Compose file gives, not only beside the Dockerfile', () => {
    const compose = 'services:\n  api:\n    build:\n      context: .\n      dockerfile: services/api/Dockerfile\n';
    const text = 'FROM golang:1.22\nCOPY . /src\n';
    check(text, { '/repo/compose.yaml': compose, '/repo/.dockerignore': '.git\n' }, '/repo/services/api/Dockerfile');
    // Without the root's ignore file it fires, and names the context it looked in.
    const [finding] = findingsOf(rule, 'dockerfile', text, { files: { '/repo/compose.yaml': compose }, path: '/repo/services/api/Dockerfile' });
    assert.match(finding.message, /no `\.dockerignore` in its build context `\.\.\/\.\.` \(as compose\.yaml builds it\) or beside the Dockerfile/);
    // The new file goes beside the Dockerfile, named after it: other Dockerfiles may share the root context.
    assert.equal(finding.data?.ignoreFile, '/repo/services/api/Dockerfile.dockerignore');
  });

  it('looks in the ancestor folder from which the copied paths exist', () => {
    const text = 'FROM golang:1.22\nCOPY services/api/go.mod /src/\nCOPY . /src\n';
    const tree = { '/repo/services/api/go.mod': 'module x\n', '/repo/services/api/Dockerfile': text };
    check(text, { ...tree, '/repo/.dockerignore': '.git\n' }, '/repo/services/api/Dockerfile');
    assert.equal(findingsOf(rule, 'dockerfile', text, { files: tree, path: '/repo/services/api/Dockerfile' }).length, 1);
    // The Dockerfile's own folder wins when the paths exist there too.
    const own = { '/repo/services/api/services/api/go.mod': '', '/repo/.dockerignore': '.git\n' };
    assert.equal(findingsOf(rule, 'dockerfile', text, { files: own, path: '/repo/services/api/Dockerfile' }).length, 1);
  });

  it('ignores named copies, copies from stages, and documents without a path', () => {
    check(`
      FROM golang:1.22 AS build
      COPY go.mod go.sum ./
      COPY cmd ./cmd
      FROM alpine
      COPY --from=build . /app
    `);
    assert.equal(findingsOf(rule, 'dockerfile', 'FROM alpine\nCOPY . /app\n').length, 1, 'an unsaved document has a file: URI in tests');
  });

  it('is an info without the claim that secrets land in the image when the whole-context COPY is in a build stage that ships only an artifact', () => {
    const build = `
      FROM maven:3.9 AS build
      WORKDIR /src
      COPY . .
      RUN mvn -B package
      FROM eclipse-temurin:21-jre
      COPY --from=build /src/target/app.jar /app.jar
      CMD ["java", "-jar", "/app.jar"]
    `;
    const files = { '/work/.git/HEAD': 'ref: refs/heads/main\n', '/work/pom.xml': '<project/>' };
    const [finding] = findingsOf(rule, 'dockerfile', build, { files, path: '/work/Dockerfile' });
    assert.equal(finding.severity, 'info');
    assert.doesNotMatch(finding.message, /land in the image/);
    assert.match(finding.message, /only what later stages copy out of `build` ships/);
    // A later stage that copies the whole folder ships the context.
    const whole = build.replace('COPY --from=build /src/target/app.jar /app.jar', 'COPY --from=build /src /app');
    const [shipped] = findingsOf(rule, 'dockerfile', whole, { files, path: '/work/Dockerfile' });
    assert.equal(shipped.severity, 'warning');
    assert.match(shipped.message, /land in the image/);
  });

  it('is an info for a small purpose-built context: no .git, no secret files, nothing whose local copy would shadow what the build makes', () => {
    const python = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
    const small = { '/work/requirements.txt': 'flask\n', '/work/app.py': 'print(1)\n' };
    assert.equal(findingsOf(rule, 'dockerfile', python, { files: small, path: '/work/Dockerfile' })[0].severity, 'info');
    // The repository root (.git), a secret file, or a Node.js install (a local node_modules would be copied over the image's): a warning.
    assert.equal(findingsOf(rule, 'dockerfile', python, { files: { ...small, '/work/.git/HEAD': 'x' }, path: '/work/Dockerfile' })[0].severity, 'warning');
    assert.equal(findingsOf(rule, 'dockerfile', python, { files: { ...small, '/work/.env': 'A=1' }, path: '/work/Dockerfile' })[0].severity, 'warning');
    assert.equal(findingsOf(rule, 'dockerfile', python, { files: { ...small, '/work/.gitignore': '.env\n' }, path: '/work/Dockerfile' })[0].severity, 'warning');
    const node = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
    assert.equal(findingsOf(rule, 'dockerfile', node, { files: { '/work/package.json': '{}' }, path: '/work/Dockerfile' })[0].severity, 'warning');
    // A build whose local outputs could be copied in and picked up (Gradle's build/, Maven's target/…).
    const gradle = 'FROM gradle:8-jdk21\nWORKDIR /app\nCOPY . .\nRUN gradle build\nCMD java -jar build/libs/*.jar\n';
    assert.equal(findingsOf(rule, 'dockerfile', gradle, { files: { '/work/build.gradle': '' }, path: '/work/Dockerfile' })[0].severity, 'warning');
  });

  it('fix: creates .dockerignore with defaults for what the Dockerfile installs and builds', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20 AS build
      WORKDIR /app
      COPY package*.json ./
      RUN npm ci
      COPY . .
      RUN npm run build
      FROM nginx:1.27-alpine
      COPY --from=build /app/dist /usr/share/nginx/html
    `, { files: {}, path: '/work/Dockerfile' });
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Create .dockerignore');
    assert.equal(fixed?.text, 'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n', 'no edit to the Dockerfile');
    assert.equal(fixed?.createFiles?.length, 1);
    const [created] = fixed!.createFiles!;
    assert.equal(created.path, '/work/.dockerignore');
    const patterns = parseDockerignore(created.text);
    for (const excluded of ['.git', '.git/HEAD', 'node_modules/x/index.js', 'dist/main.js', '.env', '.env.production', 'certs/server.key', 'Dockerfile', 'docker-compose.yml', 'npm-debug.log']) {
      assert.ok(isExcluded(patterns, excluded), `${excluded} should be excluded:\n${created.text}`);
    }
    for (const kept of ['package.json', 'package-lock.json', 'src/index.ts', '.env.example', '.npmrc']) {
      assert.ok(!isExcluded(patterns, kept), `${kept} should be kept:\n${created.text}`);
    }
  });

  it('fix: keeps what the Dockerfile copies by name or needs at build time', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM nginx:1.27-alpine
      COPY dist/ /usr/share/nginx/html/
      COPY . /src
      RUN cd /src && git rev-parse HEAD > /version
      COPY tls/site.pem /etc/nginx/
    `, { files: {}, path: '/work/Dockerfile' });
    const patterns = parseDockerignore(fixed!.createFiles![0].text);
    assert.ok(!isExcluded(patterns, 'dist/index.html'), 'dist is copied by name and not rebuilt here');
    assert.ok(!isExcluded(patterns, '.git/HEAD'), 'git runs in the build');
    assert.ok(!isExcluded(patterns, 'tls/site.pem'), 'the pem is copied by name');
    assert.ok(isExcluded(patterns, 'other.pem'));
  });

  it('fix: names the file after a Dockerfile that is not called Dockerfile, and is unsafe when a .env exists', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n', { files: { '/work/.env': 'SECRET=1\n' }, path: '/work/api.Dockerfile' });
    assert.equal(fixed?.createFiles?.[0].path, '/work/api.Dockerfile.dockerignore');
    assert.equal(fixed?.title, 'Create api.Dockerfile.dockerignore (it leaves out `.env`)');
    assert.equal(fixed?.safe, false);
    const patterns = parseDockerignore(fixed!.createFiles![0].text);
    assert.ok(isExcluded(patterns, 'app/__pycache__/m.cpython-312.pyc'));
    assert.ok(isExcluded(patterns, '.venv/bin/python'));
  });

  it('fix: keeps .git for builds that take their version from git', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app\n', {
      files: { '/work/pyproject.toml': '[build-system]\nrequires = ["setuptools", "setuptools-scm"]\n' },
      path: '/work/Dockerfile',
    });
    assert.ok(!isExcluded(parseDockerignore(fixed!.createFiles![0].text), '.git/HEAD'));
  });

  it('fix: keeps a quoted source, and a file a later stage takes by name out of the copied context', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:22 AS build
      WORKDIR /src
      COPY . .
      RUN npm install
      FROM node:22-slim
      COPY "tls/server.key" /etc/app/
      COPY --from=build /src/certs/dev.pfx /app/cert.pfx
    `, { files: { '/work/certs/dev.pfx': 'x', '/work/tls/server.key': 'k', '/work/package.json': '{}' }, path: '/work/Dockerfile' });
    const patterns = parseDockerignore(fixed!.createFiles![0].text);
    assert.ok(!isExcluded(patterns, 'tls/server.key'), 'quotes are removed as Docker removes them');
    assert.ok(!isExcluded(patterns, 'certs/dev.pfx'), 'the build stage got it with COPY . . and the final stage takes it by name');
    assert.ok(isExcluded(patterns, 'certs/other.pfx'));
    // Nothing that exists is left out: the fix stays safe.
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Create .dockerignore');
  });

  it('fix: a key that exists and is not named anywhere makes the fix quick-fix-only, and its title says so', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN node build.js\n', {
      files: { '/work/deploy/site.key': 'k', '/work/build.js': '' },
      path: '/work/Dockerfile',
    });
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Create .dockerignore (it leaves out `deploy/site.key`)');
  });

  it('stays quiet when the context is above what may be read (the CLI run inside a service folder)', () => {
    const text = 'FROM node:22-slim\nCOPY services/api/package.json ./\nRUN npm install\nCOPY . .\n';
    const readable: Record<string, string> = { '/repo/services/api/package.json': '{}' };
    const files = {
      read: (p: string) => readable[p] ?? null,
      // Confined to /repo/services/api: the repository root and its ignore file read as missing.
      exists: (p: string) => p in readable || p === '/repo/services/api',
    };
    const service = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], files });
    const findings = service.lint({ uri: 'file:///repo/services/api/Dockerfile', text, kind: 'dockerfile', version: 1 }, { settings: { ...defaultSettings, rules: { [rule.id]: 'warning' } }, project: emptyProjectConfig });
    assert.deepEqual(findings.map((f) => f.rule), []);
    // With the root readable, the same file is reported.
    const open = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], files: { read: files.read, exists: (p: string) => files.exists(p) || p === '/repo' } });
    assert.deepEqual(open.lint({ uri: 'file:///repo/services/api/Dockerfile', text, kind: 'dockerfile', version: 1 }, { settings: { ...defaultSettings, rules: { [rule.id]: 'warning' } }, project: emptyProjectConfig }).map((f) => f.rule), ['dockerignore-present']);
  });
});
