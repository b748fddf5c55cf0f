import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/pipefail-set';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('pipefail-set', () => {
  it('flags a pipe whose earlier command can fail unnoticed', () => check(`
    FROM debian:12
    RUN curl -fsSL https://example.com/install.sh | sh
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
    RUN make 2>&1 | tee build.log
        ~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('reports a pipeline of three or more commands from its first command when `&&` follows it', () => {
    check(`
      FROM debian:12
      RUN git log --format=%an | sort -u | awk '{print $1}' | tee /authors && make
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
    `);
    const [finding] = findingsOf(rule, 'dockerfile', "FROM debian:12\nRUN git log --format=%an | sort -u | awk '{print $1}' | tee /authors && make\n");
    assert.match(finding.message, /^`git … \| sort … \| awk … \| tee …` reports only the status of `tee`, so a failing `git` goes unnoticed/);
  });

  it('flags a pipe inside a command substitution, and reports one pipe per RUN', () => check(`
    FROM debian:12
    RUN set -eux; deps="$(find /usr/local -type f | xargs ldd | awk '{print $1}')"; echo "$deps" | tr ' ' '\\n'
                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('accepts pipefail set in the RUN, by SHELL in the stage or in the stage it builds on', () => check(`
    FROM debian:12 AS base
    RUN set -euo pipefail; curl -fsSL https://example.com/x | sh
    RUN set -eux -o pipefail && curl -fsSL https://example.com/x | sh
    SHELL ["/bin/bash", "-exo", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/x | sh
    FROM base
    RUN curl -fsSL https://example.com/x | sh
  `));

  it('accepts a shell started with -o pipefail', () => check(`
    FROM debian:12
    RUN ["/bin/bash", "-o", "pipefail", "-c", "curl -fsSL https://example.com/x | sh"]
    RUN bash -euo pipefail -c 'curl -fsSL https://example.com/x | sh'
  `));

  it('flags a pipe that runs before pipefail is set', () => check(`
    FROM alpine:3.20
    RUN set -e; wget -qO- https://example.com/x | sh; set -o pipefail
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('does not flag pipes whose producers cannot fail, or whose consumer checks its input', () => check(`
    FROM debian:12
    RUN echo "$SHA256  app.tgz" | sha256sum -c - && printf 'y\\n' | apt-get install pkg
    RUN dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" && echo "$dpkgArch"
    RUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt
    RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
    RUN locale -a | grep en_US.utf8
  `));

  it('does not flag consumers that stop reading early, or a failure the author discards', () => check(`
    FROM debian:12
    RUN find / -name '*.so' | head -n 1 > /tmp/first
    RUN dpkg -l | grep -q nginx && echo installed
    RUN ls /opt | xargs rm -rf || true
  `));

  it('does not flag a pipeline whose failure a later smoke test of the same RUN would catch', () => check(`
    FROM debian:12
    RUN find /usr/local -type f -executable -exec ldd '{}' ';' \\
          | awk '/=>/ { print $(NF-1) }' | sort -u | xargs -r dpkg-query --search | cut -d: -f1 | sort -u | xargs -r apt-mark manual \\
        && apt-get purge -y --auto-remove \\
        && node --version \\
        && npm --version
    FROM alpine:3.20
    RUN set -eux; \\
        runDeps="$(scanelf --needed --nobanner --format '%n#p' --recursive /usr/local | tr ',' '\\n' | sort -u | awk '{ print "so:" $1 }')"; \\
        apk add --no-cache --virtual .rundeps $runDeps; \\
        apk del --no-network .build-deps; \\
        php --version
  `));

  it('still flags the same pipelines when no smoke test follows, or when its status is ignored', () => check(`
    FROM debian:12
    RUN find /usr/local -type f -executable -exec ldd '{}' ';' | awk '/=>/ { print $(NF-1) }' | sort -u | xargs -r apt-mark manual \\
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
        && apt-get purge -y --auto-remove
    RUN set -e; make | tee build.log; app --version || true
                ~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('does not flag pipelines through dpkg-query --search or apk info --installed, which fail on inputs no package owns (pipefail would fail the build)', () => check(`
    FROM debian:12
    RUN ldd /usr/local/lib/php/extensions/*.so | awk '/=>/ { print $(NF-1) }' | sort -u | xargs -rt dpkg-query --search | cut -d: -f1 | sort -u | xargs -rt apt-mark manual; \\
        apt-get purge -y --auto-remove
    FROM alpine:3.22
    RUN set -x; runDeps="$(scanelf --needed --nobanner /tmp/envsubst | awk '{ print "so:" $2 }' | sort -u | xargs -r apk info --installed | sort -u)"; apk add --no-cache $runDeps
  `));

  it('does not flag a pipeline when a later RUN of the stage ends in a smoke test (or runs one under set -e), and does when the test does not decide', () => check(`
    FROM ubuntu:24.04
    RUN find "$JAVA_HOME/lib" -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/jdk.conf; ldconfig; java -Xshare:dump
    RUN set -eux; echo verifying; java --version; echo done
    FROM ubuntu:24.04
    RUN find /opt/tool/lib -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/tool.conf && ldconfig
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
    RUN tool --version; echo done
  `));

  it('does not flag marking pipelines that only clear apt-mark manual (a failure only keeps more packages)', () => check(`
    FROM debian:12
    RUN apt-mark showmanual | xargs apt-mark auto > /dev/null && apt-mark manual $savedAptMark
  `));

  it('does not flag a pipe whose status is thrown away anyway (no set -e, followed by ;)', () => check(`
    FROM debian:12
    RUN ls /opt | sort > /tmp/list; echo done
  `));

  it('leaves PowerShell and Windows stages alone', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    RUN type a.txt | findstr b
    FROM debian:12
    SHELL ["pwsh", "-Command"]
    RUN Get-Content a.txt | Select-String b
  `));

  it('does not flag a pipeline whose status pipefail cannot reach: a substitution in an argument, a for list, a test or an export', () => check(`
    FROM alpine:3.20
    RUN set -e; cp $(ls buildx* | sed 's/x/y/') /usr/bin/
    RUN set -e; for f in $(git status --porcelain | awk '{print $2}'); do echo "$f"; done
    RUN set -e; test $(magick -version | grep -o webp | wc -l) -eq 1
    RUN set -e; export VERSION=$(curl -fsSL https://example.com/v | jq -r .v)
    RUN set -e; VERSION=$(curl -fsSL https://example.com/v | jq -r .v) && echo "$VERSION" > /v
                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('does not flag a pipeline whose consumer fails on empty input: apt-key, a keyring that a later apt-get update checks', () => check(`
    FROM debian:12
    RUN wget -qO- https://example.com/key.asc | sudo apt-key add -
    RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor | tee /etc/apt/keyrings/x.gpg > /dev/null \\
        && echo "deb [signed-by=/etc/apt/keyrings/x.gpg] https://example.com/apt stable main" > /etc/apt/sources.list.d/x.list
    RUN apt-get update && apt-get install -y x
    FROM debian:12 AS nothing-checks-it
    RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor | tee /etc/apt/keyrings/x.gpg > /dev/null
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('does not flag cleanup pipelines, whose failure only leaves a larger image', () => check(`
    FROM debian:12
    RUN set -e; find /home/frappe -name .git -type d | xargs rm -fr
    RUN set -e; find /root/.nuget -type f | grep -v keep | xargs -r rm
  `));

  it('does not flag an installer piped into a shell when a later step uses what it installs (its absence fails loudly)', () => check(`
    FROM ubuntu:24.04 AS bun
    RUN curl -fsSL https://bun.sh/install | bash
    RUN /root/.bun/bin/bun install
    FROM python:3.12 AS poetry
    RUN curl -sSL https://install.python-poetry.org | python3 -
    RUN poetry install --no-root
    FROM debian:12 AS nvm
    RUN curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.5/install.sh | bash \\
        && . "$NVM_DIR/nvm.sh" && nvm install 20
    FROM debian:12 AS unused
    RUN curl -fsSL https://example.com/tool/install.sh | sh
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ pipefail-set
  `));

  it('names the command whose failure would be missed', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN curl -fsSL https://example.com/x | sh\n');
    assert.match(finding.message, /^`curl … \| sh` reports only the status of `sh`, so a failing `curl` goes unnoticed/);
  });

  it('fix on Debian: runs that RUN alone with bash and pipefail, restoring the shell after it, so the image keeps its Shell for later RUNs and images built FROM it', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM python:3.12-slim
      RUN curl -fsSL https://example.com/x | sh
      CMD ["python3"]
    `);
    assert.deepEqual(fixed, {
      text: dedent(`
        FROM python:3.12-slim
        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        RUN curl -fsSL https://example.com/x | sh
        SHELL ["/bin/sh", "-c"]
        CMD ["python3"]
      `),
      title: 'Run this RUN with bash and pipefail (dash, /bin/sh here, has no pipefail): SHELL before it, /bin/sh again after it',
      safe: false,
    });
    // A SHELL in effect (not a pipefail shell) is the one restored.
    const kept = applyFix(rule, 'dockerfile', 'FROM debian:12\nSHELL ["/bin/sh", "-eu", "-c"]\nRUN curl -fsSL https://example.com/x | sh\n');
    assert.equal(kept?.text, 'FROM debian:12\nSHELL ["/bin/sh", "-eu", "-c"]\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/x | sh\nSHELL ["/bin/sh", "-eu", "-c"]\n');
  });

  it('says how to turn pipefail on for the base image: set -o pipefail where /bin/sh has it, bash where it is dash', () => {
    const [alpine] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nRUN wget -qO- https://example.com/x | sh\n');
    assert.match(alpine.message, /start the RUN with `set -o pipefail &&` \(BusyBox ash, \/bin\/sh here, has it\)\.$/);
    const [debian] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN curl -fsSL https://example.com/x | sh\n');
    assert.match(debian.message, /run this RUN with bash: `SHELL \["\/bin\/bash", "-o", "pipefail", "-c"\]` before it \(dash, \/bin\/sh here, has no pipefail\), and `SHELL \["\/bin\/sh", "-c"\]` after it so that later RUNs and images built on this one keep their shell\.$/);
  });

  it('fix on Alpine: prefixes the RUN with set -o pipefail (BusyBox ash has it)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root wget -qO- https://example.com/x | sh\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root set -o pipefail && wget -qO- https://example.com/x | sh\n');
    assert.equal(fixed?.safe, false);
  });

  it('fix: extends a leading set with -o pipefail', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN set -eux; \\\n  wget -qO- https://example.com/x | sh\n');
    assert.equal(fixed?.text, 'FROM alpine:3.20\nRUN set -eux -o pipefail; \\\n  wget -qO- https://example.com/x | sh\n');
  });

  it('fix: uses set -o pipefail when the stage already chose bash without pipefail', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN curl -fsSL https://example.com/x | sh\n');
    assert.equal(fixed?.text, 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN set -o pipefail && curl -fsSL https://example.com/x | sh\n');
  });

  it('fix: the result is no longer reported', () => {
    for (const text of ['FROM python:3.12-slim\nRUN curl -fsSL https://example.com/x | sh\n', 'FROM alpine:3.20\nRUN wget -qO- https://example.com/x | sh\n']) {
      const fixed = applyFix(rule, 'dockerfile', text);
      assert.ok(fixed);
      assert.deepEqual(findingsOf(rule, 'dockerfile', fixed.text), []);
    }
  });

  it('offers no fix for an unknown base image, a heredoc or the exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM example.com/base:1\nRUN curl -fsSL https://example.com/x | sh\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN <<EOF\nwget -qO- https://example.com/x | sh\nEOF\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN ["sh", "-c", "wget -qO- https://example.com/x | sh"]\n'), undefined);
  });
});
