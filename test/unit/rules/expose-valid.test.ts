import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { portProblem } from '../../../server/src/rules/dockerfile/expose-valid';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('expose-valid', () => {
  it('accepts ports, ranges and lower-case protocols', () => check(`
    FROM nginx:1.27
    EXPOSE 80 443/tcp 53/udp 9000-9005 132/sctp 0 65535
  `));

  it('flags a port out of range (DL3011)', () => check(`
    FROM nginx:1.27
    EXPOSE 80 70000 8000-99999
              ~~~~~ expose-valid
                    ~~~~~~~~~~ expose-valid
  `));

  it('flags a host address or host port (ExposeInvalidFormat)', () => check(`
    FROM nginx:1.27
    EXPOSE 0.0.0.0:80:80 8080:80/tcp [::1]:53:53/udp
           ~~~~~~~~~~~~~ expose-valid
                         ~~~~~~~~~~~ expose-valid
                                     ~~~~~~~~~~~~~~~ expose-valid
  `));

  it('flags an upper-case protocol (ExposeProtoCasing)', () => check(`
    FROM nginx:1.27
    EXPOSE 80/TCP 53/Udp
           ~~~~~~ expose-valid
                  ~~~~~~ expose-valid
  `));

  it('flags values that stop the build', () => check(`
    FROM nginx:1.27
    EXPOSE http 80/http 9005-9000 /tcp
           ~~~~ expose-valid
                ~~~~~~~ expose-valid
                        ~~~~~~~~~ expose-valid
                                  ~~~~ expose-valid
  `));

  it('expands ARG and ENV defaults, and skips unknown variables', () => check(`
    FROM node:20-slim
    ARG PORT=3000
    ENV DEBUG_PORT=99999
    EXPOSE $PORT \${DEBUG_PORT} \${APP_PORT}
                 ~~~~~~~~~~~~~ expose-valid
  `));

  it('explains each problem', () => {
    const messages = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nEXPOSE 127.0.0.1:80:80 80/TCP 70000\n').map((f) => f.message);
    assert.match(messages[0], /`EXPOSE 127\.0\.0\.1:80:80` maps a host address or port.*write `80`/);
    assert.match(messages[1], /write `80\/tcp`/);
    assert.match(messages[2], /Port `70000` .* outside 0–65535, so Docker stops the build/);
  });

  it('reads port specs the way Docker splits them', () => {
    assert.deepEqual(portProblem('127.0.0.1:8080:80/TCP'), { kind: 'mapping', container: '80/tcp' });
    assert.deepEqual(portProblem('80-80'), null);
    assert.deepEqual(portProblem('80/'), null);
    assert.equal(portProblem('65536')?.kind, 'range');
  });

  it('fix: keeps only the container port, and lower-cases its protocol', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nEXPOSE 0.0.0.0:8080:80/TCP 443\n');
    assert.deepEqual(fixed, { text: 'FROM nginx:1.27\nEXPOSE 80/tcp 443\n', title: 'Expose only the container port: 80/tcp', safe: true });
  });

  it('fix: lower-cases the protocol', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nEXPOSE 80/TCP\n');
    assert.equal(fixed?.text, 'FROM nginx:1.27\nEXPOSE 80/tcp\n');
    assert.equal(fixed?.title, 'Lower-case the protocol: 80/tcp');
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('fix: is not offered for a port that cannot be repaired or comes from a variable', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nEXPOSE 70000\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM nginx:1.27\nARG P=80:80\nEXPOSE $P\n'), undefined);
  });
});
