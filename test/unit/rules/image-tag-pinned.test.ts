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
