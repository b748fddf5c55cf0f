import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-from-valid';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('copy-from-valid', () => {
  it('accepts earlier stages by name (any case) or index, and images', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /app .
    FROM alpine:3.20
    COPY --from=build /app /app
    COPY --from=BUILD /app /app2
    COPY --from=0 /app /app3
    COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
    COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
    COPY --from=composer /usr/bin/composer /usr/bin/composer
    COPY --from=tianon/gosu /gosu /usr/local/bin/gosu
    RUN --mount=type=bind,from=build,source=/app,target=/mnt true
  `));

  it('flags a stage defined later', () => check(`
    FROM alpine:3.20 AS final
    COPY --from=build /app /app
                ~~~~~ copy-from-valid
    RUN --mount=type=cache,from=build,target=/root/.cache true
                                ~~~~~ copy-from-valid
    FROM golang:1.22 AS build
  `));

  it('flags the stage the COPY is in (DL3023), by name or index', () => check(`
    FROM alpine:3.20 AS base
    FROM base AS app
    COPY --from=app /a /b
                ~~~ copy-from-valid
    COPY --from=1 /a /b
                ~ copy-from-valid
    COPY --from=0 /a /b
  `));

  it('flags an index past the last stage or of a later stage', () => check(`
    FROM alpine:3.20
    COPY --from=1 /a /b
                ~ copy-from-valid
    FROM alpine:3.20
    COPY --from=5 /a /b
                ~ copy-from-valid
  `));

  it('flags a name that is a near miss of an earlier stage (DL3022)', () => check(`
    FROM node:20 AS builder
    RUN npm run build
    FROM nginx:1.27
    COPY --from=buidler /dist /usr/share/nginx/html
                ~~~~~~~ copy-from-valid
    COPY --from="build" /dist /usr/share/nginx/html
                 ~~~~~ copy-from-valid
    COPY --from=assets /dist /usr/share/nginx/html
  `));

  it('resolves variables from ARG defaults, and skips unknown ones', () => check(`
    ARG SRC=build
    FROM golang:1.22 AS build
    FROM alpine:3.20
    ARG SRC
    ARG OTHER
    COPY --from=\${SRC} /a /b
    COPY --from=\${OTHER} /a /b
    FROM alpine:3.20 AS late
    ARG TARGET=last
    COPY --from=$TARGET /a /b
                ~~~~~~~ copy-from-valid
    FROM alpine:3.20 AS last
  `));

  it('explains what goes wrong', () => {
    const text = 'FROM alpine:3.20 AS a\nCOPY --from=b /x /y\nCOPY --from=7 /x /y\nFROM alpine:3.20 AS b\n';
    const [later, index] = findingsOf(rule, 'dockerfile', text).map((f) => f.message);
    assert.match(later, /`--from=b` names the stage on line 4, which comes after this one/);
    assert.match(index, /stage index 7, but this file has 2 stages/);
  });

  it('fix: replaces a misspelt name with the stage it resembles, as a quick fix only', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=buider /dist /srv\n');
    assert.deepEqual(fixed, { text: 'FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=builder /dist /srv\n', title: 'Copy from the stage builder', safe: false });
  });

  it('fix: is not offered for a later stage or the current stage', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nCOPY --from=build /a /b\nFROM alpine:3.20 AS build\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n'), undefined);
  });
});
