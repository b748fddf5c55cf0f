import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/static-binary-for-scratch';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('static-binary-for-scratch', () => {
  it('flags a cgo build on the Debian golang image copied into scratch', () => check(`
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN go build -o /out/server ./cmd/server
        ~~~~~~~~ static-binary-for-scratch
    FROM scratch
    COPY --from=build /out/server /server
    ENTRYPOINT ["/server"]
  `));

  it('flags distroless static too, and relative outputs resolved against WORKDIR', () => check(`
    FROM golang:1.22-bookworm AS build
    WORKDIR /src
    RUN --mount=type=cache,target=/go/pkg/mod GOOS=linux go build -ldflags="-s -w" -o bin/app .
                                                         ~~~~~~~~ static-binary-for-scratch
    FROM gcr.io/distroless/static-debian12:nonroot
    COPY --from=build /src/bin/app /app
    ENTRYPOINT ["/app"]
  `));

  it('follows the copied stage back to the stage it is built FROM', () => check(`
    FROM golang:1.22 AS build
    WORKDIR /src
    RUN go build -o bin/server .
        ~~~~~~~~ static-binary-for-scratch
    FROM build AS tested
    RUN go test ./...
    FROM scratch
    COPY --from=tested /src/bin /bin
  `));

  it('flags an Alpine build that installs a C compiler (the binary then needs musl)', () => check(`
    FROM golang:1.22-alpine AS build
    RUN apk add --no-cache build-base
    RUN go build -o /app .
        ~~~~~~~~ static-binary-for-scratch
    FROM scratch
    COPY --from=0 /app /app
    CMD ["/app"]
  `));

  it('flags an Alpine build with Go older than 1.20, where cgo stays on', () => check(`
    FROM golang:1.19-alpine AS build
    RUN go build -o /app .
        ~~~~~~~~ static-binary-for-scratch
    FROM scratch
    COPY --from=build /app /app
  `));

  it('accepts CGO_ENABLED=0 as an assignment, an export, an ENV or an ARG', () => check(`
    FROM golang:1.22 AS a
    RUN CGO_ENABLED=0 go build -o /a .
    FROM golang:1.22 AS b
    RUN export CGO_ENABLED=0 && go build -o /b .
    FROM golang:1.22 AS base
    ENV CGO_ENABLED 0
    FROM base AS c
    RUN go build -o /c .
    FROM golang:1.22 AS d
    ARG CGO_ENABLED=0
    RUN go build -o /d .
    FROM scratch
    COPY --from=a /a /a
    COPY --from=b /b /b
    COPY --from=c /c /c
    COPY --from=d /d /d
  `));

  it('accepts static linking, the netgo tag, and cgo left to a build argument', () => check(`
    FROM golang:1.22 AS build
    RUN go build -ldflags '-extldflags "-static"' -o /a .
    RUN go build -tags netgo,osusergo -o /b .
    ARG CGO_ENABLED
    RUN go build -o /c .
    FROM scratch
    COPY --from=build /a /b /c /
  `));

  it('accepts golang Alpine images from Go 1.20 on, which have no C compiler', () => check(`
    FROM golang:1.22-alpine AS build
    RUN go build -o /app .
    FROM scratch
    COPY --from=build /app /app
  `));

  it('accepts final images with a C library, binaries that are not copied, and copied libraries', () => check(`
    FROM golang:1.22 AS build
    RUN go build -o /app . && go build -o /tool ./cmd/tool
    FROM gcr.io/distroless/base-debian12 AS base
    COPY --from=build /app /app
    FROM scratch AS libs
    COPY --from=build /tool /tool
    COPY --from=build /lib/x86_64-linux-gnu /lib/x86_64-linux-gnu
    FROM golang:1.22 AS vet
    RUN go build ./...
    FROM scratch
    COPY --from=build /etc/ssl/certs /etc/ssl/certs
    COPY --from=vet /go/bin /bin
  `));

  it('names the images in the message', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN go build -o /x .\nFROM scratch\nCOPY --from=b /x /x\n');
    assert.match(finding.message, /the default in `golang:1\.22`.*copies into `scratch`/);
  });

  it('fix: prefixes the go command with CGO_ENABLED=0 (unsafe: cgo code stops building)', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN GOOS=linux go build -o /x .\nFROM scratch\nCOPY --from=b /x /x\n');
    assert.deepEqual(fixed, { text: 'FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 GOOS=linux go build -o /x .\nFROM scratch\nCOPY --from=b /x /x\n', title: 'Build with CGO_ENABLED=0', safe: false });
  });

  it('offers no fix when cgo is asked for explicitly or the RUN is in exec form', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN CGO_ENABLED=1 go build -o /x .\nFROM scratch\nCOPY --from=b /x /x\n'), undefined);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM golang:1.22 AS b\nRUN ["go", "build", "-o", "/x", "."]\nFROM scratch\nCOPY --from=b /x /x\n'), undefined);
  });
});
