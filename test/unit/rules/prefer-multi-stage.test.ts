import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/prefer-multi-stage';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string, path?: string) => checkRule(rule, 'dockerfile', text, path ? { path } : {});

describe('prefer-multi-stage', () => {
  it('flags a single-stage Go build on the golang image', () => check(`
    FROM golang:1.22
         ~~~~~~~~~~~ prefer-multi-stage
    WORKDIR /src
    COPY . .
    RUN go build -o /app ./cmd/server
    CMD ["/app"]
  `));

  it('flags Maven, Gradle, cargo and dotnet builds', () => {
    for (const [image, build] of [
      ['maven:3.9-eclipse-temurin-21', 'mvn -B package'],
      ['gradle:8-jdk21', './gradlew bootJar'],
      ['rust:1.80', 'cargo build --release'],
      ['mcr.microsoft.com/dotnet/sdk:8.0', 'dotnet publish -c Release -o /out'],
    ]) {
      const findings = findingsOf(rule, 'dockerfile', `FROM ${image}\nCOPY . /src\nWORKDIR /src\nRUN ${build}\nCMD ["/src/app"]\n`);
      assert.equal(findings.length, 1, `${image}: ${build}`);
    }
  });

  it('flags a Node build that keeps its devDependencies', () => check(`
    FROM node:20-slim
         ~~~~~~~~~~~~ prefer-multi-stage
    WORKDIR /app
    COPY package*.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    CMD ["node", "dist/server.js"]
  `));

  it('describes the build in data for the multi-stage refactor', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22\nCOPY . .\nRUN go mod download && CGO_ENABLED=0 go build -o /app .\nCMD ["/app"]\n');
    assert.deepEqual(finding.data, {
      ecosystem: 'go',
      ecosystems: ['go'],
      buildCommands: [{ line: 2, text: 'CGO_ENABLED=0 go build -o /app .' }],
      baseImage: 'golang:1.22',
      stage: 0,
      baseStage: 0,
    });
    assert.match(finding.message, /`CGO_ENABLED=0 go build -o \/app \.` on `golang:1\.22`/);
  });

  it('flags pip installs that need a compiler the image keeps', () => check(`
    FROM python:3.12-slim
         ~~~~~~~~~~~~~~~~ prefer-multi-stage
    RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["gunicorn", "app:app"]
  `));

  it('flags a C++ build of the application', () => check(`
    FROM ubuntu:24.04
         ~~~~~~~~~~~~ prefer-multi-stage
    RUN apt-get update && apt-get install -y g++ cmake make
    COPY . /src
    RUN cmake -S /src -B /build && cmake --build /build
    CMD ["/build/server"]
  `));

  it('follows a final stage built FROM an earlier stage', () => check(`
    FROM golang:1.22 AS base
         ~~~~~~~~~~~ prefer-multi-stage
    WORKDIR /src
    FROM base
    COPY . .
    RUN go build -o /app .
    ENTRYPOINT ["/app"]
  `));

  it('accepts a multi-stage build that copies the output', () => check(`
    FROM golang:1.22 AS build
    COPY . .
    RUN go build -o /app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /app /app
    ENTRYPOINT ["/app"]
  `));

  it('counts COPY --from a stage by index too, but not from an image', () => {
    check(`
      FROM golang:1.22
      RUN go build -o /app .
      FROM golang:1.22
      COPY --from=0 /app /app
      COPY . .
      RUN go build -o /tool ./tool
      CMD ["/app"]
    `);
    const findings = findingsOf(rule, 'dockerfile', 'FROM golang:1.22\nCOPY --from=docker:27-cli /usr/local/bin/docker /usr/local/bin/\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n');
    assert.equal(findings.length, 1);
  });

  it('leaves toolchain images alone: no application started, a REPL, or ONBUILD', () => {
    check(`
      FROM golang:1.22
      RUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.59.1
    `);
    check(`
      FROM node:20
      COPY . .
      RUN npm ci && npm run build
      CMD ["node"]
    `);
    check(`
      FROM golang:1.22
      ONBUILD COPY . /go/src/app
      ONBUILD RUN go install ./...
      COPY . .
      RUN go build -o /app .
      CMD ["/app"]
    `);
  });

  it('leaves official-image style builds of downloaded sources alone', () => check(`
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y gcc make wget
    RUN wget -O redis.tar.gz https://download.redis.io/releases/redis-7.2.5.tar.gz \\
      && tar -xzf redis.tar.gz && cd redis-7.2.5 && make && make install
    COPY docker-entrypoint.sh /usr/local/bin/
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD ["redis-server"]
  `));

  it('leaves builds alone that remove their toolchain afterwards', () => {
    check(`
      FROM alpine:3.20
      COPY . /src
      RUN apk add --no-cache --virtual .build-deps go gcc musl-dev \\
        && cd /src && go build -o /usr/local/bin/app . \\
        && apk del .build-deps
      CMD ["app"]
    `);
    check(`
      FROM python:3.12-slim
      COPY requirements.txt .
      RUN apt-get update && apt-get install -y gcc \\
        && pip install -r requirements.txt \\
        && apt-get purge -y --auto-remove gcc
      CMD ["python", "app.py"]
    `);
  });

  it('leaves a Node build alone when the devDependencies are pruned', () => check(`
    FROM node:20-slim
    COPY . .
    RUN npm ci && npm run build && npm prune --omit=dev
    CMD ["node", "dist/index.js"]
  `));

  it('does not count a pip install without a compiler, or a compiler for another tool', () => {
    check(`
      FROM python:3.12-slim
      COPY . .
      RUN pip install -r requirements.txt
      CMD ["python", "app.py"]
    `);
    check(`
      FROM debian:12
      RUN apt-get update && apt-get install -y build-essential ruby-dev && gem install fpm
      COPY build.sh /
      ENTRYPOINT ["/build.sh"]
    `);
  });

  it('leaves development images alone, by file name or stage name', () => {
    check(`
      FROM golang:1.22
      COPY . .
      RUN go build -o /app .
      CMD ["/app"]
    `, '/work/Dockerfile.dev');
    check(`
      FROM golang:1.22 AS dev
      COPY . .
      RUN go build -o /app .
      CMD ["/app"]
    `);
  });

  it('fixes by converting to a build stage and a runtime stage (unsafe: only when asked for)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.22
      WORKDIR /src
      COPY . .
      RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api
      EXPOSE 8080
      CMD ["/out/api"]
    `);
    assert.ok(fixed);
    assert.equal(fixed.safe, false);
    assert.equal(fixed.title, 'Convert to multi-stage build (Go) — typical: ~850 MB SDK image → ~10–20 MB static binary image');
    assert.equal(fixed.text, [
      '# syntax=docker/dockerfile:1',
      '',
      '# Build stage: the Go build with its toolchain, dependencies and sources.',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      '# Set by BuildKit for each platform of `docker buildx build --platform …`.',
      'ARG TARGETOS TARGETARCH',
      'WORKDIR /src',
      'COPY . .',
      'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api',
      '',
      '# Runtime: the static binary on distroless (CA certificates, tzdata, a nonroot user; no shell, no',
      '#   package manager).',
      '# Assumption: The project\'s files could not be read, so only the build output crosses over: copy any',
      '#   file the app reads at run time (templates, config, static assets) from the build stage too.',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'USER nonroot',
      '# WORKDIR after USER: BuildKit creates it owned by nonroot, so the app can write there as the',
      '#   original did as root.',
      'WORKDIR /src',
      '# The build output crosses over.',
      'COPY --from=build --chown=nonroot:nonroot /out/api /out/api',
      'EXPOSE 8080',
      'CMD ["/out/api"]',
      '',
    ].join('\n'));
    assert.deepEqual(findingsOf(rule, 'dockerfile', fixed.text), [], 'the converted file has no finding');
  });

  it('runs a program that may need cgo on the C library it was built against when the project cannot be read', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/api ./cmd/api\nCMD ["/out/api"]\n');
    assert.match(fixed!.text, /^FROM debian:trixie-slim$/m);
    assert.match(fixed!.text, /^# Assumption: cgo stays on as in the original/m);
  });

  it('offers no fix when the run command cannot be traced to the build output', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n'), undefined);
  });

  it('does not judge Windows images', () => check(`
    FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022
    COPY . .
    RUN dotnet publish -c Release -o out
    ENTRYPOINT ["dotnet", "out/app.dll"]
  `));
});
