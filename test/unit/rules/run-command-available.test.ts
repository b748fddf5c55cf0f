import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/run-command-available';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('run-command-available', () => {
  it('flags the package manager of another distribution', () => check(`
    FROM python:3.12-slim AS api
    RUN apk add --no-cache libpq
        ~~~ run-command-available
    FROM node:20-alpine AS web
    RUN apt-get update && apt-get install -y curl
        ~~~~~~~ run-command-available
    FROM debian:bookworm
    RUN dnf install -y gcc
        ~~~ run-command-available
    FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
    RUN yum install -y java-17-openjdk
        ~~~ run-command-available
  `));

  it('flags Alpine\'s addgroup -S / adduser -S on Ubuntu (eclipse-temurin) and useradd on Alpine', () => check(`
    FROM eclipse-temurin:17-jre
    RUN addgroup -S spring && adduser -S spring -G spring
        ~~~~~~~~~~~~~~~~~~ run-command-available
    USER spring
    FROM alpine:3.20
    RUN groupadd --system app && useradd --system --gid app app
        ~~~~~~~~ run-command-available
    FROM busybox:1.36
    RUN useradd app
        ~~~~~~~ run-command-available
  `));

  it('accepts commands that an earlier step installs or copies in, in the stage or the stages it builds on', () => check(`
    FROM alpine:3.20 AS base
    RUN apk add --no-cache shadow=4.15.1-r0 bash
    FROM base
    RUN useradd --system app && bash -c 'echo ok'
    FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
    RUN microdnf install -y shadow-utils && useradd --system app
    FROM alpine:3.20
    RUN apk add $BUILD_DEPS
    RUN useradd app
  `));

  it('leaves commands that run on a condition alone: multi-distribution scripts', () => check(`
    FROM debian:12-slim
    RUN if command -v apk; then apk add curl; else apt-get update && apt-get install -y curl; fi
    RUN [ -f /etc/alpine-release ] && apk add curl || true
    RUN command -v apk >/dev/null && apk add tzdata
    RUN case "$(uname -m)" in x86_64) apk add x ;; esac
  `));

  it('stays quiet when the distribution is unknown or depends on a build argument', () => check(`
    ARG BASE=python:3.12-slim
    FROM $BASE
    RUN apk add curl
    FROM python:\${PY_VERSION}
    RUN apk add curl
    FROM acme/base:1
    RUN apt-get install -y curl
    FROM maven:3.9-ibmjava
    RUN apk add curl
    FROM gcr.io/distroless/static-debian12
    RUN apk add curl
  `));

  it('knows the distribution from a literal tag around a variable', () => check(`
    ARG PY=3.12
    FROM python:\${PY}-alpine
    RUN apt-get install -y curl
        ~~~~~~~ run-command-available
  `));

  it('knows the images whose distribution is not the obvious one', () => check(`
    FROM amazoncorretto:17
    RUN apt-get update
        ~~~~~~~ run-command-available
    FROM openjdk:17
    RUN apt-get update
        ~~~~~~~ run-command-available
    FROM openjdk:17-slim
    RUN apt-get update
    FROM eclipse-temurin:21-jre-ubi9-minimal
    RUN dnf install -y fontconfig
        ~~~ run-command-available
    FROM mcr.microsoft.com/dotnet/aspnet:8.0
    RUN apt-get update
  `));

  it('accepts Debian\'s own adduser options, and BusyBox\'s on Alpine', () => check(`
    FROM debian:12
    RUN adduser --system --group --no-create-home app && addgroup --system web && adduser -u 1000 --disabled-password dev
    FROM alpine:3.20
    RUN addgroup -S app && adduser -S -D -H -G app app
  `));

  it('flags curl and wget where the image is known to lack them and nothing installs them', () => check(`
    FROM python:3.12-slim AS a
    RUN curl -fsSL -o /tmp/x https://example.com/x
        ~~~~ run-command-available
    FROM debian:12 AS b
    RUN apt-get update && apt-get install -y wget && wget -q https://example.com/x
    FROM alpine:3.20 AS c
    RUN wget -q https://example.com/x && curl -O https://example.com/y
                                         ~~~~ run-command-available
    FROM python:3.12 AS d
    RUN curl -fsSL -o /tmp/x https://example.com/x
  `));

  it('reports one command per RUN, where the build stops', () => check(`
    FROM node:20-alpine
    RUN apt-get update && apt-get install -y git && useradd app
        ~~~~~~~ run-command-available
  `));

  it('flags a SHELL that the image does not have', () => check(`
    FROM alpine:3.20
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ run-command-available
    RUN echo hi
  `));

  it('leaves a heredoc run by another interpreter alone', () => check(`
    FROM debian:12
    RUN <<EOF
    #!/usr/bin/env python3
    apk = 1
    EOF
  `));

  it('says what is missing, where, and what to use instead', () => {
    const [apk, adduser] = findingsOf(rule, 'dockerfile', 'FROM python:3.12-slim\nRUN apk add curl\nFROM eclipse-temurin:17\nRUN adduser -S app\n');
    assert.equal(apk.severity, 'error');
    assert.equal(apk.message, '`apk` is not in `python:3.12-slim` (a Debian or Ubuntu image), so this RUN fails with "apk: not found"; use `apt-get install`, the package manager of Debian and Ubuntu.');
    assert.match(adduser.message, /^`adduser -S` is BusyBox's \(Alpine's\) syntax, and `eclipse-temurin:17` is a Debian or Ubuntu image, whose Perl `adduser` rejects `-S`, so this RUN fails; use `useradd --system`/);
  });
});
