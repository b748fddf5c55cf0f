import { describe, it } from 'node:test';
import rule from '../../../server/src/rules/dockerfile/heredoc-terminated';
import { checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('heredoc-terminated', () => {
  it('flags a heredoc whose delimiter never comes', () => check(`
    FROM alpine:3.20
    RUN <<EOF
        ~~~~~ heredoc-terminated
    apk add curl
    CMD ["sh"]
  `));

  it('flags COPY heredocs and the second of two', () => check(`
    FROM alpine:3.20
    COPY <<A <<B /dest/
             ~~~ heredoc-terminated
    first
    A
    second
  `));

  it('accepts terminated heredocs: quoted, chomped, several, in ONBUILD', () => check(`
    FROM alpine:3.20
    RUN <<EOF
    echo hi
    EOF
    RUN <<"END" bash
    echo $HOME
    END
    RUN <<-EOT
    \techo tabbed
    \tEOT
    COPY <<one <<two /dest/
    1
    one
    2
    two
    RUN cat <<EOF > /etc/x && echo done
    x
    EOF
    ONBUILD RUN <<EOF
    echo child
    EOF
  `));

  it('does not take quoted << or here-strings or exec forms for heredocs', () => check(`
    FROM alpine:3.20
    RUN echo "a <<b" && cat <<<"word"
    RUN ["sh", "-c", "cat <<EOF"]
    CMD cat <<EOF
  `));
});
