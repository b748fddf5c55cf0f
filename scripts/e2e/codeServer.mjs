// One throwaway code-server per run: its own user-data, extensions and XDG folders under the
// run's work folder, bound to a free port on 127.0.0.1 without auth, started in its own process
// group so that everything it starts (file watcher, extension hosts, our language server) is
// stopped together.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Settings for a quiet, offline, predictable workbench. */
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // Without trust the folder opens in Restricted Mode behind a modal dialog.
  'security.workspace.trust.enabled': false,
  // Edits made by the tests must never reach the disk copy behind another test's back.
  'files.autoSave': 'off',
  'git.enabled': false,
  'editor.minimap.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** The environment code-server runs in: the run's folders, no gallery, nothing from a parent VS Code. */
function serverEnv(work, extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A VS Code terminal's VSCODE_IPC_HOOK_CLI etc. would make code-server talk to that window.
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  }
  return {
    ...env,
    // Without a serviceUrl the extension gallery is disabled: nothing is fetched.
    EXTENSIONS_GALLERY: '{}',
    // code-server writes logs and a heartbeat under XDG_DATA_HOME even with --user-data-dir.
    XDG_CONFIG_HOME: join(work, 'xdg', 'config'),
    XDG_DATA_HOME: join(work, 'xdg', 'data'),
    XDG_CACHE_HOME: join(work, 'xdg', 'cache'),
    ...extra,
  };
}

/**
 * Prepares the folders and flags of one code-server instance.
 * @param {{ bin: string, work: string, port: number, settings?: Record<string, unknown> }} options
 */
export function prepareServer({ bin, work, port, settings = {} }) {
  const userData = join(work, 'user-data');
  const extensions = join(work, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2) + '\n');
  // Our own config file: otherwise code-server writes ~/.config/code-server/config.yaml with a password.
  const config = join(work, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const flags = [
    '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
  ];
  return { bin, work, port, flags, userData, extensions, url: `http://127.0.0.1:${port}` };
}

/**
 * Installs a VSIX the way a user does and returns the folder it was unpacked into.
 * @param {ReturnType<typeof prepareServer>} server
 * @param {string} vsix
 * @param {string} [folderPrefix] the name of the folder it unpacks to starts with this (publisher.name-)
 */
export function installExtension(server, vsix, folderPrefix = 'shipshape.shipshape-') {
  const result = spawnSync(server.bin, [...server.flags, '--install-extension', vsix], {
    env: serverEnv(server.work), encoding: 'utf8', timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${output}`);
  }
  const folders = readdirSync(server.extensions).filter((name) => name.startsWith(folderPrefix));
  if (folders.length !== 1) throw new Error(`expected one ${folderPrefix}* folder in ${server.extensions}, found ${JSON.stringify(folders)}`);
  return join(server.extensions, folders[0]);
}

/**
 * Starts the server in its own process group and waits until it answers /healthz.
 * @param {ReturnType<typeof prepareServer>} server
 * @param {Record<string, string>} env extra environment (inherited by the extension host)
 */
export async function startServer(server, env) {
  const log = join(server.work, 'code-server.log');
  const fd = openSync(log, 'w');
  const child = spawn(server.bin, server.flags, {
    detached: true, // setsid(): a new process group whose id is child.pid
    stdio: ['ignore', fd, fd],
    env: serverEnv(server.work, env),
  });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const running = { ...server, pgid: child.pid, child, log };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up (${JSON.stringify(exited)}):\n${tail(log)}`);
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return running;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stopServer(running);
      throw new Error(`code-server did not answer ${server.url}/healthz within 60 s:\n${tail(log)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The live (non-zombie) processes of a process group, from /proc. */
export function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [state, , group] = fields;
      if (Number(group) === pgid && state !== 'Z' && state !== 'X') {
        members.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 160)}`);
      }
    } catch {
      // Gone while we looked.
    }
  }
  return members;
}

async function waitForGroupExit(pgid, ms) {
  const deadline = Date.now() + ms;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops every process of the server's group: SIGTERM, up to 5 s, then SIGKILL.
 * Returns the processes still alive afterwards (none, normally).
 */
export async function stopServer(running) {
  if (!running?.pgid) return [];
  const signal = (name) => {
    try {
      process.kill(-running.pgid, name);
    } catch {
      // The group is already empty.
    }
  };
  signal('SIGTERM');
  if (!(await waitForGroupExit(running.pgid, 5000))) {
    signal('SIGKILL');
    await waitForGroupExit(running.pgid, 5000);
  }
  return groupMembers(running.pgid);
}

export function tail(file, lines = 40) {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
