import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/common/healthcheck-present';
import { healthcheckInstruction, imageTools, probeFor } from '../../../server/src/dockerfile/healthchecks';
import { parseImageRef } from '../../../server/src/text/image';
import { distroOf } from '../../../server/src/text/images';
import { applyFix, declinedFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const checkCompose = (text: string) => checkRule(rule, 'compose', text);
const check = (text: string, path?: string) => checkRule(rule, 'dockerfile', text, path ? { path } : {});

describe('healthcheck-present', () => {
  it('flags a final stage that exposes a port and has no HEALTHCHECK', () => check(`
    FROM node:20-alpine
         ~~~~~~~~~~~~~~ healthcheck-present
    WORKDIR /app
    COPY . .
    EXPOSE 3000
    CMD ["node", "server.js"]
  `));

  it('flags a known HTTP server started without EXPOSE', () => check(`
    FROM python:3.12-slim
         ~~~~~~~~~~~~~~~~ healthcheck-present
    COPY . /srv
    CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]
  `));

  it('flags content served by an nginx base image, which exposes port 80 itself', () => check(`
    FROM node:20 AS build
    RUN npm ci && npm run build
    FROM nginx:1.27-alpine
         ~~~~~~~~~~~~~~~~~ healthcheck-present
    COPY --from=build /app/dist /usr/share/nginx/html
  `));

  it('flags only the final stage, never build stages', () => check(`
    FROM golang:1.22 AS build
    EXPOSE 9999
    RUN go build -o /server .
    FROM gcr.io/distroless/static-debian12
         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-present
    COPY --from=build /server /server
    EXPOSE 8080
    ENTRYPOINT ["/server"]
  `));

  it('accepts a HEALTHCHECK in the final stage', () => check(`
    FROM node:20-alpine
    COPY . .
    EXPOSE 3000
    HEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1
    CMD ["node", "server.js"]
  `));

  it('accepts a HEALTHCHECK inherited from a stage the final one is built FROM', () => check(`
    FROM node:20-alpine AS base
    HEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1
    FROM base
    COPY . .
    EXPOSE 3000
    CMD ["node", "server.js"]
  `));

  it('accepts HEALTHCHECK NONE as a deliberate choice', () => check(`
    FROM node:20-alpine
    COPY . .
    EXPOSE 3000
    HEALTHCHECK NONE
    CMD ["node", "server.js"]
  `));

  it('leaves server images that only add start-up scripts alone (the official postgres or nginx builds)', () => check(`
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y nginx
    COPY docker-entrypoint.sh /
    COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d
    EXPOSE 80
    CMD ["nginx", "-g", "daemon off;"]
  `));

  it('leaves ONBUILD templates, command-line tools and Windows images alone', () => {
    check(`
      FROM node:20
      ONBUILD COPY . /app
      EXPOSE 3000
    `);
    check(`
      FROM alpine:3.20
      COPY hugo /usr/bin/hugo
      COPY site /site
      EXPOSE 1313
      ENTRYPOINT ["hugo"]
      CMD ["--help"]
    `);
    check(`
      FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
      COPY app /app
      EXPOSE 8080
    `);
  });

  it('leaves development Dockerfiles and stages alone', () => {
    const text = `
      FROM node:20
      COPY . .
      EXPOSE 3000
      CMD ["npm", "run", "dev"]
    `;
    check(text, '/work/Dockerfile.dev');
    check(text, '/work/.devcontainer/Dockerfile');
    check(`
      FROM node:20 AS dev-envs
      COPY . .
      EXPOSE 3000
    `);
  });

  it('judges the release stage, not the test or development stage after it', () => {
    check(`
      FROM node:20-slim AS app
           ~~~~~~~~~~~~ healthcheck-present
      COPY . .
      EXPOSE 3000
      CMD ["node", "server.js"]
      FROM app AS dev
      CMD ["npm", "run", "dev"]
    `);
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim AS app\nEXPOSE 3000\nCMD ["node", "server.js"]\nFROM app AS ci\nRUN npm test\n');
    assert.match(finding.message, /^The stage that ships \(`app`\) exposes port 3000 but declares no HEALTHCHECK/);
  });

  it('does not guess at an image only known at build time', () => check(`
    ARG BASE
    FROM $BASE
    COPY . .
    EXPOSE 8080
  `));

  it('says what makes the image a service', () => {
    const message = (text: string) => findingsOf(rule, 'dockerfile', text)[0]?.message;
    assert.match(message('FROM node:20\nCOPY . .\nEXPOSE 3000\n'), /^The final stage exposes port 3000 but declares no HEALTHCHECK, so Docker and Compose only see that the process runs/);
    assert.match(message('FROM python:3.12\nCOPY . .\nCMD ["python", "-m", "uvicorn", "main:app"]\n'), /^The final stage starts `uvicorn` but/);
    assert.match(message('ARG V=1.27\nFROM nginx:$V\nCOPY site /usr/share/nginx/html\n'), /^The final stage serves HTTP on port 80 through `nginx:1.27` but/);
  });

  it('fix: curl on images that ship it, before CMD, keeping the comment above CMD', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20
      COPY . .
      EXPOSE 3000
      # start the server
      CMD ["node", "server.js"]
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Add a HEALTHCHECK that probes http://localhost:3000/ with curl');
    assert.equal(fixed?.text, dedent(`
      FROM node:20
      COPY . .
      EXPOSE 3000
      HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS -o /dev/null http://localhost:3000/ || exit 1
      # start the server
      CMD ["node", "server.js"]
    `));
  });

  it('fix: BusyBox wget on Alpine', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM python:3.12-alpine\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n');
    assert.equal(fixed?.text, 'FROM python:3.12-alpine\nCOPY . .\nEXPOSE 8000\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD wget -q --spider http://localhost:8000/ || exit 1\nCMD ["gunicorn", "app:app"]\n');
  });

  it('fix: node -e on node slim images, which have neither curl nor wget', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20-slim\nCOPY . .\nEXPOSE 8080\nCMD ["node", "index.js"]\n');
    assert.equal(fixed?.text, 'FROM node:20-slim\nCOPY . .\nEXPOSE 8080\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "-e", "require(\'http\').get(\'http://localhost:8080/\', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on(\'error\', () => process.exit(1))"]\nCMD ["node", "index.js"]\n');
  });

  it('fix: python on python slim images, with the port from the server arguments, at the end when there is no CMD', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM python:3.12-slim AS app\nCOPY . .\nENTRYPOINT ["uvicorn", "main:app", "--port", "9000"]\n');
    assert.equal(fixed?.text, 'FROM python:3.12-slim AS app\nCOPY . .\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen(\'http://localhost:9000/\', timeout=5)"]\nENTRYPOINT ["uvicorn", "main:app", "--port", "9000"]\n');
    const end = applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html');
    assert.equal(end?.text, 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS -o /dev/null http://localhost:80/ || exit 1\n');
  });

  it('fix: uses curl that the Dockerfile installs, and not curl it removes again', () => {
    const installed = applyFix(rule, 'dockerfile', 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nEXPOSE 8080\nCMD ["/app"]\n');
    assert.match(installed!.text, /CMD curl -fsS/);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && apt-get purge -y curl\nCOPY app /app\nEXPOSE 8080\nCMD ["/app"]\n'), undefined);
  });

  it('offers no fix on distroless or scratch (no shell, no HTTP client) or when the port is unknown', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM scratch\nCOPY app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ruby:3.3\nCOPY . .\nCMD ["bundle", "exec", "puma"]\n'), undefined);
  });

  it('fix: declined, with why, when nothing shows the app answers HTTP on the port (a Tor relay, a broker): the probe would keep it unhealthy for good', () => {
    const tor = 'FROM node:22-alpine\nCOPY . .\nEXPOSE 7002\nCMD ["node", "relay.js"]\n';
    assert.equal(applyFix(rule, 'dockerfile', tor), undefined);
    assert.match(declinedFix(rule, 'dockerfile', tor) ?? '', /^nothing shows that the app answers HTTP on port 7002/);
    // A web server the image starts makes an unusual port fine.
    assert.match(applyFix(rule, 'dockerfile', 'FROM python:3.12-alpine\nCOPY . .\nEXPOSE 7002\nCMD ["gunicorn", "-b", "0.0.0.0:7002", "app:app"]\n')!.text, /http:\/\/localhost:7002\//);
  });

  it('prefers a plain HTTP port over 443', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nEXPOSE 443 8080\n');
    assert.match(fixed!.text, /http:\/\/localhost:8080\//);
  });
});

describe('healthchecks: probeFor', () => {
  const probe = (image: string, port = 8080) => {
    const ref = image === 'scratch' ? null : parseImageRef(image);
    return probeFor(distroOf(ref, image === 'scratch'), ref, port);
  };

  it('picks the tool each image ships', () => {
    assert.equal(probe('node:20')?.tool, 'curl');
    assert.equal(probe('node:20-alpine')?.tool, 'wget');
    assert.equal(probe('node:20-slim')?.tool, 'node');
    assert.equal(probe('python:3.12-slim')?.tool, 'python');
    assert.equal(probe('alpine:3.20')?.tool, 'wget');
    assert.equal(probe('nginx:1.27-alpine-slim')?.tool, 'wget');
    assert.equal(probe('nginx:1.27-alpine')?.tool, 'curl');
    assert.equal(probe('mcr.microsoft.com/dotnet/aspnet:8.0-alpine')?.tool, 'wget');
    assert.equal(probe('gcr.io/distroless/nodejs20-debian12')?.exec?.[0], '/nodejs/bin/node');
  });

  it('has nothing for images without a shell or a client', () => {
    assert.equal(probe('scratch'), null);
    assert.equal(probe('gcr.io/distroless/static-debian12'), null);
    assert.equal(probe('debian:12-slim'), null);
    assert.equal(probe('mcr.microsoft.com/dotnet/aspnet:8.0'), null);
    assert.equal(probe('mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled'), null);
  });

  it('uses what the Dockerfile adds: an installed tool, or the runtime the app runs on', () => {
    const ref = parseImageRef('debian:12-slim');
    assert.equal(probeFor('debian', ref, 80, '/health', { curl: true })?.shell, 'curl -fsS -o /dev/null http://localhost:80/health || exit 1');
    assert.equal(probeFor('debian', ref, 80, 'health', { python: 'python3' })?.tool, 'python');
  });

  it('knows absence and presence apart from not knowing', () => {
    assert.deepEqual(imageTools('alpine', parseImageRef('alpine:3.20')), { shell: true, curl: false, wget: true, node: null, python: null });
    assert.equal(imageTools('unknown', parseImageRef('example.com/team/app:1')).curl, null);
    assert.equal(imageTools('alpine', parseImageRef('example.com/team/app:1-alpine')).curl, null);
  });

  it('renders a whole instruction', () => {
    const wget = probeFor('alpine', parseImageRef('alpine:3.20'), 8080)!;
    assert.equal(healthcheckInstruction(wget, ''), 'HEALTHCHECK CMD wget -q --spider http://localhost:8080/ || exit 1');
  });
});

describe('healthcheck-present (Compose)', () => {
  it('flags databases, brokers and web servers without a healthcheck, on the service key', () => checkCompose(`
    services:
      db:
      ~~ healthcheck-present
        image: postgres:16
      queue:
      ~~~~~ healthcheck-present
        image: rabbitmq:3.13-management
      proxy:
      ~~~~~ healthcheck-present
        image: nginx:1.27-alpine
  `));

  it('accepts a healthcheck, a disabled one, jobs run on a database image, and unknown images', () => checkCompose(`
    services:
      db:
        image: postgres:16
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
      cache:
        image: redis:7
        healthcheck:
          disable: true
      backup:
        image: postgres:16
        command: pg_dump -h db -U postgres shop
      shell:
        image: redis:7
        entrypoint: ["/bin/sh", "-c"]
      app:
        image: acme/app:1
        ports:
          - "8080:8080"
  `));

  it('names the probe the fix would add', () => {
    const [finding] = findingsOf(rule, 'compose', 'services:\n  db:\n    image: postgres:16\n');
    assert.match(finding.message, /`db` runs postgres but has no healthcheck/);
    assert.match(finding.message, /pg_isready/);
  });

  it('fix: adds the fitted healthcheck in the file\'s indentation, safely', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
          cache:
              image: redis:7.4
              volumes:
                  - cache:/data
      volumes:
          cache: {}
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.text, dedent(`
      services:
          cache:
              image: redis:7.4
              volumes:
                  - cache:/data
              healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
                  interval: 10s
                  timeout: 3s
                  retries: 5
                  start_period: 10s
      volumes:
          cache: {}
    `));
  });

  it('offers no fix for a web server, whose probe depends on the site', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  proxy:\n    image: nginx:1.27\n'), undefined);
  });
});

describe('healthcheck-present (Compose) across the merged project', () => {
  it('flags a built image whose final stage EXPOSEs a port, when the Dockerfile has no HEALTHCHECK', () => {
    checkRule(rule, 'compose', `
      services:
        api:
        ~~~ healthcheck-present
          build: ./api
    `, { files: { '/work/api/Dockerfile': 'FROM node:22-alpine\nCOPY . /app\nEXPOSE 3000\nCMD ["node", "/app/server.js"]\n' } });
  });

  it('takes HEALTHCHECK NONE in the Dockerfile, own or inherited, as a decision (found with KICS\'s tests)', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          build: ./app
        worker:
          build:
            context: ./app
            dockerfile: Dockerfile.worker
    `, { files: {
      '/work/app/Dockerfile': 'FROM node:22-alpine\nCOPY . .\nEXPOSE 8092\nHEALTHCHECK NONE\nCMD ["node", "server.js"]\n',
      '/work/app/Dockerfile.worker': 'FROM node:22-alpine AS base\nHEALTHCHECK NONE\nFROM base\nCOPY . .\nEXPOSE 8093\nCMD ["node", "worker.js"]\n',
    } });
  });

  it('reads the targeted stage and the Dockerfile HEALTHCHECK, and skips test targets', () => {
    const dockerfile = 'FROM node:22-alpine AS base\nEXPOSE 3000\nFROM base AS test\nCMD ["npm", "test"]\nFROM base AS debug\nCMD ["node", "--inspect", "server.js"]\nFROM base AS prod\nHEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1\n';
    checkRule(rule, 'compose', `
      services:
        api:
          build:
            context: ./api
            target: prod
        api-debug:
        ~~~~~~~~~ healthcheck-present
          build:
            context: ./api
            target: debug
        tests:
          build:
            context: ./api
            target: test
    `, { files: { '/work/api/Dockerfile': dockerfile } });
  });

  it('accepts a healthcheck the override file adds, and reports nothing in a fragment without an image', () => {
    checkRule(rule, 'compose', 'services:\n  db:\n    image: postgres:16\n', {
      files: { '/work/compose.override.yaml': 'services:\n  db:\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready"]\n' },
    });
    checkRule(rule, 'compose', 'services:\n  db:\n    ports:\n      - "5432:5432"\n', { path: '/work/compose.override.yaml', files: {} });
  });

  it('reports in the file that sets the image', () => {
    checkRule(rule, 'compose', 'services:\n  db:\n    environment:\n      POSTGRES_DB: shop\n', {
      path: '/work/compose.override.yaml',
      files: { '/work/compose.yaml': 'services:\n  db:\n    image: postgres:16\n' },
    });
  });
});
