import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/apt-no-install-recommends';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('apt-no-install-recommends', () => {
  it('flags apt-get install and apt install without --no-install-recommends', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y curl && apt install -y git && rm -rf /var/lib/apt/lists/*
                          ~~~~~~~~~~~~~~~ apt-no-install-recommends
                                                     ~~~~~~~~~~~ apt-no-install-recommends
  `));

  it('accepts the flag anywhere, or the option spelled with -o', () => check(`
    FROM debian:12
    RUN apt-get --no-install-recommends install -y curl && apt-get install -y -o APT::Install-Recommends=false git
  `));

  it('accepts a configuration written earlier in the image, also in a parent stage', () => check(`
    FROM debian:12 AS base
    RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends
    FROM base
    RUN apt-get update && apt-get install -y curl
  `));

  it('judges only stages that reach the final image', () => check(`
    FROM debian:12 AS build
    RUN apt-get update && apt-get install -y build-essential
    FROM debian:12-slim
    COPY --from=build /out /app
  `));

  it('ignores installs with no packages and simulated installs', () => check(`
    FROM debian:12
    RUN apt-get install -y -f && apt-get install -s foo
  `));

  it('fix: inserts --no-install-recommends, as a quick fix only', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n');
    assert.deepEqual(fixed, { text: 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n', title: 'Add `--no-install-recommends`', safe: false });
  });

  it('fix: offers nothing for exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n'), undefined);
  });
});
