import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/no-system-upgrade';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('no-system-upgrade', () => {
  it('is off by default and offers no fix', () => {
    assert.equal(rule.enabledByDefault, false);
    assert.equal(rule.fixable, false);
  });

  it('flags apt-get upgrade, dist-upgrade and apt full-upgrade', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get upgrade -y && apt-get -y dist-upgrade && apt full-upgrade -y
                          ~~~~~~~~~~~~~~~ no-system-upgrade
                                                ~~~~~~~~~~~~~~~~~~~~~~~ no-system-upgrade
                                                                           ~~~~~~~~~~~~~~~~ no-system-upgrade
  `));

  it('flags apk upgrade, yum/dnf upgrade and zypper update without packages', () => check(`
    FROM alpine:3.20
    RUN apk upgrade --no-cache && yum update -y && dnf -y upgrade && zypper -n up && zypper -n dup
        ~~~~~~~~~~~ no-system-upgrade
                                  ~~~~~~~~~~ no-system-upgrade
                                                   ~~~~~~~~~~~~~~ no-system-upgrade
                                                                     ~~~~~~~~~~~~ no-system-upgrade
                                                                                     ~~~~~~~~~~~~~ no-system-upgrade
  `));

  it('accepts upgrading named packages', () => check(`
    FROM alpine:3.20
    RUN apk upgrade --no-cache openssl && yum update -y openssl && dnf upgrade -y curl && zypper -n update openssl
  `));

  it('does not confuse apt-get update or --only-upgrade installs with an upgrade', () => check(`
    FROM debian:12
    RUN apt-get update && apt-get install -y --only-upgrade openssl
  `));
});
