// Everything the end-to-end run needs outside the project's own node_modules: Debian's Chromium
// (driven by playwright-core) and code-server, which is the real VS Code workbench (code-server
// 4.100.3 = VS Code 1.100.3, the newest release that runs on Node 20). code-server is installed
// once into a cache folder keyed by its version and reused afterwards; it is not a devDependency
// because it is 300 MB, builds native modules and needs root-only install tweaks.
// The facts behind each step are in ../shared/e2e/RECIPE.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside that code-server; @vscode/test-electron downloads the same one. */
export const VSCODE_VERSION = '1.100.3';

export class SetupError extends Error {}

const log = (message) => console.log(`[e2e] ${message}`);

export function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shipshape-e2e');
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.error) throw new SetupError(`${command} ${args.join(' ')}: ${r.error.message}`);
  return r.status;
}

/**
 * Installs the Debian packages that are missing, as root (apt-get update first); otherwise says
 * what to install. `optional` packages are installed along when possible and only warned about.
 */
function ensureDebianPackages(packages, optional = []) {
  const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
  if (!hasDpkg) {
    throw new SetupError(`cannot check for ${packages.join(', ')}: no dpkg on this machine. Install them with your package manager (or point CHROMIUM at a Chromium binary).`);
  }
  const missing = packages.filter((p) => !isInstalled(p));
  const missingOptional = optional.filter((p) => !isInstalled(p));
  if (missing.length === 0 && missingOptional.length === 0) return;
  if (process.getuid?.() !== 0) {
    if (missing.length) throw new SetupError(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
    log(`warning: ${missingOptional.join(' ')} not installed (not root); screenshots may show boxes for emoji`);
    return;
  }
  const all = [...missing, ...missingOptional];
  const logFile = join(cacheRoot(), 'apt.log');
  mkdirSync(cacheRoot(), { recursive: true });
  log(`installing Debian packages: ${all.join(' ')} (log: ${logFile})`);
  const fd = openSync(logFile, 'w');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let failed = '';
  try {
    if (run('apt-get', ['update', '-qq'], { env, stdio: ['ignore', fd, fd] }) !== 0) failed = 'apt-get update';
    else if (run('apt-get', ['install', '-y', '-qq', ...all], { env, stdio: ['ignore', fd, fd] }) !== 0) failed = `apt-get install ${all.join(' ')}`;
  } finally {
    closeSync(fd);
  }
  const still = missing.filter((p) => !isInstalled(p));
  if (failed || still.length) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
    throw new SetupError(`${failed || 'apt-get'} failed${still.length ? `; still missing: ${still.join(' ')}` : ''}. Last lines of ${logFile}:\n${tail}`);
  }
}

/**
 * The Chromium binary Playwright drives: $CHROMIUM, else Debian's, installed when missing (with
 * an emoji font, because the hover cards use emoji and the screenshots go into the README).
 */
export function ensureChromium() {
  if (process.env.CHROMIUM) {
    if (!existsSync(process.env.CHROMIUM)) throw new SetupError(`CHROMIUM=${process.env.CHROMIUM} does not exist`);
    return process.env.CHROMIUM;
  }
  const path = '/usr/bin/chromium';
  const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
  if (!hasDpkg && existsSync(path)) return path;
  ensureDebianPackages(['chromium'], ['fonts-noto-color-emoji']);
  if (!existsSync(path)) throw new SetupError(`no Chromium at ${path} although the chromium package is installed`);
  return path;
}

/**
 * @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall, which
 * fails offline and rolls back the whole install. It first looks for the asset in
 * $TMPDIR/vscode-ripgrep-cache-<its version>/, so put Debian's rg (the same upstream 13.0.0) there.
 * Online, the seeded file is used the same way and saves the download.
 */
function seedRipgrepCache() {
  const triple = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!triple) throw new SetupError(`no ripgrep asset name known for ${process.arch}`);
  const dir = join(process.env.TMPDIR || tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const asset = join(dir, `ripgrep-v13.0.0-10-${triple}.tar.gz`);
  if (existsSync(asset)) return;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new SetupError('no rg binary to seed the @vscode/ripgrep cache with (Debian package ripgrep)');
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'shipshape-rg-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    if (run('tar', ['-czf', asset, '-C', staging, 'rg']) !== 0) throw new SetupError(`could not write ${asset}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * code-server, installed once per version into the cache: into a scratch folder first, renamed
 * into place only when the install worked, so an interrupted install is never reused.
 * Returns the path of its launcher.
 */
export function ensureCodeServer() {
  const home = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(home, 'node_modules', '.bin', 'code-server');
  if (existsSync(join(home, '.installed')) && existsSync(bin)) return bin;

  // libkrb5-dev: headers for the `kerberos` native module; ripgrep: see seedRipgrepCache;
  // build-essential and python3: node-gyp builds the native modules from source.
  ensureDebianPackages(['libkrb5-dev', 'ripgrep', 'build-essential', 'python3']);
  seedRipgrepCache();

  mkdirSync(cacheRoot(), { recursive: true });
  const scratch = mkdtempSync(join(cacheRoot(), `.code-server-${CODE_SERVER_VERSION}-`));
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'shipshape-e2e-code-server', private: true }) + '\n');
  const logFile = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}-install.log`);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${home} (once; one to a few minutes; log: ${logFile})`);
  const fd = openSync(logFile, 'w');
  let status;
  try {
    status = run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: scratch,
      stdio: ['ignore', fd, fd],
      env: {
        ...process.env,
        // code-server's postinstall refuses to run as root without it.
        npm_config_unsafe_perm: 'true',
        // node-pty's postinstall runs `npx node-gyp`, which would otherwise stop at a prompt.
        npm_config_yes: 'true',
      },
    });
  } finally {
    closeSync(fd);
  }
  if (status !== 0 || !existsSync(join(scratch, 'node_modules', '.bin', 'code-server'))) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    rmSync(scratch, { recursive: true, force: true });
    throw new SetupError(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${status}); last lines of ${logFile}:\n${tail}`);
  }
  writeFileSync(join(scratch, '.installed'), `${new Date().toISOString()}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(scratch, home);
  return bin;
}
