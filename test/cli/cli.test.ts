import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers/check';

const cli = join(repoRoot, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DOCKERFILE = 'FROM node:24\nCOPY . .\nCMD node server.js\n';
const COMPOSE = 'services:\n  web:\n    image: acme/web:1\n    depends_on: [db]\n  db:\n    image: postgres:16\n';

describe('shipshape CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-cli-'));
    mkdirSync(join(dir, 'app', 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'app', 'api.Dockerfile'), 'FROM alpine:3.22\nUSER 1000\nENTRYPOINT ["/app"]\n');
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    writeFileSync(join(dir, 'app', 'node_modules', 'pkg', 'Dockerfile'), 'FROM node\n');
    writeFileSync(join(dir, '.git', 'Dockerfile'), 'FROM node\n');
    writeFileSync(join(dir, 'notes.txt'), 'FROM node\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('discovers files recursively, skipping node_modules and .git, and prints exact JSON', () => {
    const { code, stdout } = run(['lint', '--format', 'json', '.'], dir);
    assert.equal(code, 1);
    const results = JSON.parse(stdout) as Record<string, unknown>[];
    assert.deepEqual([...new Set(results.map((r) => r.file))].sort(), ['app/Dockerfile', 'compose.yaml']);
    for (const r of results) assert.deepEqual(Object.keys(r), ['file', 'rule', 'aliases', 'severity', 'message', 'range', 'fixable']);
    const exec = results.find((r) => r.rule === 'exec-form-cmd')!;
    assert.deepEqual(exec.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 18 } });
    assert.deepEqual(exec.aliases, ['JSONArgsRecommended', 'DL3025', 'b86987e1-6397-4619-81d5-8807f2387c79']);
    assert.equal(exec.severity, 'warning');
    assert.equal(exec.fixable, true);
    assert.ok(results.some((r) => r.rule === 'depends-on-healthy' && r.file === 'compose.yaml'));
  });

  it('exits 0 when nothing reaches --fail-level', () => {
    assert.equal(run(['lint', '--fail-level', 'error', 'app/Dockerfile'], dir).code, 0);
    assert.equal(run(['lint', 'app/api.Dockerfile'], dir).code, 0);
  });

  it('prints stylish output with positions and a summary', () => {
    const { stdout } = run(['lint', 'app/Dockerfile'], dir);
    assert.match(stdout, /^app\/Dockerfile\n/);
    assert.match(stdout, /  3:5 +warning +`CMD node server\.js` runs under/);
    assert.match(stdout, /5 problems \(4 warnings, 1 info\); 4 with a fix/);
  });

  it('prints GitHub workflow annotations', () => {
    const { stdout } = run(['lint', '--format', 'github', 'app/Dockerfile'], dir);
    assert.match(stdout, /^::warning file=app\/Dockerfile,line=3,col=5,endLine=3,endColumn=19,title=shipshape exec-form-cmd::`CMD node server\.js`/m);
  });

  it('prints SARIF 2.1.0 with rule metadata and help URIs', () => {
    const { stdout } = run(['lint', '--format', 'sarif', 'app/Dockerfile'], dir);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const { driver } = sarif.runs[0].tool;
    assert.equal(driver.name, 'shipshape');
    const rule = driver.rules.find((r: { id: string }) => r.id === 'exec-form-cmd');
    assert.match(rule.helpUri, /docs\/rules\/exec-form-cmd\.md$/);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'exec-form-cmd');
    assert.equal(driver.rules[result.ruleIndex].id, 'exec-form-cmd');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 19 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'app/Dockerfile');
  });

  it('points SARIF help URIs at the shipped pages, or at --docs-base-url', () => {
    const shipped = JSON.parse(run(['lint', '--format', 'sarif', 'app/Dockerfile'], dir).stdout).runs[0].tool.driver;
    const page = shipped.rules.find((r: { id: string }) => r.id === 'exec-form-cmd').helpUri as string;
    assert.ok(page.startsWith('file:') && existsSync(fileURLToPath(page)), `the shipped page exists: ${page}`);

    const hosted = run(['lint', '--format', 'sarif', '--docs-base-url', 'https://docs.example.com/shipshape/rules', 'app/Dockerfile'], dir);
    const driver = JSON.parse(hosted.stdout).runs[0].tool.driver;
    assert.equal(driver.rules.find((r: { id: string }) => r.id === 'exec-form-cmd').helpUri, 'https://docs.example.com/shipshape/rules/exec-form-cmd.md');
    assert.equal(driver.informationUri, 'https://docs.example.com/shipshape/rules/');
    const templated = run(['lint', '--format=sarif', '--docs-base-url=https://docs.example.com/lint/{rule}.html', 'app/Dockerfile'], dir);
    assert.equal(JSON.parse(templated.stdout).runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'no-root-user').helpUri, 'https://docs.example.com/lint/no-root-user.html');

    const bad = run(['lint', '--docs-base-url', 'docs/rules', 'app/Dockerfile'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--docs-base-url must be an absolute http, https or file URL, not "docs\/rules"/);
  });

  it('puts the page of each rule that reports in the SARIF report, for code scanning to show', () => {
    const { stdout } = run(['lint', '--format', 'sarif', '--docs-base-url', 'https://docs.example.com/shipshape/rules', 'app/Dockerfile'], dir);
    const driver = JSON.parse(stdout).runs[0].tool.driver as { rules: { id: string; help: { text: string; markdown?: string } }[] };
    const help = (id: string) => driver.rules.find((r) => r.id === id)!.help;
    const page = readFileSync(join(repoRoot, 'docs', 'rules', 'no-root-user.md'), 'utf8');
    const markdown = help('no-root-user').markdown ?? '';
    assert.ok(markdown.startsWith('# no-root-user\n'), markdown.slice(0, 80));
    // The whole page, only its links changed.
    assert.equal(markdown.replace(/\]\([^)]*\)/g, ']()'), page.replace(/\]\([^)]*\)/g, ']()'));
    // Links between pages lead where the pages are hosted, not to a file beside the report.
    assert.match(markdown, /\(https:\/\/docs\.example\.com\/shipshape\/final-stage\.md\)/);
    assert.doesNotMatch(markdown, /\]\((?!https?:|#)/, 'no relative link left');
    assert.match(help('exec-form-cmd').markdown ?? '', /^# exec-form-cmd\n/);
    assert.equal(help('depends-on-healthy').markdown, undefined, 'a rule that reported nothing has only its one-line help');
  });

  it('forces the kind of a file whose name does not say it', () => {
    assert.equal(run(['lint', 'notes.txt'], dir).code, 2);
    const { code, stdout } = run(['lint', '--kind', 'dockerfile', '--format', 'json', 'notes.txt'], dir);
    assert.equal(code, 1);
    assert.ok(JSON.parse(stdout).some((r: { rule: string }) => r.rule === 'image-tag-pinned'));
  });

  it('with --kind, a directory yields only that kind, also under names the editor does not know', () => {
    const loose = mkdtempSync(join(tmpdir(), 'shipshape-cli-kind-'));
    try {
      writeFileSync(join(loose, 'acme__api__Dockerfile'), DOCKERFILE);
      writeFileSync(join(loose, 'Dockerfile'), DOCKERFILE);
      writeFileSync(join(loose, 'Dockerfile.md'), '# notes\n');
      writeFileSync(join(loose, 'pwd.yml'), COMPOSE);
      const files = (args: string[]) => [...new Set((JSON.parse(run(['lint', '--format', 'json', ...args, '.'], loose).stdout) as { file: string }[]).map((r) => r.file))].sort();
      assert.deepEqual(files([]), ['Dockerfile']);
      assert.deepEqual(files(['--kind', 'dockerfile']), ['Dockerfile', 'acme__api__Dockerfile']);
      assert.deepEqual(files(['--kind', 'compose']), ['pwd.yml']);
    } finally {
      rmSync(loose, { recursive: true, force: true });
    }
  });

  it('lints the other files when one named file cannot be classified, reports it on stderr, and exits 2 at the end', () => {
    writeFileSync(join(dir, 'Dockerfile-Alpine'), 'FROM alpine:3.22\nUSER 1000\nENTRYPOINT ["/app"]\n');
    writeFileSync(join(dir, 'pwd.yml'), COMPOSE);
    try {
      const { code, stdout, stderr } = run(['lint', '--format', 'json', 'pwd.yml', 'Dockerfile-Alpine', 'notes.txt', 'nope/Dockerfile', 'app/Dockerfile'], dir);
      assert.equal(code, 2);
      const files = new Set((JSON.parse(stdout) as { file: string }[]).map((r) => r.file));
      assert.deepEqual([...files], ['app/Dockerfile'], 'Dockerfile-Alpine is linted (it has no finding) and app/Dockerfile too');
      assert.match(stderr, /cannot tell whether pwd\.yml is a Dockerfile or a Compose file; pass --kind dockerfile\|compose/);
      assert.match(stderr, /cannot tell whether notes\.txt is/);
      assert.match(stderr, /cannot read nope\/Dockerfile: no such file or directory/);
      const clean = run(['lint', 'Dockerfile-Alpine'], dir);
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(run(['fix', '--stdout', 'pwd.yml'], dir).code, 2, 'fix writes nothing when a named file is unknown');
    } finally {
      rmSync(join(dir, 'Dockerfile-Alpine'));
      rmSync(join(dir, 'pwd.yml'));
    }
  });

  it('takes the size limits as options', () => {
    const limited = JSON.parse(run(['lint', '--format', 'json', '--max-lines', '2', 'app/Dockerfile'], dir).stdout) as { rule: string; message: string }[];
    assert.deepEqual(limited.map((r) => r.rule), ['analysis-limit']);
    assert.match(limited[0].message, /more than 2 lines \(setting `shipshape.limits.maxLines`\)/);
    const small = JSON.parse(run(['lint', '--format', 'json', '--max-file-size=10', 'app/Dockerfile'], dir).stdout) as { message: string }[];
    assert.match(small[0].message, /^File too large to analyse/);
    assert.ok(JSON.parse(run(['lint', '--format', 'json', '--max-lines', '4', 'app/Dockerfile'], dir).stdout).every((r: { rule: string }) => r.rule !== 'analysis-limit'));
    const bad = run(['lint', '--max-lines', 'lots', 'app/Dockerfile'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-lines must be a positive whole number, not "lots"/);
  });

  it('exits 2 with a clear message on bad paths and bad usage', () => {
    const missing = run(['lint', 'nope/Dockerfile'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nope\/Dockerfile: no such file or directory/);
    assert.equal(run(['lint', '--format', 'xml', '.'], dir).code, 2);
    assert.equal(run(['frobnicate'], dir).code, 2);
    assert.equal(run(['lint', '--fail-level'], dir).code, 2);
  });

  it('exits 2 on an unreadable file', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, () => {
    const path = join(dir, 'locked.Dockerfile');
    writeFileSync(path, 'FROM node\n');
    chmodSync(path, 0o000);
    assert.equal(run(['lint', 'locked.Dockerfile'], dir).code, 2);
  });

  it('exits 2 on a directory it cannot list', () => {
    const { code, stderr } = run(['lint', join(dir, 'compose.yaml', 'x')], dir);
    assert.equal(code, 2);
    assert.match(stderr, /cannot read/);
  });

  it('honours .hadolint.yaml in the working directory and --config', () => {
    const work = mkdtempSync(join(tmpdir(), 'shipshape-cfg-'));
    try {
      writeFileSync(join(work, 'Dockerfile'), 'FROM node:24\nCMD node server.js\n');
      writeFileSync(join(work, '.hadolint.yaml'), 'ignored: [DL3025, DL3002, runtime-image-minimal]\n');
      assert.equal(run(['lint', 'Dockerfile'], work).code, 0);
      writeFileSync(join(work, 'strict.yaml'), 'rules:\n  no-root-user: error\n');
      const strict = run(['lint', '--config', 'strict.yaml', '--format', 'json', 'Dockerfile'], work);
      assert.deepEqual(JSON.parse(strict.stdout).map((r: { rule: string; severity: string }) => `${r.rule}:${r.severity}`), ['no-root-user:error', 'runtime-image-minimal:warning', 'exec-form-cmd:warning']);
      writeFileSync(join(work, 'broken.yaml'), 'rules: [\n');
      const broken = run(['lint', '--config', 'broken.yaml', 'Dockerfile'], work);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /broken\.yaml/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('fix --stdout prints the fixed text; fix writes files back', () => {
    const stdout = run(['fix', '--stdout', 'app/Dockerfile'], dir);
    assert.equal(stdout.code, 0);
    assert.equal(stdout.stdout, 'FROM node:24\nCOPY . .\nCMD ["node", "server.js"]\n');
    assert.equal(readFileSync(join(dir, 'app/Dockerfile'), 'utf8'), DOCKERFILE, '--stdout leaves the file alone');

    const named = run(['fix', '--stdout', '--rule', 'no-root-user', 'app/Dockerfile'], dir);
    assert.equal(named.stdout, 'FROM node:24\nCOPY . .\nUSER node\nCMD node server.js\n', 'a named rule applies its unsafe fix, and only that rule');

    const written = run(['fix', '.'], dir);
    assert.equal(written.code, 0);
    assert.match(written.stderr, /compose\.yaml: applied 1 fix/);
    assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /db:\n {8}condition: service_healthy/);
    assert.equal(readFileSync(join(dir, 'app/Dockerfile'), 'utf8'), 'FROM node:24\nCOPY . .\nCMD ["node", "server.js"]\n');
    writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  });

  it('fix --rule prefer-multi-stage --stdout prints the multi-stage conversion the editor offers, or says why not', () => {
    const fixtures = join(repoRoot, 'test/fixtures/multistage');
    const copyTree = (name: string, to: string) => cpSync(join(fixtures, name), join(dir, to), { recursive: true, filter: (p) => !/\.expected$/.test(p) });
    copyTree('go-naive', 'go-api');
    copyTree('declined-dotnet-run', 'dotnet-api');
    try {
      const converted = run(['fix', '--rule', 'prefer-multi-stage', '--stdout', 'go-api/Dockerfile'], dir);
      assert.equal(converted.code, 0, converted.stderr);
      assert.equal(converted.stdout, readFileSync(join(fixtures, 'go-naive', 'Dockerfile.expected'), 'utf8'));
      assert.equal(converted.stderr, '');
      const all = run(['fix', '--stdout', 'go-api/Dockerfile'], dir);
      assert.doesNotMatch(all.stdout, /AS build/, 'fix-all never converts: the rule must be named');
      // A decline: stdout is the file unchanged, stderr one line with the reason.
      const declined = run(['fix', '--rule', 'prefer-multi-stage', '--stdout', 'dotnet-api/Dockerfile'], dir);
      assert.equal(declined.code, 0);
      assert.equal(declined.stdout, readFileSync(join(fixtures, 'declined-dotnet-run', 'Dockerfile'), 'utf8'));
      assert.equal(declined.stderr, `dotnet-api/Dockerfile: not converted: ${readFileSync(join(fixtures, 'declined-dotnet-run', 'declined.expected'), 'utf8')}`);
      // A file the rule does not report: one line says so.
      const nothing = run(['fix', '--rule', 'prefer-multi-stage', '--stdout', 'app/api.Dockerfile'], dir);
      assert.equal(nothing.stderr, 'app/api.Dockerfile: prefer-multi-stage reports nothing here, so there is nothing to fix\n');
    } finally {
      rmSync(join(dir, 'go-api'), { recursive: true, force: true });
      rmSync(join(dir, 'dotnet-api'), { recursive: true, force: true });
    }
  });

  it('lists the catalogue as JSON', () => {
    const { code, stdout } = run(['rules', '--format', 'json'], dir);
    assert.equal(code, 0);
    const rules = JSON.parse(stdout) as Record<string, unknown>[];
    const pinned = rules.find((r) => r.id === 'image-tag-pinned')!;
    assert.deepEqual(Object.keys(pinned), ['id', 'aliases', 'kind', 'category', 'severity', 'enabledByDefault', 'fixable', 'title', 'docs']);
    assert.equal(pinned.kind, 'both');
    assert.equal(pinned.docs, 'docs/rules/image-tag-pinned.md');
  });
});
