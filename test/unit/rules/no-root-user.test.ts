import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-root-user';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-root-user', () => {
  it('flags an explicit root user in the final stage', () => check(`
    FROM node:20-alpine
    USER root
         ~~~~ no-root-user
    CMD ["node", "server.js"]
  `));

  it('flags uid 0 with a group', () => check(`
    FROM debian:12
    USER 0:0
         ~~~ no-root-user
  `));

  it('flags a final stage with no USER at its image', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /app .
    FROM debian:12-slim
         ~~~~~~~~~~~~~~ no-root-user
    COPY --from=build /app /app
    CMD ["/app"]
  `));

  it('names the image a FROM resolved to, not the ARG it was written with', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'ARG base=debian:12-slim\nFROM $base\nCOPY app /app\nCMD ["/app"]\n');
    assert.match(finding.message, /the default of `debian:12-slim`/);
  });

  it('judges the release stage when the last stage only tests it', () => check(`
    FROM node:20-slim AS app
         ~~~~~~~~~~~~ no-root-user
    COPY . .
    CMD ["node", "server.js"]
    FROM app AS test
    USER node
    RUN npm test
  `));

  it('judges the stage a Compose file in the folder or above builds as its target', () => {
    const dockerfile = `
      FROM node:20-slim AS app
           ~~~~~~~~~~~~ no-root-user
      COPY . .
      CMD ["node", "server.js"]
      FROM app AS hardened
      USER node
    `;
    const compose = (target: string) => `services:\n  web:\n    build:\n      context: ./web\n      target: ${target}\n`;
    checkRule(rule, 'dockerfile', dockerfile, { path: '/work/web/Dockerfile', files: { '/work/compose.yaml': compose('app') } });
    checkRule(rule, 'dockerfile', dockerfile.replace(/\n\s*~+ no-root-user/, ''), { path: '/work/web/Dockerfile', files: { '/work/compose.yaml': compose('hardened') } });
    // A development target says how the project is worked on, not what ships; nor does a Compose file for another Dockerfile.
    checkRule(rule, 'dockerfile', dockerfile.replace(/\n\s*~+ no-root-user/, '').replace(/AS app/, 'AS dev').replace('FROM app', 'FROM dev'), { path: '/work/web/Dockerfile', files: { '/work/compose.yaml': compose('dev') } });
    checkRule(rule, 'dockerfile', dockerfile.replace(/\n\s*~+ no-root-user/, ''), { path: '/work/api/Dockerfile', files: { '/work/compose.yaml': compose('app') } });
  });

  it('only judges the final stage: root in a build stage is fine', () => check(`
    FROM node:20 AS build
    USER root
    RUN npm ci
    FROM node:20-slim
    USER node
    CMD ["node", "index.js"]
  `));

  it('follows a final stage built FROM an earlier stage', () => check(`
    FROM node:20-slim AS base
    USER node
    FROM base
    CMD ["node", "index.js"]
  `));

  it('uses the last USER: switching back from root is fine', () => check(`
    FROM ubuntu:24.04
    USER root
    RUN apt-get update
    USER app
  `));

  it('resolves the user from an ARG default', () => check(`
    FROM ubuntu:24.04
    ARG RUN_AS=root
    USER $RUN_AS
         ~~~~~~~ no-root-user
  `));

  it('trusts images that run unprivileged by default', () => check(`
    FROM gcr.io/distroless/static-debian12:nonroot
    COPY app /app
    ENTRYPOINT ["/app"]
  `));

  it('trusts entrypoints that drop privileges with gosu or su-exec', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y gosu
    ENTRYPOINT ["docker-entrypoint.sh"]
  `));

  it('leaves base images whose command is a shell or REPL to the image that builds on them', () => check(`
    FROM debian:12
    RUN apt-get update
    CMD ["bash"]
  `));

  it('does not judge Windows images', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    CMD ["cmd"]
  `));

  it('does not judge a base image only known at build time', () => check(`
    ARG BASE
    FROM $BASE
    CMD ["/app"]
  `));

  it('fix: adds an unprivileged user on Debian before CMD', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      COPY . /app
      CMD ["python", "/app/main.py"]
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      FROM python:3.12-slim
      COPY . /app
      RUN groupadd --system app && useradd --system --gid app --no-create-home app
      USER app
      CMD ["python", "/app/main.py"]
    `));
  });

  it('fix: uses the node user of the official node image, at the end when there is no CMD', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20-alpine
      COPY . .
    `);
    assert.equal(fixed?.text, 'FROM node:20-alpine\nCOPY . .\nUSER node\n');
  });

  it('fix: uses adduser on Alpine', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nCOPY app /app\nENTRYPOINT ["/app"]\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nCOPY app /app\nRUN addgroup -S app && adduser -S -G app app\nUSER app\nENTRYPOINT ["/app"]\n');
  });

  it('offers no fix for an image whose distribution is unknown, or for an explicit USER root', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM example.com/custom/base:1\nCOPY app /app\nCMD ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nUSER root\n'), undefined);
  });
});

describe('no-root-user fix: which user', () => {
  it('switches to the app user of .NET 8+ images instead of creating one (groupadd app would fail)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM mcr.microsoft.com/dotnet/aspnet:8.0
      COPY --from=build /app .
      ENTRYPOINT ["dotnet", "Api.dll"]
    `);
    assert.equal(fixed?.title, 'Switch to the image\'s `app` user');
    assert.equal(fixed?.text, dedent(`
      FROM mcr.microsoft.com/dotnet/aspnet:8.0
      COPY --from=build /app .
      USER app
      ENTRYPOINT ["dotnet", "Api.dll"]
    `));
  });

  it('creates a user on .NET 7 and earlier, which have none', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM mcr.microsoft.com/dotnet/aspnet:7.0\nCOPY app /app\nENTRYPOINT ["dotnet", "/app/Api.dll"]\n');
    assert.match(fixed!.text, /RUN groupadd --system app && useradd --system --gid app --no-create-home app\nUSER app\n/);
  });

  it('switches to the user the Dockerfile creates, which owns the app\'s files (saleor)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      RUN groupadd -r saleor && useradd -r -g saleor saleor
      RUN mkdir -p /app/media /app/static && chown -R saleor:saleor /app/
      COPY . /app
      WORKDIR /app
      CMD ["uvicorn", "saleor.asgi:application"]
    `);
    assert.equal(fixed?.title, 'Switch to the `saleor` user the Dockerfile creates');
    assert.equal(fixed?.text, dedent(`
      FROM python:3.12-slim
      RUN groupadd -r saleor && useradd -r -g saleor saleor
      RUN mkdir -p /app/media /app/static && chown -R saleor:saleor /app/
      COPY . /app
      WORKDIR /app
      USER saleor
      CMD ["uvicorn", "saleor.asgi:application"]
    `));
  });

  it('offers no fix when the Dockerfile creates several users: which one runs the app is unknown', () => {
    assert.equal(applyFix(rule, 'dockerfile', `
      FROM debian:12
      RUN useradd --system postgres && useradd --system web
      COPY app /app
      CMD ["/app"]
    `), undefined);
  });

  it('makes the WORKDIR and the VOLUMEs writable for the user it switches to', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      WORKDIR /srv
      COPY . .
      VOLUME /srv/uploads
      CMD ["gunicorn", "app:app"]
    `);
    // Before the VOLUME: a change to a volume's directory after VOLUME is discarded by the classic builder.
    assert.equal(fixed?.text, dedent(`
      FROM python:3.12-slim
      WORKDIR /srv
      COPY . .
      RUN groupadd --system app && useradd --system --gid app --no-create-home app && mkdir -p /srv /srv/uploads && chown app /srv /srv/uploads
      VOLUME /srv/uploads
      USER app
      CMD ["gunicorn", "app:app"]
    `));
    const node = applyFix(rule, 'dockerfile', 'FROM node:20-alpine\nWORKDIR /usr/src/app\nCOPY . .\nCMD ["node", "server.js"]\n');
    assert.equal(node?.text, 'FROM node:20-alpine\nWORKDIR /usr/src/app\nCOPY . .\nRUN chown node /usr/src/app\nUSER node\nCMD ["node", "server.js"]\n');
  });

  it('never creates a name that exists: picks another when the Dockerfile has an app group', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN groupadd app\nCOPY run /run.sh\nCMD ["/run.sh"]\n');
    assert.match(fixed!.text, /RUN groupadd --system appuser && useradd --system --gid appuser --no-create-home appuser\nUSER appuser\n/);
  });

  it('writes the user commands of the image\'s distribution, and none where they may be missing', () => {
    // eclipse-temurin is Ubuntu: groupadd/useradd, never Alpine's addgroup -S.
    assert.match(applyFix(rule, 'dockerfile', 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n')!.text, /RUN groupadd --system app/);
    assert.match(applyFix(rule, 'dockerfile', 'FROM eclipse-temurin:21-jre-alpine\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n')!.text, /RUN addgroup -S app && adduser -S -G app app/);
    // UBI minimal and Amazon Linux (amazoncorretto) have no shadow-utils.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nCOPY app /app\nCMD ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM amazoncorretto:21\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n'), undefined);
    assert.match(applyFix(rule, 'dockerfile', 'FROM registry.access.redhat.com/ubi9/ubi:9.4\nCOPY app /app\nCMD ["/app"]\n')!.text, /RUN groupadd --system app/);
  });

  it('offers no fix where the app could not run as another user', () => {
    // root's home is not readable by other users.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nWORKDIR /root/\nCOPY --from=build /app/main .\nCMD ["./main"]\n'), undefined);
    // No shell to make the WORKDIR writable with.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM gcr.io/distroless/static-debian12\nWORKDIR /data\nCOPY --from=build /app /app\nCMD ["/app"]\n'), undefined);
    // nginx's master process needs root for its cache and pid file; nginx-unprivileged is the way.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n'), undefined);
    // A base image chosen by a build argument may be of any distribution.
    assert.equal(applyFix(rule, 'dockerfile', 'ARG BASE=debian:12\nFROM $BASE\nCOPY app /app\nCMD ["/app"]\n'), undefined);
  });
});

describe('no-root-user fix placement', () => {
  it('creates the user before the USER line when the VOLUME comes after the CMD (found by the build check on the corpus)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nCOPY app /app\nRUN mkdir /www\nCMD ["/app"]\nVOLUME /www\n');
    assert.equal(fixed?.text, 'FROM ubuntu:24.04\nCOPY app /app\nRUN mkdir /www\nRUN groupadd --system app && useradd --system --gid app --no-create-home app && mkdir -p /www && chown app /www\nUSER app\nCMD ["/app"]\nVOLUME /www\n');
  });

  it('goes at the end of the stage when a RUN follows the CMD, which would otherwise run unprivileged', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20-slim\nCOPY . .\nCMD ["node", "a.js"]\nRUN apt-get update && apt-get install -y --no-install-recommends tini\n');
    assert.equal(fixed?.text, 'FROM node:20-slim\nCOPY . .\nCMD ["node", "a.js"]\nRUN apt-get update && apt-get install -y --no-install-recommends tini\nUSER node\n');
  });

  it('keeps comments attached to the CMD they precede', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM node:20
      COPY . .
      # hadolint ignore=DL3025
      CMD npm start
    `);
    assert.equal(fixed?.text, 'FROM node:20\nCOPY . .\nUSER node\n# hadolint ignore=DL3025\nCMD npm start\n');
  });
});

describe('no-root-user on base images', () => {
  it('leaves images that only install a runtime or a server to the image that adds the application', () => checkRule(rule, 'dockerfile', dedent(`
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
    COPY docker-entrypoint.sh /usr/local/bin/
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD ["nginx", "-g", "daemon off;"]
  `)));

  it('still reports the image that adds the application', () => checkRule(rule, 'dockerfile', dedent(`
    FROM nginx:1.27
         ~~~~~~~~~~ no-root-user
    COPY site/ /usr/share/nginx/html/
  `)));
});

describe('no-root-user on server images that drop privileges themselves', () => {
  it('recommends nginx-unprivileged for stock nginx, at info, and offers no USER fix (nginx would fail on /var/cache/nginx and its pid file)', () => {
    const text = dedent(`
      FROM nginx:1.27-alpine
      COPY site/ /usr/share/nginx/html/
    `);
    const [finding] = findingsOf(rule, 'dockerfile', text);
    assert.equal(finding.severity, 'info');
    assert.match(finding.message, /^`nginx:1\.27-alpine` starts nginx as root, and only its worker processes run as `nginx`; .*`nginxinc\/nginx-unprivileged:1\.27-alpine`/);
    assert.equal(applyFix(rule, 'dockerfile', text), undefined);
  });

  it('reports Apache and PHP-FPM images at info without a fix, naming the user their workers run as', () => {
    for (const [image, worker] of [['httpd:2.4', 'daemon'], ['php:8.3-apache', 'www-data'], ['php:8.3-fpm-alpine', 'www-data'], ['wordpress:6.6-php8.3-apache', 'www-data']]) {
      const text = `FROM ${image}\nCOPY src/ /var/www/html/\n`;
      const [finding] = findingsOf(rule, 'dockerfile', text);
      assert.equal(finding.severity, 'info', image);
      assert.match(finding.message, new RegExp(`only its worker processes run as \`${worker}\``), image);
      assert.equal(applyFix(rule, 'dockerfile', text), undefined, image);
    }
  });

  it("keeps the info when the Dockerfile's own start-up script runs before a CMD that still starts the server", () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM php:8.3-apache\nCOPY . /var/www/html/\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["apache2-foreground"]\n');
    assert.equal(finding.severity, 'info');
  });

  it('still warns, with its fix, when the Dockerfile starts something else on such an image', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM php:8.3-fpm\nCOPY . /app\nCMD ["php", "artisan", "serve", "--host=0.0.0.0"]\n');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^The final stage never sets USER/);
  });

  it("does not report database images whose entrypoint drops to the service's user (gosu, su-exec)", () => {
    check(`
      FROM postgres:16
      COPY init.sql /docker-entrypoint-initdb.d/
    `);
    check(`
      FROM redis:7.2-alpine
      COPY redis.conf /usr/local/etc/redis/redis.conf
      CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
    `);
  });

  it('reports such an image when its own entrypoint is replaced', () => check(`
    FROM postgres:16
         ~~~~~~~~~~~ no-root-user
    COPY run.sh /run.sh
    COPY app /app
    ENTRYPOINT ["/app/start"]
  `));
});

describe('no-root-user on base images', () => {
  it('leaves an image that only installs a runtime from a build stage, with no command of its own (the official golang and .NET images)', () => {
    check(`
      FROM buildpack-deps:bookworm-scm AS build
      RUN curl -fsSL https://go.dev/dl/go.tgz | tar -xz -C /target
      FROM buildpack-deps:bookworm-scm
      ENV GOLANG_VERSION=1.23.0 GOPATH=/go PATH=/go/bin:/usr/local/go/bin:$PATH
      COPY --from=build --link /target/ /
      RUN mkdir -p "$GOPATH/src" "$GOPATH/bin"
      WORKDIR $GOPATH
    `);
    check(`
      FROM amd64/buildpack-deps:noble-curl AS installer
      RUN curl -fsSL https://dot.net/runtime.tgz -o dotnet.tgz && mkdir /dotnet && tar -xzf dotnet.tgz -C /dotnet
      FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-noble
      ENV DOTNET_VERSION=8.0.8
      COPY --from=installer ["/dotnet", "/usr/share/dotnet"]
      RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
    `);
  });

  it('still reports application images without a CMD of their own (Compose gives the command)', () => {
    check(`
      FROM python:3.12-slim
           ~~~~~~~~~~~~~~~~ no-root-user
      WORKDIR /app
      COPY . .
      EXPOSE 8000
    `);
    // A binary copied where an application lives, or one that serves a port.
    for (const tail of ['COPY --from=build /out/app /srv/app', 'COPY --from=build /out/app /usr/local/bin/app\nEXPOSE 8080']) {
      const [finding] = findingsOf(rule, 'dockerfile', `FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM debian:12-slim\n${tail}\n`);
      assert.match(finding?.message ?? '', /^The final stage never sets USER/, tail);
    }
  });
});
