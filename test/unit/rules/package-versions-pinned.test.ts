import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/package-versions-pinned';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('package-versions-pinned', () => {
  it('is off by default and has no fix', () => {
    assert.equal(rule.enabledByDefault, false);
    assert.equal(rule.fixable, false);
  });

  it('flags each unpinned apt-get package, not the pinned ones', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y --no-install-recommends curl "nginx=1.22.1-9" ca-certificates
                                                                     ~~~~ package-versions-pinned
                                                                                           ~~~~~~~~~~~~~~~ package-versions-pinned
  `));

  it('skips option values, local .deb files and variables it cannot read', () => check(`
    FROM debian:12
    ARG PKGS
    RUN apt-get install -y -t bookworm-backports -o Dpkg::Options::=--force-confnew ./local.deb /tmp/x.deb $PKGS "nginx=\${NGINX_VERSION}"
  `));

  it('does not judge a simulated install', () => check(`
    FROM debian:12
    RUN if apt-get install -s postgresql-jit > /dev/null; then echo yes; fi
  `));

  it('reads apk add, skipping the name given to --virtual', () => check(`
    FROM alpine:3.20
    RUN apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.5-r0 "python3~3.12" bash
                                                 ~~~ package-versions-pinned
                                                                                      ~~~~ package-versions-pinned
  `));

  it('reads pip install: requirement files, local paths and wheels pin, bare names do not', () => check(`
    FROM python:3.12-slim
    RUN pip install --no-cache-dir -r requirements.txt . ./libs/x dist/app-1.0-py3-none-any.whl "django>=4.2,<5" flask[async] gunicorn==22.0.0
                                                                                                                 ~~~~~~~~~~~~ package-versions-pinned
  `));

  it('reads python -m pip and pip3, and flags a VCS URL without a ref', () => check(`
    FROM python:3.12-slim
    RUN python3 -m pip install requests && pip3 install git+https://github.com/a/b.git git+https://github.com/a/c.git@v1.2
                               ~~~~~~~~ package-versions-pinned
                                                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-versions-pinned
  `));

  it('flags a VCS URL whose #egg= fragment only names the package (hadolint\'s DL3013 tests)', () => check(`
    FROM python:3.12-slim
    RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-versions-pinned
    RUN pip install git+https://github.com/rtfd/read-ext.git@v1.0#egg=read-ext
  `));

  it('trusts a constraints file to pin what the command line leaves open', () => check(`
    FROM python:3.12-slim
    RUN pip install -c constraints.txt requests flask
  `));

  it('flags an unpinned pip self-upgrade too', () => check(`
    FROM python:3.12-slim
    RUN pip install --upgrade pip
                              ~~~ package-versions-pinned
  `));

  it('reads npm, yarn and pnpm global installs, and treats dist-tags as unpinned', () => check(`
    FROM node:20
    RUN npm install -g npm@latest pnpm@9 @angular/cli @scope/pkg@1.2.3 ./local.tgz && yarn global add typescript && npm ci
                       ~~~~~~~~~~ package-versions-pinned
                                         ~~~~~~~~~~~~ package-versions-pinned
                                                                                                      ~~~~~~~~~~ package-versions-pinned
  `));

  it('does not treat npm install of the project (no packages) as unpinned', () => check(`
    FROM node:20
    COPY package.json package-lock.json ./
    RUN npm install --omit=dev
  `));

  it('reads gem install with -v or name:version', () => check(`
    FROM ruby:3.3
    RUN gem install bundler:2.5.6 && gem install rails -v 7.1.3 && gem install thin --no-document
                                                                               ~~~~ package-versions-pinned
  `));

  it('reads pecl install: name-version, channels, local artifacts, and stability states that pin nothing (hadolint\'s DL3068 tests)', () => check(`
    FROM php:8.3-fpm
    RUN pecl install redis-6.1.0 --phpize && pecl install -f pecl.php.net/apcu-5.1.23 channel://pecl.php.net/igbinary-3.2.15
    RUN pecl install ./build/redis-6.1.0.tgz /src/ext/package.xml https://example.com/redis.tgz
    RUN pecl install redis channel://pecl.php.net/xdebug imagick-beta
                     ~~~~~ package-versions-pinned
                           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-versions-pinned
                                                         ~~~~~~~~~~~~ package-versions-pinned
    RUN pecl run --crazy install
    RUN pecl install --configureoptions 'enable-redis-igbinary="yes"' redis-6.3.0
  `));

  it('leaves gem\'s extension build options after -- alone (hadolint\'s DL3028 tests)', () => check(`
    FROM ruby:3.3
    RUN gem install bundler:2.0.1 -- --use-system-libraries=true
    RUN gem install nokogiri:1.16.0 -- --with-xml2-dir /usr
    RUN gem install pg -- --with-pg-config=/usr/bin/pg_config
                    ~~ package-versions-pinned
  `));

  it('reads yum, dnf and microdnf: name-version pins, groups and capabilities are left alone', () => check(`
    FROM rockylinux:9
    RUN yum install -y nginx-1.20.1 httpd && dnf install -y @development 'dnf-command(config-manager)' git && microdnf install -y tar
                                    ~~~~~ package-versions-pinned
                                                                                                       ~~~ package-versions-pinned
                                                                                                                                  ~~~ package-versions-pinned
  `));

  it('reads zypper, whose global options come before the subcommand', () => check(`
    FROM opensuse/leap:15.6
    RUN zypper -n --gpg-auto-import-keys in -y curl "vim>=9" && zypper -n install -t pattern devel_basis
                                               ~~~~ package-versions-pinned
  `));

  it('flags go install @latest and go get without a version, not go install from go.mod', () => check(`
    FROM golang:1.22
    RUN go install github.com/a/tool@latest && go install github.com/b/tool@v1.2.3 && go install ./... && go get golang.org/x/tools/cmd/cover
                   ~~~~~~~~~~~~~~~~~~~~~~~~ package-versions-pinned
                                                                                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ package-versions-pinned
  `));

  it('reads cargo install', () => check(`
    FROM rust:1.79
    RUN cargo install cargo-chef --locked && cargo install sqlx-cli@0.7.4 && cargo install --path . && cargo install --git https://x/y --tag v1
                      ~~~~~~~~~~ package-versions-pinned
  `));

  it('reads a RUN with `# comment` inline comments', () => check(`
    FROM debian:12
    RUN apt-get install -y a \\
                           ~ package-versions-pinned
      b \`# a comment\` \\
      ~ package-versions-pinned
      c
      ~ package-versions-pinned
  `));

  it('reads exec form and sh -c strings', () => {
    const findings = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\nRUN sh -c "apk add git"\n');
    assert.deepEqual(findings.map((f) => f.message.match(/installs `([^`]+)`/)?.[1]), ['curl', 'git']);
  });

  it('says how to pin in the message', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get install -y curl\n');
    assert.match(finding.message, /`curl=<version>`/);
    const [go] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22\nRUN go install example.com/x@latest\n');
    assert.match(go.message, /`latest`.*`example\.com\/x@<version>`/);
  });
});
