import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/runtime-image-minimal';
import { sdkImage, slimTag } from '../../../server/src/dockerfile/ecosystems';
import { parseImageRef } from '../../../server/src/text/image';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string, path?: string) => checkRule(rule, 'dockerfile', text, path ? { path } : {});

describe('runtime-image-minimal', () => {
  it('flags a multi-stage file whose final stage still runs on the SDK', () => check(`
    FROM maven:3.9-eclipse-temurin-21 AS build
    COPY . .
    RUN mvn -B package
    FROM maven:3.9-eclipse-temurin-21
         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ runtime-image-minimal
    COPY --from=build /target/app.jar /app.jar
    CMD ["java", "-jar", "/app.jar"]
  `));

  it('names the runtime image of the same version line', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM golang:1.22\nCOPY --from=build /app /app\nCMD ["/app"]\n');
    assert.match(finding.message, /`golang:1\.22`, a Go SDK image/);
    assert.match(finding.message, /`gcr\.io\/distroless\/static-debian12` \(for a binary built with CGO_ENABLED=0\)/);
    assert.deepEqual(finding.data, { sdk: 'golang', ecosystem: 'go', runtime: 'gcr.io/distroless/static-debian12', sameRuntime: false, multiStage: true, output: '/app' });
  });

  it('says when the final stage only runs what it copies from a build stage, named by its path or by its name on PATH', () => {
    const go = (copy: string, start: string, workdir = '') => findingsOf(rule, 'dockerfile', `FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM golang:1.22\n${workdir}${copy}\n${start}\n`)[0].message;
    for (const message of [
      go('COPY --from=build /out/app /usr/local/bin/app', 'CMD ["app"]'),
      go('COPY --from=build /out/app /usr/local/bin/app', 'CMD ["/usr/local/bin/app"]'),
      go('COPY --from=build /out/app /usr/local/bin/', 'ENTRYPOINT ["app", "--port", "80"]'),
      go('COPY --from=build /out/app /go/bin/app', 'CMD app --port 80'),
      go('COPY --from=build /out/ ./', 'CMD ["./app"]', 'WORKDIR /srv\n'),
    ]) {
      assert.match(message, /^The final stage only runs `[^`]*app`, copied from stage `build`, yet starts from `golang:1\.22`, a Go SDK image, so the Go toolchain, a C compiler and the module cache ship to production with it; base it on `gcr\.io\/distroless\/static-debian12` \(for a binary built with CGO_ENABLED=0\) instead\.$/);
    }
    // A name that is not on PATH, or a program the SDK brings, is not the copied binary.
    for (const message of [go('COPY --from=build /out/app /opt/app', 'CMD ["app"]'), go('COPY --from=build /out/app /usr/local/bin/app', 'CMD ["gofmt", "-l", "."]')]) {
      assert.match(message, /^The final stage runs on `golang:1\.22`, a Go SDK image, .* and copy only the build output into it\.$/);
    }
    const [jar] = findingsOf(rule, 'dockerfile', 'FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY --from=build /src/target/app.jar app.jar\nENTRYPOINT ["java", "-jar", "app.jar"]\n');
    assert.match(jar.message, /^The final stage only runs `app\.jar`, copied from stage `build`, yet starts from `maven:3\.9-eclipse-temurin-21`, a Maven build image/);
  });

  it('fix: puts a final stage that only runs a copied jar or .NET assembly on the runtime image of the same version', () => {
    const maven = applyFix(rule, 'dockerfile', `
      FROM maven:3.9-eclipse-temurin-21 AS build
      RUN mvn -B package
      FROM maven:3.9-eclipse-temurin-21
      COPY --from=build /target/app.jar /app.jar
      CMD ["java", "-jar", "/app.jar"]
    `);
    assert.equal(maven?.title, 'Switch to eclipse-temurin:21-jre');
    assert.equal(maven?.safe, false);
    assert.match(maven!.text, /\nFROM eclipse-temurin:21-jre\nCOPY --from=build/);
    const dotnet = applyFix(rule, 'dockerfile', `
      FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
      RUN dotnet publish -o /out
      FROM mcr.microsoft.com/dotnet/sdk:8.0
      WORKDIR /app
      COPY --from=build /out .
      ENTRYPOINT ["dotnet", "Api.dll"]
    `);
    assert.match(dotnet!.text, /\nFROM mcr\.microsoft\.com\/dotnet\/aspnet:8\.0\nWORKDIR \/app\n/);
    // Not when the stage runs anything else, creates a user the runtime image lacks, or the Java version is unknown.
    const none = (text: string) => assert.equal(applyFix(rule, 'dockerfile', text), undefined, text);
    none('FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM maven:3.9-eclipse-temurin-21\nCOPY --from=build /app.jar /app.jar\nRUN mvn --version\nCMD ["java", "-jar", "/app.jar"]\n');
    none('FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM maven:3.9-eclipse-temurin-21\nCOPY --from=build --chown=spring /app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n');
    none('FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM maven:3.9-eclipse-temurin-21\nCOPY --from=build /app.jar /app.jar\nCMD ["sh", "-c", "java -jar /app.jar"]\n');
    none('FROM maven AS build\nRUN mvn package\nFROM maven\nCOPY --from=build /app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n');
    none('FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM golang:1.22\nCOPY --from=build /out/app /usr/local/bin/app\nCMD ["app"]\n');
  });

  it('flags a single-stage image that only runs on a full image', () => check(`
    FROM node:20
         ~~~~~~~ runtime-image-minimal
    WORKDIR /app
    COPY package*.json ./
    RUN npm ci --omit=dev
    COPY . .
    CMD ["node", "server.js"]
  `));

  it('flags JDK images for a jar, with the matching JRE', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM eclipse-temurin:17\nCOPY target/app.jar app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n');
    assert.match(finding.message, /use `eclipse-temurin:17-jre` instead/);
  });

  it('does not report twice what prefer-multi-stage reports', () => check(`
    FROM golang:1.22
    COPY . .
    RUN go build -o /app .
    CMD ["/app"]
  `));

  it('accepts runtime images', () => {
    check(`
      FROM node:20-slim
      COPY . .
      CMD ["node", "server.js"]
    `);
    check(`
      FROM eclipse-temurin:21-jre-alpine
      COPY app.jar /app.jar
      CMD ["java", "-jar", "/app.jar"]
    `);
    check(`
      FROM mcr.microsoft.com/dotnet/aspnet:8.0
      COPY out/ /app/
      ENTRYPOINT ["dotnet", "/app/api.dll"]
    `);
  });

  it('leaves toolbox, development and template images alone', () => {
    check(`
      FROM golang:1.22
      RUN go install golang.org/x/tools/gopls@latest
    `);
    check(`
      FROM python:3.12
      CMD ["python3"]
    `);
    check(`
      FROM node:20
      COPY . .
      CMD ["node", "server.js"]
    `, '/work/dev.Dockerfile');
    check(`
      FROM mcr.microsoft.com/dotnet/sdk:8.0
      COPY . .
      CMD ["dotnet", "test"]
    `);
    check(`
      FROM node:20
      COPY . .
      CMD npm run dev
    `);
    check(`
      FROM golang:1.22 AS build
      RUN go build -o /hugo .
      FROM golang:1.22
      COPY --from=build /hugo /usr/bin/hugo
      RUN apt-get update && apt-get install -y git nodejs
      ENTRYPOINT ["hugo"]
    `);
  });

  it('fix: switches node and python to their slim tags, keeping the registry', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM docker.io/library/node:20-bookworm
      CMD ["node", "server.js"]
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Switch to node:20-bookworm-slim');
    assert.equal(fixed?.text, dedent(`
      FROM docker.io/library/node:20-bookworm-slim
      CMD ["node", "server.js"]
    `));
    const python = applyFix(rule, 'dockerfile', 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n');
    assert.equal(python?.text, 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n');
  });

  it('offers no fix when a RUN of the stage uses a tool the runtime image lacks', () => {
    // python:3.12-slim has no wget: the RUN would fail with "wget: not found".
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN wget -q https://example.com/model.bin\nCMD ["python", "app.py"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM python:3.12\nRUN apt-get update && apt-get install -y wget && wget -q https://example.com/model.bin\nCMD ["python", "app.py"]\n')?.text.split('\n')[0], 'FROM python:3.12-slim');
  });

  it('offers no fix for a runtime that is a different image, an ARG tag or a digest', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM golang:1.22\nCOPY --from=b /app /app\nCMD ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'ARG V=20\nFROM node:${V}\nCMD ["node", "a.js"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', `FROM node:20@sha256:${'a'.repeat(64)}\nCMD ["node", "a.js"]\n`), undefined);
  });
});

describe('SDK images', () => {
  const runtimeOf = (image: string) => sdkImage(parseImageRef(image))?.runtime ?? null;

  it('maps each SDK to its runtime', () => {
    assert.equal(runtimeOf('python:3.12-bookworm'), 'python:3.12-slim-bookworm');
    assert.equal(runtimeOf('node:lts'), 'node:lts-slim');
    assert.equal(runtimeOf('node'), 'node:slim');
    assert.equal(runtimeOf('gradle:8.10-jdk21-alpine'), 'eclipse-temurin:21-jre-alpine');
    assert.equal(runtimeOf('maven:3.9.6-eclipse-temurin-17-jammy'), 'eclipse-temurin:17-jre-jammy');
    assert.equal(runtimeOf('openjdk:11-jdk-slim'), 'eclipse-temurin:11-jre');
    assert.equal(runtimeOf('mcr.microsoft.com/dotnet/sdk:8.0.204-alpine3.19'), 'mcr.microsoft.com/dotnet/aspnet:8.0-alpine3.19');
    assert.equal(runtimeOf('rust:1.80-alpine3.20'), 'alpine:3.20');
    assert.equal(runtimeOf('buildpack-deps:bookworm'), 'debian:bookworm-slim');
  });

  it('knows runtime images are not SDKs', () => {
    for (const image of ['node:20-alpine', 'python:3.12-slim', 'eclipse-temurin:21-jre', 'openjdk:8-jre', 'buildpack-deps:bookworm-curl', 'mcr.microsoft.com/dotnet/runtime:8.0', 'ghcr.io/acme/golang:1']) {
      assert.equal(runtimeOf(image), null, image);
    }
  });

  it('builds slim tags the way each family names them', () => {
    assert.equal(slimTag('bookworm', 'node'), 'bookworm-slim');
    assert.equal(slimTag('3.12.4-bullseye', 'python'), '3.12.4-slim-bullseye');
  });
});
