import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { closestStage } from '../../../server/src/rules/compose/build-target-exists';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const dockerfile = 'FROM node:22 AS deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\nFROM node:22-slim AS production\nCOPY --from=build /app /app\n';
const files = { '/work/Dockerfile': dockerfile, '/work/api/Dockerfile.prod': dockerfile };

describe('build-target-exists', () => {
  it('suggests the stage a target most likely meant', () => {
    assert.equal(closestStage('prodution', ['deps', 'build', 'production']), 'production');
    assert.equal(closestStage('prod', ['deps', 'build', 'production']), 'production');
    assert.equal(closestStage('release', ['deps', 'build', 'production']), null);
  });

  it('flags a target that names no stage', () => checkRule(rule, 'compose', `
    services:
      web:
        build:
          context: .
          target: prod
                  ~~~~ build-target-exists
      api:
        build:
          context: ./api
          dockerfile: Dockerfile.prod
          target: release
                  ~~~~~~~ build-target-exists
  `, { files }));

  it('matches stage names ignoring case, as BuildKit does, and skips unknown Dockerfiles and variables', () => checkRule(rule, 'compose', `
    services:
      web:
        build:
          context: .
          target: Production
      other:
        build:
          context: ./missing
          target: nothing
      dynamic:
        build:
          context: .
          target: \${TARGET}
      inline:
        build:
          dockerfile_inline: |
            FROM alpine:3.20 AS base
          target: base
  `, { files }));

  it('lists the stages and the suggestion in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        web:
          build:
            context: .
            target: prod
    `), { files });
    assert.match(finding.message, /`web` builds the target `prod`, but `Dockerfile` has no stage of that name \(its stages are `deps`, `build`, `production`\)/);
    assert.match(finding.message, /use `production`/);
  });

  it('fix: replaces the target with the suggested stage, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          build:
            context: .
            target: "prodution"
    `, { files });
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  web:\n    build:\n      context: .\n      target: "production"\n');
  });

  it('offers no fix without a clear candidate', () => {
    assert.equal(applyFix(rule, 'compose', 'services:\n  web:\n    build:\n      context: .\n      target: release\n', { files }), undefined);
  });

  it('judges the Dockerfile an override file points at, reporting in the file that writes the target', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          build:
            target: production
                    ~~~~~~~~~~ build-target-exists
    `, { path: '/work/compose.override.yaml', files: { ...files, '/work/compose.yaml': 'services:\n  web:\n    build:\n      context: ./other\n' , '/work/other/Dockerfile': 'FROM alpine:3.20 AS base\n' } });
  });
});
