import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { filterDockerfileDiagnostics, peerNames, peerSources, samePlace } from '../../../server/src/features/coexistence/dockerfile';
import { ruleById } from '../../../server/src/rules';

const range = (line: number, start = 0, end = 1000, endLine = line) => ({ start: { line, character: start }, end: { line: endLine, character: end } });
const ours = (code: string, line: number, start = 0, end = 5): Diagnostic => ({ range: range(line, start, end), message: code, source: 'shipshape', code });

describe('Dockerfile coexistence: what a peer\'s diagnostic stands for', () => {
  it('reads each peer\'s code format', () => {
    // Docker DX: the BuildKit check name; a build error has no code and is read from its message.
    assert.deepEqual(peerNames({ source: 'docker-language-server', code: 'JSONArgsRecommended', message: '', range: range(0) }), ['jsonargsrecommended']);
    assert.deepEqual(peerNames({ source: 'docker-language-server', message: 'dockerfile parse error on line 4: unknown instruction: FORM (did you mean FROM?)', range: range(3) }), ['instruction-known']);
    // Container Tools: dockerfile-utils' numeric ValidationCode, with BuildKit's name for the same problem.
    assert.deepEqual(peerNames({ source: 'dockerfile-utils', code: 45, message: '', range: range(1) }), ['deprecated_maintainer', 'maintainerdeprecated', 'dockerfile-utils:45']);
    assert.deepEqual(peerNames({ source: 'dockerfile-utils', code: 38, message: '', range: range(1) }), ['unknown_instruction', 'dockerfile-utils:38']);
    assert.deepEqual(peerNames({ source: 'dockerfile-utils', code: 999, message: '', range: range(1) }), ['dockerfile-utils:999']);
    // tally: namespace/id.
    assert.deepEqual(peerNames({ source: 'tally', code: 'buildkit/StageNameCasing', message: '', range: range(0) }), ['stagenamecasing']);
    assert.deepEqual(peerNames({ source: 'tally', code: 'hadolint/DL3008', message: '', range: range(0) }), ['dl3008']);
    // Anyone else: nothing.
    assert.deepEqual(peerNames({ source: 'cSpell', code: 'JSONArgsRecommended', message: '', range: range(0) }), []);
  });

  it('counts only the sources of active peers, and none when off', () => {
    assert.deepEqual([...peerSources(['docker.docker', 'wharflab.tally', 'vscodevim.vim'], 'auto')].sort(), ['docker-language-server', 'tally']);
    assert.deepEqual([...peerSources(['MS-AzureTools.vscode-containers'], undefined)], ['dockerfile-utils']);
    assert.deepEqual([...peerSources(['docker.docker'], 'off')], []);
  });

  it('the same place: a shared line, or a file-level mark', () => {
    assert.ok(samePlace(range(2, 8, 11), range(2, 0, 1000)));
    assert.ok(samePlace(range(2, 0, 4, 4), range(3, 0, 1000)), 'a multi-line instruction');
    assert.ok(!samePlace(range(2, 8, 11), range(3, 0, 1000)));
    assert.ok(samePlace(range(7, 0, 4), range(0, 0, 0)), 'tally\'s file-level rules sit at 0:0-0:0');
  });

  it('hides exactly the findings a peer shows, matched through the rules\' aliases', () => {
    const shipshape = [ours('no-maintainer', 1), ours('workdir-absolute', 2, 8, 11), ours('exec-form-cmd', 5), ours('image-tag-pinned', 0)];
    const dx = [
      { source: 'docker-language-server', code: 'MaintainerDeprecated', message: '', range: range(1) },
      { source: 'docker-language-server', code: 'JSONArgsRecommended', message: '', range: range(6) }, // another line
    ];
    const kept = filterDockerfileDiagnostics(shipshape, dx, peerSources(['docker.docker'], 'auto'), (id) => ruleById.get(id));
    assert.deepEqual(kept.map((d) => d.code), ['workdir-absolute', 'exec-form-cmd', 'image-tag-pinned']);
    // The syntax rules, aliased as `dockerfile-utils:<code>`, step back for rcjsuen's validator and BuildKit's parse errors.
    const typo = [ours('instruction-known', 3), ours('flag-known', 4)];
    const validator = [
      { source: 'dockerfile-utils', code: 38, message: 'Unknown instruction: FORM', range: range(3) },
      { source: 'dockerfile-utils', code: 42, message: 'Unknown flag: intervl', range: range(4) },
    ];
    assert.deepEqual(filterDockerfileDiagnostics(typo, validator, peerSources(['ms-azuretools.vscode-containers'], 'auto'), (id) => ruleById.get(id)), []);
    const buildkit = [{ source: 'docker-language-server', message: 'dockerfile parse error on line 4: unknown instruction: FORM', range: range(3) }];
    assert.deepEqual(filterDockerfileDiagnostics(typo, buildkit, peerSources(['docker.docker'], 'auto'), (id) => ruleById.get(id)).map((d) => d.code), ['flag-known']);
    // The same diagnostics under a source no active peer publishes: nothing hidden.
    assert.equal(filterDockerfileDiagnostics(shipshape, dx, peerSources(['ms-azuretools.vscode-containers'], 'auto'), (id) => ruleById.get(id)).length, 4);
  });
});
