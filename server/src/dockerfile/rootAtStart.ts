import { join, posix } from 'node:path';
import type { FileAccess } from '../rules/types';
import { copySourceStage, stageAncestry, workdirBefore, type DockerInstruction, type DockerfileModel, type Stage } from './parse';
import { shellOf, shellOfText, type ShellCommand } from './shell';
import { packageState, startInstructions } from './healthchecks';
import { runsChecks } from './ecosystems';
import { contextCopy, contextPath } from './dockerignore';
import { composeStarts } from '../compose/target';
import { propertiesOf } from './references';
import { buildContextOf } from '../project/buildContext';

/**
 * What an image does when it starts, as far as the Dockerfile, its start-up scripts (read from
 * the build context) and the Compose files that run it tell, for the rules about its user: some
 * images must start as root (an init or a supervisor, cron, a server that drops its workers'
 * privileges, a script that edits /etc), some are never run at all (a lint or test stage), and
 * some break under another user (tools installed in /root, a start command that builds).
 */

/** A command the container runs when it starts: its words as far as known (null for an expansion). */
interface Started {
  program: string;
  args: (string | null)[];
  /** The program as written (`./Docker/entrypoint.sh`), which `program` reduces to its base name. */
  written: string;
  /** Where it comes from: `CMD`, `ENTRYPOINT`, `script`, `service web`. */
  from: string;
}

export interface StartContext {
  path: string | null;
  files: FileAccess;
}

/** Programs an image is started by to run several services; they must start as root. */
const SUPERVISORS = new Set(['runsvdir', 'runit', 'runit-init', 'my_init', 'supervisord', 's6-svscan', 'systemd', 'init', 'openrc-init']);
const SUPERVISOR_PACKAGES = ['runit', 'supervisor', 's6', 'openrc'];
const CRON = new Set(['cron', 'crond', 'anacron', 'fcron']);
const CRON_PACKAGES = ['cron', 'cronie', 'dcron', 'anacron', 'fcron'];
/** Daemons that start as root (to bind a low port, read host keys, switch users). */
const DAEMONS = new Set(['sshd', 'rsyslogd', 'syslogd', 'postfix', 'dovecot', 'exim', 'exim4', 'named', 'ntpd', 'chronyd', 'dockerd', 'cupsd', 'smbd', 'vsftpd', 'proftpd']);
/** Servers whose master process starts as root and runs its workers as an unprivileged user. */
const SERVERS = /^(?:httpd|apache2|apache2ctl|apachectl|apache2-foreground|nginx|php-?fpm[\d.]*)$/;
/** Tools that drop from root to another user at start-up. */
const DROPS = new Set(['gosu', 'su-exec', 'setpriv', 's6-setuidgid', 'chpst', 'runuser', 'setuser', 'su']);
/** Commands a start-up script can only run as root. */
const ROOT_COMMANDS = new Set([
  'chown', 'chgrp', 'crontab', 'update-ca-certificates', 'useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'groupmod',
  'mount', 'sysctl', 'iptables', 'ip6tables', 'setcap', 'service', 'rc-service', 'ldconfig', 'locale-gen', 'apt-get', 'apk', 'yum', 'dnf',
]);
/** Commands that write the path they are given. */
const WRITERS = new Set(['cp', 'mv', 'ln', 'tee', 'install', 'rm', 'touch', 'mkdir', 'chmod', 'envsubst']);
/** Wrappers that run the rest of their words: `exec`, the small inits. */
const WRAPPERS = new Set(['exec', 'tini', 'tini-static', 'dumb-init', 'catatonit', 'env']);
/** How much of a start-up script is read. */
const SCRIPT_LIMIT = 64 * 1024;

export type RootNeed =
  | { kind: 'drops' }
  | { kind: 'supervisor' | 'cron' | 'daemon' | 'server'; what: string }
  | { kind: 'script'; what: string; detail: string }
  | { kind: 'services'; what: string };

const base = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** The ENTRYPOINT and CMD in effect at the end of a chain, in that order. */
function startCommands(chain: Stage[]): DockerInstruction[] {
  const { entrypoint, cmd } = startInstructions(chain);
  return [entrypoint, cmd].filter((i): i is DockerInstruction => i !== undefined);
}

function fromShell(commands: ShellCommand[], from: string): Started[] {
  const out: Started[] = [];
  for (const c of commands) {
    // `exec httpd …`, `tini -- app`: what runs is the wrapped command.
    let words = [c.name, ...c.args.map((a) => a.value)];
    while (words.length > 1 && words[0] !== null && (WRAPPERS.has(base(words[0])) || words[0] === '--')) words = words.slice(1);
    if (words[0] === null || words[0] === undefined) continue;
    out.push({ program: base(words[0]), args: words.slice(1), written: words[0], from });
  }
  return out;
}

/** Words run without a shell (exec form, Compose lists); `sh -c '…'` is parsed as the script it is. */
function fromWords(words: string[], from: string): Started[] {
  let rest = words;
  while (rest.length > 0 && (WRAPPERS.has(base(rest[0])) || rest[0] === '--')) rest = rest.slice(1);
  if (rest.length === 0) return [];
  const shell = /^(?:sh|bash|ash|dash)$/.test(base(rest[0]));
  const c = rest.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w));
  if (shell && c > 0 && rest[c + 1] !== undefined) return fromShell(shellOfText(rest[c + 1]).commands, from);
  return [{ program: base(rest[0]), args: rest.slice(1), written: rest[0], from }];
}

/** The WORKDIR the container starts in: the one in effect after the final stage's last instruction. */
function startDirectory(model: DockerfileModel, final: Stage): string | null {
  const last = final.instructions[final.instructions.length - 1];
  if (!last) return null;
  if (last.keyword !== 'WORKDIR') return workdirBefore(model, final, last);
  const value = last.args.trim();
  return value.startsWith('/') ? posix.normalize(value) : null;
}

/** The image path a start word names, when it is a file: absolute, or relative to the final WORKDIR. */
function imagePath(word: string, workdir: string | null): string | null {
  if (word.startsWith('/')) return posix.normalize(word);
  if (!word.includes('/') || workdir === null || workdir === '<base>') return null;
  return posix.join(workdir, word);
}

/**
 * The build-context files a COPY or ADD of the chain put at `path` in the image (a bare name:
 * any file of that name a COPY brought in), newest first, following one `COPY --from` of a file
 * an earlier stage copied from the context.
 */
function contextSources(model: DockerfileModel, chain: Stage[], path: string | null, name: string, depth = 0): string[] {
  const out: string[] = [];
  for (const stage of [...chain].reverse()) {
    for (const instruction of stage.instructions) {
      const from = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? copySourceStage(model, instruction) : null;
      const copy = from ? fromStageCopy(instruction) : contextStrings(contextCopy(model, instruction));
      if (!copy) continue;
      const workdir = workdirBefore(model, stage, instruction);
      const target = posix.resolve(workdir && workdir !== '<base>' ? workdir : '/', copy.dest);
      for (const source of copy.sources) {
        const rel = from ? source : contextPath(source);
        if (rel === null || /[*?[]/.test(rel)) continue;
        let found: string | null = null;
        if (path === null) found = posix.basename(rel) === name ? rel : null;
        else if (path === target || path === posix.join(target, posix.basename(rel))) found = rel;
        else if (path.startsWith(`${target}/`)) found = posix.join(rel, path.slice(target.length + 1));
        if (found === null) continue;
        if (!from) out.unshift(found);
        else if (depth === 0) out.unshift(...contextSources(model, stageAncestry(model, from), posix.resolve('/', found), posix.basename(found), 1));
      }
    }
  }
  return out;
}

/** A context COPY's sources and destination with build args expanded; null when one is unknown. */
function contextStrings(copy: ReturnType<typeof contextCopy>): { sources: string[]; dest: string } | null {
  if (!copy || copy.dest.value === null || copy.sources.some((s) => s.value === null)) return null;
  return { sources: copy.sources.map((s) => s.value!), dest: copy.dest.value };
}

/** The paths of a `COPY --from=<stage>` (read in that stage's filesystem) and its destination. */
function fromStageCopy(instruction: DockerInstruction): { sources: string[]; dest: string } | null {
  if (instruction.flags.some((f) => f.name === 'parents')) return null;
  const args = instruction.json ?? instruction.ast.getArguments().map((a) => a.getValue());
  if (args.length < 2 || args.some((a) => a.includes('$'))) return null;
  return { sources: args.slice(0, -1), dest: args[args.length - 1] };
}

/** The text of the start-up script a word names, read from the build context; null when it is not one. */
function scriptText(model: DockerfileModel, chain: Stage[], word: string, context: StartContext & { dir: string | null }): string | null {
  if (!context.dir || !/\.(?:sh|bash)$|entrypoint|start|run|boot|init/i.test(base(word))) return null;
  const path = imagePath(word, startDirectory(model, chain[0]));
  if (path === null && word.includes('/')) return null;
  for (const rel of contextSources(model, chain, path, base(word))) {
    const text = context.files.read(join(context.dir, rel));
    if (text !== null) return text.length > SCRIPT_LIMIT ? text.slice(0, SCRIPT_LIMIT) : text;
  }
  return null;
}

interface Starts {
  commands: Started[];
  /** Start-up scripts read, by the name they are started with. */
  scripts: { name: string; commands: Started[]; text: string }[];
  /** Compose services that run the image with their own command, and how many different ones there are. */
  services: string[];
  distinct: number;
}

/** Everything the container runs at start: the Dockerfile's start command, the scripts it names, the Compose services' commands. */
function startsOf(model: DockerfileModel, chain: Stage[], context: StartContext): Starts {
  const dir = context.path ? buildContextOf(context.path, model, context.files).dir : null;
  const found: Starts = { commands: [], scripts: [], services: [], distinct: 0 };
  const add = (started: Started[]) => {
    for (const command of started) {
      found.commands.push(command);
      // `./entrypoint.sh`, or `sh /entrypoint.sh`: a script of the Dockerfile's own, read from the context.
      const shell = /^(?:sh|bash|ash|dash)$/.test(command.program);
      const word = shell ? (command.args[0] && !command.args[0].startsWith('-') ? command.args[0] : null) : command.written;
      if (!word || found.scripts.some((s) => s.name === base(word))) continue;
      const text = scriptText(model, chain, word, { ...context, dir });
      if (text === null) continue;
      const commands = fromShell(shellOfText(text).commands, 'script');
      found.scripts.push({ name: base(word), commands, text });
      found.commands.push(...commands);
    }
  };
  for (const instruction of startCommands(chain)) {
    add(instruction.json ? fromWords(instruction.json, instruction.keyword) : fromShell(shellOf(model, instruction).commands, instruction.keyword));
  }
  const services = composeStarts(context.path, context.files).filter((s) => s.entrypoint !== null || s.command !== null);
  const lines = new Set<string>();
  for (const service of services) {
    for (const words of [service.entrypoint, service.command]) if (words && words.length > 0) add(fromWords(words, `service ${service.name}`));
    lines.add(JSON.stringify([service.entrypoint, service.command]));
  }
  found.services = services.map((s) => s.name);
  found.distinct = lines.size;
  return found;
}

/** Why a start-up script needs root: the first command that does, quoted. */
function scriptNeed(commands: Started[], text: string): string | null {
  for (const c of commands) {
    const line = [c.program, ...c.args.map((a) => a ?? '…')].join(' ');
    const shown = `\`${line.length > 40 ? `${line.slice(0, 37)}…` : line}\``;
    if (ROOT_COMMANDS.has(c.program) || CRON.has(c.program)) return shown;
    if (c.program === 'sed' && c.args.some((a) => a !== null && /^-[a-zA-Z]*i/.test(a)) && c.args.some((a) => a?.startsWith('/etc/'))) return shown;
    if (WRITERS.has(c.program) && c.args.some((a) => a?.startsWith('/etc/'))) return shown;
  }
  const redirect = /(?:^|[^<0-9&])>>?\s*["']?(\/etc\/[^\s"';&|]*)/m.exec(text);
  return redirect ? `\`> ${redirect[1]}\`` : null;
}

/**
 * Why the image must start as root, or `drops` when its start-up drops privileges itself (the
 * rule then has nothing to say); null when nothing says so.
 */
export function rootNeed(model: DockerfileModel, chain: Stage[], context: StartContext): RootNeed | null {
  const starts = startsOf(model, chain, context);
  const programs = starts.commands;
  if (programs.some((c) => DROPS.has(c.program) || (c.program === 'sudo' && c.args.some((a) => a === '-u' || a?.startsWith('--user'))))) return { kind: 'drops' };
  const server = programs.find((c) => SERVERS.test(c.program));
  if (server) return { kind: 'server', what: server.program };
  const supervisor = programs.find((c) => SUPERVISORS.has(c.program));
  if (supervisor) return { kind: 'supervisor', what: supervisor.program };
  const order = [...chain].reverse();
  const supervisorPackage = SUPERVISOR_PACKAGES.find((p) => packageState(model, order, p) === 'installed');
  if (supervisorPackage) return { kind: 'supervisor', what: supervisorPackage };
  const cron = programs.find((c) => CRON.has(c.program) || (c.program === 'busybox' && c.args[0] === 'crond'));
  if (cron) return { kind: 'cron', what: cron.program === 'busybox' ? 'crond' : cron.program };
  const cronPackage = CRON_PACKAGES.find((p) => packageState(model, order, p) === 'installed');
  if (cronPackage) return { kind: 'cron', what: cronPackage };
  const daemon = programs.find((c) => DAEMONS.has(c.program));
  if (daemon) return { kind: 'daemon', what: daemon.program };
  for (const script of starts.scripts) {
    const detail = scriptNeed(script.commands, script.text);
    if (detail) return { kind: 'script', what: script.name, detail };
  }
  if (starts.distinct > 1) return { kind: 'services', what: starts.services.map((s) => `\`${s}\``).join(', ') };
  return null;
}

/** Words of stage names that say the stage checks the code rather than building what runs. */
const CHECK_STAGE = new Set(['lint', 'linter', 'linting', 'test', 'tests', 'testing', 'unittest', 'unittests', 'e2e', 'ci', 'check', 'checks', 'validate', 'validation', 'validator', 'verify', 'vet', 'coverage', 'audit']);
/** Words of Dockerfile names that say the image runs tests or checks. */
const CHECK_FILE = new Set(['lint', 'test', 'tests', 'e2e', 'playwright', 'cypress', 'ci']);
/** Browser-test images: what is built on them runs a test suite. */
const TEST_RUNNER = /(?:^|\/)(?:playwright|cypress|puppeteer)(?:\/|$)/;
const STARTS = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK']);

/** A RUN step that validates the build's output: it fails the build on a difference (`exit 1` on a condition, `diff`, `git diff --exit-code`). */
function validates(command: ShellCommand): boolean {
  if (command.program === 'exit' && command.conditional && command.args[0]?.value !== '0') return true;
  if (command.program === 'diff' || command.program === 'cmp') return true;
  return command.program === 'git' && command.args[0]?.value === 'diff' && command.args.some((a) => a.value === '--exit-code' || a.value === '--quiet');
}

const words = (name: string | null) => (name ?? '').toLowerCase().split(/[._\-\s]+/);

/**
 * True for an image that is only built, never run: no start command, port or healthcheck of its
 * own, and its steps lint, test or validate (a stage named so, RUNs that all check, a
 * browser-test base, a Dockerfile named for tests). Its user does not matter.
 */
export function onlyChecks(model: DockerfileModel, chain: Stage[], path: string | null): boolean {
  if (chain.some((s) => s.instructions.some((i) => STARTS.has(i.keyword)))) return false;
  const root = chain[chain.length - 1].base.ref;
  if (root && TEST_RUNNER.test(root.repository.toLowerCase())) return true;
  if (path && words(path.split(/[\\/]/).pop() ?? '').some((w) => CHECK_FILE.has(w))) return true;
  const runner = chain.find((s) => s.instructions.some((i) => i.keyword === 'RUN'));
  if (!runner) return false;
  if (chain.slice(0, chain.indexOf(runner) + 1).some((s) => words(s.name).some((w) => CHECK_STAGE.has(w)))) return true;
  return runner.instructions.filter((i) => i.keyword === 'RUN').every((run) => shellOf(model, run).commands.some((c) => runsChecks(c) || validates(c)));
}

/** True for a WebAssembly image: `FROM scratch` whose start command is a `.wasm` module, or a `wasi` platform. */
export function wasmImage(chain: Stage[]): boolean {
  const root = chain[chain.length - 1];
  if (chain.some((s) => /wasi|wasm/i.test(s.base.platform ?? ''))) return true;
  if (!root.base.scratch) return false;
  return startCommands(chain).some((i) => (i.json ?? i.args.trim().split(/\s+/)).some((w) => /\.wasm$/.test(w)));
}

/** Start commands that build the application where it starts, and what they write. */
const BUILDS_AT_START: { program: RegExp; sub: RegExp; writes: string }[] = [
  { program: /^cargo$/, sub: /^(?:run|build|watch|test)$/, writes: '`target/`' },
  { program: /^stack$/, sub: /^(?:exec|run|build|ghci|test)$/, writes: '`.stack-work/` and `~/.stack`' },
  { program: /^cabal$/, sub: /^(?:v2-)?(?:run|exec|build)$/, writes: '`dist-newstyle/` and `~/.cabal`' },
  { program: /^go$/, sub: /^(?:run|build|test)$/, writes: 'its build cache under `~/.cache`' },
  { program: /^dotnet$/, sub: /^(?:run|watch|build)$/, writes: '`obj/` and `bin/`' },
  { program: /^mvnw?$/, sub: /(?:^|:)(?:run|dev|compile|package)$|^exec:java$/, writes: '`target/` and `~/.m2`' },
  { program: /^gradlew?$/, sub: /^(?:run|bootRun|build|quarkusDev)$/, writes: '`build/` and `~/.gradle`' },
  { program: /^(?:npm|yarn|pnpm|bun)$/, sub: /^(?:run|dev|build|watch|serve)$/, writes: 'build output and caches under `node_modules/`' },
  { program: /^(?:next|nuxt|vite|ng)$/, sub: /^(?:dev|build|serve)?$/, writes: 'build output and caches' },
  { program: /^mix$/, sub: /^(?:phx\.server|run|compile)$/, writes: '`_build/`' },
  { program: /^sbt$/, sub: /^(?:run|compile)$/, writes: '`target/`' },
];
/** Scripts `npm run …` may name that only start what is built. */
const RUNS_BUILT = /^(?:start|start:prod|serve:prod|prod|production)$/;
/** Installers that put a tool in the home of the user who runs them: root's home is mode 700. */
const HOME_INSTALLERS = /bun\.sh|deno\.land|rustup\.rs|volta\.sh|python-poetry\.org|astral\.sh|nvm-sh|sdkman\.io|pyenv\.run|get-ghcup|get\.pnpm\.io|fnm\.vercel|WasmEdge/i;
/** Tools that keep what they install in `~` unless told otherwise. */
const HOME_TOOLS: Record<string, { home: string; env: string[] }> = {
  stack: { home: '~/.stack', env: ['STACK_ROOT'] },
  cabal: { home: '~/.cabal', env: ['CABAL_DIR'] },
  ghcup: { home: '~/.ghcup', env: ['GHCUP_INSTALL_BASE_PREFIX'] },
  rustup: { home: '~/.cargo and ~/.rustup', env: ['CARGO_HOME', 'RUSTUP_HOME'] },
  'rustup-init': { home: '~/.cargo and ~/.rustup', env: ['CARGO_HOME', 'RUSTUP_HOME'] },
  nvm: { home: '~/.nvm', env: ['NVM_DIR'] },
  pyenv: { home: '~/.pyenv', env: ['PYENV_ROOT'] },
  sdk: { home: '~/.sdkman', env: ['SDKMAN_DIR'] },
  pipx: { home: '~/.local', env: ['PIPX_HOME'] },
};

/**
 * Why the image would break under an unprivileged user, so that adding one is no fix: a tool
 * or `PATH` entry under /root, which is mode 700 (bun's installer, stack's GHC, rustup, nvm), or
 * a start command that builds the application and writes where the build, run as root, left
 * root-owned files (`cargo run` into `target/`, `stack exec`). Null when none of these is seen.
 */
export function userSwitchBreaks(model: DockerfileModel, chain: Stage[], context: StartContext): string | null {
  const variables = chain[0].variables;
  const home = variables.get('HOME') ?? '/root';
  for (const stage of [...chain].reverse()) {
    for (const env of stage.instructions.filter((i) => i.keyword === 'ENV')) {
      for (const { name, value } of propertiesOf(env)) {
        if (name === 'HOME' || value === null) continue;
        const under = value.split(':').find((part) => /^\/root(?:\/|$)/.test(part) || (home === '/root' && /^(?:~|\$HOME|\$\{HOME\})\//.test(part)));
        if (under) return `\`${name}\` points into root's home (\`${under}\`), which an unprivileged user cannot read`;
      }
    }
  }
  const homeSet = (names: string[]) => names.some((n) => { const v = variables.get(n); return v !== undefined && v !== null && !v.startsWith('/root'); });
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      for (const command of shellOf(model, instruction).commands) {
        const tool = command.program ? HOME_TOOLS[command.program] : undefined;
        if (tool && !homeSet(tool.env)) return `\`${command.program}\` keeps what it installs in root's home (${tool.home}), which an unprivileged user cannot read`;
        if (command.program === 'pip' || command.program === 'pip3') {
          if (command.args.some((a) => a.value === '--user')) return '`pip install --user` installs into root\'s home (`~/.local`), which an unprivileged user cannot read';
        }
        if (command.pipeline.length > 1 && command.pipeline[0] === command && /^(?:curl|wget)$/.test(command.program ?? '') && HOME_INSTALLERS.test(command.text)) {
          return `the installer \`${command.text.length > 50 ? `${command.text.slice(0, 47)}…` : command.text}\` puts its tool in root's home, which an unprivileged user cannot read`;
        }
      }
    }
  }
  for (const started of startsOf(model, chain, context).commands) {
    const operands = started.args.filter((a): a is string => a !== null && !a.startsWith('-'));
    const build = BUILDS_AT_START.find((b) => b.program.test(started.program) && b.sub.test(operands[0] ?? ''));
    if (!build) continue;
    if (/^(?:npm|yarn|pnpm|bun)$/.test(started.program) && operands[0] === 'run' && RUNS_BUILT.test(operands[1] ?? '')) continue;
    const shown = [started.program, ...operands.slice(0, 2)].join(' ');
    return `\`${shown}\` (${started.from}) builds at start-up and writes ${build.writes}, which the build, run as root, left owned by root`;
  }
  return null;
}
