import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { confinedFiles, diskFiles } from '../../server/src/files';
import { repoRoot } from '../helpers/check';

/** The lint configuration is the guard: prove it fires on each banned capability. */
describe('no ambient authority', () => {
  const banned: [string, string][] = [
    ['child_process', "import { spawn } from 'node:child_process';\nspawn('ls');\n"],
    ['child_process (bare)', "import * as cp from 'child_process';\ncp.execSync('ls');\n"],
    ['http', "import * as http from 'node:http';\nhttp.get('x');\n"],
    ['https', "import { request } from 'https';\nrequest('x');\n"],
    ['net', "import { connect } from 'node:net';\nconnect(80);\n"],
    ['eval', "export const x = eval('1 + 1');\n"],
    ['new Function', "export const f = new Function('return 1');\n"],
  ];
  const eslint = new ESLint({ cwd: repoRoot });
  for (const dir of ['server/src', 'server/src/lsp', 'client/src']) {
    for (const [name, code] of banned) {
      it(`ESLint rejects ${name} in ${dir}/`, async () => {
        const [result] = await eslint.lintText(code, { filePath: join(repoRoot, dir, 'banned-example.ts') });
        const messages = result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
        assert.ok(messages.some((m) => /ambient authority|eval|Function/i.test(m)), `no ban reported for ${name}: ${JSON.stringify(result.messages)}`);
      });
    }
  }

  it('file access outside the roots reads as missing, including through ../ and symbolic links', () => {
    const base = mkdtempSync(join(tmpdir(), 'shipshape-roots-'));
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(base, 'secret.env'), 'TOKEN=1\n');
    writeFileSync(join(workspace, 'compose.yaml'), 'services: {}\n');
    const files = confinedFiles(diskFiles, () => [workspace]);
    assert.equal(files.read(join(workspace, 'compose.yaml')), 'services: {}\n');
    assert.equal(files.read(join(workspace, '..', 'secret.env')), null);
    assert.equal(files.exists(join(base, 'secret.env')), false);
    symlinkSync(join(base, 'secret.env'), join(workspace, 'link.env'));
    assert.equal(files.read(join(workspace, 'link.env')), null);
    // A workspace-folder name that is a prefix of another folder's name is not that folder.
    assert.equal(files.read(join(base, 'workspace2', 'x')), null);
  });
});
