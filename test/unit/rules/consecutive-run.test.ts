import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/consecutive-run';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('consecutive-run', () => {
  it('is off by default', () => {
    assert.equal(rule.enabledByDefault, false);
  });

  it('flags a short RUN right after another one', () => check(`
    FROM debian:12-slim
    RUN mkdir -p /srv/app
    RUN chown app /srv/app
    ~~~ consecutive-run
    RUN chmod 755 /srv/app
    ~~~ consecutive-run
  `));

  it('does not flag RUNs apart: another instruction or a comment between, or different flags', () => check(`
    FROM debian:12-slim
    RUN mkdir -p /srv/app
    WORKDIR /srv/app
    RUN touch a
    # Fetch the dependencies in a layer of their own.
    RUN touch b
    RUN --mount=type=cache,target=/root/.cache touch c
  `));

  it('does not flag RUNs that are already long steps of their own', () => check(`
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y make gcc && rm -rf /var/lib/apt/lists/*
    RUN make
  `));

  it('does not judge build stages, whose layers are thrown away', () => check(`
    FROM golang:1.22 AS build
    RUN go mod download
    RUN go build -o /app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /app /app
  `));

  it('does not flag heredocs or the exec form', () => check(`
    FROM debian:12-slim
    RUN <<EOF
    touch a
    EOF
    RUN ["touch", "b"]
    RUN touch c
  `));

  it('points at the RUN it joins with', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nRUN a\nRUN b\n');
    assert.match(finding.message, /follows the RUN on line 2 with the same flags/);
  });

  it('fix: joins the RUN to the one before it with && and a continuation (unsafe: shell state carries over)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM alpine:3.20
      RUN --network=none mkdir -p /srv
      RUN --network=none chown app /srv
    `);
    assert.deepEqual(fixed, {
      text: dedent(`
        FROM alpine:3.20
        RUN --network=none mkdir -p /srv && \\
            chown app /srv
      `),
      title: 'Join this RUN with the one before it',
      safe: false,
    });
    assert.deepEqual(findingsOf(rule, 'dockerfile', fixed!.text), []);
  });

  it('offers no fix when joining would change what runs (; or || in the second RUN, a comment in the first)', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN mkdir /a\nRUN touch /a/b || true\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN mkdir /a\nRUN touch /a/b; touch /a/c\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN mkdir /a # why\nRUN touch /a/b\n'), undefined);
  });
});
