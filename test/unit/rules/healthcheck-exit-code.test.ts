import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/healthcheck-exit-code';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('healthcheck-exit-code', () => {
  it('flags curl and wget whose own exit status reaches Docker', () => check(`
    FROM node:20
    HEALTHCHECK CMD curl -f http://localhost:3000/
                    ~~~~ healthcheck-exit-code
    FROM alpine:3.20
    HEALTHCHECK --interval=5s \\
      CMD wget -q --spider http://localhost/
          ~~~~ healthcheck-exit-code
  `));

  it('flags pg_isready, which exits 2 when the server does not answer', () => check(`
    FROM postgres:16
    HEALTHCHECK CMD pg_isready -U postgres
                    ~~~~~~~~~~ healthcheck-exit-code
  `));

  it('flags the exec form, on the whole command', () => check(`
    FROM node:20
    HEALTHCHECK CMD ["curl", "-fs", "http://localhost:8000"]
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ healthcheck-exit-code
  `));

  it('flags the last of an && list', () => check(`
    FROM node:20
    HEALTHCHECK CMD test -f /tmp/ready && curl -f http://localhost/
                                          ~~~~ healthcheck-exit-code
  `));

  it('accepts a command that maps the status with exit', () => check(`
    FROM node:20
    HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
    HEALTHCHECK CMD if curl -fs http://localhost/; then exit 0; else exit 1; fi
    HEALTHCHECK CMD sh -c 'curl -f http://localhost/ || exit 1'
  `));

  it('accepts probes whose status is 0 or 1, and a probe piped into one', () => check(`
    FROM node:20
    HEALTHCHECK CMD node healthcheck.js
    HEALTHCHECK CMD ["/app", "healthcheck"]
    HEALTHCHECK CMD curl -s http://localhost/health | grep -q ok
    HEALTHCHECK NONE
  `));

  it('leaves PowerShell and other SHELLs alone', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    HEALTHCHECK CMD curl -f http://localhost/
    FROM ubuntu:24.04
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    HEALTHCHECK CMD curl -f http://localhost/
  `));

  it('says what to do for each form', () => {
    const [shell] = findingsOf(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/\n');
    assert.match(shell.message, /^`curl` exits with codes other than 0 and 1.*end the command with `\|\| exit 1`\.$/);
    const [exec] = findingsOf(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n');
    assert.match(exec.message, /write it in shell form ending with `\|\| exit 1`/);
  });

  it('fix: appends `|| exit 1` after the whole command (safe)', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK --timeout=3s CMD test -f /ready && curl -f http://localhost/\nCMD ["node", "a.js"]\n'), {
      text: 'FROM node:20\nHEALTHCHECK --timeout=3s CMD test -f /ready && curl -f http://localhost/ || exit 1\nCMD ["node", "a.js"]\n',
      title: 'Append `|| exit 1` to the HEALTHCHECK command',
      safe: true,
    });
  });

  it('fix: appends at the end of a command continued over lines', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD curl -f \\\n  http://localhost/\n');
    assert.equal(fixed?.text, 'FROM node:20\nHEALTHCHECK CMD curl -f \\\n  http://localhost/ || exit 1\n');
  });

  it('fix: rewrites a plain exec form in shell form (unsafe: it now runs under /bin/sh)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD ["curl", "-fs", "--max-time", "2", "http://localhost:8000"]\n');
    assert.equal(fixed?.text, 'FROM node:20\nHEALTHCHECK CMD curl -fs --max-time 2 http://localhost:8000 || exit 1\n');
    assert.equal(fixed?.safe, false);
  });

  it('offers no fix for an exec form that needs quoting or an image without a shell, or after a trailing ;', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD ["curl", "-H", "Host: a", "http://localhost/"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM gcr.io/distroless/base-debian12\nHEALTHCHECK CMD ["/busybox/wget", "-q", "--spider", "http://localhost/"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/;\n'), undefined);
  });
});
