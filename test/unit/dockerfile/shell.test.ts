import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { shellOf, hasOption, optionValue, positionals, stageCommands } from '../../../server/src/dockerfile/shell';
import { dedent } from '../../helpers/check';
import { loadCorpus } from '../../helpers/corpus';

const model = (text: string) => parseDockerfile(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, dedent(text)));
const commandsOf = (text: string, index = 1) => {
  const m = model(text);
  return shellOf(m, m.instructions[index]);
};
const slice = (text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
  const doc = TextDocument.create('x', 'x', 0, dedent(text));
  return doc.getText(range);
};

describe('RUN shell parsing', () => {
  it('splits && ; || chains into commands with exact ranges across continuations', () => {
    const text = `
      FROM debian:12
      RUN apt-get update \\
       && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl=7.88.1-10 \\
       ; rm -rf /var/lib/apt/lists/* || true
    `;
    const script = commandsOf(text);
    assert.deepEqual(script.commands.map((c) => c.program), ['apt-get', 'apt-get', 'rm', 'true']);
    const install = script.commands[1];
    assert.deepEqual(install.assignments.map((a) => [a.name, a.value]), [['DEBIAN_FRONTEND', 'noninteractive']]);
    assert.ok(hasOption(install, '-y'));
    assert.deepEqual(positionals(install).map((w) => w.value), ['install', 'curl=7.88.1-10']);
    assert.equal(slice(text, install.args[3].range), 'curl=7.88.1-10');
    assert.equal(install.range.start.line, 2);
  });

  it('marks the commands that run only on a condition', () => {
    const script = commandsOf(`
      FROM debian:12
      RUN set -eux && apt-get update; \
          [ -f /etc/alpine-release ] && apk add curl || apt-get install -y curl; \
          if command -v dnf; then dnf install -y curl; else yum install -y curl; fi; \
          case "$ARCH" in amd64) dpkg --add-architecture i386 ;; esac; \
          install() { apk add "$1"; }; \
          command -v useradd && useradd app; cd /tmp && make; \
          sh -c 'false || adduser -D app'
    `);
    const conditional = script.commands.filter((c) => c.conditional).map((c) => c.program);
    assert.deepEqual(conditional, ['apk', 'apt-get', 'command', 'dnf', 'yum', 'dpkg', 'apk', 'useradd', 'adduser']);
    assert.deepEqual(script.commands.filter((c) => !c.conditional).map((c) => c.program), ['set', 'apt-get', 'command', 'cd', 'make', 'sh', 'false']);
  });

  it('removes quotes, keeps expansions dynamic', () => {
    const script = commandsOf(`
      FROM alpine:3.20
      RUN pip install "flask==3.0" 'gunicorn==22.0' "$EXTRA" --index-url=https://x/simple
    `);
    const [pip] = script.commands;
    assert.deepEqual(pip.args.map((a) => a.value), ['install', 'flask==3.0', 'gunicorn==22.0', null, '--index-url=https://x/simple']);
    assert.equal(optionValue(pip, '--index-url'), 'https://x/simple');
  });

  it('finds pipelines, subshells, command substitutions and sh -c scripts', () => {
    const script = commandsOf(`
      FROM alpine:3.20
      RUN curl -fsSL https://example.com/install.sh | sh && (cd /tmp && make) && echo $(uname -m) && sh -c 'apk add --no-cache git'
    `);
    assert.deepEqual(script.commands.map((c) => c.program), ['curl', 'sh', 'cd', 'make', 'echo', 'uname', 'sh', 'apk']);
    assert.equal(script.pipelines.length, 1);
    assert.deepEqual(script.pipelines[0].map((c) => c.program), ['curl', 'sh']);
    const apk = script.commands[7];
    assert.ok(apk.nested);
    assert.equal(slice(`
      FROM alpine:3.20
      RUN curl -fsSL https://example.com/install.sh | sh && (cd /tmp && make) && echo $(uname -m) && sh -c 'apk add --no-cache git'
    `, apk.range), 'apk add --no-cache git');
  });

  it('keeps a pipeline of three or more commands together before `&&` (tree-sitter-bash reads `a | b | c && d` as `a | (b | c && d)`)', () => {
    // As in the official node images: `find … | awk … | sort -u | xargs … && apt-get purge …`.
    const text = `
      FROM debian:12
      RUN find /usr/local -type f -executable -exec ldd '{}' ';' \\
          | awk '/=>/ { print $(NF-1) }' \\
          | sort -u \\
          | xargs -r apt-mark manual \\
        && apt-get purge -y --auto-remove \\
        && node --version
    `;
    const script = commandsOf(text);
    assert.deepEqual(script.pipelines.map((p) => p.map((c) => c.program)), [['find', 'awk', 'sort', 'xargs']]);
    assert.deepEqual(script.commands.map((c) => c.program), ['find', 'awk', 'sort', 'xargs', 'apt-get', 'node']);
    const [find] = script.pipelines[0];
    assert.equal(find.pipeline, script.pipelines[0]);
    assert.equal(slice(text, find.range), "find /usr/local -type f -executable -exec ldd '{}' ';'");
    // Nested the same way, and with `||`: every pipeline keeps all its members, in document order.
    const nested = commandsOf(`
      FROM debian:12
      RUN a | b | c && d | e | f || g && h
    `);
    assert.deepEqual(nested.pipelines.map((p) => p.map((c) => c.program)), [['a', 'b', 'c'], ['d', 'e', 'f']]);
    assert.deepEqual(nested.commands.map((c) => c.program), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('reads export assignments, su -c scripts, and `# comment` inline comments', () => {
    const text = `
      FROM debian:12
      RUN export GOOS=linux GOARCH=amd64 && go build ./... \
       && su -c "npm install --omit=dev" node \
       && apt-get update \`# refresh the lists\` && apt-get install -y curl
    `;
    const script = commandsOf(text);
    assert.deepEqual(script.commands.map((c) => c.program), ['export', 'go', 'su', 'npm', 'apt-get', 'apt-get']);
    assert.deepEqual(script.commands[0].assignments.map((a) => [a.name, a.value]), [['GOOS', 'linux'], ['GOARCH', 'amd64']]);
    const npm = script.commands[3];
    assert.ok(npm.nested);
    assert.equal(slice(text, npm.range), 'npm install --omit=dev');
    assert.deepEqual(positionals(script.commands[5]).map((w) => w.value), ['install', 'curl']);
  });

  it('parses a heredoc script and exec form', () => {
    const heredoc = commandsOf(`
      FROM alpine:3.20
      RUN <<EOF
      set -e
      apk add curl
      EOF
    `);
    assert.deepEqual(heredoc.commands.map((c) => c.program), ['set', 'apk']);
    assert.equal(heredoc.commands[1].range.start.line, 3);
    const exec = commandsOf(`
      FROM alpine:3.20
      RUN ["/bin/sh", "-c", "apk add curl"]
    `);
    assert.deepEqual(exec.commands.map((c) => c.program), ['sh', 'apk']);
  });

  it('skips flags, comment lines inside continuations, and a python heredoc body', () => {
    const script = commandsOf(`
      FROM python:3.12
      RUN --mount=type=cache,target=/root/.cache/pip \\
      # a comment Docker drops
          pip install -r requirements.txt
    `);
    assert.deepEqual(script.commands.map((c) => c.program), ['pip']);
    const py = commandsOf(`
      FROM python:3.12
      RUN python3 <<EOF
      import os
      EOF
    `);
    assert.deepEqual(py.commands.map((c) => c.program), ['python3']);
  });

  it('reads HEALTHCHECK CMD and shell-form CMD', () => {
    const m = model(`
      FROM nginx:1.27
      HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
      CMD nginx -g 'daemon off;'
    `);
    assert.deepEqual(shellOf(m, m.instructions[1]).commands.map((c) => c.program), ['curl', 'exit']);
    assert.deepEqual(shellOf(m, m.instructions[2]).commands[0].args.map((a) => a.value), ['-g', 'daemon off;']);
    assert.equal(stageCommands(m, 0).length, 0);
  });

  it('escape=` files', () => {
    const script = commandsOf(`
      # escape=\`
      FROM mcr.microsoft.com/windows/servercore:ltsc2022
      RUN powershell -Command \`
          Invoke-WebRequest https://example.com
    `, 1);
    assert.deepEqual(script.commands.map((c) => c.program), ['powershell']);
    assert.equal(script.commands[0].args.length, 3);
  });

  it('parses every RUN of the corpus without throwing', { skip: loadCorpus() === null }, () => {
    let runs = 0;
    for (const file of loadCorpus()!.filter((f) => f.kind === 'dockerfile')) {
      const m = parseDockerfile(TextDocument.create('file:///x', 'dockerfile', 0, file.text));
      for (const instruction of m.instructions.filter((i) => i.keyword === 'RUN')) {
        shellOf(m, instruction);
        runs++;
      }
    }
    assert.ok(runs > 500);
  });
});
