import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-root-user';
import { applyFix, checkRule, config, dedent, fakeFiles, file, findingsOf, strict } from '../../helpers/check';
import { LanguageService } from '../../../server/src/service';

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

  it('makes the folders an ENV names writable too (the app as root could create them), not system folders or those under the WORKDIR', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.26
      WORKDIR /app
      COPY . .
      ENV BASE_DIR="/data" UPLOADS_DIR="uploads" CACHE_DIR=/app/cache
      ENV GOPATH=/go CONFIG_FILE=/etc/app/config.yaml
      RUN ["go", "build", "-o", "app"]
      CMD ["./app"]
    `);
    assert.equal(fixed?.text, dedent(`
      FROM golang:1.26
      WORKDIR /app
      COPY . .
      ENV BASE_DIR="/data" UPLOADS_DIR="uploads" CACHE_DIR=/app/cache
      ENV GOPATH=/go CONFIG_FILE=/etc/app/config.yaml
      RUN ["go", "build", "-o", "app"]
      RUN groupadd --system app && useradd --system --gid app --no-create-home app && mkdir -p /app /data && chown app /app /data
      USER app
      CMD ["./app"]
    `));
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

  it('keeps the info when the ENTRYPOINT starts nginx itself, but warns when it starts redis-server past its entrypoint', () => {
    const [nginx] = findingsOf(rule, 'dockerfile', 'FROM nginx:alpine\nCOPY --from=build /app/build /usr/share/nginx/html\nENTRYPOINT ["nginx", "-g", "daemon off;"]\n');
    assert.equal(nginx.severity, 'info');
    assert.match(nginx.message, /nginx-unprivileged/);
    const [redis] = findingsOf(rule, 'dockerfile', 'FROM redis:7.2\nCOPY redis.conf /etc/redis.conf\nENTRYPOINT ["redis-server", "/etc/redis.conf"]\n');
    assert.equal(redis.severity, 'warning');
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

/** The fix of the first no-root-user finding, declined or not, as the editor and the CLI see it. */
function fixOutcome(text: string, files: Record<string, string> = {}, path = '/work/Dockerfile') {
  const own = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], files: fakeFiles({ [path]: dedent(text), ...files }), onFailure: strict });
  const source = file(dedent(text), 'dockerfile', path);
  const finding = own.lint(source, config()).find((f) => f.rule === rule.id);
  assert.ok(finding, 'expected a no-root-user finding');
  return own.fixOutcome(source, finding);
}

describe('no-root-user on images that are only built, never run', () => {
  it('stays quiet when the final stage only lints or validates: no start command, and check RUNs (buildx lint, compose-spec validate)', () => {
    check(`
      FROM golang:1.22-alpine AS base
      FROM base AS lint
      WORKDIR /src
      COPY . .
      RUN golangci-lint run
      FROM lint
    `);
    check(`
      FROM alpine:3.20 AS build
      RUN mkdir /out && echo spec > /out/spec.md
      FROM alpine:3.20 AS spec-validate
      RUN apk add --no-cache git rsync
      COPY --from=build /out /out
      RUN --mount=target=/context rsync -a /context/. . && if [ -n "$(git status --porcelain)" ]; then exit 1; fi
    `);
  });

  it('stays quiet on a test-runner image: a browser-test base and no start command (Dockerfile.playwright)', () => check(`
    FROM mcr.microsoft.com/playwright:v1.47.0-noble
    WORKDIR /app
    COPY . .
    RUN npm ci
  `));

  it('still reports an image that tests its build but also runs the application', () => check(`
    FROM node:20-slim AS test
         ~~~~~~~~~~~~ no-root-user
    COPY . .
    RUN npm ci && npm test
    EXPOSE 3000
  `));

  it('stays quiet on a WebAssembly image: FROM scratch with a .wasm entrypoint', () => check(`
    FROM rust:1.80 AS build
    RUN cargo build --target wasm32-wasi --release
    FROM scratch
    ENTRYPOINT ["kafka.wasm"]
    COPY --from=build /kafka.wasm /kafka.wasm
  `));
});

describe('no-root-user on images that must start as root', () => {
  const infoWithoutFix = (text: string, pattern: RegExp, files?: Record<string, string>) => {
    const findings = findingsOf(rule, 'dockerfile', dedent(text), files ? { files } : {});
    assert.equal(findings.length, 1, text);
    assert.equal(findings[0].severity, 'info', findings[0].message);
    assert.match(findings[0].message, pattern);
    assert.equal(findings[0].data?.missingUser, undefined, 'no fix');
  };

  it('reports an image started by an init or a supervisor at info, without a fix (discourse runs runit; supervisord; s6)', () => {
    infoWithoutFix(`
      FROM debian:12-slim
      RUN apt-get update && apt-get install -y --no-install-recommends runit nginx postgresql && useradd -m app
      COPY sbin/ /sbin
      COPY app/ /var/www/app
    `, /runs as root \(the default of `debian:12-slim`\), which `runit` needs to start the services it supervises/);
    infoWithoutFix(`
      FROM python:3.12-slim
      COPY . /app
      CMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/supervisord.conf"]
    `, /`supervisord` needs/);
  });

  it('reports an image that runs cron at info, without a fix (cron -f, crond, or the cron package it installs)', () => {
    infoWithoutFix(`
      FROM python:3.12-slim
      RUN apt-get update && apt-get install -y --no-install-recommends cron
      COPY . /app
      CMD ["cron", "-f"]
    `, /`cron` needs to run its jobs/);
    infoWithoutFix(`
      FROM rust:1.75
      RUN apt update && apt install -y cron
      WORKDIR /app
      COPY . .
      RUN cargo build --release
    `, /`cron` needs/);
  });

  it('reports Apache or nginx from the distribution packages like the official images: info, no fix (FreshRSS)', () => infoWithoutFix(`
    FROM alpine:3.20
    RUN apk add --no-cache apache2 php-apache2 php
    WORKDIR /var/www/FreshRSS
    COPY . /var/www/FreshRSS
    EXPOSE 80
    CMD ([ -z "$CRON_MIN" ] || crond -d 6) && exec httpd -D FOREGROUND
  `, /`httpd` needs, since it starts as root and runs only its worker processes unprivileged/));

  it("reads the start-up script from the build context: one that edits /etc, chowns or starts cron needs root; one that drops privileges silences the rule", () => {
    const dockerfile = `
      FROM alpine:3.20
      WORKDIR /var/www/app
      COPY . /var/www/app
      ENTRYPOINT ["./Docker/entrypoint.sh"]
      CMD ["php", "-S", "0.0.0.0:8080"]
    `;
    infoWithoutFix(dockerfile, /its start-up script `entrypoint\.sh` needs \(`sed -r -i/, {
      '/work/Docker/entrypoint.sh': '#!/bin/sh\nsed -r -i "s/^memory_limit.*/memory_limit = 256M/" /etc/php82/php.ini\nchown -R :www-data .\nexec "$@"\n',
    });
    // Without the script (an unsaved file, a flat copy) nothing says so: the warning stands.
    assert.equal(findingsOf(rule, 'dockerfile', dedent(dockerfile))[0]?.severity, 'warning');
    const dropping = findingsOf(rule, 'dockerfile', dedent(dockerfile), { files: { '/work/Docker/entrypoint.sh': '#!/bin/sh\nchown -R app /data\nexec su-exec app "$@"\n' } });
    assert.deepEqual(dropping, []);
    // A script a build stage copied from the context and the final stage copies from it (lldap).
    const throughStage = dedent(`
      FROM debian:12 AS app
      COPY docker-entrypoint.sh /docker-entrypoint.sh
      COPY . /src
      RUN make -C /src install
      FROM debian:12-slim
      RUN useradd --system app
      COPY --from=app /docker-entrypoint.sh /docker-entrypoint.sh
      COPY --from=app /usr/local/bin/server /app/server
      ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]
      CMD ["run"]
    `);
    assert.deepEqual(findingsOf(rule, 'dockerfile', throughStage, { files: { '/work/docker-entrypoint.sh': '#!/bin/sh\nchown -R app /data\nexec gosu app /app/server "$@"\n' } }), []);
  });

  it('reports an image Compose runs as several services with their own commands at info, without a fix (trusty-tail)', () => {
    const findings = findingsOf(rule, 'dockerfile', 'FROM rust:1.75\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n', {
      files: { '/work/docker-compose.yml': 'services:\n  bot:\n    build: .\n    command: ./target/release/bot\n  alerts:\n    build: .\n    entrypoint: /app/send-alerts.sh\n' },
    });
    assert.equal(findings[0]?.severity, 'info');
    assert.match(findings[0].message, /Compose runs it as several services with their own commands \(`bot`, `alerts`\); set `user:`/);
  });

  it('an explicit USER root is a decision: an info, a warning only where the base image runs unprivileged, and nothing when the entrypoint drops privileges', () => {
    const [plain] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nCOPY app /app\nUSER 0\nENTRYPOINT ["/entrypoint.sh"]\n');
    assert.equal(plain.severity, 'info');
    const [cron] = findingsOf(rule, 'dockerfile', 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER 0\nRUN apt-get update && apt-get install -y --no-install-recommends cron\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n');
    assert.equal(cron.severity, 'info');
    assert.match(cron.message, /runs as `0`, which `cron` needs/);
    const [undone] = findingsOf(rule, 'dockerfile', 'FROM bitnami/redis:7.2\nUSER root\nRUN install_packages curl\n');
    assert.equal(undone.severity, 'warning');
    assert.deepEqual(findingsOf(rule, 'dockerfile', 'FROM mcr.microsoft.com/mssql/server:2022-latest\nUSER root:root\nRUN apt-get update && apt-get install -y gosu\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n'), []);
  });
});

describe('no-root-user on development images', () => {
  it('reports a Dockerfile named for development or debugging at info, keeping the quick fix (Dockerfile.debug)', () => {
    const text = 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nRUN apt-get update && apt-get install -y procps\nWORKDIR /app\nCOPY --from=build /out .\nENTRYPOINT ["dotnet", "cartservice.dll"]\n';
    const [debug] = findingsOf(rule, 'dockerfile', text, { path: '/work/src/Dockerfile.debug' });
    assert.equal(debug.severity, 'info');
    assert.match(debug.message, /a development image such as `Dockerfile\.debug` may accept/);
    assert.equal(debug.data?.missingUser, true);
    // The same image in the Dockerfile that ships is a warning.
    assert.equal(findingsOf(rule, 'dockerfile', text, { path: '/work/src/Dockerfile' })[0].severity, 'warning');
  });
});

describe('no-root-user fix: declined where the app would fail as another user', () => {
  it('declines when PATH or a tool lives in root\'s home (bun, stack, rustup, pip --user)', () => {
    const bun = fixOutcome(`
      FROM node:20-slim
      RUN curl -fsSL https://bun.sh/install | bash
      ENV PATH="/root/.bun/bin:$PATH"
      COPY . /app
      CMD ["bun", "run", "/app/server.ts"]
    `);
    assert.equal(bun?.edits.length, 0);
    assert.match(bun?.declined?.reason ?? '', /`PATH` points into root's home \(`\/root\/.bun\/bin`\)/);
    const stack = fixOutcome(`
      FROM haskell:9.8
      WORKDIR /srv
      COPY . .
      RUN stack setup && stack build
      CMD ["/srv/.stack-work/install/bin/app"]
    `);
    assert.match(stack?.declined?.reason ?? '', /`stack` keeps what it installs in root's home/);
    const pip = fixOutcome('FROM python:3.12-slim\nCOPY . /app\nRUN pip install --user -r /app/requirements.txt\nCMD ["python", "/app/main.py"]\n');
    assert.match(pip?.declined?.reason ?? '', /--user/);
  });

  it('declines when the start command builds and writes where the build left root-owned files (cargo run, npm run dev), also from Compose', () => {
    const cargo = fixOutcome('FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD ["cargo", "run", "--release"]\n');
    assert.match(cargo?.declined?.reason ?? '', /^`cargo run` \(CMD\) builds at start-up and writes `target\/`/);
    const compose = fixOutcome('FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n', { '/work/compose.yaml': 'services:\n  bot:\n    build: .\n    command: cargo run --release\n' });
    assert.match(compose?.declined?.reason ?? '', /`cargo run` \(service bot\)/);
    const dev = fixOutcome('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "run", "dev"]\n');
    assert.match(dev?.declined?.reason ?? '', /`npm run dev`/);
    // `npm run start` only starts what is built.
    assert.equal(fixOutcome('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "run", "start"]\n')?.declined, undefined);
  });
});
