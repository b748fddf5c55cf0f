// Tests the pre-commit hook (.pre-commit-hooks.yaml) with pre-commit itself, on a temporary
// repository: `pre-commit run` with a .pre-commit-config.yaml as a user has it (`try-repo`, a
// hook author's check, installs the same way into a store of its own every time: one install
// keeps CI within its budget). It installs the hook as pre-commit does for
// `language: node` (npm install in a clone of this repository, which builds dist/; npm pack; a
// global install of that tarball into pre-commit's own environment) and runs it on the staged
// files. It must fail on a bad Dockerfile and Compose file, pass on good ones, and leave other
// files alone.
//
// The hook repository is a snapshot of this working tree (tracked and untracked files that git
// does not ignore), so uncommitted changes are what is tested. pre-commit keeps its environments
// in a temporary PRE_COMMIT_HOME, removed afterwards. The install fetches the dependencies from
// the npm registry (a few minutes the first time). Needs `pre-commit` (Debian: apt-get install
// pre-commit) and git; `npm run test:pre-commit` runs it, and so does CI (.ci/run).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'shipshape-pre-commit-'));
const env = { ...process.env, PRE_COMMIT_HOME: join(work, 'cache'), GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
let failures = 0;

function run(command, args, cwd, options = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function check(name, ok, detail) {
  console.log(`${ok ? '✔' : '✖'} ${name}`);
  if (!ok) {
    failures++;
    console.log(detail.replace(/^/gm, '    '));
  }
}

function git(args, cwd) {
  const result = run('git', args, cwd);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}:\n${result.output}`);
  return result.output;
}

try {
  if (spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status !== 0) {
    console.error('pre-commit is not installed: apt-get install pre-commit (Debian, Ubuntu) or pipx install pre-commit');
    process.exit(1);
  }
  console.log(run('pre-commit', ['--version'], root).output.trim());

  // The hook repository: this working tree as it is, committed.
  const hooks = join(work, 'hooks');
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(hooks, file)), { recursive: true });
    cpSync(join(root, file), join(hooks, file));
  }
  git(['init', '-q'], hooks);
  git(['add', '-A'], hooks);
  git(['commit', '-q', '-m', 'snapshot'], hooks);

  // The user's repository.
  const user = join(work, 'user');
  mkdirSync(join(user, 'services', 'api'), { recursive: true });
  git(['init', '-q'], user);
  const write = (path, text) => writeFileSync(join(user, path), text);
  const timed = (args) => {
    git(['add', '-A'], user);
    const started = Date.now();
    const result = run('pre-commit', args, user);
    return { ...result, seconds: ((Date.now() - started) / 1000).toFixed(1) };
  };
  const bad = () => {
    write('Dockerfile', 'FROM node:latest\nCOPY . .\nRUN npm install\nCMD node server.js\n');
    write('services/api/docker-compose.yml', 'services:\n  api:\n    image: acme/api:1.4\n    privileged: true\n');
    write('README.md', 'FROM node:latest\n');
  };
  const failed = (result) => result.code === 1 && /no-root-user/.test(result.output) && /no-privileged/.test(result.output) && /exec-form-cmd/.test(result.output);

  // A user's set-up: the hook in .pre-commit-config.yaml at a commit, installed once in
  // PRE_COMMIT_HOME and reused by every run after.
  bad();
  const rev = git(['rev-parse', 'HEAD'], hooks).trim();
  write('.pre-commit-config.yaml', `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: shipshape\n`);
  const first = timed(['run', '--verbose']);
  check(`pre-commit run fails on a bad Dockerfile and Compose file (${first.seconds} s, with the install)`, failed(first), first.output);
  check('the hook is passed the staged Dockerfile and Compose file, not README.md', /^Dockerfile$/m.test(first.output) && /^services\/api\/docker-compose\.yml$/m.test(first.output) && !/README\.md/.test(first.output), first.output);

  write('Dockerfile', 'FROM alpine:3.22\nUSER 1000\nENTRYPOINT ["/app"]\n');
  write('services/api/docker-compose.yml', 'services:\n  api:\n    image: acme/api:1.4\n    restart: unless-stopped\n    read_only: true\n');
  const good = timed(['run', '--verbose']);
  check(`pre-commit run passes on good ones (${good.seconds} s)`, good.code === 0 && /shipshape\.+Passed/.test(good.output), good.output);

  rmSync(join(user, 'Dockerfile'));
  rmSync(join(user, 'services'), { recursive: true });
  write('Dockerfile.dockerignore', 'node_modules\n');
  write('values.yaml', 'services: {}\n');
  const none = timed(['run', '--verbose']);
  check('skips files that are neither (Dockerfile.dockerignore, values.yaml)', none.code === 0 && /shipshape\.+\(no files to check\)Skipped/.test(none.output), none.output);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? 'pre-commit hook: all passed' : `pre-commit hook: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
