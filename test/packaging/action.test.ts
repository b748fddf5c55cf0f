import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/check';

// The GitHub Action (action.yml): its metadata checked against the rules of GitHub's action
// metadata syntax, and its step run the way the runner runs a composite step — the `env` block
// evaluated with the workflow's inputs and the action's defaults, the `run` script under
// `bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files — with no
// network (dist/ is built, so the script does not build).

interface Input { description?: unknown; required?: unknown; default?: unknown }
interface Step { id?: string; name?: string; shell?: string; run?: string; uses?: string; env?: Record<string, unknown>; with?: Record<string, unknown> }
interface Action {
  name?: unknown;
  description?: unknown;
  author?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs?: Record<string, Input>;
  outputs?: Record<string, { description?: unknown; value?: unknown }>;
  runs?: { using?: unknown; steps?: Step[] };
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;
const steps = action.runs?.steps ?? [];
const expressions = (text: string) => [...text.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]);

/** The `${{ … }}` expressions this action uses, evaluated as the runner would for one workflow step. */
function evaluate(text: string, inputs: Record<string, string>, github: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return inputs[input[1]] ?? String(action.inputs?.[input[1]]?.default ?? '');
    const context = /^github\.(\w+)$/.exec(expression);
    if (context) return github[context[1]] ?? '';
    throw new Error(`the test does not evaluate ${expression}`);
  });
}

interface Run { code: number | null; stdout: string; stderr: string; outputs: Record<string, string>; summary: string }

describe('GitHub Action (action.yml)', () => {
  let workspace: string;
  let counter = 0;
  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'shipshape-action-'));
    cpSync(join(repoRoot, 'examples'), join(workspace, 'examples'), { recursive: true });
    writeFileSync(join(workspace, 'shipshape.yaml'), 'rules:\n  no-privileged: off\n  no-secrets-in-environment: off\nignored: [DL3002]\n');
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  /** Runs the action's steps in the workspace as a workflow with these `with:` inputs would. */
  function runAction(inputs: Record<string, string>, github: Record<string, string> = {}): Run {
    const output = join(workspace, `output-${counter}`);
    const summary = join(workspace, `summary-${counter++}`);
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const context = { server_url: 'https://github.com', action_repository: '', action_ref: '', ...github };
    let last: Run | undefined;
    for (const step of steps) {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? workspace,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: repoRoot,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: tmpdir(),
        npm_config_offline: 'true',
      };
      for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(String(value), inputs, context);
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], { cwd: workspace, env, encoding: 'utf8' });
      const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      last = { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs, summary: readFileSync(summary, 'utf8') };
      if (result.status !== 0) break;
    }
    return last!;
  }

  it('has valid metadata: name, description, branding, described inputs and outputs, a composite run', () => {
    assert.deepEqual(Object.keys(action).filter((k) => !['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'].includes(k)), []);
    assert.equal(typeof action.name, 'string');
    assert.ok(typeof action.description === 'string' && action.description.length > 0 && action.description.length <= 125, 'a description the Marketplace shows');
    assert.ok(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'].includes(String(action.branding?.color)));
    assert.equal(typeof action.branding?.icon, 'string');
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      assert.match(name, /^[A-Za-z_][\w-]*$/);
      assert.equal(typeof input.description, 'string', `${name} has a description`);
      assert.equal(typeof input.default, 'string', `${name}'s default is a string, as the runner passes it`);
      assert.equal(input.required, false, `${name} has a default, so it is not required`);
    }
    assert.equal(action.runs?.using, 'composite');
    const ids = steps.map((s) => s.id).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length, 'step ids are unique');
    for (const step of steps) {
      assert.ok(step.run !== undefined || step.uses !== undefined, 'a step runs or uses something');
      if (step.run !== undefined) {
        assert.ok(['bash', 'sh', 'pwsh', 'python'].includes(String(step.shell)), 'a composite run step names its shell');
        assert.deepEqual(expressions(step.run), [], 'no ${{ }} in run: inputs reach the script through env, never as shell text');
      }
    }
    for (const [name, out] of Object.entries(action.outputs ?? {})) {
      assert.equal(typeof out.description, 'string', `output ${name} has a description`);
      const [expression] = expressions(String(out.value));
      const ref = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression ?? '');
      assert.ok(ref && ids.includes(ref[1]), `output ${name} is a step's output`);
    }
    // Every input reaches the script, and nothing else is read from inputs.
    const used = new Set(steps.flatMap((s) => Object.values(s.env ?? {}).flatMap((v) => expressions(String(v)))).filter((e) => e.startsWith('inputs.')).map((e) => e.slice('inputs.'.length)));
    assert.deepEqual([...used].sort(), Object.keys(action.inputs ?? {}).sort());
  });

  it('with the defaults: annotations in the log, a SARIF file for upload-sarif, the outputs, and a failed step on warnings', () => {
    const run = runAction({ paths: 'examples' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^::warning file=examples\/Dockerfile,line=1,col=6,endLine=1,endColumn=17,title=shipshape image-tag-pinned::`node:latest`/m);
    assert.match(run.stdout, /^::error file=examples\/compose\.yaml,line=11,col=5,.*title=shipshape no-privileged::/m);
    assert.match(run.stdout, /^::notice file=examples\/Dockerfile,.*title=shipshape healthcheck-present::/m);
    assert.match(run.stdout, /shipshape: findings at or above warning \(fail-level\)/);

    assert.equal(run.outputs['sarif-file'], 'shipshape.sarif');
    const sarif = JSON.parse(readFileSync(join(workspace, 'shipshape.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.equal(run.outputs.problems, String(results.length));
    assert.equal(results.length, (run.stdout.match(/^::(error|warning|notice) /gm) ?? []).length, 'one annotation per SARIF result');
    // Paths relative to the workspace, as code scanning needs them.
    assert.deepEqual([...new Set(results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))].sort(), ['examples/Dockerfile', 'examples/compose.yaml']);
    assert.match(run.summary, new RegExp(`^${results.length} problems; SARIF report: \`shipshape.sarif\`\\.$`, 'm'));
  });

  it('run by hand with no inputs at all, it does what the action’s defaults do', () => {
    const byAction = runAction({});
    const report = readFileSync(join(workspace, 'shipshape.sarif'), 'utf8');
    rmSync(join(workspace, 'shipshape.sarif'));
    const byHand = spawnSync(process.execPath, [join(repoRoot, 'action', 'run.mjs')], { cwd: workspace, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(byHand.status, byAction.code);
    assert.equal(byHand.stdout, byAction.stdout);
    assert.equal(readFileSync(join(workspace, 'shipshape.sarif'), 'utf8'), report);
  });

  it('fails on the level asked for, or never with fail-level none', () => {
    // (format sarif: the log is the report, one lint instead of two.)
    assert.equal(runAction({ paths: 'examples/compose.yaml', 'fail-level': 'error', format: 'sarif' }).code, 1, 'compose.yaml has an error');
    assert.equal(runAction({ paths: 'examples/Dockerfile', 'fail-level': 'error', format: 'sarif' }).code, 0, 'the Dockerfile has none');
    const never = runAction({ paths: 'examples', 'fail-level': 'none' });
    assert.equal(never.code, 0, never.stderr);
    assert.match(never.stdout, /^::error file=examples\/compose\.yaml/m, 'the annotations still show');
  });

  it('reads a config file, lints several paths, prints another format, and writes no SARIF when asked', () => {
    const run = runAction({ paths: 'examples/Dockerfile\nexamples/compose.yaml', config: 'shipshape.yaml', format: 'stylish', 'sarif-file': '' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^examples\/Dockerfile$/m);
    assert.match(run.stdout, /^examples\/compose\.yaml$/m);
    assert.doesNotMatch(run.stdout, /no-privileged|no-secrets-in-environment|no-root-user/, 'turned off by the config (no-root-user by its DL3002 alias)');
    assert.equal(run.outputs['sarif-file'], '');
    assert.equal(existsSync(join(workspace, 'reports')), false);
    const nested = runAction({ paths: 'examples', 'sarif-file': 'reports/shipshape.sarif', all: 'true' });
    assert.ok(existsSync(join(workspace, 'reports', 'shipshape.sarif')), 'the folder is created');
    assert.ok(Number(nested.outputs.problems) > 27, '--all turns on the rules that are off by default');
  });

  it('links SARIF help to the team’s pages, the action’s repository at its ref, or the shipped pages', () => {
    const helpUri = () => {
      const sarif = JSON.parse(readFileSync(join(workspace, 'shipshape.sarif'), 'utf8'));
      return sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'no-root-user').helpUri as string;
    };
    runAction({ paths: 'examples', format: 'sarif', 'docs-base-url': 'https://docs.example.com/shipshape/{rule}.html' });
    assert.equal(helpUri(), 'https://docs.example.com/shipshape/no-root-user.html');
    runAction({ paths: 'examples', format: 'sarif' }, { action_repository: 'acme/shipshape', action_ref: 'v1' });
    assert.equal(helpUri(), 'https://github.com/acme/shipshape/blob/v1/docs/rules/no-root-user.md');
    runAction({ paths: 'examples', format: 'sarif' });
    assert.match(helpUri(), /^file:\/\/.*\/docs\/rules\/no-root-user\.md$/);
  });

  it('rejects a bad input with an error annotation and exit 2', () => {
    const level = runAction({ 'fail-level': 'loud' });
    assert.equal(level.code, 2);
    assert.match(level.stdout, /^::error title=shipshape::fail-level must be error, warning, info or none, not "loud"$/m);
    const missing = runAction({ paths: 'nowhere' });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nowhere: no such file or directory/);
    assert.match(missing.stdout, /^::error title=shipshape::shipshape lint failed \(exit 2\)/m);
  });
});
