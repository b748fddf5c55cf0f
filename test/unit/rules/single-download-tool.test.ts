import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/single-download-tool';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('single-download-tool', () => {
  it('flags the second download tool the final image uses', () => check(`
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    RUN wget -q https://example.com/b.tgz
        ~~~~ single-download-tool
    CMD ["/app"]
  `));

  it('flags the second download tool the final image installs', () => check(`
    FROM ubuntu:24.04
    RUN apt-get update && apt-get install -y --no-install-recommends curl wget=1.21.4-1ubuntu4 git
                                                                          ~~~~~~~~~~~~~~~~~~~~ single-download-tool
    CMD ["/app"]
  `));

  it('follows the stages the final one is built FROM', () => check(`
    FROM alpine:3.20 AS base
    RUN wget -q https://example.com/a
    FROM base
    RUN curl -fsSLO https://example.com/b
        ~~~~ single-download-tool
    ENTRYPOINT ["/app"]
  `));

  it('does not judge build stages, whose tools do not reach the image', () => check(`
    FROM debian:12-slim AS fetch
    RUN curl -fsSLO https://example.com/a && wget -q https://example.com/b
    FROM debian:12-slim
    COPY --from=fetch /a /b /opt/
    RUN curl -fsSLO https://example.com/c
    CMD ["/app"]
  `));

  it('does not count a RUN that removes its packages again', () => check(`
    FROM debian:12-slim
    RUN curl -fsSLO https://example.com/a
    RUN apt-get update && apt-get install -y wget && wget -q https://example.com/b && apt-get purge -y --auto-remove wget
    CMD ["/app"]
  `));

  it('does not flag images that already ship both (buildpack-deps based)', () => check(`
    FROM node:20
    RUN curl -fsSLO https://example.com/a && wget -q https://example.com/b
    CMD ["node", "app.js"]
  `));

  it('does not flag base and toolbox images: no CMD, or a shell or REPL as the command', () => check(`
    FROM debian:12-slim AS sdk
    RUN apt-get update && apt-get install -y curl wget
    FROM sdk
    CMD ["bash"]
  `));

  it('still flags the slim variants of those images', () => check(`
    FROM node:20-slim
    RUN curl -fsSLO https://example.com/a && wget -q https://example.com/b
                                             ~~~~ single-download-tool
    CMD ["node", "app.js"]
  `));

  it('names both tools and where the first one comes from', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nRUN wget -q https://example.com/a\nRUN curl -fsSLO https://example.com/b\nCMD ["/app"]\n');
    assert.match(finding.message, /^`curl` is used here and `wget` is used on line 2/);
  });

  it('has no fix', () => {
    assert.equal(rule.fixable, false);
  });
});
