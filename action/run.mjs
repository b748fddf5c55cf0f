// The entry of the GitHub Action (action.yml): the inputs arrive as INPUT_* variables, the CLI
// lints, the SARIF report goes to a file for github/codeql-action/upload-sarif, the log gets
// workflow annotations (or the format asked for), and the step's outputs say where the report is
// and how many findings there were.
//
// It builds Shipshape first when this checkout has no dist/ (a workflow's first use: npm ci from
// package-lock.json, then esbuild); with dist/ present, as after `npm install` in a clone, it needs
// no network. Exit codes: the CLI's (1 for findings at or above fail-level), 2 for bad inputs.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const actionPath = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(actionPath, 'dist', 'cli.js');
const env = process.env;

/** A workflow command: `::error::…` shows as an annotation and in the step's log. */
function fail(message, code = 2) {
  process.stdout.write(`::error title=shipshape::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  process.exit(code);
}

function input(name, fallback = '') {
  const value = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) fail(`Shipshape needs Node.js 20 or later on the runner, not ${process.versions.node}: add actions/setup-node before this step`);

const paths = input('paths', '.').split(/\s+/).filter(Boolean);
const failLevel = input('fail-level', 'warning');
if (!['error', 'warning', 'info', 'none'].includes(failLevel)) fail(`fail-level must be error, warning, info or none, not "${failLevel}"`);
const format = input('format', 'github');
if (!['github', 'stylish', 'json', 'sarif'].includes(format)) fail(`format must be github, stylish, json or sarif, not "${format}"`);
const all = input('all', 'false');
if (all !== 'true' && all !== 'false') fail(`all must be true or false, not "${all}"`);
const config = input('config');
// Set but empty (`sarif-file: ''` in a workflow): no report. Not set (run by hand): the default.
const sarifFile = env.INPUT_SARIF_FILE === undefined ? 'shipshape.sarif' : env.INPUT_SARIF_FILE.trim();

// SARIF help URIs: the team's pages when given; else the pages in the repository and at the ref
// this action runs from, when the runner says which (it does not always for composite actions);
// else the pages shipped in this checkout.
let docsBaseUrl = input('docs-base-url');
const repository = env.SHIPSHAPE_ACTION_REPOSITORY ?? '';
const ref = env.SHIPSHAPE_ACTION_REF ?? '';
if (!docsBaseUrl && /^[\w.-]+\/[\w.-]+$/.test(repository) && ref && /^https?:\/\/[^/]+$/.test(env.SHIPSHAPE_SERVER_URL ?? '')) {
  docsBaseUrl = `${env.SHIPSHAPE_SERVER_URL}/${repository}/blob/${encodeURIComponent(ref)}/docs/rules`;
}

if (!existsSync(cli)) {
  process.stdout.write('::group::Build Shipshape (npm ci, esbuild)\n');
  for (const [command, args] of [['npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']], [process.execPath, ['esbuild.mjs']]]) {
    const built = spawnSync(command, args, { cwd: actionPath, stdio: 'inherit' });
    if (built.status !== 0) fail(`building Shipshape failed: ${command} ${args.join(' ')} exited with ${built.status ?? built.signal}`);
  }
  process.stdout.write('::endgroup::\n');
}

const common = [
  '--fail-level', failLevel === 'none' ? 'error' : failLevel,
  ...(config ? ['--config', config] : []),
  ...(all === 'true' ? ['--all'] : []),
  ...(docsBaseUrl ? ['--docs-base-url', docsBaseUrl] : []),
];
const lint = (fmt) => spawnSync(process.execPath, [cli, 'lint', ...common, '--format', fmt, ...paths], { encoding: 'utf8', maxBuffer: 1 << 30 });

// One run for the report (the counts come from it), one for the log unless the log is the report.
const report = lint('sarif');
process.stderr.write(report.stderr);
if (report.status === 2 || report.status === null) fail(`shipshape lint failed (exit ${report.status ?? report.signal}); see the messages above`);
const problems = JSON.parse(report.stdout).runs[0].results.length;
if (sarifFile) {
  mkdirSync(dirname(resolve(sarifFile)), { recursive: true });
  writeFileSync(sarifFile, report.stdout);
}
output('sarif-file', sarifFile);
output('problems', String(problems));

let status = report.status;
if (format === 'sarif') {
  process.stdout.write(report.stdout);
} else {
  const shown = lint(format);
  process.stdout.write(shown.stdout);
  process.stderr.write(shown.stderr);
  status = shown.status;
}
if (env.GITHUB_STEP_SUMMARY) {
  const counted = problems === 0 ? 'No problems' : `${problems} problem${problems === 1 ? '' : 's'}`;
  appendFileSync(env.GITHUB_STEP_SUMMARY, `### Shipshape\n\n${counted}${sarifFile ? `; SARIF report: \`${sarifFile}\`` : ''}.\n`);
}
if (status === 1 && failLevel === 'none') status = 0;
if (status === 1) process.stdout.write(`shipshape: findings at or above ${failLevel} (fail-level)\n`);
process.exit(status ?? 2);
