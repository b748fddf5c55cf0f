import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { plainWords } from '../../../server/src/rules/dockerfile/exec-form-cmd';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('exec-form-cmd', () => {
  it('flags shell-form CMD and ENTRYPOINT', () => check(`
    FROM node:20
    ENTRYPOINT node
               ~~~~ exec-form-cmd
    CMD npm start
        ~~~~~~~~~ exec-form-cmd
  `));

  it('flags a JSON array that is not valid JSON', () => check(`
    FROM node:20
    CMD ['npm', 'start']
        ~~~~~~~~~~~~~~~~ exec-form-cmd
  `));

  it('accepts the exec form, including an empty one', () => check(`
    FROM node:20
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD []
  `));

  it('accepts a shell form that execs the process', () => check(`
    FROM node:20
    ENTRYPOINT exec node server.js "$@"
  `));

  it('leaves stages that chose their SHELL alone', () => check(`
    FROM mcr.microsoft.com/powershell:lts-7.4-ubuntu-22.04
    SHELL ["pwsh", "-Command"]
    CMD Write-Host hello
  `));

  it('fix: rewrites a plain command as a JSON array', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20\nCMD node "dist/server.js" --port 8080\n');
    assert.deepEqual(fixed, { text: 'FROM node:20\nCMD ["node", "dist/server.js", "--port", "8080"]\n', title: 'Rewrite CMD in exec form', safe: true });
  });

  it('fix: turns single quotes into JSON', () => {
    const fixed = applyFix(rule, 'dockerfile', "FROM node:20\nCMD ['npm', 'start']\n");
    assert.equal(fixed?.text, 'FROM node:20\nCMD ["npm", "start"]\n');
  });

  it('fix: an ENTRYPOINT rewrite is unsafe when the stage has a CMD (it would become arguments)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENTRYPOINT /app serve\nCMD ["--debug"]\n');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'FROM alpine:3.20\nENTRYPOINT ["/app", "serve"]\nCMD ["--debug"]\n');
  });

  it('offers no fix when the command needs a shell', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD node server.js --port $PORT\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD npm run migrate && npm start\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD [npm, start]\n'), undefined);
  });

  it('splits words only when no shell syntax is involved', () => {
    assert.deepEqual(plainWords(`java -jar 'app server.jar'`), ['java', '-jar', 'app server.jar']);
    assert.equal(plainWords('echo a"b"'), null);
    assert.equal(plainWords('run > log'), null);
    assert.equal(plainWords('ls *.txt'), null);
  });
});
