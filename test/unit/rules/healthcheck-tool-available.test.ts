import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/healthcheck-tool-available';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('healthcheck-tool-available', () => {
  it('flags curl on Alpine, which ships BusyBox wget only', () => check(`
    FROM node:20-alpine
    COPY . .
    HEALTHCHECK --interval=10s CMD curl -f http://localhost:3000/ || exit 1
                                   ~~~~ healthcheck-tool-available
    CMD ["node", "server.js"]
  `));

  it('flags curl and wget on Debian -slim images, which have neither', () => check(`
    FROM python:3.12-slim AS one
    HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
                    ~~~~ healthcheck-tool-available
    FROM debian:12-slim
    HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1
                    ~~~~ healthcheck-tool-available
  `));

  it('flags the exec form too, on the whole command', () => check(`
    FROM mcr.microsoft.com/dotnet/aspnet:8.0
    HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/healthz"]
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-tool-available
  `));

  it('flags the shell form on distroless and scratch, which have no shell at all', () => check(`
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /app /app
    HEALTHCHECK CMD /app healthcheck
                    ~~~~~~~~~~~~~~~~ healthcheck-tool-available
    ENTRYPOINT ["/app"]
  `));

  it('accepts what the image ships: wget on Alpine, curl on the full language images', () => check(`
    FROM node:20-alpine
    HEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1
    FROM node:20
    HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
    FROM nginx:1.27-alpine
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
  `));

  it('accepts a tool the Dockerfile installs, here or in the stage it builds on', () => check(`
    FROM python:3.12-slim AS base
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*
    FROM base
    HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
    FROM alpine:3.20
    RUN apk add --no-cache curl
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
  `));

  it('accepts an exec-form binary on distroless, and a copied-in shell', () => check(`
    FROM gcr.io/distroless/static-debian12 AS one
    HEALTHCHECK CMD ["/app", "healthcheck"]
    FROM gcr.io/distroless/static-debian12
    COPY --from=busybox:1.36 /bin/busybox /bin/busybox
    COPY --from=busybox:1.36 /bin/sh /bin/sh
    HEALTHCHECK CMD /app healthcheck
  `));

  it('flags curl that the Dockerfile installs and removes again', () => check(`
    FROM alpine:3.20
    RUN apk add --no-cache --virtual .fetch curl && curl -fsSL https://example.com/app -o /app && apk del .fetch
    HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
                    ~~~~ healthcheck-tool-available
  `));

  it('does not judge images it does not know, or stages with their own SHELL', () => check(`
    FROM example.com/team/base:1
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    FROM ubuntu:24.04
    SHELL ["/bin/bash", "-c"]
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    FROM debian:12
    RUN apt-get update && apt-get install -y curl && apt-get purge -y --auto-remove
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
  `));

  it('suggests the fitting alternative in the message', () => {
    const [alpine] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n');
    assert.match(alpine.message, /`curl` is not installed in `alpine:3.20`.*BusyBox `wget -q --spider`/);
    const [slim] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n');
    assert.match(slim.message, /`node -e`/);
  });

  it('fix: swaps curl for BusyBox wget on Alpine, keeping `|| exit 1`', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20-alpine\nHEALTHCHECK CMD curl -fsS --max-time 3 http://localhost:3000/health || exit 1\n');
    assert.deepEqual(fixed, {
      text: 'FROM node:20-alpine\nHEALTHCHECK CMD wget -q --spider -T 3 http://localhost:3000/health || exit 1\n',
      title: 'Probe with BusyBox wget instead of curl',
      safe: true,
    });
  });

  it('fix: is unsafe without -f (curl accepted HTTP errors, wget does not)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK CMD curl localhost:8080 || exit 1\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://localhost:8080 || exit 1\n');
    assert.equal(fixed?.safe, false);
  });

  it('fix: rewrites an exec-form curl on Alpine in shell form', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://localhost:8080/ || exit 1\n');
  });

  it('fix: probes with node on node -slim when the command is only the probe', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20-slim\nHEALTHCHECK --timeout=3s CMD curl -f http://localhost:3000/ready || exit 1\nCMD ["node", "server.js"]\n');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'FROM node:20-slim\nHEALTHCHECK --timeout=3s CMD ["node", "-e", "require(\'http\').get(\'http://localhost:3000/ready\', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on(\'error\', () => process.exit(1))"]\nCMD ["node", "server.js"]\n');
  });

  it('offers no fix for curl options wget cannot stand in for, for scripts, or without a runtime', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK CMD curl -f -H "Host: a" http://localhost/ || exit 1\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20-slim\nHEALTHCHECK CMD curl -f http://localhost/ && echo ok\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12-slim\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM scratch\nHEALTHCHECK CMD curl -f http://localhost/\n'), undefined);
  });
});
