import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { plainWords } from '../../../server/src/rules/dockerfile/exec-form-cmd';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('exec-form-cmd', () => {
  it('flags shell-form CMD and ENTRYPOINT', () => check(`
    FROM node:20
    ENTRYPOINT node
               ~~~~ exec-form-cmd
    CMD npm start
        ~~~~~~~~~ exec-form-cmd
  `));

  it('leaves a list of quoted strings that is not JSON to exec-form-valid (one finding, not two)', () => check(`
    FROM node:20
    CMD ['npm', 'start']
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

  it('fix: an ENTRYPOINT rewrite is unsafe when the stage has a CMD (it would become arguments)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nENTRYPOINT /app serve\nCMD ["--debug"]\n');
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'FROM debian:12\nENTRYPOINT ["/app", "serve"]\nCMD ["--debug"]\n');
  });

  it('never rewrites a command that needs a shell in exec form: it puts `exec` before the last command instead', () => {
    const variable = applyFix(rule, 'dockerfile', 'FROM node:20\nCMD node server.js --port $PORT\n');
    assert.deepEqual(variable, { text: 'FROM node:20\nCMD exec node server.js --port $PORT\n', title: 'Start the command with `exec`', safe: true });
    // In a list the shell runs other commands first: the change is offered, not applied by fix-all.
    const list = applyFix(rule, 'dockerfile', 'FROM node:20\nCMD npm run migrate && npm start\n');
    assert.deepEqual(list, { text: 'FROM node:20\nCMD npm run migrate && exec npm start\n', title: 'Start the last command with `exec`', safe: false });
    // A pipeline, a background job or a compound command has no last command to hand over to.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD node server.js | tee /var/log/app.log\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD if [ -f x ]; then node a.js; fi\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nCMD [npm, start]\n'), undefined);
  });

  it('advises `exec` in the shell form, not the exec form, when the command needs a shell', () => {
    const [glob] = findingsOf(rule, 'dockerfile', 'FROM eclipse-temurin:21-jre\nCMD java -jar build/libs/*.jar\n');
    assert.match(glob.message, /write `exec` before it \(`CMD exec java -jar build\/libs\/\*\.jar`\)/);
    assert.doesNotMatch(glob.message, /exec form/);
    const [substitution] = findingsOf(rule, 'dockerfile', 'FROM haskell:9.8\nCMD stack exec app -- +RTS -N$(nproc)\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM haskell:9.8\nCMD stack exec app -- +RTS -N$(nproc)\n')?.text, 'FROM haskell:9.8\nCMD exec stack exec app -- +RTS -N$(nproc)\n');
    assert.match(substitution.message, /`exec`/);
  });

  it("stays quiet where the image's /bin/sh hands PID 1 to the command itself: BusyBox sh (Alpine), bash for one simple command (Red Hat family)", () => {
    check(`
      FROM gradle:7.4-jdk-alpine
      CMD java -jar build/libs/*.jar
    `);
    check(`
      FROM node:18-alpine
      WORKDIR /app
      CMD cd /app && node dist/index.js 2>&1
    `);
    check(`
      FROM busybox:1.36
      ENTRYPOINT /bin/httpd -f -p 8080
    `);
    check(`
      FROM registry.access.redhat.com/ubi9/ubi:9.4
      CMD /app/server --port 8080
    `);
    // Windows runs shell forms with cmd /S /C, and has no SIGTERM.
    check(`
      FROM mcr.microsoft.com/windows/servercore:ltsc2022
      CMD C:\\app\\server.exe
    `);
  });

  it('still reports where that shell cannot hand over: a pipeline or a background job on Alpine, a list or redirections under bash', () => {
    check(`
      FROM alpine:3.20
      CMD app | tee /var/log/app.log
          ~~~~~~~~~~~~~~~~~~~~~~~~~~ exec-form-cmd
      FROM alpine:3.20
      CMD app 2>&1 &
          ~~~~~~~~~~ exec-form-cmd
      FROM fedora:40
      CMD cd /srv && ./app
          ~~~~~~~~~~~~~~~~ exec-form-cmd
      FROM fedora:40
      CMD ./app 2>&1
          ~~~~~~~~~~ exec-form-cmd
    `);
    const [background] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nCMD app 2>&1 &\n');
    assert.match(background.message, /stays PID 1 for a background job/);
    check(`
      FROM fedora:40
      CMD JAVA_OPTS=-Xmx1g java -jar /app.jar --threads $(nproc)
    `);
  });

  it("names dash where the base is Debian-based, hedges where the base is unknown, and asks node for an init", () => {
    const [debian] = findingsOf(rule, 'dockerfile', 'FROM python:3.12\nCMD python app.py\n');
    assert.match(debian.message, /dash, the `\/bin\/sh` of Debian and Ubuntu/);
    const [unknown] = findingsOf(rule, 'dockerfile', 'FROM example.com/base:1\nCMD /app\n');
    assert.match(unknown.message, /where `\/bin\/sh` is dash \(Debian, Ubuntu\)/);
    const [node] = findingsOf(rule, 'dockerfile', 'FROM node:20-slim\nCMD node server.js\n');
    assert.match(node.message, /--init/);
  });

  it('splits words only when no shell syntax is involved', () => {
    assert.deepEqual(plainWords(`java -jar 'app server.jar'`), ['java', '-jar', 'app server.jar']);
    assert.equal(plainWords('echo a"b"'), null);
    assert.equal(plainWords('run > log'), null);
    assert.equal(plainWords('ls *.txt'), null);
  });
});
