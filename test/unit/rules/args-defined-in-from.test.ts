import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { expandForBuild, isValidReference } from '../../../server/src/rules/dockerfile/args-defined-in-from';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('args-defined-in-from', () => {
  it('flags a FROM variable no global ARG declares', () => check(`
    FROM node:\${NODE_VERSION}-alpine
                ~~~~~~~~~~~~ args-defined-in-from
  `));

  it('flags an ARG declared only inside a stage, which FROM cannot see', () => check(`
    FROM alpine:3.20 AS base
    ARG TAG=3.20
    FROM alpine:$TAG
                 ~~~ args-defined-in-from
  `));

  it('flags the platform flag too, and suggests a near name', () => {
    check(`
      ARG PLATFORM=linux/amd64
      FROM --platform=$PLATFROM alpine:3.20
                       ~~~~~~~~ args-defined-in-from
    `);
    const [finding] = findingsOf(rule, 'dockerfile', 'ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFROM alpine:3.20\n');
    assert.match(finding.message, /did you mean `PLATFORM`/);
  });

  it('accepts declared global ARGs and the automatic platform ARGs', () => check(`
    ARG BASE=debian
    ARG VARIANT
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    FROM \${BASE}:12\${VARIANT}
    FROM alpine:3.20-\${TARGETARCH}
  `));

  it('flags a default that leaves the image invalid', () => check(`
    ARG TAG
    ARG IMAGE
    FROM busybox:\${TAG}
         ~~~~~~~~~~~~~~ args-defined-in-from
    FROM \${IMAGE}
         ~~~~~~~~ args-defined-in-from
  `));

  it('accepts empty defaults that keep the image valid, and defaults given in the reference', () => check(`
    ARG VARIANT
    ARG TAG
    ARG REGISTRY=docker.io
    FROM busybox:stable\${VARIANT}
    FROM alpine:\${TAG:-3.20}
    FROM \${REGISTRY}/library/alpine:3.20
  `));

  it('accepts a FROM that resolves to an earlier stage', () => check(`
    ARG MODE=prod
    FROM alpine:3.20 AS build-prod
    FROM alpine:3.20 AS build-dev
    FROM build-\${MODE}
  `));

  it('expands defaults the way a build without --build-arg does', () => {
    const values = new Map([['A', 'x'], ['E', '']]);
    assert.equal(expandForBuild('$A-${B}-${B:-d}-${E:-d}-${E-d}-${A:+y}-${B+y}', values), 'x--d-d--y-');
    assert.equal(expandForBuild('${A%.*}', values), null);
  });

  it('knows what Docker accepts as an image reference', () => {
    for (const ok of ['alpine', 'alpine:3.20', 'docker.io/library/alpine:3.20', 'localhost:5000/app', `node@sha256:${'a'.repeat(64)}`, 'ghcr.io/Org/app:1']) {
      assert.equal(isValidReference(ok.replace('Org', 'org')), true, ok);
    }
    for (const bad of ['', 'alpine:', ':3.20', 'Alpine', 'alpine@sha256:abc', 'a//b', 'alpine:-x']) {
      assert.equal(isValidReference(bad), false, bad);
    }
  });

  it('fix: corrects the case of a declared ARG (safe)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'ARG NODE_VERSION=20\nFROM node:${node_version}-alpine\n');
    assert.deepEqual(fixed, { text: 'ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n', title: 'Change `node_version` to the declared `NODE_VERSION`', safe: true });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('offers no fix for other misspellings, or for an invalid default', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFROM alpine:3.20\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'ARG TAG\nFROM alpine:$TAG\n'), undefined);
  });
});
