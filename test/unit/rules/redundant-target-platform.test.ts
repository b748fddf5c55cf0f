import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/redundant-target-platform';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('redundant-target-platform', () => {
  it('flags --platform=$TARGETPLATFORM in both spellings', () => check(`
    FROM --platform=$TARGETPLATFORM alpine:3.20 AS base
         ~~~~~~~~~~~~~~~~~~~~~~~~~~ redundant-target-platform
    FROM --platform=\${TARGETPLATFORM} base
         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ redundant-target-platform
  `));

  it('accepts the platform flags that change something', () => check(`
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    FROM --platform=linux/amd64 debian:12 AS amd
    FROM --platform=\${TARGETOS}/\${TARGETARCH} alpine:3.20
    FROM alpine:3.20
  `));

  it('does not flag when a global ARG gives TARGETPLATFORM a default (the flag then pins it)', () => check(`
    ARG TARGETPLATFORM=linux/arm64
    FROM --platform=$TARGETPLATFORM alpine:3.20
  `));

  it('fix: removes the flag and the blank after it', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM --platform=$TARGETPLATFORM   alpine:3.20 AS base
      RUN echo ok
    `);
    assert.deepEqual(fixed, { text: dedent(`
      FROM alpine:3.20 AS base
      RUN echo ok
    `), title: 'Remove --platform=$TARGETPLATFORM', safe: true });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: keeps a continuation line intact', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM --platform=${TARGETPLATFORM} \\\n    node:20-slim\nCMD ["node"]\n');
    assert.equal(fixed?.text, 'FROM \\\n    node:20-slim\nCMD ["node"]\n');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });
});
