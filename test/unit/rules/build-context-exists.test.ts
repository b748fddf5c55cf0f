import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/build-context-exists';
import { checkRule, dedent, findingsOf } from '../../helpers/check';

const project = {
  '/work/.git': '',
  '/work/Dockerfile': 'FROM alpine:3.20\n',
  '/work/api': '',
  '/work/api/Dockerfile': 'FROM alpine:3.20\n',
  '/work/api/Dockerfile.prod': 'FROM alpine:3.20\n',
  '/work/docs': '',
};

describe('build-context-exists', () => {
  it('flags a missing context, a missing Dockerfile and a context without a Dockerfile', () => checkRule(rule, 'compose', `
    services:
      web:
        build: ./wbe
               ~~~~~ build-context-exists
      api:
        build:
          context: ./api
          dockerfile: Dockerfile.production
                      ~~~~~~~~~~~~~~~~~~~~~ build-context-exists
      docs:
        build:
          context: ./docs
                   ~~~~~~ build-context-exists
  `, { files: project }));

  it('accepts existing paths, remote and inline builds, and unknown variables', () => checkRule(rule, 'compose', `
    services:
      root:
        build: .
      api:
        build:
          context: ./api
          dockerfile: Dockerfile.prod
      absolute:
        build:
          context: ./api
          dockerfile: /work/Dockerfile
      remote:
        build: https://github.com/acme/app.git#main
      git:
        build:
          context: git@github.com:acme/app.git
      inline:
        build:
          context: ./docs
          dockerfile_inline: |
            FROM alpine:3.20
      variable:
        build: \${APP_DIR}
      fallback:
        build: \${APP_DIR:-./api}
  `, { files: project }));

  it('says the Dockerfile path is resolved from the context', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        api:
          build:
            context: ./api
            dockerfile: api/Dockerfile
    `), { files: project });
    assert.match(finding.message, /`api\/Dockerfile` of `api` does not exist in its build context `.\/api` \(the path is resolved from the context/);
  });

  it('judges nothing in a file read outside its project, or without a path', () => {
    checkRule(rule, 'compose', 'services:\n  web:\n    build: ./web\n  api:\n    build:\n      context: ./api\n', { files: { '/elsewhere/file': '' } });
    assert.deepEqual(findingsOf(rule, 'compose', 'services:\n  web:\n    build: ./web\n'), []);
  });

  it('takes any resolving path of the file as evidence that it is in its project', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          build: ./web
                 ~~~~~ build-context-exists
          env_file: ./config/web.env
    `, { files: { '/work/config/web.env': 'A=1\n' } });
  });
});
