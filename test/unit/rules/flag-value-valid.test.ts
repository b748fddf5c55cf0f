import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/flag-value-valid';
import { applyFix, checkRule } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('flag-value-valid', () => {
  it('flags HEALTHCHECK durations and retries BuildKit rejects', () => check(`
    FROM alpine:3.20
    HEALTHCHECK --interval=30 --timeout=5sec --start-period=100us --retries=three CMD true
                           ~~ flag-value-valid
                                        ~~~~ flag-value-valid
                                                            ~~~~~ flag-value-valid
                                                                            ~~~~~ flag-value-valid
    HEALTHCHECK --retries=-1 CMD true
                          ~~ flag-value-valid
    HEALTHCHECK --interval=1m30s --timeout=0 --start-period=1ms --start-interval=500ms --retries=0 CMD true
  `));

  it('flags a flag without its value, and a boolean that is not one', () => check(`
    FROM alpine:3.20
    COPY --chown a /b/
         ~~~~~~~ flag-value-valid
    COPY --link=yes a /b/
                ~~~ flag-value-valid
    COPY --link --link=false --link=TRUE a /b/
  `));

  it('checks --chmod: octal or symbolic', () => check(`
    FROM alpine:3.20
    COPY --chmod=999 a /b/
                 ~~~ flag-value-valid
    COPY --chmod=rwx a /b/
                 ~~~ flag-value-valid
    COPY --chmod=755 a /b/
    COPY --chmod=0644 a /b/
    COPY --chmod=u+x,go=rx a /b/
    COPY --chmod=$MODE a /b/
  `));

  it('checks --network and --security', () => check(`
    FROM alpine:3.20
    RUN --network=hots echo
                  ~~~~ flag-value-valid
    RUN --security=privileged echo
                   ~~~~~~~~~~ flag-value-valid
    RUN --network=none --security=insecure echo
  `));

  it('reads a --mount value in quotes as BuildKit does (quotes removed), and fixes inside them', () => {
    check(`
      FROM alpine:3.22
      RUN --mount="type=cache,target=/q" true
      RUN --mount='type=secret,id=x' true
      RUN --mount="type=cahce,target=/q" true
                        ~~~~~ flag-value-valid
    `);
    const fixed = applyFix(rule, 'dockerfile', "FROM alpine:3.22\nRUN --mount='type=cahce,target=/q' true\n");
    assert.equal(fixed?.text, "FROM alpine:3.22\nRUN --mount='type=cache,target=/q' true\n");
  });

  it('checks --mount options per type', () => check(`
    FROM alpine:3.20
    RUN --mount=type=cahce,target=/x echo
                     ~~~~~ flag-value-valid
    RUN --mount=type=cache,target=/x,sharing=lockd echo
                                             ~~~~~ flag-value-valid
    RUN --mount=type=cache,taget=/x echo
                           ~~~~~ flag-value-valid
    RUN --mount=type=bind,source=a,target=/x,mode=0755 echo
                                             ~~~~~~~~~ flag-value-valid
    RUN --mount=type=secret,id=x,uid=app echo
                                     ~~~ flag-value-valid
    RUN --mount=type=cache,target=/x,required echo
                                     ~~~~~~~~ flag-value-valid
    RUN --mount=type=tmpfs,target=/x,sharing=shared echo
                                     ~~~~~~~~~~~~~~ flag-value-valid
  `));

  it('accepts the mounts the Dockerfile reference documents', () => check(`
    FROM alpine:3.20
    RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1000,gid=1000 echo
    RUN --mount=type=bind,from=build,source=/out,target=/in,rw echo
    RUN --mount=type=secret,id=aws,target=/root/.aws/credentials,required=true echo
    RUN --mount=type=secret,id=token,env=TOKEN echo
    RUN --mount=type=ssh,required echo
    RUN --mount=type=tmpfs,target=/tmp,size=64m echo
    RUN --mount=target=/src,readonly echo
    RUN --mount=type=cache,target=$DIR,sharing=$SHARING echo
  `));

  it('flags a secret mount without id or target', () => check(`
    FROM alpine:3.20
    RUN --mount=type=secret echo
        ~~~~~~~~~~~~~~~~~~~ flag-value-valid
  `));

  it('fix: writes the suggested value', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nRUN --mount=type=cahce,target=/x echo\n'), {
      text: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/x echo\n', title: 'Change to cache', safe: false,
    });
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nHEALTHCHECK --interval=30 CMD true\n'), {
      text: 'FROM alpine:3.20\nHEALTHCHECK --interval=30s CMD true\n', title: 'Change to 30s', safe: false,
    });
  });
});
