import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/build-args-declared';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const files = {
  '/work/Dockerfile': 'ARG NODE_VERSION=22\nFROM node:${NODE_VERSION} AS build\nARG APP_ENV\nRUN echo $APP_ENV\nFROM node:${NODE_VERSION}-slim\nARG Release_Tag\n',
};

describe('build-args-declared', () => {
  it('flags args no ARG declares, in the map and the list form', () => checkRule(rule, 'compose', `
    services:
      web:
        build:
          context: .
          args:
            NODE_VERSION: "20"
            APP_ENV: production
            NODE_VERISON: "20"
            ~~~~~~~~~~~~ build-args-declared
      worker:
        build:
          context: .
          args:
            - APP_ENV=worker
            - "GIT_SHA=abc123"
               ~~~~~~~ build-args-declared
            - RELEASE_TAG
              ~~~~~~~~~~~ build-args-declared
  `, { files }));

  it('accepts declared, global and predefined args, and builds whose Dockerfile is unknown', () => checkRule(rule, 'compose', `
    services:
      web:
        build:
          context: .
          args:
            NODE_VERSION: "20"
            Release_Tag: v1
            HTTP_PROXY: http://proxy:3128
            no_proxy: localhost
            BUILDKIT_INLINE_CACHE: "1"
      other:
        build:
          context: ./missing
          args:
            ANYTHING: "1"
  `, { files }));

  it('suggests the declared name a typo meant', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          build:
            context: .
            args:
              NODE_VERISON: "20"
    `), { files });
    assert.match(finding.message, /\(the Dockerfile declares `NODE_VERSION`\); rename it to `NODE_VERSION`/);
  });

  it('points out a difference in case', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          build:
            context: .
            args:
              RELEASE_TAG: v1
    `), { files });
    assert.match(finding.message, /`web` passes the build arg `RELEASE_TAG`, but `Dockerfile` declares no `ARG RELEASE_TAG`/);
    assert.match(finding.message, /rename it to `Release_Tag`/);
  });

  it('judges args an override file adds against the Dockerfile the base file builds', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          build:
            args:
              DEBUG: "1"
              ~~~~~ build-args-declared
    `, { path: '/work/compose.override.yaml', files: { ...files, '/work/compose.yaml': 'services:\n  web:\n    build: .\n' } });
  });
});
