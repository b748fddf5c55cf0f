import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { config, file, service } from '../../helpers/check';

/** The rules that report on a trigger, by line (zero-based), sorted. */
function reported(text: string): string[] {
  return service.lint(file(text, 'dockerfile'), config({ all: true })).filter((f) => f.range.start.line > 0).map((f) => `${f.range.start.line}:${f.rule}`).sort();
}

describe('ONBUILD RUN triggers', () => {
  it('are RUN instructions of their stage, ranged in the ONBUILD line, outside the instruction lists', () => {
    const model = parseDockerfile(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, 'FROM debian:12\nONBUILD RUN apt-get update\nONBUILD COPY . /app\nRUN true\n'));
    assert.deepEqual(model.triggers.map((t) => [t.keyword, t.stage, t.args, t.range.start]), [['RUN', 0, 'apt-get update', { line: 1, character: 8 }]]);
    assert.deepEqual(model.instructions.map((i) => i.keyword), ['FROM', 'ONBUILD', 'ONBUILD', 'RUN']);
  });

  it('are judged by the rules about a command, as hadolint does (its onbuild tests)', () => {
    assert.deepEqual(reported([
      'FROM debian:12',
      'ONBUILD RUN sudo apt-get update',
      'ONBUILD RUN apt-get install -y --no-install-recommends python',
      'ONBUILD RUN cd /usr/src/app && make',
      'ONBUILD RUN ln -sfv /bin/bash /bin/sh',
      'ONBUILD RUN apt upgrade -y',
      'ONBUILD RUN pip install flask==3.0',
      'USER 1000',
      'CMD ["app"]',
    ].join('\n')), [
      '1:no-sudo', '1:package-cache-cleaned',
      '2:package-versions-pinned',
      '3:workdir-not-cd',
      '4:shell-instruction',
      '5:apt-get-not-apt', '5:no-system-upgrade',
      '6:package-cache-cleaned',
    ]);
  });

  it('run with the SHELL the stage ends with: shell rules leave them alone under PowerShell', () => {
    const text = (shell: string) => `FROM debian:12\nONBUILD RUN sudo make install\n${shell}USER 1000\nCMD ["app"]\n`;
    assert.deepEqual(reported(text('')), ['1:no-sudo']);
    assert.deepEqual(reported(text('SHELL ["pwsh", "-Command"]\n')), []);
  });

  it('offer no fix: the edit would have to go inside the ONBUILD line', () => {
    const source = file('FROM debian:12\nONBUILD RUN apt-get install python\nUSER 1000\nCMD ["app"]\n', 'dockerfile');
    const findings = service.lint(source, config({ all: true })).filter((f) => f.range.start.line === 1);
    assert.ok(findings.length >= 2);
    for (const f of findings) assert.equal(service.fixFor(source, f), undefined, f.rule);
  });
});
