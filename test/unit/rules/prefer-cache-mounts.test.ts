import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/prefer-cache-mounts';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('prefer-cache-mounts', () => {
  it('flags dependency downloads in a build stage', () => check(`
    FROM node:20 AS web
    RUN npm ci
        ~~~~~~ prefer-cache-mounts
    FROM python:3.12 AS wheels
    RUN pip wheel -r requirements.txt && pip install -r requirements.txt
                                         ~~~~~~~~~~~ prefer-cache-mounts
    FROM golang:1.22 AS build
    RUN go mod download
        ~~~~~~~~~~~~~~~ prefer-cache-mounts
    RUN go build -o /app ./cmd/app
        ~~~~~~~~ prefer-cache-mounts
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /app /app
  `));

  it('accepts a cache mount over the cache, or one named after the manager', () => check(`
    FROM node:20 AS web
    RUN --mount=type=cache,target=/root/.npm npm ci
    RUN --mount=type=cache,id=yarn,target=/yarn-cache yarn install --cache-folder /yarn-cache
    FROM golang:1.22 AS build
    RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...
    FROM scratch
    COPY --from=build /app /app
  `));

  it('respects a choice to keep no cache (--no-cache, --no-cache-dir, cleanup in the same RUN)', () => check(`
    FROM python:3.12 AS build
    RUN pip install --no-cache-dir -r requirements.txt
    RUN apk add --no-cache gcc
    RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
    RUN npm ci && npm cache clean --force
    FROM scratch
    COPY --from=build /app /app
  `));

  it("leaves the final image's apt, apk, pip, npm and yarn caches to package-cache-cleaned", () => check(`
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y libpq5
    RUN pip install -r requirements.txt
    RUN cargo build --release
        ~~~~~~~~~~~ prefer-cache-mounts
  `));

  it('reads Maven, Gradle and Composer', () => check(`
    FROM maven:3.9 AS build
    RUN mvn -B dependency:go-offline && mvn -v
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ prefer-cache-mounts
    RUN ./gradlew build
        ~~~~~~~~~~~~~~~ prefer-cache-mounts
    FROM composer:2 AS php
    RUN composer install --no-dev
        ~~~~~~~~~~~~~~~~ prefer-cache-mounts
    FROM scratch
    COPY --from=build /app /app
  `));

  it('stays quiet where the cache directory is unknown (a Maven settings file, Composer without COMPOSER_HOME), rather than print a placeholder', () => check(`
    FROM maven:3.9 AS build
    RUN mvn -B -s settings-docker.xml package
    FROM php:8.3 AS php
    RUN composer install --no-dev
    FROM scratch
    COPY --from=build /app /app
  `));

  it("mounts in the home of the stage's user, never at `~` (BuildKit does not expand it), with the user's uid and gid", () => {
    const message = (text: string) => findingsOf(rule, 'dockerfile', dedent(text))[0]?.message;
    // The node image's own user.
    assert.match(message(`
      FROM node:20 AS web
      USER node
      RUN npm ci
      FROM scratch
    `), /`RUN --mount=type=cache,target=\/home\/node\/\.npm,uid=1000,gid=1000` so/);
    // A user the Dockerfile creates, with its group's id.
    assert.match(message(`
      FROM python:3.12 AS build
      RUN groupadd -g 10001 app && useradd -u 10001 -g app -m app
      USER app
      RUN pip install -r requirements.txt
      FROM scratch
    `), /`RUN --mount=type=cache,target=\/home\/app\/\.cache\/pip,uid=10001,gid=10001` so/);
    // BusyBox adduser with an explicit home.
    assert.match(message(`
      FROM node:20-alpine AS web
      RUN adduser -D -u 1001 -h /srv/app app
      USER app
      RUN npm ci
      FROM scratch
    `), /`RUN --mount=type=cache,target=\/srv\/app\/\.npm,uid=1001` so/);
    // A user whose home is not known: no `~`, and no guessed path.
    const unknown = message(`
      FROM python:3.12 AS build
      USER app
      RUN pip install -r requirements.txt
      FROM scratch
    `);
    assert.doesNotMatch(unknown!, /~/);
    assert.match(unknown!, /`RUN --mount=type=cache,target=<home of app>\/\.cache\/pip,uid=<uid of app>` so/);
  });

  it('fix: mounts in the home of a known non-root user, owned by that user; none when the home or the uid is unknown', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20 AS web\nUSER node\nRUN npm ci\nFROM scratch\n');
    assert.equal(fixed?.text, 'FROM node:20 AS web\nUSER node\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\nFROM scratch\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12 AS b\nUSER app\nRUN pip install -r r.txt\nFROM scratch\n'), undefined);
    // Created without a uid: the mount would belong to root, which the user cannot write.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12 AS b\nRUN useradd -m app\nUSER app\nRUN pip install -r r.txt\nFROM scratch\n'), undefined);
  });

  it('does not mount a cache on a path the same RUN deletes, before or after the download (the mount point cannot be removed)', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /app . && rm -rf /root/.cache
    RUN go build -o /app . && rm -rf /root/.cache/*
    RUN go clean -modcache && go build -o /app .
    FROM node:20 AS web
    RUN rm -rf /root/.npm && npm ci
    RUN npm ci && rm -rf "$HOME/.npm"
    FROM python:3.12 AS wheels
    RUN pip install -r requirements.txt && rm -rf "$(pip cache dir)"
    FROM rust:1.80 AS rust
    RUN cargo build --release && rm -rf /usr/local/cargo/registry
    FROM scratch
    COPY --from=build /app /app
  `));

  it('still offers the mount when the RUN only deletes other paths (`*` does not match `.cache`)', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /app . && rm -rf /root/* /tmp/*
        ~~~~~~~~ prefer-cache-mounts
    FROM scratch
    COPY --from=build /app /app
  `));

  it('fix: mounts the npm cache', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20 AS web\nCOPY package*.json ./\nRUN npm ci\nFROM scratch\n');
    assert.deepEqual(fixed, { text: 'FROM node:20 AS web\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nFROM scratch\n', title: 'Mount a build cache at `/root/.npm`', safe: true });
  });

  it("fix: uses the variables and image defaults that move a cache (PIP_CACHE_DIR, the golang image's GOPATH)", () => {
    assert.equal(
      applyFix(rule, 'dockerfile', 'FROM python:3.12 AS b\nENV PIP_CACHE_DIR=/pip-cache\nRUN pip install -r r.txt\nFROM scratch\n')?.text,
      'FROM python:3.12 AS b\nENV PIP_CACHE_DIR=/pip-cache\nRUN --mount=type=cache,target=/pip-cache pip install -r r.txt\nFROM scratch\n',
    );
    const go = applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM scratch\n');
    assert.equal(go?.text, 'FROM golang:1.22 AS b\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /app .\nFROM scratch\n');
    assert.equal(go?.safe, true);
  });

  it('fix: is unsafe when another RUN reads the same module store from the image', () => {
    const fixed = applyFix(rule, 'dockerfile', dedent(`
      FROM golang:1.22 AS b
      RUN go mod download
      RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .
      FROM scratch
    `));
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Mount a build cache at `/go/pkg/mod` (`go build` may expect its downloads in the image)');
  });

  it('offers no fix when a later stage copies what the mount would keep out of the layer', () => {
    // With /go/pkg/mod a cache mount of `deps`, `COPY --from=deps /go/pkg/mod` fails with "not found".
    assert.equal(applyFix(rule, 'dockerfile', dedent(`
      FROM golang:1.22 AS deps
      COPY go.mod go.sum ./
      RUN go mod download
      FROM golang:1.22 AS build
      COPY --from=deps /go/pkg/mod /go/pkg/mod
      COPY . .
      RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .
      FROM scratch
      COPY --from=build /app /app
    `)), undefined);
    // The same through a stage built FROM it, and a bind mount of it.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM build AS test\nFROM eclipse-temurin:21\nRUN --mount=type=bind,from=test,source=/root/.m2/repository,target=/repo ls /repo\n'), undefined);
  });

  it('after a go mod download RUN, advises only the build cache for go build, which is safe on its own', () => {
    const findings = findingsOf(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN go mod download\nRUN go build -o /app .\nFROM scratch\n');
    assert.equal(findings.length, 2);
    assert.match(findings[1].message, /`go build` compiles every package from scratch .*`RUN --mount=type=cache,target=\/root\/\.cache\/go-build` so/);
  });

  it('fix: mounts the apt archives and lists with sharing=locked when the RUN updates first', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12 AS b\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\n');
    assert.equal(fixed?.text, 'FROM debian:12 AS b\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y gcc\nFROM scratch\n');
    assert.equal(fixed?.safe, true);
  });

  it('keeps the apt lists in the image when a later RUN of the stage or of a stage built FROM it runs a script Shipshape cannot read (it may install without updating)', () => {
    // discourse/base: the builder's lists are read by install scripts that stages built FROM it
    // run. Only the archives could be mounted, and Debian's docker-clean empties them: quiet.
    const discourse = dedent(`
      FROM debian:12 AS builder
      RUN apt-get update && apt-get install -y gcc
      FROM builder AS lib
      ADD install-lib /tmp/install-lib
      RUN /tmp/install-lib
      FROM scratch
      COPY --from=lib /out /out
    `);
    assert.deepEqual(findingsOf(rule, 'dockerfile', discourse), []);
    // With docker-clean gone, the archives are worth a mount of their own.
    const kept = discourse.replace('RUN apt-get update', "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update");
    const fixed = applyFix(rule, 'dockerfile', kept);
    assert.equal(fixed?.text.split('\n')[2], 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y gcc');
    assert.equal(fixed!.title, 'Mount a build cache at `/var/cache/apt` (the package lists stay in the image: `/tmp/install-lib` may read them)');
    assert.equal(fixed?.safe, true);
    // The same for a script run by a shell, piped in, or sourced, in the same stage; and for a later install without update.
    for (const later of ['RUN sh ./install.sh', 'RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -', 'RUN . ./env.sh && build', 'RUN $INSTALL', 'RUN apt-get install -y curl']) {
      const text = applyFix(rule, 'dockerfile', `FROM debian:12 AS b\nRUN echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache\nRUN apt-get update && apt-get install -y gcc\n${later}\nFROM scratch\n`)?.text;
      assert.equal(text?.split('\n')[2], 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y gcc', later);
    }
    // A later RUN that updates first, or runs only commands Shipshape knows, needs nothing from this layer.
    for (const later of ['RUN apt-get update && /tmp/install-lib', 'RUN gcc -o /usr/local/bin/x x.c', 'RUN ./mvnw -v', 'RUN ./configure && make && make install', 'RUN ./node_modules/.bin/ng build']) {
      const text = applyFix(rule, 'dockerfile', `FROM debian:12 AS b\nRUN apt-get update && apt-get install -y gcc\n${later}\nFROM scratch\n`)?.text;
      assert.match(text!.split('\n')[1], /target=\/var\/lib\/apt\/lists/, later);
    }
  });

  it('fix: is a quick fix only, saying why, when a later RUN runs a script that may read the module store from the image', () => {
    const fixed = applyFix(rule, 'dockerfile', dedent(`
      FROM maven:3.9 AS b
      COPY pom.xml .
      RUN mvn dependency:go-offline
      COPY . .
      RUN ./build.sh
      FROM scratch
      COPY --from=b /app /app
    `));
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Mount a build cache at `/root/.m2` (`./build.sh` may expect its downloads in the image)');
    // go build mounts only its build cache then, which is safe on its own.
    const go = applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN go build -o /app .\nRUN ./scripts/test.sh\nFROM scratch\n');
    assert.equal(go?.text, 'FROM golang:1.22 AS b\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\nRUN ./scripts/test.sh\nFROM scratch\n');
    assert.equal(go?.safe, true);
  });

  it('fix: is a quick fix only when a later RUN reads the cache offline (`npm ci --offline`, `yarn install --offline`)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20 AS b\nRUN npm ci\nRUN npm ci --offline --omit=dev\nFROM scratch\n');
    assert.equal(fixed?.safe, false);
    assert.match(fixed!.title, /`npm ci --offline --omit=dev`/);
  });

  it("mounts Cargo's registry under the image's CARGO_HOME, and stays quiet when an image of unknown layout provides cargo", () => {
    const message = (text: string) => findingsOf(rule, 'dockerfile', dedent(text)).map((f) => f.message);
    // qdrant: cargo-chef is built on the rust image, whose CARGO_HOME is /usr/local/cargo.
    assert.match(message(`
      FROM lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm AS chef
      RUN cargo install cargo-sbom
      FROM scratch
    `)[0], /target=\/usr\/local\/cargo\/registry /);
    assert.deepEqual(message(`
      FROM ghcr.io/acme/rust-builder:1 AS b
      RUN cargo build --release
      FROM scratch
    `), []);
    // An official image without Rust: the Dockerfile installs it (rustup), into root's home.
    assert.match(message(`
      FROM debian:12 AS b
      RUN curl -fsSL https://sh.rustup.rs | sh -s -- -y
      RUN cargo build --release
      FROM scratch
    `)[0], /target=\/root\/\.cargo\/registry /);
    // CARGO_HOME set by the Dockerfile wins.
    assert.match(message(`
      FROM ghcr.io/acme/rust-builder:1 AS b
      ENV CARGO_HOME=/cargo
      RUN cargo build --release
      FROM scratch
    `)[0], /target=\/cargo\/registry /);
  });

  it('fix: works on exec form too, since only the RUN flags change', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20 AS web\nRUN ["npm", "ci"]\nFROM scratch\n');
    assert.equal(fixed?.text, 'FROM node:20 AS web\nRUN --mount=type=cache,target=/root/.npm ["npm", "ci"]\nFROM scratch\n');
  });

  it('offers no fix for an apt install without update', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM scratch\n'), undefined);
  });
});
