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
    assert.match(finding.message, /`redis` has no tag, so it pulls `latest`/);
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
