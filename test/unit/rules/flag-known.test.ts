import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/flag-known';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('flag-known', () => {
  it('flags a flag the instruction does not know', () => check(`
    FROM --platform=linux/amd64 alpine:3.20
    HEALTHCHECK --intervl=5s CMD true
                  ~~~~~~~ flag-known
    COPY --platfrom=x a /b
           ~~~~~~~~ flag-known
    RUN --mount=type=cache,target=/x --netwrok=none echo
                                       ~~~~~~~ flag-known
    FROM --from=build alpine:3.20
           ~~~~ flag-known
  `));

  it('knows BuildKit\'s current flags per instruction', () => check(`
    FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    COPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md a /b/
    ADD --chown=1:1 --chmod=644 --link --keep-git-dir=true --checksum=sha256:abc --exclude=x --unpack=true a /c/
    RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x --network=none --security=sandbox --device=x echo
    HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --start-interval=2s --retries=3 CMD true
    STOPSIGNAL --whatever SIGTERM
    HEALTHCHECK --anything NONE
  `));

  it('flags any flag on instructions that take none, CMD included', () => check(`
    FROM alpine:3.20
    WORKDIR --parents /app
              ~~~~~~~ flag-known
    CMD --help
          ~~~~ flag-known
    ENV --x=1 A=1
          ~ flag-known
  `));

  it('stops at a lone --, as BuildKit does', () => check(`
    FROM alpine:3.20
    COPY -- --weird-name /dest/
  `));

  it('flags a flag given twice, except the repeatable ones', () => check(`
    FROM alpine:3.20
    COPY --chown=a --chown=b x /y/
                   ~~~~~~~~~ flag-known
    RUN --mount=type=cache,target=/a --mount=type=cache,target=/b echo
  `));

  it('is case-sensitive like BuildKit, and says where a flag belongs', () => {
    const [upper] = findingsOf(rule, 'dockerfile', 'FROM --Platform=linux/amd64 alpine\n');
    assert.match(upper.message, /did you mean `--platform`\?/);
    const [misplaced] = findingsOf(rule, 'dockerfile', 'FROM alpine\nRUN --chmod=755 echo\n');
    assert.match(misplaced.message, /belongs to COPY and ADD/);
  });

  it('fix: writes the suggested flag', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK --intervl=5s CMD true\n'), {
      text: 'FROM alpine:3.20\nHEALTHCHECK --interval=5s CMD true\n', title: 'Change to --interval', safe: false,
    });
  });
});
