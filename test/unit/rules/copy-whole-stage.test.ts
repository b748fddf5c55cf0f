import { describe, it } from 'node:test';
import rule from '../../../server/src/rules/dockerfile/copy-whole-stage';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('copy-whole-stage', () => {
  it('flags copying the root of a stage that built on a full image to the root (hadolint\'s DL3067 tests)', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    FROM build AS test
    FROM alpine:3.20
    COPY --from=build / /
                      ~~~ copy-whole-stage
    COPY --from=build "/" "/"
                      ~~~~~~~ copy-whole-stage
    COPY --from=1 /. //
                  ~~~~~ copy-whole-stage
  `));

  it('accepts a directory, the root into a subdirectory, a context copy, and flattening onto scratch', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    FROM alpine:3.20
    COPY / /
    COPY --from=build /app /
    COPY --from=build / /app
    FROM scratch
    COPY --from=build / /
  `));

  it('accepts artifact images and stages that only name one: built FROM scratch, they hold a few files', () => check(`
    FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.6.1 AS xx
    FROM scratch AS bins
    COPY app /usr/bin/app
    FROM golang:1.22-alpine
    COPY --from=xx / /
    COPY --from=bins / /
    COPY --from=docker/compose-bin:v2.29.1 / /
  `));
});
