import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/common/image-tag-pinned';
import { checkRule, findingsOf } from '../../helpers/check';

describe('image-tag-pinned (Dockerfile)', () => {
  const check = (text: string) => checkRule(rule, 'dockerfile', text);

  it('flags an untagged image and a latest tag', () => check(`
    FROM node AS build
         ~~~~ image-tag-pinned
    FROM nginx:latest
         ~~~~~~~~~~~~ image-tag-pinned
  `));

  it('accepts tags, digests, scratch and stage references', () => check(`
    FROM golang:1.22-alpine AS build
    FROM build AS test
    FROM scratch
    FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    FROM --platform=$BUILDPLATFORM registry.example.com:5000/team/app:1.2.3
  `));

  it('resolves ARG defaults, and skips args without one', () => check(`
    ARG VERSION=latest
    ARG TAG
    FROM node:\${VERSION}
         ~~~~~~~~~~~~~~~ image-tag-pinned
    FROM node:\${TAG}
  `));

  it('leaves a reference that is not one to the build (an ARG that leaves an empty tag)', () => check(`
    ARG SFX="box:"
    FROM busy\${SFX}
  `));

  it('says what it resolved to', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'ARG IMAGE=redis\nFROM $IMAGE\n');
    assert.match(finding.message, /`redis`, the default of `ARG IMAGE`, has no tag, so it pulls `latest`/);
  });

  it('stays quiet on images the project builds itself: a named context of the Compose service that builds the Dockerfile (x-bake, additional_contexts), or an image a Compose service builds', () => {
    const compose = [
      'services:',
      '  base:',
      '    build:',
      '      context: docker/base',
      '      dockerfile: ../base.Dockerfile',
      '    image: agdsn/pycroft-base:${TAG:-latest}',
      '  dev:',
      '    build:',
      '      context: docker/dev',
      '      dockerfile: ../dev.Dockerfile',
      '      x-bake:',
      '        contexts:',
      '          pycroft-base: target:base',
      '      additional_contexts:',
      '        - tools=docker-image://alpine:3.20',
      '',
    ].join('\n');
    const files = { '/repo/docker-compose.base.yml': compose, '/repo/docker/dev/app.py': '' };
    const text = 'FROM pycroft-base\nFROM tools AS t\nFROM agdsn/pycroft-base AS b\nFROM node\n';
    const found = findingsOf(rule, 'dockerfile', text, { files, path: '/repo/docker/dev.Dockerfile' });
    assert.deepEqual(found.map((f) => f.range.start.line), [3]);
  });

  it('is an info for an image chosen by a build argument, for a stage whose output is checked against a checksum, and for vendor images published only as latest', () => {
    const severity = (text: string) => findingsOf(rule, 'dockerfile', text).map((f) => f.severity);
    // nginx's modules/Dockerfile: the image to extend is a build argument.
    const [arg] = findingsOf(rule, 'dockerfile', 'ARG NGINX_FROM_IMAGE=nginx:mainline\nFROM ${NGINX_FROM_IMAGE} AS builder\nRUN make\nFROM ${NGINX_FROM_IMAGE}\nCOPY --from=builder /out /out\n');
    assert.equal(arg.severity, 'info');
    assert.match(arg.message, /the default of `ARG NGINX_FROM_IMAGE`/);
    // pycroft's bunzipper: alpine:latest only fetches a file whose checksum it checks.
    assert.deepEqual(severity('FROM alpine:latest AS fetch\nRUN wget -O /bun.zip https://example.com/bun.zip && echo "abc  /bun.zip" | sha256sum -c -\nFROM python:3.12-slim\nCOPY --from=fetch /bun.zip /opt/\n'), ['info']);
    // Published only as latest (or as a digest): a version tag does not exist.
    const [vendor] = findingsOf(rule, 'dockerfile', 'FROM quay.io/prometheus/busybox-linux-amd64:latest\n');
    assert.equal(vendor.severity, 'info');
    assert.match(vendor.message, /published without version tags.*pin it by digest/);
    assert.deepEqual(severity('FROM gcr.io/distroless/static-debian12\n'), ['info']);
    // A build stage that compiles what ships stays a warning.
    assert.deepEqual(severity('FROM node:latest AS build\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n'), ['warning']);
  });

  it('says "deprecated repository" for microsoft/* and java', () => {
    const [ms] = findingsOf(rule, 'dockerfile', 'FROM microsoft/windowsservercore\n');
    assert.match(ms.message, /`microsoft\/windowsservercore` is a deprecated repository/);
    assert.match(ms.message, /mcr\.microsoft\.com/);
    const [java] = findingsOf(rule, 'dockerfile', 'FROM java:latest\n');
    assert.match(java.message, /`java:latest` is a deprecated repository/);
  });

  it('treats a registry port as a registry, not a tag', () => check(`
    FROM localhost:5000/app
         ~~~~~~~~~~~~~~~~~~ image-tag-pinned
  `));

  it('flags floating tags other than latest in the stages that ship: edge, stable, lts, *-latest, a bare variant', () => {
    for (const image of ['alpine:edge', 'nginx:stable-alpine', 'node:lts-slim', 'mcr.microsoft.com/mssql/server:2022-latest', 'redis:alpine', 'node:slim', 'python:slim-bookworm', 'php:fpm', 'eclipse-temurin:jre']) {
      const findings = findingsOf(rule, 'dockerfile', `FROM ${image}\nCMD ["app"]\n`);
      assert.equal(findings.length, 1, image);
    }
    const [variant] = findingsOf(rule, 'dockerfile', 'FROM redis:alpine\n');
    assert.match(variant.message, /^`redis:alpine` names a variant \(`alpine`\) but no version, so it follows every new release, which moves under you/);
    const [floating] = findingsOf(rule, 'dockerfile', 'FROM nginx:stable-alpine\n');
    assert.match(floating.message, /^`nginx:stable-alpine` uses the floating tag `stable-alpine`, which moves under you/);
  });

  it('leaves floating tags other than latest in build stages, which do not ship', () => check(`
    FROM golang:alpine AS build
    FROM node:lts AS assets
    FROM debian:bookworm-slim
    COPY --from=build /out/app /usr/local/bin/app
  `));

  it('accepts a tag with a version number, or a release codename of a distribution, in the final stage', () => {
    for (const image of ['debian:bookworm-slim', 'ubuntu:noble', 'alpine:3.20', 'nginx:1.27-alpine', 'node:20-slim', 'eclipse-temurin:21-jre', 'python:3.12-slim-bookworm', 'gcr.io/distroless/static:nonroot', 'node:iron-alpine']) {
      assert.deepEqual(findingsOf(rule, 'dockerfile', `FROM ${image}\n`), [], image);
    }
  });
});

describe('image-tag-pinned (Compose)', () => {
  const check = (text: string) => checkRule(rule, 'compose', text);

  it('flags untagged and latest images on their value', () => check(`
    services:
      db:
        image: postgres
               ~~~~~~~~ image-tag-pinned
      cache:
        image: "redis:latest"
               ~~~~~~~~~~~~~~ image-tag-pinned
      web:
        image: ghcr.io/acme/web:1.4.2
  `));

  it('flags floating tags and bare variants', () => check(`
    services:
      cache:
        image: redis:alpine
               ~~~~~~~~~~~~ image-tag-pinned
      proxy:
        image: nginx:stable
               ~~~~~~~~~~~~ image-tag-pinned
      db:
        image: postgres:16.4-alpine
      os:
        image: debian:bookworm-slim
  `));

  it('skips an image name that only tags a build', () => check(`
    services:
      web:
        build: .
        image: acme/web
  `));

  it('uses interpolation defaults, and skips unknown variables', () => check(`
    services:
      a:
        image: nginx:\${NGINX_TAG:-latest}
               ~~~~~~~~~~~~~~~~~~~~~~~~~~ image-tag-pinned
      b:
        image: nginx:\${NGINX_TAG}
  `));

  it('reports a value shared through an anchor once, where it is written', () => check(`
    x-base: &base
      image: busybox
             ~~~~~~~ image-tag-pinned
    services:
      one:
        <<: *base
      two:
        <<: *base
  `));
});
