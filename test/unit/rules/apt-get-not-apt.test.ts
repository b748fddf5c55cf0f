import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/apt-get-not-apt';
import { applyFix, checkRule, config, file, findingsOf, strict } from '../../helpers/check';
import { LanguageService } from '../../../server/src/service';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('apt-get-not-apt', () => {
  it('flags apt in RUN, on the program name', () => check(`
    FROM ubuntu:24.04
    RUN apt update && apt install -y curl && /usr/bin/apt list --installed
        ~~~ apt-get-not-apt
                      ~~~ apt-get-not-apt
                                             ~~~~~~~~~~~~ apt-get-not-apt
  `));

  it('accepts apt-get and apt-cache, and words that only contain apt', () => check(`
    FROM ubuntu:24.04
    RUN apt-get update && apt-cache policy curl && apt-mark hold curl && echo apt
  `));

  it('fix: replaces apt with apt-get', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nRUN apt update && apt-get install -y curl\n');
    assert.deepEqual(fixed, { text: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n', title: 'Replace `apt update` with `apt-get update`', safe: true });
  });

  it('fix: maps queries to apt-cache and full-upgrade to dist-upgrade, keeping a path', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nRUN apt search curl\n')?.text, 'FROM ubuntu:24.04\nRUN apt-cache search curl\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nRUN /usr/bin/apt full-upgrade -y\n')?.text, 'FROM ubuntu:24.04\nRUN /usr/bin/apt-get dist-upgrade -y\n');
  });

  it('offers no fix for apt list, which has no stable equivalent, nor for exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nRUN apt list --installed\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM ubuntu:24.04\nRUN ["apt", "install", "-y", "curl"]\n'), undefined);
  });

  it('is style, reported at info on each command, and fix-all rewrites every one of them', () => {
    const text = 'FROM debian:12\nRUN apt update && apt install -y curl && apt clean\n';
    assert.deepEqual(findingsOf(rule, 'dockerfile', text).map((f) => f.severity), ['info', 'info', 'info']);
    const own = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], onFailure: strict });
    assert.equal(own.fixAll(file(text, 'dockerfile'), config()).text, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get clean\n');
  });
});
