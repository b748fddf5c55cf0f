import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/apt-update-with-install';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('apt-update-with-install', () => {
  it('has no fix', () => assert.equal(rule.fixable, false));

  it('flags apt-get update alone in its RUN when a later RUN installs from its lists', () => check(`
    FROM debian:12
    RUN apt-get update
        ~~~~~~~~~~~~~~ apt-update-with-install
    RUN apt-get install -y curl
  `));

  it('flags an update that only sets up sources around it', () => check(`
    FROM debian:12
    RUN curl -fsSL https://example.com/key | gpg --dearmor -o /etc/apt/keyrings/x.gpg && echo "deb x y" > /etc/apt/sources.list.d/x.list && apt-get update
                                                                                                                                            ~~~~~~~~~~~~~~ apt-update-with-install
    RUN apt-get install -y x
    FROM debian:12
    RUN apt update -qq
        ~~~~~~~~~~~~~~ apt-update-with-install
    RUN apt install -y git
  `));

  it('accepts update and install in one RUN', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
  `));

  it('accepts a lone update when every later install updates first, or nothing installs', () => check(`
    FROM debian:12
    RUN apt-get update
    RUN apt-get update && apt-get install -y curl
    FROM debian:12
    RUN apt-get update
  `));

  it('follows the lists into stages built FROM this one', () => check(`
    FROM debian:12 AS base
    RUN apt-get update
        ~~~~~~~~~~~~~~ apt-update-with-install
    FROM base
    RUN apt-get install -y curl
  `));

  it('leaves alone a RUN that runs a script, which may install', () => check(`
    FROM debian:12
    RUN apt-get update && ./install-deps.sh
    RUN apt-get install -y curl
  `));

  it('leaves alone lists on a cache mount', () => check(`
    FROM debian:12
    RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update
    RUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y curl
  `));
});
