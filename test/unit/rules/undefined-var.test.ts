import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import rule from '../../../server/src/rules/dockerfile/undefined-var';
import { closestName, variableReferences } from '../../../server/src/dockerfile/references';
import { editDistance } from '../../../server/src/text/distance';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('undefined-var', () => {
  it('flags a near-miss of a defined variable, whatever the base image', () => check(`
    FROM alpine:3.20
    ENV APP_HOME=/opt/app
    WORKDIR $APP_HOEM
            ~~~~~~~~~ undefined-var
    ENV PATH=$PAHT:/opt/app/bin
             ~~~~~ undefined-var
  `));

  it('flags a platform ARG the stage never declares', () => check(`
    FROM alpine:3.20
    COPY bin/app-\${TARGETARCH} /usr/local/bin/app
                 ~~~~~~~~~~~~~ undefined-var
  `));

  it('accepts a platform ARG once the stage or a stage it is built FROM declares it', () => check(`
    FROM alpine:3.20 AS base
    ARG TARGETARCH
    COPY bin/app-\${TARGETARCH} /usr/local/bin/app
    FROM base
    RUN --mount=type=cache,id=cache-$TARGETARCH,target=/root/.cache true
  `));

  it('does not guess about names an unknown base image may define', () => check(`
    ARG NODE_VERSION=20
    FROM node:\${NODE_VERSION}
    LABEL node.version=$NODE_VERSION
    WORKDIR $HOME/app
  `));

  it('flags everything undefined when the base is scratch, naming a global ARG not re-declared', () => {
    check(`
      ARG VERSION=1.0
      FROM scratch
      LABEL version=$VERSION
                    ~~~~~~~~ undefined-var
      COPY app /app-$SUFFIX
                    ~~~~~~~ undefined-var
    `);
    const [first] = findingsOf(rule, 'dockerfile', 'ARG VERSION=1.0\nFROM scratch\nLABEL version=$VERSION\n');
    assert.match(first.message, /not re-declared in this stage with `ARG VERSION`/);
  });

  it('flags a name used before the ARG that declares it in the same stage, whatever the base image', () => {
    check(`
      ARG foo=global
      FROM alpine:3.20
      COPY $foo .
           ~~~~ undefined-var
      ARG foo=bar
      WORKDIR /app/\${foo}
      FROM alpine:3.20
      COPY $foo .
    `);
    const [first] = findingsOf(rule, 'dockerfile', 'FROM alpine:3.20\nCOPY $foo .\nARG foo=bar\n');
    assert.match(first.message, /declared with `ARG foo` only later in this stage \(line 3\).*move `ARG foo` above this line\.$/);
  });

  it('follows stages built FROM scratch, and what they declare', () => check(`
    FROM scratch AS base
    ENV APP=/app
    FROM base
    COPY run.sh $APP/run.sh
    USER $UID
         ~~~~ undefined-var
  `));

  it('checks ARG defaults before the first FROM', () => check(`
    ARG REGISTRY=docker.io
    ARG IMAGE=\${REGISTRY}/library/alpine:\${TAG}
                                         ~~~~~~ undefined-var
    ARG PLATFORM_DIR=out/$TARGETOS
    FROM \${IMAGE}
  `));

  it('leaves RUN, CMD and other shell-expanded text to the shell', () => check(`
    FROM scratch
    RUN echo $UNDEFINED_IN_DOCKERFILE
    CMD echo $ALSO_UNDEFINED
    HEALTHCHECK CMD test -n "$X"
  `));

  it('accepts defaults and alternatives that handle the unset case', () => check(`
    FROM scratch
    COPY app /\${DEST:-app}
    LABEL a=\${A-x} b=\${B:+y}
  `));

  it('ignores single quotes, escapes, heredoc bodies and names set by the same ENV', () => check(`
    FROM scratch
    LABEL note='$NOT_EXPANDED' other=\\$ALSO_NOT
    COPY <<EOF /etc/app.conf
    value=$INSIDE_HEREDOC
    EOF
    ENV A=1 B=$A
  `));

  it('accepts PATH and the proxy ARGs, and does not expand COPY --from', () => check(`
    FROM scratch
    ENV PATH=/app:$PATH NO=$no_proxy
    COPY --from=$BUILDER /a /a
  `));

  it('treats names case-insensitively on Windows', () => check(`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    ENV APPDIR=C:/app
    WORKDIR $appdir
  `));

  it('finds references the way Docker does', () => {
    const text = 'A=$B "${C:-x}" \'$D\' \\$E $1 ${F}\n';
    const doc = TextDocument.create('file:///x', 'dockerfile', 0, text);
    const refs = variableReferences(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: text.length - 1 } }, '\\');
    assert.deepEqual(refs.map((r) => [r.name, r.modifier, doc.getText(r.range)]), [['B', null, '$B'], ['C', ':-x', '${C:-x}'], ['F', null, '${F}']]);
  });

  it('suggests only close, long-enough names', () => {
    assert.equal(editDistance('PAHT', 'PATH'), 1);
    assert.equal(closestName('PAHT', ['PATH', 'HOME']), 'PATH');
    assert.equal(closestName('path', ['PATH']), 'PATH');
    assert.equal(closestName('GID', ['UID']), null);
    assert.equal(closestName('NODE_ENV', ['NODE_VERSION']), null);
    assert.equal(closestName('APP_HOEM', ['APP_HOME']), 'APP_HOME');
  });

  it('fix: replaces the name with the suggestion, as a quick fix only', () => {
    const fixed = applyFix(rule, 'dockerfile', 'FROM alpine:3.20\nENV APP_HOME=/opt/app\nWORKDIR ${APP_HOEM}/data\n');
    assert.deepEqual(fixed, { text: 'FROM alpine:3.20\nENV APP_HOME=/opt/app\nWORKDIR ${APP_HOME}/data\n', title: 'Change `$APP_HOEM` to `$APP_HOME`', safe: false });
    assert.equal(findingsOf(rule, 'dockerfile', fixed!.text).length, 0);
  });

  it('offers no fix without a suggestion', () => {
    assert.equal(applyFix(rule, 'dockerfile', 'FROM scratch\nUSER $UID\n'), undefined);
  });
});
