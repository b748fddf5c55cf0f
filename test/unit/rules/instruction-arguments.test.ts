import { describe, it } from 'node:test';
import rule from '../../../server/src/rules/dockerfile/instruction-arguments';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('instruction-arguments', () => {
  it('flags COPY and ADD without a destination', () => check(`
    FROM alpine:3.20
    COPY
    ~~~~ instruction-arguments
    COPY onlyone
         ~~~~~~~ instruction-arguments
    ADD --chown=a:b onlyone
                    ~~~~~~~ instruction-arguments
    COPY ["a"]
         ~~~~~ instruction-arguments
    COPY a <<EOF
           ~~~~~ instruction-arguments
    x
    EOF
  `));

  it('accepts COPY with a heredoc source, several sources, JSON form', () => check(`
    FROM alpine:3.20
    COPY <<EOF /etc/app.conf
    key=value
    EOF
    COPY a b c /dest/
    COPY ["a b", "/dest/"]
    COPY --from=build \\
         /out /app
  `));

  it('flags FROM without an image, AS without a name, and bad stage names', () => check(`
    FROM
    ~~~~ instruction-arguments
    FROM alpine:3.20 AS
                     ~~ instruction-arguments
    FROM alpine:3.20 AS 1st
                        ~~~ instruction-arguments
    FROM alpine:3.20 build
                     ~~~~~ instruction-arguments
    FROM alpine:3.20 AS Build-1.x_y
  `));

  it('flags instructions that need an argument', () => check(`
    FROM alpine:3.20
    EXPOSE
    ~~~~~~ instruction-arguments
    WORKDIR
    ~~~~~~~ instruction-arguments
    USER
    ~~~~ instruction-arguments
    VOLUME
    ~~~~~~ instruction-arguments
    ONBUILD
    ~~~~~~~ instruction-arguments
    STOPSIGNAL
    ~~~~~~~~~~ instruction-arguments
  `));

  it('does not invent errors BuildKit accepts (empty RUN, CMD, ENTRYPOINT)', () => check(`
    FROM alpine:3.20
    RUN
    CMD
    ENTRYPOINT
  `));

  it('flags malformed ENV, LABEL and ARG', () => check(`
    FROM alpine:3.20
    ENV
    ~~~ instruction-arguments
    ENV PATH
        ~~~~ instruction-arguments
    ENV A=1 B
            ~ instruction-arguments
    LABEL =x
          ~~ instruction-arguments
    ARG
    ~~~ instruction-arguments
    ARG =1
        ~~ instruction-arguments
  `));

  it('accepts ENV and LABEL forms BuildKit reads, with comments inside continuations', () => check(`
    FROM alpine:3.20
    ENV A=1 B="two words" C='x y'
    ENV LEGACY value with spaces
    LABEL org.opencontainers.image.title="My app"
    ENV \\
        # a comment line inside the instruction
        APP_UID=1654 \\
        # another
        PORT=8080
    ARG A B=2
  `));

  it('flags HEALTHCHECK without CMD or NONE, CMD without command, NONE with arguments', () => check(`
    FROM alpine:3.20
    HEALTHCHECK
    ~~~~~~~~~~~ instruction-arguments
    HEALTHCHECK CMD
                ~~~ instruction-arguments
    HEALTHCHECK --interval=5s CONNECT localhost
                              ~~~~~~~ instruction-arguments
    HEALTHCHECK NONE now
                     ~~~ instruction-arguments
    HEALTHCHECK CMD []
                ~~~ instruction-arguments
    HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
  `));

  it('flags SHELL that is not JSON', () => check(`
    FROM alpine:3.20
    SHELL /bin/bash -c
          ~~~~~~~~~~~~ instruction-arguments
    SHELL []
    ~~~~~ instruction-arguments
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
  `));

  it('leaves a JSON-looking list that is not JSON to exec-form-valid', () => check(`
    FROM alpine:3.20
    COPY ['a', 'b']
    SHELL ['/bin/bash', '-c']
  `));
});
