import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/add-extracts-archives';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('add-extracts-archives', () => {
  it('is off by default', () => {
    assert.equal(rule.enabledByDefault, false);
  });

  it('flags a local archive copied and then unpacked by tar', () => check(`
    FROM debian:12-slim
    COPY vendor/app-1.2.tar.gz /tmp/
         ~~~~~~~~~~~~~~~~~~~~~ add-extracts-archives
    RUN tar -xzf /tmp/app-1.2.tar.gz -C /opt && rm /tmp/app-1.2.tar.gz
  `));

  it('matches the name the archive gets at its destination, and old-style tar options', () => check(`
    FROM debian:12-slim
    COPY build/output.tgz /tmp/app.tgz
         ~~~~~~~~~~~~~~~~ add-extracts-archives
    RUN cd /opt && tar xzf /tmp/app.tgz
  `));

  it('does not flag what ADD cannot do: stripped paths, member lists, zip files, other stages', () => check(`
    FROM debian:12-slim AS build
    COPY a.tar.gz /tmp/
    RUN tar -xzf /tmp/a.tar.gz -C /opt
    FROM debian:12-slim
    COPY b.tar.gz c.tar.gz d.zip /tmp/
    RUN tar -xzf /tmp/b.tar.gz --strip-components=1 -C /opt
    RUN tar -xzf /tmp/c.tar.gz -C /opt app/bin
    RUN unzip /tmp/d.zip -d /opt
    COPY --from=build /opt/e.tar /tmp/
    RUN tar -xf /tmp/e.tar -C /opt
  `));

  it('does not flag an archive that is only copied', () => check(`
    FROM debian:12-slim
    COPY app.tar.gz /srv/downloads/
  `));

  it('points at the RUN that unpacks the archive', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12-slim\nCOPY a.tar.xz /tmp/\nRUN tar -xJf /tmp/a.tar.xz -C /opt\n');
    assert.match(finding.message, /unpacked by `tar` on line 3/);
  });

  it('has no fix', () => {
    assert.equal(rule.fixable, false);
  });
});
