import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/common/image-end-of-life';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFix, checkRule, findingsOf, repoRoot, type CheckOptions } from '../../helpers/check';
import { DATA_AS_OF, deprecations, products } from '../../../server/src/data/endOfLife';

// The tests judge against 2026-12-07 (TEST_TODAY) unless they set `today`.
const dockerfile = (text: string, options: CheckOptions = {}) => findingsOf(rule, 'dockerfile', text, options);
const compose = (text: string, options: CheckOptions = {}) => findingsOf(rule, 'compose', text, options);
/** The findings for an image in the final stage of a one-line Dockerfile. */
const image = (name: string, options: CheckOptions = {}) => dockerfile(`FROM ${name}\nCMD ["app"]\n`, options);

describe('image-end-of-life (Dockerfile)', () => {
  const check = (text: string, options?: CheckOptions) => checkRule(rule, 'dockerfile', text, options);

  it('flags an ended line on its image, and says what ended, when, and what to move to', () => {
    check(`
      FROM node:16-alpine
           ~~~~~~~~~~~~~~ image-end-of-life
      CMD ["node", "server.js"]
    `);
    const [finding] = image('node:16-alpine');
    assert.equal(finding.message, '`node:16-alpine` runs Node.js 16, which reached end of life on 2023-09-11: no security fixes since, so vulnerabilities found since stay open in the image; move to `node:22-alpine` (the oldest line still supported) or `node:26-alpine` (the current LTS).');
  });

  it('judges against today: a line ends the day after its date, and the same file is clean before', () => {
    assert.equal(image('postgres:14', { today: '2026-11-12' }).length, 0);
    const [finding] = image('postgres:14', { today: '2026-11-13' });
    assert.match(finding.message, /PostgreSQL 14, which reached end of life on 2026-11-12/);
    // Node.js 26 became the LTS line on 2026-10-28: before, the current LTS was 24.
    assert.match(image('node:16', { today: '2026-10-01' })[0].message, /`node:22` \(the oldest line still supported\) or `node:24` \(the current LTS\)/);
  });

  it('leaves supported lines, and lines with no published date, alone', () => {
    for (const name of ['node:22-alpine', 'python:3.12-slim-bookworm', 'golang:1.27', 'postgres:18', 'mysql:9.6', 'eclipse-temurin:8-jre', 'debian:trixie-slim', 'ubuntu:24.04', 'alpine:3.24', 'redis:7.4', 'nginx:1.30-alpine', 'httpd:2.4']) {
      assert.deepEqual(image(name), [], name);
    }
  });

  it('leaves tags without a version alone: they follow new releases', () => {
    for (const name of ['node', 'node:latest', 'node:alpine', 'node:lts-slim', 'python:3', 'python:3-slim', 'golang:1', 'mysql:9', 'redis:7-alpine', 'mariadb:10', 'debian:stable-slim', 'alpine:edge']) {
      assert.deepEqual(image(name), [], name);
    }
  });

  it('reads a major-only tag as its last line once a later major exists (python:2 is 2.7 for good)', () => {
    assert.match(image('python:2')[0].message, /Python 2\.7, which reached end of life on 2020-01-01/);
    assert.match(image('postgres:9-alpine')[0].message, /PostgreSQL 9\.6/);
    assert.match(image('rabbitmq:3-management')[0].message, /RabbitMQ 3\.13/);
  });

  it('resolves ARG defaults, and skips an ARG without one', () => check(`
    ARG NODE_VERSION=16
    ARG PYTHON
    FROM node:\${NODE_VERSION}-alpine AS assets
         ~~~~~~~~~~~~~~~~~~~~~~~~~~~ image-end-of-life
    FROM python:\${PYTHON}-slim
  `));

  it('reports a digest-pinned image by its tag, and not one pinned by digest only', () => {
    const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    assert.equal(image(`node:16@${digest}`).length, 1);
    assert.deepEqual(image(`node@${digest}`), []);
  });

  it('reports ended lines of every product in the data, and passes their supported lines', () => {
    const cases: [ended: string, text: RegExp, supported: string][] = [
      ['node:14.21.3-bullseye-slim', /Node\.js 14, which reached end of life on 2023-04-30/, 'node:24.11-bookworm-slim'],
      ['python:3.7-slim', /Python 3\.7, which reached end of life on 2023-06-27/, 'python:3.13-slim'],
      ['python:3.10-alpine', /Python 3\.10, which reached end of life in October 2026/, 'python:3.11-alpine'],
      ['ruby:2.7-slim', /Ruby 2\.7, which reached end of life on 2023-03-31/, 'ruby:3.4-slim'],
      ['php:7.4-fpm-alpine', /PHP 7\.4, which reached end of life on 2022-11-28/, 'php:8.4-fpm-alpine'],
      ['golang:1.22-alpine', /Go 1\.22, which reached end of life on 2025-02-11/, 'golang:1.26-alpine'],
      ['eclipse-temurin:19-jdk', /Eclipse Temurin \(Java\) 19, which reached end of life on 2023-03-31/, 'eclipse-temurin:21-jdk'],
      ['mcr.microsoft.com/dotnet/aspnet:6.0', /\.NET 6\.0, which reached end of life on 2024-11-12/, 'mcr.microsoft.com/dotnet/aspnet:10.0'],
      ['mcr.microsoft.com/dotnet/sdk:8.0-alpine', /\.NET 8\.0, which reached end of life on 2026-11-10/, 'mcr.microsoft.com/dotnet/sdk:10.0-alpine'],
      ['debian:buster-slim', /Debian 10 \(buster\), which reached the end of its long-term support on 2024-06-30/, 'debian:bookworm-slim'],
      ['debian:11', /Debian 11 \(bullseye\), which reached the end of its long-term support on 2026-08-31/, 'debian:12'],
      ['ubuntu:20.04', /Ubuntu 20\.04 \(focal\), which reached the end of its standard support on 2025-04-02: no security updates without an Ubuntu Pro subscription since/, 'ubuntu:22.04'],
      ['ubuntu:bionic', /Ubuntu 18\.04 \(bionic\)/, 'ubuntu:noble'],
      ['alpine:3.18', /Alpine Linux 3\.18, which reached end of life on 2025-05-09/, 'alpine:3.22'],
      ['centos:7', /CentOS Linux 7, which reached end of life on 2024-06-30: no security fixes since, and CentOS Linux has no later release; move to `rockylinux` or `almalinux`/, 'rockylinux:9'],
      ['fedora:40', /Fedora Linux 40, which reached end of life on 2025-05-13/, 'fedora:43'],
      ['postgres:11-alpine', /PostgreSQL 11, which reached end of life on 2023-11-09/, 'postgres:16-alpine'],
      ['mysql:5.7', /MySQL 5\.7, which reached end of life on 2023-10-31: .*; move to `mysql:8\.4`\.$/, 'mysql:8.4'],
      ['mariadb:10.5', /MariaDB 10\.5, which reached end of life on 2025-06-24/, 'mariadb:11.4'],
      ['mongo:5.0', /MongoDB 5\.0, which reached end of life on 2024-10-31/, 'mongo:7.0'],
      ['redis:6.2-alpine', /Redis 6\.2, which reached end of life on 2025-02-28/, 'redis:8.2-alpine'],
      ['nginx:1.25-alpine', /nginx 1\.25, which reached end of life on 2024-05-29/, 'nginx:1.30-alpine'],
      ['httpd:2.2', /Apache HTTP Server 2\.2, which reached end of life on 2017-07-11/, 'httpd:2.4-alpine'],
      ['rabbitmq:3.12-management', /RabbitMQ 3\.12, which reached end of life on 2024-02-21/, 'rabbitmq:4.2-management'],
    ];
    for (const [ended, text, supported] of cases) {
      const findings = image(ended);
      assert.equal(findings.length, 1, ended);
      assert.match(findings[0].message, text, ended);
      assert.deepEqual(image(supported), [], supported);
    }
  });

  it('reports the whole of a discontinued distribution, whatever the tag', () => {
    assert.match(image('centos')[0].message, /`centos` runs CentOS Linux, whose last release ended on 2024-06-30/);
    assert.match(image('centos:centos7.9.2009')[0].message, /CentOS Linux 7,/);
  });

  it('reports the distribution release an image is built on, when its tag names one that ended', () => {
    const [bullseye] = image('python:3.12-slim-bullseye');
    assert.equal(bullseye.message, '`python:3.12-slim-bullseye` is built on Debian 11 (bullseye), which reached the end of its long-term support on 2026-08-31: no security fixes since for its system packages, so vulnerabilities found since stay open in the image; move to `python:3.12-slim-bookworm` (the oldest release still supported) or `python:3.12-slim-trixie` (the newest release).');
    assert.match(image('node:lts-buster')[0].message, /built on Debian 10 \(buster\).*`node:lts-bookworm`/);
    assert.match(image('golang:1.26-alpine3.20')[0].message, /built on Alpine Linux 3\.20.*`golang:1\.26-alpine3\.22`/);
    assert.match(image('mcr.microsoft.com/dotnet/aspnet:10.0-alpine3.21')[0].message, /Alpine Linux 3\.21/);
    assert.deepEqual(image('python:3.12-slim-bookworm'), []);
    // An image the data knows nothing of is still an official image built on the named release.
    assert.match(image('rust:1.85-buster')[0].message, /built on Debian 10/);
    // Third-party images are not read: their tags follow schemes of their own.
    assert.deepEqual(image('someone/tool:1.0-buster'), []);
  });

  it('names both when the line and the release below it have ended, and moves both', () => {
    const [finding] = image('python:3.6-jessie');
    assert.match(finding.message, /^`python:3\.6-jessie` runs Python 3\.6, which reached end of life on 2021-12-23, on Debian 8 \(jessie\), which reached the end of its long-term support on 2020-06-30: /);
    assert.match(finding.message, /`python:3\.11-bookworm` \(the oldest line still supported\) or `python:3\.15-trixie` \(the newest line\)/);
  });

  it('names the maintained replacement of deprecated images', () => {
    assert.match(image('openjdk:11-jre-slim')[0].message, /^`openjdk:11-jre-slim` is deprecated: the openjdk images get no updates since July 2022 .*; use `eclipse-temurin:11-jre`\.$/);
    assert.match(image('openjdk:8-jdk-alpine')[0].message, /use `eclipse-temurin:8-jdk-alpine`/);
    assert.match(image('java:8')[0].message, /use `eclipse-temurin:8`/);
    assert.match(image('node:8-onbuild')[0].message, /the `onbuild` variants were deprecated in 2017 .*\(Node\.js 8, which reached end of life on 2019-12-31\).*use `node:8` and write out the steps its ONBUILD triggers ran/);
    assert.match(image('microsoft/dotnet:2.1-sdk')[0].message, /Microsoft no longer publishes its images on Docker Hub.*`mcr\.microsoft\.com\/dotnet\/sdk`/);
    // openjdk's early-access builds are still published.
    assert.deepEqual(image('openjdk:26-ea-slim'), []);
  });

  it('warns where the image ships, reports build stages as info, and errors a year past the end', () => {
    // Go 1.25 ended 2026-08-19, in a build stage; Python 3.10 in October 2026, in the stage that ships.
    const severities = (text: string) => dockerfile(text).map((f) => f.severity);
    assert.deepEqual(severities('FROM golang:1.25 AS build\nFROM python:3.10-slim\nCOPY --from=build /out /app\n'), ['info', 'warning']);
    // Debian 10 ended 2024-06-30, more than a year ago.
    assert.deepEqual(severities('FROM debian:buster-slim\n'), ['error']);
  });

  it('takes the error threshold from the setting', () => {
    const findings = (days: number) => image('node:20', { settings: { endOfLife: { errorAfterDays: days } } }).map((f) => f.severity);
    assert.deepEqual(findings(365), ['warning']); // 2026-04-30 is 221 days before 2026-12-07
    assert.deepEqual(findings(200), ['error']);
    assert.deepEqual(findings(0), ['error']);
    // A level the user chose wins.
    assert.deepEqual(image('node:20', { settings: { rules: { 'image-end-of-life': 'info' } } }).map((f) => f.severity), ['info']);
  });

  it('judges the stage the project ships, as the other rules do (a Compose target)', () => {
    const files = { '/work/compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      target: runtime\n' };
    const text = 'FROM node:18 AS runtime\nCMD ["node", "a.js"]\nFROM node:18 AS debug\nCMD ["node", "--inspect", "a.js"]\n';
    assert.deepEqual(dockerfile(text, { files }).map((f) => f.severity), ['error', 'info']);
  });

  it('leaves scratch, stage references and unknown images alone', () => check(`
    FROM node:22 AS build
    FROM build AS test
    FROM scratch
    FROM registry.example.com/node:16
    FROM gcr.io/distroless/nodejs16-debian11
  `));
});

describe('image-end-of-life (Compose)', () => {
  const check = (text: string, options?: CheckOptions) => checkRule(rule, 'compose', text, options);

  it('flags an ended image, with interpolation resolved, and leaves supported and built ones alone', () => check(`
    services:
      db:
        image: postgres:11
               ~~~~~~~~~~~ image-end-of-life
      cache:
        image: "\${REDIS_IMAGE:-redis:6.2-alpine}"
               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ image-end-of-life
      web:
        image: nginx:1.30-alpine
      app:
        build: .
        image: node:16
  `));

  it('says what ended and what to move to, and escalates a year past the end', () => {
    const [db] = compose('services:\n  db:\n    image: postgres:11\n');
    assert.equal(db.severity, 'error');
    assert.match(db.message, /^`postgres:11` runs PostgreSQL 11, which reached end of life on 2023-11-09: .*; move to `postgres:15` \(the oldest line still supported\) or `postgres:18` \(the newest line\)\.$/);
    assert.equal(compose('services:\n  db:\n    image: postgres:14\n')[0].severity, 'warning');
  });
});

describe('image-end-of-life fix', () => {
  const fix = (text: string, options: CheckOptions = {}) => applyFix(rule, 'dockerfile', text, options);

  it('moves a runtime to the oldest supported line, keeping the variant and --platform (unsafe: behaviour can change)', () => {
    assert.deepEqual(fix('FROM --platform=$BUILDPLATFORM node:16-alpine AS build\nRUN npm ci\n'), {
      text: 'FROM --platform=$BUILDPLATFORM node:22-alpine AS build\nRUN npm ci\n',
      title: 'Move to `node:22-alpine`',
      safe: false,
    });
    assert.equal(fix('FROM python:3.7-slim\nCMD ["python", "app.py"]\n')?.text, 'FROM python:3.11-slim\nCMD ["python", "app.py"]\n');
    assert.equal(fix('FROM golang:1.22.5 AS build\nRUN go build ./...\n')?.text, 'FROM golang:1.26 AS build\nRUN go build ./...\n');
    assert.equal(fix('FROM eclipse-temurin:19-jre\n')?.text, 'FROM eclipse-temurin:21-jre\n');
  });

  it('updates the ARG default the tag comes from', () => {
    assert.equal(
      fix('ARG NODE_VERSION=16\nFROM node:${NODE_VERSION}-alpine\nCMD ["node", "a.js"]\n')?.text,
      'ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\nCMD ["node", "a.js"]\n',
    );
    assert.equal(
      fix('ARG BASE=python:3.8-slim\nFROM $BASE\n')?.text,
      'ARG BASE=python:3.11-slim\nFROM $BASE\n',
    );
  });

  it('offers none where the upgrade needs a person', () => {
    const none = [
      // Databases, distributions, .NET: the data, the packages or the project must move too.
      'FROM postgres:11\n',
      'FROM debian:buster-slim\n',
      'FROM mcr.microsoft.com/dotnet/aspnet:6.0\n',
      // A new major version of the language.
      'FROM python:2.7\n',
      'FROM php:7.4-apache\n',
      // The old version is also pinned elsewhere, or the build arg is used by more than FROM.
      'FROM node:16-alpine\nENV NODE_VERSION=16.20.2\n',
      'FROM python:3.8-slim\nCOPY site.pth /usr/local/lib/python3.8/site-packages/\n',
      'ARG NODE_VERSION=16\nFROM node:${NODE_VERSION}-alpine\nARG NODE_VERSION\nRUN echo $NODE_VERSION\n',
      // The stage installs distribution packages, whose names can change with the release below.
      'FROM node:16\nRUN apt-get update && apt-get install -y --no-install-recommends git\n',
      // Pinned by digest, or a tag naming a build or a distribution release.
      'FROM node:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
      'FROM eclipse-temurin:19.0.2_7-jre\n',
      'FROM node:16-bullseye-slim\n',
      // Deprecated images: the replacement is another image.
      'FROM openjdk:11\n',
      // A configuration for the old nginx, which the new one may reject.
      'FROM nginx:1.25-alpine\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n',
    ];
    for (const text of none) assert.equal(fix(text), undefined, text);
  });

  it('moves a Compose image written out, and leaves one built from variables', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: "nginx:1.25-alpine"\n')?.text, 'services:\n  web:\n    image: "nginx:1.30-alpine"\n');
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: ${IMAGE:-node:16}\n'), undefined);
    assert.equal(applyFix(rule, 'compose', 'services:\n  db:\n    image: postgres:11\n'), undefined);
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: nginx:1.25\n    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n'), undefined);
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: nginx:1.25\n    volumes:\n      - type: bind\n        source: ./conf\n        target: /etc/nginx\n'), undefined);
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    image: nginx:1.25\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n')?.text, 'services:\n  web:\n    image: nginx:1.30\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n');
  });
});

describe('image-end-of-life data', () => {
  it('has a source for every product and deprecation, and only well-formed dates', () => {
    for (const product of products) {
      assert.match(product.source, /https:\/\//, product.id);
      const cycles = product.lines.map((l) => l.cycle);
      assert.equal(new Set(cycles).size, cycles.length, `${product.id}: one entry per line`);
      for (const line of product.lines) assert.ok(line.eol === null || /^\d{4}-\d{2}(?:-\d{2})?$/.test(line.eol), `${product.id} ${line.cycle}: ${line.eol}`);
    }
    for (const deprecation of deprecations) assert.match(deprecation.source, /https:\/\//, deprecation.image);
  });

  it('is described on the docs page, with its date', () => {
    const page = readFileSync(join(repoRoot, 'docs/rules/image-end-of-life.md'), 'utf8');
    assert.ok(page.includes(`as of ${DATA_AS_OF}`), 'the page states the date of the data');
    for (const product of products) assert.ok(page.includes(`| ${product.name.replace(/ \(.*\)$/, '')} |`), `the page lists ${product.name}`);
  });
});
