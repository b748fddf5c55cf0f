import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/ca-certificates-in-scratch';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('ca-certificates-in-scratch', () => {
  it('flags a scratch program without a CA bundle', () => check(`
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /server .
    FROM scratch
         ~~~~~~~ ca-certificates-in-scratch
    COPY --from=build /server /server
    ENTRYPOINT ["/server"]
  `));

  it('follows a final stage built FROM a scratch stage', () => check(`
    FROM rust:1.80 AS build
    RUN cargo build --release
    FROM scratch AS runtime
    COPY --from=build /app/target/release/app /app
    FROM runtime
         ~~~~~~~ ca-certificates-in-scratch
    CMD ["/app"]
  `));

  it('accepts a copied bundle, a whole certs directory, or SSL_CERT_FILE', () => check(`
    FROM golang:1.22 AS build
    FROM scratch AS a
    COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
    COPY --from=build /server /server
    ENTRYPOINT ["/server"]
    FROM scratch AS b
    COPY --from=build /etc/ssl/certs /etc/ssl/certs
    COPY --from=build /server /server
    ENTRYPOINT ["/server"]
    FROM scratch
    COPY --from=build /server /server
    COPY certs/roots.pem /certs/roots.pem
    ENV SSL_CERT_FILE=/certs/roots.pem
    ENTRYPOINT ["/server"]
  `));

  it('leaves export stages (no command), plain data copies, Wasm modules and other bases alone', () => check(`
    FROM node:20 AS build
    RUN npm ci && npm run build
    FROM scratch AS export
    COPY --from=build /app/dist /
    FROM scratch AS data
    COPY site /site
    CMD ["/site"]
    FROM scratch AS wasm
    COPY --from=build /app/app.wasm /app.wasm
    ENTRYPOINT ["app.wasm"]
    FROM alpine:3.20
    COPY --from=build /app/dist /dist
    CMD ["/dist/app"]
  `));

  it('leaves a final export stage alone', () => check(`
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /out/tool .
    FROM scratch
    COPY --from=build /out/tool /
  `));

  it('fix: copies the bundle from the build stage, before the binary (safe)', () => {
    const fixed = applyFix(rule, 'dockerfile', `
      FROM golang:1.22-alpine AS build
      RUN go build -o /server .
      FROM scratch
      COPY --from=build /server /server
      ENTRYPOINT ["/server"]
    `);
    assert.equal(fixed?.safe, true);
    assert.equal(fixed?.title, 'Copy the CA bundle from stage `build`');
    assert.equal(fixed?.text, dedent(`
      FROM golang:1.22-alpine AS build
      RUN go build -o /server .
      FROM scratch
      COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
      COPY --from=build /server /server
      ENTRYPOINT ["/server"]
    `));
  });

  it('fix: uses a stage that installs ca-certificates', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y ca-certificates\nFROM scratch\n  COPY --from=build /bin/app /app\nCMD ["/app"]\n');
    assert.equal(fixed?.text, 'FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y ca-certificates\nFROM scratch\n  COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n  COPY --from=build /bin/app /app\nCMD ["/app"]\n');
  });

  it('offers no fix when the build stage is not known to have the bundle, or the binary comes from an image', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12-slim AS build\nFROM scratch\nCOPY --from=build /bin/app /app\nCMD ["/app"]\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM scratch\nCOPY --from=example.com/tools/app:1 /app /app\nCMD ["/app"]\n'), undefined);
  });
});
