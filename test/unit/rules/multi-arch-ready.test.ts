import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/multi-arch-ready';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('multi-arch-ready', () => {
  it('flags a constant --platform, on its value', () => check(`
    FROM --platform=linux/amd64 node:20-alpine
                    ~~~~~~~~~~~ multi-arch-ready
    CMD ["node", "server.js"]
  `));

  it('accepts --platform from a variable, and a stage named after its platform (as BuildKit allows)', () => check(`
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    FROM --platform=\${TARGETPLATFORM} alpine:3.20 AS other
    FROM --platform=linux/arm64 alpine:3.20 AS build-arm64
    FROM --platform=linux/amd64 alpine:3.20 AS build-amd64
    FROM build-\${TARGETARCH}
  `));

  it('flags $BUILDPLATFORM on a stage the running image is built FROM', () => check(`
    FROM --platform=$BUILDPLATFORM python:3.12-alpine AS base
                    ~~~~~~~~~~~~~~ multi-arch-ready
    FROM base AS deps
    RUN pip install -r requirements.txt
    FROM base
    COPY --from=deps /usr/local/lib/python3.12 /usr/local/lib/python3.12
    CMD ["python", "app.py"]
  `));

  it('accepts $BUILDPLATFORM on build stages, and on a final stage that runs nothing', () => check(`
    FROM --platform=$BUILDPLATFORM node:20 AS assets
    RUN npm ci && npm run build
    FROM nginx:1.27
    COPY --from=assets /app/dist /usr/share/nginx/html
    FROM --platform=\${BUILDPLATFORM} alpine:3.20 AS validate
    RUN ./validate.sh
  `));

  it('flags a hard-coded GOARCH on a command and in ENV', () => check(`
    FROM golang:1.22 AS build
    ENV GOARCH=arm64
        ~~~~~~~~~~~~ multi-arch-ready
    FROM golang:1.22 AS other
    RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /app .
                                 ~~~~~~~~~~~~ multi-arch-ready
    RUN export GOOS=linux GOARCH=amd64 && go build -o /tool ./tool
                          ~~~~~~~~~~~~ multi-arch-ready
  `));

  it('accepts GOARCH from TARGETARCH, builds for several architectures, and per-architecture branches', () => check(`
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
    FROM golang:1.22 AS release
    RUN GOARCH=amd64 go build -o /out/app-amd64 . && GOARCH=arm64 go build -o /out/app-arm64 .
    FROM golang:1.22 AS native
    RUN case "$(dpkg --print-architecture)" in amd64) export GOARCH=amd64 ;; arm64) export GOARCH=arm64 ;; esac; go build .
  `));

  it('flags download URLs that name one architecture', () => check(`
    FROM debian:12-slim
    RUN curl -fsSL -o /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl
                                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ multi-arch-ready
    RUN wget -q "https://github.com/oven-sh/bun/releases/download/bun-v1.1.26/bun-linux-x64.zip"
                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ multi-arch-ready
    ADD https://example.com/tool_1.0_linux_x86_64.tar.gz /tmp/
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ multi-arch-ready
  `));

  it('accepts URLs built from the architecture, picked per architecture, or in a pinned stage', () => check(`
    FROM debian:12-slim
    ARG TARGETARCH
    RUN curl -fsSL https://dl.k8s.io/release/v1.30.0/bin/linux/\${TARGETARCH}/kubectl -o /kubectl
    RUN arch="$(uname -m)"; curl -fsSLO "https://example.com/tool-\${arch}.tgz"
    RUN case "$(dpkg --print-architecture)" in amd64) curl -O https://e.com/a-amd64.tgz ;; arm64) curl -O https://e.com/a-arm64.tgz ;; esac
    RUN curl -fsSL https://example.com/download?os=linux -o /x
    FROM --platform=linux/amd64 debian:12-slim AS tools-amd64
    RUN curl -fsSLO https://example.com/tool-linux-amd64.tgz
    FROM amd64/debian:12-slim
    RUN curl -fsSLO https://example.com/tool-linux-amd64.tgz
  `));

  it('leaves Windows images alone', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    ADD https://example.com/tool-windows-amd64.zip C:/tool.zip
  `));

  it('explains each kind of problem', () => {
    const messages = findingsOf(rule, 'dockerfile', 'FROM --platform=linux/amd64 alpine\nFROM golang:1.22\nRUN GOARCH=amd64 go build .\nRUN curl -O https://e.com/x-amd64.tgz\nFROM --platform=$BUILDPLATFORM alpine\nCMD ["sh"]\n').map((f) => f.message);
    assert.match(messages[0], /^`--platform=linux\/amd64` pins this stage to one platform/);
    assert.match(messages[1], /^`GOARCH=amd64` compiles for one architecture/);
    assert.match(messages[2], /^This download URL hard-codes `amd64`/);
    assert.match(messages[3], /^`--platform=\$BUILDPLATFORM` builds this stage for the machine running the build/);
  });

  it('fix: removes a constant --platform from a stage that is not a build stage', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM --platform=linux/amd64 node:20-alpine AS app\nCMD ["node"]\n');
    assert.deepEqual(fixed, { text: 'FROM node:20-alpine AS app\nCMD ["node"]\n', title: 'Remove the constant `--platform` flag', safe: false });
  });

  it('fix: removes $BUILDPLATFORM from a stage of the running image', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM --platform=$BUILDPLATFORM   python:3.12-slim\nCMD ["python", "app.py"]\n');
    assert.deepEqual(fixed, { text: 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n', title: 'Remove `--platform` from a stage of the final image', safe: false });
  });

  it('fix: turns a constant --platform of a build stage into $BUILDPLATFORM', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM --platform=linux/amd64 node:20 AS assets
      RUN npm ci && npm run build
      FROM nginx:1.27
      COPY --from=assets /app/dist /usr/share/nginx/html
    `);
    assert.equal(fixed?.title, 'Build this stage on the build platform (`$BUILDPLATFORM`)');
    assert.equal(fixed?.text, dedent(`
      FROM --platform=$BUILDPLATFORM node:20 AS assets
      RUN npm ci && npm run build
      FROM nginx:1.27
      COPY --from=assets /app/dist /usr/share/nginx/html
    `));
  });

  it('fix: cross-compiles a Go build stage for the target platform', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.22 AS build
      WORKDIR /src
      RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /app .
      FROM scratch
      COPY --from=build /app /app
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      FROM --platform=$BUILDPLATFORM golang:1.22 AS build
      ARG TARGETOS TARGETARCH
      WORKDIR /src
      RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
      FROM scratch
      COPY --from=build /app /app
    `));
  });

  it('fix: compiles natively in a final stage, reusing a declared ARG; ENV gets the variable too', () => {
    const final = applyFix(rule, 'dockerfile', 'FROM golang:1.22\nARG TARGETARCH\nRUN GOARCH=amd64 go build -o /app .\n');
    assert.equal(final?.text, 'FROM golang:1.22\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .\n');
    const env = applyFix(rule, 'dockerfile', 'FROM golang:1.22\nENV GOARCH=amd64');
    assert.equal(env?.text, 'FROM golang:1.22\nARG TARGETARCH\nENV GOARCH=$TARGETARCH\n');
  });

  it('offers no fix for download URLs or for an exported GOARCH', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN curl -O https://e.com/x-amd64.tgz\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22\nRUN export GOARCH=amd64; go build .\n'), undefined);
  });
});
