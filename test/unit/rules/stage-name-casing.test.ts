import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/stage-name-casing';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('stage-name-casing', () => {
  it('flags a stage name with upper-case letters', () => check(`
    FROM golang:1.22 AS Build
                        ~~~~~ stage-name-casing
    FROM node:20 AS WEB_ASSETS
                    ~~~~~~~~~~ stage-name-casing
  `));

  it('accepts lower-case names and unnamed stages, and does not judge references', () => check(`
    FROM golang:1.22 AS build-1.22
    FROM alpine:3.20
    COPY --from=BUILD-1.22 /app /app
  `));

  it('fix: lower-cases the definition and every reference', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.22 AS Build
      RUN go build -o /app .
      FROM Build AS Test
      RUN go test ./...
      FROM alpine:3.20
      COPY --from=Build /app /app
      COPY --from=BUILD /app /app2
      RUN --mount=type=bind,from=Build,target=/src true
      COPY --from=build /app /app3
    `);
    assert.deepEqual(fixed, {
      text: dedent(`
        FROM golang:1.22 AS build
        RUN go build -o /app .
        FROM build AS Test
        RUN go test ./...
        FROM alpine:3.20
        COPY --from=build /app /app
        COPY --from=build /app /app2
        RUN --mount=type=bind,from=build,target=/src true
        COPY --from=build /app /app3
      `),
      title: 'Rename the stage to build',
      safe: true,
    });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 1, 'only Test is left');
  });

  it('fix: leaves references through variables alone (Docker matches them without case)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'ARG SRC=Build\nFROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=$SRC /a /b\n');
    assert.equal(fixed?.text, 'ARG SRC=Build\nFROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=$SRC /a /b\n');
  });

  it('fix: is not offered when another stage already has the lower-case name', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS Build\nFROM node:20 AS build\n'), undefined);
  });
});
