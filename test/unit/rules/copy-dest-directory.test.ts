import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/copy-dest-directory';
import { applyFix, checkRule, dedent } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('copy-dest-directory', () => {
  it('flags several sources copied to a destination without a trailing slash', () => check(`
    FROM node:22-slim
    WORKDIR /app
    COPY package.json package-lock.json ./app
                                        ~~~~~ copy-dest-directory
    ADD --chown=node:node a.txt b.txt /srv
                                      ~~~~ copy-dest-directory
    COPY ["a.txt", "b.txt", "/data"]
                            ~~~~~~~ copy-dest-directory
  `));

  it('accepts one source, trailing slashes, flags and variables', () => check(`
    FROM node:22-slim
    WORKDIR /app
    COPY package.json ./app
    COPY Cargo.toml Cargo.lock .
    COPY a b ..
    COPY --chown=node:node --chmod=644 a.txt b.txt /srv/
    COPY ["a.txt", "b.txt", "/data/"]
    COPY --from=build /out/a /out/b \${DEST}
    COPY <<EOF /etc/app.conf
    key=value
    EOF
  `));

  it('fixes by adding the slash, inside quotes too', () => {
    const text = dedent(`
      FROM alpine:3.20
      COPY a b /srv
      COPY ["a", "b", "/data"]
    `);
    let fixed = applyFix(rule, 'dockerfile', text)!;
    assert.equal(fixed.safe, true);
    assert.match(fixed.text, /COPY a b \/srv\/\n/);
    fixed = applyFix(rule, 'dockerfile', fixed.text)!;
    assert.match(fixed.text, /COPY \["a", "b", "\/data\/"\]/);
  });
});
