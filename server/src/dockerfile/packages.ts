import type { Range, TextEdit } from 'vscode-languageserver-types';
import { shellOf, type ShellCommand, type ShellWord } from './shell';
import { finalStage, stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from './parse';
import { expandVariables, type Variables } from '../text/variables';
import { runsAsNonRootByDefault } from '../text/images';
import type { ImageRef } from '../text/image';
import { escapeRegExp, globToRegExp } from '../text/regexp';
import { opaqueCommand } from './scripts';

/**
 * Package-manager knowledge as data: which programs and subcommands install packages, which
 * options take a value (so `apk add --virtual .deps gcc` installs `gcc` only), where each manager
 * keeps its cache, and how a package argument pins a version. Rules read RUN commands through
 * `packageCommand()` instead of matching text, so `apt-get -y install`, `python3 -m pip install`
 * and `zypper -n in` all read the same way.
 */

export type ManagerId =
  | 'apt' | 'apk' | 'pip' | 'uv' | 'npm' | 'yarn' | 'pnpm' | 'gem' | 'bundler'
  | 'yum' | 'dnf' | 'zypper' | 'go' | 'cargo' | 'maven' | 'gradle' | 'composer' | 'pecl';

/** A command of a package manager, split the way the manager itself reads its arguments. */
export interface PackageCommand {
  manager: ManagerId;
  command: ShellCommand;
  /** The package manager's own word and base name, past wrappers such as `sudo` or `xargs -r`. */
  programWord: ShellWord;
  program: string;
  /**
   * The subcommand, normalised (`in` → `install`, `i` → `install`); multi-word subcommands are
   * joined by a space (`mod download`, `global add`, `pip install`). Bare `yarn` is `install`.
   * Empty when the command names no subcommand.
   */
  action: string;
  /** The words that name the subcommand; empty for bare `yarn`. */
  actionWords: ShellWord[];
  /** Options before the subcommand (`apt-get -y install`, zypper's global `-n`). */
  leading: ShellWord[];
  /** Every word after the subcommand. */
  rest: ShellWord[];
  /** The operands after the subcommand: positionals, with the values of options skipped. */
  operands: ShellWord[];
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

interface ManagerSpec {
  /** Options that take the next word as their value when not written `--name=value`. */
  valueOptions: ReadonlySet<string>;
  /** Subcommand aliases, normalised. */
  aliases?: Record<string, string>;
  /** First words that open a two-word subcommand (`go mod download`). */
  twoWord?: ReadonlySet<string>;
}

const PIP_VALUE_OPTIONS = set(
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '--platform', '--python-version',
  '--implementation', '--abi', '--root', '--prefix', '--src', '--upgrade-strategy', '-C', '--config-settings',
  '--global-option', '--no-binary', '--only-binary', '--progress-bar', '--root-user-action', '--report', '-i',
  '--index-url', '--extra-index-url', '-f', '--find-links', '--python', '--log', '--proxy', '--retries', '--timeout',
  '--exists-action', '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--use-feature', '--use-deprecated',
  '--keyring-provider', '-b', '--build', '--group',
);

const SPECS: Record<ManagerId, ManagerSpec> = {
  apt: {
    valueOptions: set('-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture'),
  },
  apk: {
    valueOptions: set('-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--cache-max-age', '--timeout', '--wait'),
  },
  pip: { valueOptions: PIP_VALUE_OPTIONS },
  uv: {
    valueOptions: new Set([
      ...PIP_VALUE_OPTIONS, '--requirements', '--constraints', '--overrides', '--build-constraints', '--index', '--default-index', '--index-strategy', '--python-preference', '-p', '--cache-dir',
      '--link-mode', '--resolution', '--prerelease', '--extra', '--exclude-newer', '--override', '--python-platform',
      '--config-file', '--directory', '--project', '--package', '--only-group', '--no-group', '-o', '--output-file', '--format',
    ]),
    twoWord: set('pip', 'tool'),
  },
  npm: {
    valueOptions: set('--prefix', '--registry', '--cache', '--omit', '--include', '-w', '--workspace', '--tag', '--userconfig', '--globalconfig', '--loglevel', '--location', '--install-strategy', '--before', '--script-shell', '--only'),
    aliases: {
      i: 'install', in: 'install', ins: 'install', inst: 'install', insta: 'install', instal: 'install', isnt: 'install',
      isnta: 'install', isntal: 'install', isntall: 'install', add: 'install',
      ic: 'ci', 'clean-install': 'ci', 'install-clean': 'ci', 'isntall-clean': 'ci',
    },
  },
  yarn: {
    valueOptions: set('--cwd', '--cache-folder', '--modules-folder', '--network-timeout', '--mutex', '--registry', '--global-folder', '--link-folder', '--prefix', '--use-yarnrc', '--network-concurrency'),
    twoWord: set('global', 'cache', 'workspaces'),
  },
  pnpm: {
    valueOptions: set('--filter', '-F', '-C', '--dir', '--store-dir', '--reporter', '--registry', '--network-concurrency', '--child-concurrency', '--loglevel'),
    aliases: { i: 'install' },
    twoWord: set('store'),
  },
  gem: {
    valueOptions: set('-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s', '--platform', '-P', '--trust-policy', '-g', '--file', '--build-root'),
    aliases: { i: 'install' },
  },
  bundler: { valueOptions: set('--path', '--without', '--with', '--jobs', '-j', '--retry', '--gemfile', '--binstubs', '--standalone') },
  // PHP extensions: `pecl install redis-6.1.0`; `-d`/`-D` set configuration before the subcommand.
  pecl: { valueOptions: set('-d', '-D', '-c', '-C', '-R', '--installroot', '-P', '--packagingroot', '--configureoptions') },
  yum: {
    valueOptions: set('-c', '--config', '--installroot', '--releasever', '-x', '--exclude', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--forcearch', '-d', '--debuglevel', '-e', '--errorlevel', '--downloaddir', '--destdir', '--advisory', '--color'),
    aliases: { update: 'upgrade', groupinstall: 'group install', localinstall: 'install', erase: 'remove' },
    twoWord: set('module', 'group', 'groups'),
  },
  dnf: {
    valueOptions: set('-c', '--config', '--installroot', '--releasever', '-x', '--exclude', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--forcearch', '-d', '--debuglevel', '-e', '--errorlevel', '--downloaddir', '--destdir', '--advisory', '--color', '--comment'),
    aliases: { update: 'upgrade', in: 'install', up: 'upgrade', rm: 'remove', erase: 'remove', groupinstall: 'group install', localinstall: 'install' },
    twoWord: set('module', 'group', 'groups'),
  },
  zypper: {
    valueOptions: set('-R', '--root', '-c', '--config', '-D', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir', '--userdata', '-t', '--type', '-r', '--repo', '--from', '--download'),
    aliases: { in: 'install', rm: 'remove', up: 'update', dup: 'dist-upgrade', si: 'source-install', cc: 'clean', ref: 'refresh', inr: 'install-new-recommends' },
  },
  go: {
    valueOptions: set('-o', '-ldflags', '-gcflags', '-asmflags', '-tags', '-mod', '-modfile', '-p', '-C', '-pkgdir', '-buildmode', '-toolexec', '-exec', '-overlay', '-pgo', '-compiler', '-coverpkg', '-covermode', '-run', '-bench', '-count', '-timeout'),
    twoWord: set('mod', 'work', 'tool'),
  },
  cargo: {
    valueOptions: set('--root', '--version', '--vers', '--git', '--branch', '--tag', '--rev', '--path', '--registry', '--index', '--features', '-F', '--target', '--target-dir', '-j', '--jobs', '--profile', '--bin', '--example', '-p', '--package', '--manifest-path', '--config', '-Z', '--color', '--message-format', '--recipe-path'),
    twoWord: set('chef'),
  },
  maven: { valueOptions: set('-f', '--file', '-s', '--settings', '-gs', '--global-settings', '-pl', '--projects', '-P', '--activate-profiles', '-T', '--threads', '-rf', '--resume-from', '-l', '--log-file', '-t', '--toolchains') },
  gradle: { valueOptions: set('-p', '--project-dir', '-g', '--gradle-user-home', '-x', '--exclude-task', '-b', '--build-file', '-c', '--settings-file', '-I', '--init-script', '--console', '--warning-mode', '--max-workers') },
  composer: { valueOptions: set('-d', '--working-dir') },
};

const PYTHON = /^python(\d+(\.\d+)*)?$/;
const PIP = /^pip(\d+(\.\d+)*)?$/;

/** Commands that run the command after their own options: `sudo -u app npm ci`, `xargs -r apt-get install`. */
const WRAPPERS: Record<string, ReadonlySet<string>> = {
  sudo: set('-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout'),
  env: set('-u', '--unset', '-C', '--chdir', '-S', '--split-string'),
  xargs: set('-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars'),
  nice: set('-n', '--adjustment'),
  time: set('-f', '--format', '-o', '--output'),
  nohup: set(),
  eatmydata: set(),
  chronic: set(),
};

/** The program a command runs past its wrappers, with its word and arguments. */
export function unwrap(command: ShellCommand): { word: ShellWord; program: string; args: ShellWord[] } | null {
  let word = command.words[0];
  let program = command.program;
  let args = command.args;
  for (let depth = 0; program && program in WRAPPERS && depth < 3; depth++) {
    const valued = WRAPPERS[program];
    let i = 0;
    while (i < args.length) {
      const v = args[i].value;
      if (v === null) return null;
      if (v === '--') {
        i++;
        break;
      }
      if (v.startsWith('-') && v.length > 1) i += valued.has(v) ? 2 : 1;
      else if (program === 'env' && /^[A-Za-z_]\w*=/.test(v)) i++;
      else break;
    }
    if (i >= args.length || args[i].value === null) return null;
    word = args[i];
    program = word.value!.slice(word.value!.lastIndexOf('/') + 1);
    args = args.slice(i + 1);
  }
  return word && program ? { word, program, args } : null;
}

/** The manager a command runs and the words it reads, or null for any other command. */
function managerOf(command: ShellCommand): { manager: ManagerId; word: ShellWord; program: string; args: ShellWord[] } | null {
  const run = unwrap(command);
  if (!run) return null;
  const { word, program, args } = run;
  const found = (manager: ManagerId, words = args) => ({ manager, word, program, args: words });
  if (program === 'apt-get' || program === 'apt') return found('apt');
  if (PIP.test(program)) return found('pip');
  if (PYTHON.test(program)) {
    // `python -m pip …`: the module's arguments follow its name.
    const m = args.findIndex((a) => a.value === '-m');
    if (m >= 0 && args[m + 1]?.value === 'pip') return found('pip', args.slice(m + 2));
    return null;
  }
  switch (program) {
    case 'apk':
    case 'uv':
    case 'npm':
    case 'yarn':
    case 'pnpm':
    case 'gem':
    case 'yum':
    case 'zypper':
    case 'go':
    case 'cargo':
    case 'gradle':
    case 'composer':
    case 'pecl':
      return found(program);
    case 'bundle':
    case 'bundler':
      return found('bundler');
    case 'dnf':
    case 'dnf5':
    case 'microdnf':
    case 'tdnf':
      return found('dnf');
    case 'mvn':
    case 'mvnw':
      return found('maven');
    case 'gradlew':
      return found('gradle');
    default:
      return null;
  }
}

function isOption(word: ShellWord): boolean {
  return word.value !== null && word.value.length > 1 && word.value.startsWith('-');
}

/** Reads a command of a known package manager; null for any other command. */
export function packageCommand(command: ShellCommand): PackageCommand | null {
  const found = managerOf(command);
  if (!found) return null;
  const spec = SPECS[found.manager];
  const args = found.args;
  // Classify each word: an option, the value of the option before it, or an operand.
  const operandIndexes: number[] = [];
  let afterDashes = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!afterDashes && word.value === '--') {
      // gem passes what follows `--` to the native extension's build (`-- --with-xml2-dir=/usr`).
      if (found.manager === 'gem') break;
      afterDashes = true;
      continue;
    }
    if (!afterDashes && isOption(word)) {
      if (spec.valueOptions.has(word.value!) && i + 1 < args.length) i++;
      continue;
    }
    // cargo's `+nightly` picks a toolchain before the subcommand.
    if (found.manager === 'cargo' && operandIndexes.length === 0 && word.value?.startsWith('+')) continue;
    operandIndexes.push(i);
  }
  const first = operandIndexes.length > 0 ? args[operandIndexes[0]] : undefined;
  let actionCount = first ? 1 : 0;
  if (first?.value && spec.twoWord?.has(first.value) && operandIndexes.length > 1) actionCount = 2;
  const actionWords = operandIndexes.slice(0, actionCount).map((i) => args[i]);
  let action = actionWords.map((w) => w.value ?? '').join(' ');
  if (actionCount === 1 && spec.aliases && action in spec.aliases) action = spec.aliases[action];
  if (actionCount === 2 && spec.aliases) {
    const [a, b] = action.split(' ');
    action = `${spec.aliases[a] ?? a} ${b}`;
  }
  // Bare `yarn` (flags only) installs, like `yarn install`; `yarn --version` does not.
  if (found.manager === 'yarn' && actionCount === 0 && !args.some((a) => ['--version', '-v', '--help', '-h'].includes(a.value ?? ''))) action = 'install';
  const lastAction = actionCount > 0 ? operandIndexes[actionCount - 1] : -1;
  const firstAction = actionCount > 0 ? operandIndexes[0] : args.length;
  return {
    manager: found.manager,
    command,
    programWord: found.word,
    program: found.program,
    action,
    actionWords,
    leading: args.slice(0, firstAction).filter(isOption),
    rest: args.slice(lastAction + 1),
    operands: operandIndexes.slice(actionCount).map((i) => args[i]),
  };
}

/** The package-manager commands of a RUN, in order. */
export function packageCommandsOf(model: DockerfileModel, instruction: DockerInstruction): PackageCommand[] {
  if (instruction.keyword !== 'RUN') return [];
  let out = commandsCache.get(instruction);
  if (!out) {
    out = [];
    for (const command of shellOf(model, instruction).commands) {
      const pc = packageCommand(command);
      if (pc) out.push(pc);
    }
    commandsCache.set(instruction, out);
  }
  return out;
}

const commandsCache = new WeakMap<DockerInstruction, PackageCommand[]>();

/** True when any word after the subcommand (or before it) is one of the options. */
export function hasFlag(pc: PackageCommand, ...options: string[]): boolean {
  return [...pc.leading, ...pc.rest].some((w) => {
    const v = w.value;
    if (v === null || !v.startsWith('-')) return false;
    if (options.includes(v)) return true;
    const eq = v.indexOf('=');
    if (eq > 0 && options.includes(v.slice(0, eq))) return true;
    // Clustered short options: `-yq` holds `-y`.
    if (/^-[A-Za-z]{2,}$/.test(v)) return options.some((o) => /^-[A-Za-z]$/.test(o) && v.includes(o[1]));
    return false;
  });
}

/** The values given to an option (`-o X`, `--opt=X`), in order. */
export function flagValues(pc: PackageCommand, ...options: string[]): (string | null)[] {
  const words = [...pc.leading, ...pc.rest];
  const all = pc.command.args;
  const values: (string | null)[] = [];
  for (const w of words) {
    const v = w.value;
    if (v === null) continue;
    for (const o of options) {
      if (v === o) {
        const next = all[all.indexOf(w) + 1];
        values.push(next ? next.value : null);
      } else if (v.startsWith(`${o}=`)) {
        values.push(v.slice(o.length + 1));
      }
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Installing, upgrading, prompting
// ---------------------------------------------------------------------------------------------

/** True for a command that installs packages from a repository or registry. */
export function isInstall(pc: PackageCommand): boolean {
  switch (pc.manager) {
    case 'apt':
      return pc.action === 'install';
    case 'apk':
      return pc.action === 'add';
    case 'pip':
      return pc.action === 'install';
    case 'uv':
      return pc.action === 'pip install' || pc.action === 'sync' || pc.action === 'tool install';
    case 'npm':
      return pc.action === 'install' || pc.action === 'ci';
    case 'yarn':
      return pc.action === 'install' || pc.action === 'add' || pc.action === 'global add';
    case 'pnpm':
      return pc.action === 'install' || pc.action === 'add' || pc.action === 'fetch';
    case 'gem':
      return pc.action === 'install';
    case 'bundler':
      return pc.action === 'install';
    case 'yum':
    case 'dnf':
      return pc.action === 'install' || pc.action === 'module install' || pc.action === 'group install' || pc.action === 'groups install';
    case 'zypper':
      return pc.action === 'install';
    case 'composer':
      return pc.action === 'install' || pc.action === 'require' || pc.action === 'update';
    default:
      return false;
  }
}

/** Subcommands that ask "Do you want to continue? [Y/n]" unless told to assume yes. */
const PROMPTING: Partial<Record<ManagerId, ReadonlySet<string>>> = {
  apt: set('install', 'reinstall', 'remove', 'purge', 'autoremove', 'autopurge', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'satisfy'),
  yum: set('install', 'reinstall', 'remove', 'upgrade', 'downgrade', 'distro-sync', 'autoremove', 'group install', 'groups install', 'module install', 'swap', 'upgrade-minimal'),
  dnf: set('install', 'reinstall', 'remove', 'upgrade', 'downgrade', 'distro-sync', 'autoremove', 'group install', 'groups install', 'module install', 'swap', 'upgrade-minimal'),
  zypper: set('install', 'remove', 'update', 'dist-upgrade', 'patch', 'source-install', 'install-new-recommends'),
  pip: set('uninstall'),
};

/** True when the subcommand waits for a yes/no answer unless told otherwise. */
export function prompts(pc: PackageCommand): boolean {
  // microdnf never asks; tdnf and dnf do.
  if (pc.program === 'microdnf') return false;
  return PROMPTING[pc.manager]?.has(pc.action) ?? false;
}

const TRUE = /^(1|true|yes|on)$/i;

/** True when the command answers its own prompt (`-y`, apt-get's `-qq`, zypper's `-n`…). */
export function assumesYes(pc: PackageCommand): boolean {
  switch (pc.manager) {
    case 'apt': {
      if (hasFlag(pc, '-y', '--yes', '--assume-yes', '-s', '--simulate', '--dry-run', '--just-print', '--recon', '--no-act', '--print-uris')) return true;
      // Quiet level 2 implies -y (apt-get(8)): `-qq`, `-q -q`, `-q=2`, `--quiet=2`.
      let quiet = 0;
      for (const w of [...pc.leading, ...pc.rest]) {
        const v = w.value ?? '';
        const level = /^(?:-q|--quiet)=(\d+)$/.exec(v);
        if (level) quiet += Number(level[1]);
        else if (v === '-q' || v === '--quiet') quiet++;
        else if (/^-[A-Za-z]{2,}$/.test(v)) quiet += v.split('q').length - 1;
      }
      if (quiet >= 2) return true;
      return flagValues(pc, '-o', '--option').some((v) => v !== null && /^APT::Get::Assume-Yes=(1|true|yes)$/i.test(v));
    }
    case 'yum':
    case 'dnf':
      return hasFlag(pc, '-y', '--assumeyes', '--assumeno')
        || flagValues(pc, '--setopt').some((v) => v !== null && /^assumeyes=/i.test(v) && TRUE.test(v.split('=')[1]));
    case 'zypper':
      // `-n`/`--non-interactive` is a global option (before the subcommand); `-y`/`--no-confirm` belong to it.
      return pc.leading.some((w) => w.value === '-n' || w.value === '--non-interactive' || (w.value !== null && /^-[A-Za-z]*n[A-Za-z]*$/.test(w.value)))
        || hasFlag(pc, '--non-interactive', '-y', '--no-confirm');
    case 'pip':
      return hasFlag(pc, '-y', '--yes');
    default:
      return true;
  }
}

/** True for `apt-get install -s` and the like, which only print what would happen. */
export function simulates(pc: PackageCommand): boolean {
  if (pc.manager === 'apt') return hasFlag(pc, '-s', '--simulate', '--dry-run', '--just-print', '--recon', '--no-act', '--print-uris');
  if (pc.manager === 'pip' || pc.manager === 'npm' || pc.manager === 'yarn' || pc.manager === 'pnpm') return hasFlag(pc, '--dry-run');
  // Before the subcommand zypper's `-D` names the repos directory; after it, `-D` is `--dry-run`.
  if (pc.manager === 'zypper') return pc.rest.some((w) => w.value === '-D' || w.value === '--dry-run');
  return false;
}

/** Subcommands that upgrade every installed package of the base image. */
export function isSystemUpgrade(pc: PackageCommand): boolean {
  switch (pc.manager) {
    case 'apt':
      return pc.action === 'upgrade' || pc.action === 'dist-upgrade' || pc.action === 'full-upgrade';
    case 'apk':
      return pc.action === 'upgrade' && pc.operands.length === 0;
    case 'yum':
    case 'dnf':
      return (pc.action === 'upgrade' || pc.action === 'distro-sync' || pc.action === 'upgrade-minimal') && pc.operands.length === 0;
    case 'zypper':
      return pc.action === 'dist-upgrade' || ((pc.action === 'update' || pc.action === 'patch') && pc.operands.length === 0);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

/** A package argument installed without a version, and how the manager would pin it. */
export interface UnpinnedPackage {
  word: ShellWord;
  /** The package as written, quotes removed when static. */
  name: string;
  /** How to pin it, e.g. `curl=<version>`. */
  suggestion: string;
  /** Set when the argument names a moving tag (`@latest`) rather than no version at all. */
  movingTag?: string;
}

/** npm dist-tags and Go version queries that move with every release. */
const MOVING_GO = set('latest', 'upgrade', 'patch', 'master', 'main', 'head', 'trunk');

const isPath = (v: string) => v === '.' || v === '..' || v.startsWith('./') || v.startsWith('../') || v.startsWith('/') || v.startsWith('~');
const isUrl = (v: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v);
const hasGlob = (v: string) => /[*?[\]]/.test(v);

/** The package arguments of an install command that do not name a version. */
export function unpinnedPackages(pc: PackageCommand): UnpinnedPackage[] {
  if (simulates(pc)) return [];
  const out: UnpinnedPackage[] = [];
  const add = (word: ShellWord, name: string, suggestion: string, movingTag?: string) => out.push({ word, name, suggestion, movingTag });
  switch (pc.manager) {
    case 'apt': {
      if (pc.action !== 'install') return [];
      for (const w of pc.operands) {
        const v = w.value;
        // A dynamic word pins when its literal part does (`"nginx=${NGINX_VERSION}"`); otherwise it is unknown.
        if (v === null || isPath(v) || v.endsWith('.deb') || hasGlob(v) || v.includes('=') || /[-+]$/.test(v)) continue;
        add(w, v, `${v}=<version>`);
      }
      return out;
    }
    case 'apk': {
      if (pc.action !== 'add') return [];
      for (const w of pc.operands) {
        const v = w.value;
        if (v === null || isPath(v) || v.endsWith('.apk') || /[=~<>]/.test(v)) continue;
        add(w, v, `${v}=~<version>`);
      }
      return out;
    }
    case 'pip':
    case 'uv': {
      if (pc.manager === 'pip' ? pc.action !== 'install' : pc.action !== 'pip install') return [];
      // A constraints file pins whatever the command line leaves open.
      if (hasFlag(pc, '-c', '--constraint', '--constraints')) return [];
      for (const w of pc.operands) {
        const v = w.value;
        if (v === null) continue;
        const vcs = /^(git|hg|svn|bzr)\+/.exec(v);
        if (vcs) {
          // A VCS URL pins with `@<tag or commit>` after the repository path; its `#egg=name`
          // fragment names the package and pins nothing.
          const path = v.split('#')[0];
          if (!path.slice(path.lastIndexOf('/') + 1).includes('@')) add(w, v, `${path}@<tag or commit>`);
          continue;
        }
        if (/[=<>!~]/.test(v) || /@\s*\S+:\/\//.test(v)) continue;
        if (isPath(v) || isUrl(v) || v.includes('/') || /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/.test(v)) continue;
        add(w, v, `${v}==<version>`);
      }
      return out;
    }
    case 'npm':
    case 'yarn':
    case 'pnpm': {
      const installsNamed = pc.manager === 'npm' ? pc.action === 'install' : pc.action === 'add' || pc.action === 'global add';
      if (!installsNamed) return [];
      for (const w of pc.operands) {
        const text = w.value ?? w.text;
        const moving = npmUnpinned(text, w.value === null);
        if (moving === null) continue;
        const name = moving.name;
        add(w, text, `${name}@<version>`, moving.tag);
      }
      return out;
    }
    case 'pecl': {
      if (pc.action !== 'install') return [];
      for (const w of pc.operands) {
        const v = w.value;
        // Local archives and package.xml descriptors, and downloads, are fixed artifacts.
        if (v === null || /^(https?|ftp):\/\//i.test(v) || /\.(tgz|tar|tar\.gz|xml)$/.test(v) || isPath(v)) continue;
        // `pecl.php.net/redis-6.1.0` or `channel://pecl.php.net/redis-6.1.0`: the name comes last;
        // `redis-6.1.0` pins, `redis` and the stability states (`redis-beta`) do not.
        const name = v.slice(v.lastIndexOf('/') + 1);
        if (/-\d/.test(name) || /\$/.test(name)) continue;
        const bare = name.replace(/-(alpha|beta|stable|devel|snapshot)$/i, '');
        add(w, v, `${v.slice(0, v.length - name.length)}${bare}-<version>`);
      }
      return out;
    }
    case 'gem': {
      if (pc.action !== 'install' || hasFlag(pc, '-v', '--version')) return [];
      for (const w of pc.operands) {
        const v = w.value;
        if (v === null || v.includes(':') || isPath(v) || v.endsWith('.gem') || v.includes('/')) continue;
        add(w, v, `${v}:<version>`);
      }
      return out;
    }
    case 'yum':
    case 'dnf': {
      if (pc.action === 'module install') {
        for (const w of pc.operands) if (w.value !== null && !w.value.includes(':')) add(w, w.value, `${w.value}:<stream>`);
        return out;
      }
      if (pc.action !== 'install') return [];
      for (const w of pc.operands) {
        const text = w.value ?? w.text;
        // `name-1.2.3` (or `name-${VERSION}`) pins; groups, capabilities, files and URLs do not name a version.
        if (/-(\d|\$)/.test(text) || w.value === null) continue;
        if (text.startsWith('@') || /[()/]/.test(text) || text.endsWith('.rpm') || hasGlob(text)) continue;
        add(w, text, `${text}-<version>`);
      }
      return out;
    }
    case 'zypper': {
      if (pc.action !== 'install') return [];
      const type = flagValues(pc, '-t', '--type')[0];
      if (type !== undefined && type !== 'package') return [];
      for (const w of pc.operands) {
        const v = w.value;
        if (v === null || /[=<>]/.test(v) || v.endsWith('.rpm') || isPath(v) || isUrl(v) || v.includes(':') || hasGlob(v)) continue;
        add(w, v, `${v}=<version>`);
      }
      return out;
    }
    case 'go': {
      if (pc.action !== 'install' && pc.action !== 'get' && pc.action !== 'run') return [];
      for (const w of pc.operands) {
        const text = w.value ?? w.text;
        if (isPath(text) || text === 'all' || text === 'std' || text === 'cmd') continue;
        const at = text.lastIndexOf('@');
        if (at >= 0) {
          const query = text.slice(at + 1);
          if (MOVING_GO.has(query.toLowerCase())) add(w, text, `${text.slice(0, at)}@<version>`, query);
          continue;
        }
        // Without `@`, `go install`/`go run` take the version from go.mod (or refuse outside a
        // module); `go get` resolves the newest release.
        if (pc.action === 'get' && w.value !== null && /^[^/]+\.[^/]+\//.test(text)) add(w, text, `${text}@<version>`);
        if (pc.action === 'run') break; // Words after the package are the program's own arguments.
      }
      return out;
    }
    case 'cargo': {
      if (pc.action !== 'install') return [];
      if (hasFlag(pc, '--version', '--vers', '--path')) return [];
      if (hasFlag(pc, '--git')) {
        if (hasFlag(pc, '--rev', '--tag')) return [];
        const git = pc.rest.find((w) => w.value === '--git' || w.value?.startsWith('--git='));
        if (git) add(git, git.value ?? git.text, '--git <url> --rev <commit>');
        return out;
      }
      for (const w of pc.operands) {
        const v = w.value;
        if (v === null || v.includes('@')) continue;
        add(w, v, `${v}@<version>`);
      }
      return out;
    }
    default:
      return [];
  }
}

/** npm-style specs: null when pinned (or not a registry package), else the name and the moving tag. */
function npmUnpinned(text: string, dynamic: boolean): { name: string; tag?: string } | null {
  if (isPath(text) || text.startsWith('file:') || isUrl(text) || /\.(tgz|tar\.gz|tar)$/.test(text)) {
    // A git URL pins with `#<commit or tag>`; tarballs and folders are fixed.
    return /^git(\+[a-z]+)?:\/\//.test(text) && !text.includes('#') ? { name: text } : null;
  }
  if (/^(github|gitlab|bitbucket|gist):/.test(text) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(text)) {
    return text.includes('#') ? null : { name: text };
  }
  if (text.startsWith('npm:')) text = text.slice(4);
  const at = text.indexOf('@', 1);
  if (at < 0) return dynamic ? null : { name: text };
  const spec = text.slice(at + 1);
  const name = text.slice(0, at);
  if (spec.startsWith('npm:')) return npmUnpinned(spec, dynamic);
  if (dynamic) return null;
  // A dist-tag (`latest`, `next`, `beta`…) moves; a version or range (`6`, `^1.2.0`, `v2`) does not.
  if (spec === '' || spec === '*' || spec === 'x' || (/^[A-Za-z][\w.-]*$/.test(spec) && !/^v\d/.test(spec))) return { name, tag: spec || undefined };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Caches
// ---------------------------------------------------------------------------------------------

/**
 * A directory a manager writes while it works. `~` is the user's home. A `cache` only saves
 * downloads, so hiding it from the image is always harmless; a `store` is read back by later
 * commands (`go mod download` then `go build`), so a mount over it must be on those RUNs too.
 */
export interface CacheDir {
  path: string;
  kind: 'cache' | 'store';
  /** What the directory holds; directories of the same role are alternatives, most specific first. */
  role: 'cache' | 'archives' | 'lists' | 'build' | 'modules' | 'registry' | 'git';
  /** `sharing=locked` for managers that cannot share a cache between concurrent builds (apt). */
  locked?: boolean;
}

/** Where a manager keeps its cache, given the variables in scope (PIP_CACHE_DIR, GOPATH…). */
export function cacheDirs(pc: PackageCommand, env: Variables): CacheDir[] {
  const v = (name: string) => env.get(name) ?? null;
  const unknown = (name: string) => env.has(name) && !env.get(name);
  const option = (...names: string[]) => flagValues(pc, ...names).filter((x): x is string => x !== null);
  const cache = (path: string, role: CacheDir['role'] = 'cache', locked?: boolean): CacheDir => ({ path, kind: 'cache', role, locked });
  const store = (path: string, role: CacheDir['role'] = 'cache', locked?: boolean): CacheDir => ({ path, kind: 'store', role, locked });
  const caches = (...paths: (string | null)[]) => paths.filter(isString).map((p) => cache(p));
  switch (pc.manager) {
    case 'apt':
      // Later RUNs read the lists back; the downloaded archives are only a cache.
      return [cache('/var/cache/apt', 'archives', true), store('/var/lib/apt/lists', 'lists', true)];
    case 'apk':
      return [cache('/var/cache/apk')];
    case 'pip':
      return caches(...option('--cache-dir'), v('PIP_CACHE_DIR'), '~/.cache/pip');
    case 'uv':
      return caches(...option('--cache-dir'), v('UV_CACHE_DIR'), '~/.cache/uv');
    case 'npm':
      return caches(...option('--cache'), v('npm_config_cache'), v('NPM_CONFIG_CACHE'), '~/.npm');
    case 'yarn': {
      // Yarn 1 keeps root's cache under /usr/local/share; Yarn 2+ (`--immutable`) under ~/.yarn/berry.
      const berry = hasFlag(pc, '--immutable', '--immutable-cache', '--check-cache');
      return caches(...option('--cache-folder'), v('YARN_CACHE_FOLDER'), ...(berry ? ['~/.yarn/berry/cache'] : ['/usr/local/share/.cache/yarn', '~/.cache/yarn']));
    }
    case 'pnpm': {
      // node_modules link into the store, so a later pnpm command reads it back.
      const home = v('PNPM_HOME');
      return [...option('--store-dir'), home ? `${home}/store` : null, '~/.local/share/pnpm/store'].filter(isString).map((p) => store(p));
    }
    case 'go': {
      // A GOPATH known to be set but not to what (an image of unknown layout): no module store.
      const gopath = v('GOPATH')?.split(':')[0] ?? (unknown('GOPATH') ? null : '~/go');
      const modPath = v('GOMODCACHE') ?? (gopath ? `${gopath}/pkg/mod` : null);
      const mod = modPath ? [store(modPath, 'modules')] : [];
      if (pc.action === 'mod download' || pc.action === 'get') return mod;
      return [cache(v('GOCACHE') ?? '~/.cache/go-build', 'build'), ...mod];
    }
    case 'cargo': {
      const home = v('CARGO_HOME') ?? (unknown('CARGO_HOME') ? null : '~/.cargo');
      return home ? [store(`${home}/registry`, 'registry'), store(`${home}/git`, 'git')] : [];
    }
    case 'maven': {
      const local = [...pc.leading, ...pc.rest].find((w) => w.value?.startsWith('-Dmaven.repo.local='))?.value?.split('=')[1];
      if (local) return [store(local)];
      // A settings file (`-s`) may move the local repository anywhere.
      return hasFlag(pc, '-s', '--settings', '-gs', '--global-settings') ? [] : [store('~/.m2')];
    }
    case 'gradle':
      return [store(v('GRADLE_USER_HOME') ?? '~/.gradle')];
    case 'composer': {
      const home = v('COMPOSER_HOME');
      return caches(v('COMPOSER_CACHE_DIR'), home ? `${home}/cache` : null);
    }
    case 'yum':
      return caches('/var/cache/yum', '/var/cache/dnf');
    case 'dnf':
      return pc.program === 'tdnf' ? caches('/var/cache/tdnf') : caches('/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum');
    case 'zypper':
      return caches('/var/cache/zypp');
    default:
      return [];
  }
}

/** Words in a cache mount's target that say whose cache it is, for caches mounted where we do not expect. */
const CACHE_HINTS: Record<ManagerId, RegExp> = {
  apt: /\/var\/(cache|lib)\/apt\b/,
  apk: /\/var\/cache\/apk\b|\/etc\/apk\/cache\b/,
  pip: /\bpip\b/,
  uv: /\buv\b/,
  npm: /\bnpm\b|\/\.npm\b/,
  yarn: /\byarn\b/,
  pnpm: /\bpnpm\b/,
  gem: /\bgem\b/,
  bundler: /\bbundle\b|\bgems?\b/,
  yum: /\/var\/cache\/(yum|dnf)\b/,
  dnf: /\/var\/cache\/(yum|dnf|libdnf5|tdnf)\b/,
  zypper: /\/var\/cache\/zypp\b/,
  go: /go-build|\/pkg\/mod\b/,
  cargo: /cargo/,
  maven: /\.m2\b|maven/,
  gradle: /gradle/,
  composer: /composer/,
  pecl: /\bpecl\b|\bpear\b/,
};

/** `rm`/`find -delete` of a path that satisfies `test`. */
function removes(command: ShellCommand, test: (path: string) => boolean): boolean {
  const run = unwrap(command);
  if (run?.program === 'rm') return run.args.some((a) => a.value !== null && !a.value.startsWith('-') && test(trimDir(a.value)));
  if (run?.program === 'find') return run.args.some((a) => a.value === '-delete') && run.args.some((a) => a.value !== null && test(trimDir(a.value)));
  return false;
}

const trimDir = (path: string) => path.replace(/\/\*?$/, '').replace(/\/+$/, '');
const under = (...dirs: string[]) => (p: string) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
/** A path under any home directory, or one of its parents there (`~/.npm`, `/root/.cache`, `$HOME/.cache/pip`). */
const inHome = (...rels: string[]) => (p: string) => rels.some((rel) => {
  const parts = rel.split('/');
  return parts.some((_, n) => p.endsWith(`/${parts.slice(0, n + 1).join('/')}`));
});

/** `$(pip cache dir)`, `$(go env GOMODCACHE)`…: a substitution that prints a manager's cache directory. */
const CACHE_QUERY = /^\$\(\s*(?:\S*\/)?(?:pip3?|python3?\s+-m\s+pip|uv|npm|yarn|pnpm|go|composer|cargo)\s+(?:cache\s+dir|config\s+get\s+cache|env\s+GO(?:MOD)?CACHE|store\s+path|config\s+cache-dir)\s*\)$/;

/** A path written in `rm` or `find`, quotes removed and the home expanded; null when unknown. */
function writtenPath(word: ShellWord, home: string | null): string | null {
  if (word.value !== null) return word.value.startsWith('~/') && home ? `${home}${word.value.slice(1)}` : word.value;
  const text = word.text.replace(/^"(.*)"$/, '$1');
  // An unknown home still ends in the part below it, which is what a `~/` directory is matched by.
  const expanded = text.replace(/^(?:\$HOME|\$\{HOME\}|~)(?=\/|$)/, home ?? '/home/~');
  return expanded.includes('$') || /["'`]/.test(expanded) ? null : expanded;
}

/** `pattern` (with `*` or `?`) names `path` the way the shell expands it: `*` skips dot-names. */
function globMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  return want.length === have.length && want.every((segment, i) => !(/^[*?]/.test(segment) && have[i].startsWith('.')) && globToRegExp(segment).test(have[i]));
}

/**
 * True when `command` deletes `dir` or a directory above it (`rm -r`, `find … -delete`): on a RUN
 * that mounts `dir`, the mount point cannot be removed and the RUN fails. `$(pip cache dir)` and
 * the like count as the cache directory itself. `~/` in `dir` is `home` (any home when unknown).
 */
export function deletesDirectory(command: ShellCommand, dir: string, home: string | null): boolean {
  const run = unwrap(command);
  if (!run || (run.program !== 'rm' && run.program !== 'find')) return false;
  let operands: ShellWord[];
  if (run.program === 'rm') {
    operands = run.args.filter((a) => !(a.value ?? '').startsWith('-'));
  } else {
    if (!run.args.some((a) => a.value === '-delete')) return false;
    const end = run.args.findIndex((a) => a.value !== null && /^[-(!]/.test(a.value));
    operands = end < 0 ? run.args : run.args.slice(0, end);
  }
  const target = normalizeDir(dir.startsWith('~/') && home ? `${home}${dir.slice(1)}` : dir);
  const above = (path: string) => {
    const parts = target.split('/');
    return parts.map((_, n) => parts.slice(0, n + 1).join('/') || '/').some((p) => (/[*?]/.test(path) ? globMatches(path, p) : p === path));
  };
  return operands.some((word) => {
    if (CACHE_QUERY.test(word.text.replace(/^"(.*)"$/, '$1'))) return true;
    const path = writtenPath(word, home);
    if (path === null) return false;
    const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
    // The home is not known: a path written under a home (`$HOME/.npm`, `/home/app/.npm`) is judged by the part below it.
    if (target.startsWith('~/')) return inHome(target.slice(2))(clean);
    return above(clean);
  });
}

/** True when the command is told not to keep a cache (`--no-cache`, `--no-cache-dir`, PIP_NO_CACHE_DIR…). */
export function cacheDisabled(pc: PackageCommand, vars: Variables): boolean {
  switch (pc.manager) {
    case 'apk':
      // `--no-network` reads only what is already there and downloads nothing.
      return hasFlag(pc, '--no-cache', '--no-network');
    case 'pip':
      // pip reads any value of PIP_NO_CACHE_DIR, even `0` or `false`, as "no cache" (a legacy it keeps).
      return hasFlag(pc, '--no-cache-dir') || (vars.has('PIP_NO_CACHE_DIR') && vars.get('PIP_NO_CACHE_DIR') !== '');
    case 'uv':
      return hasFlag(pc, '--no-cache', '-n') || TRUE.test(vars.get('UV_NO_CACHE') ?? '');
    case 'composer':
      return hasFlag(pc, '--no-cache') || TRUE.test(vars.get('COMPOSER_NO_CACHE') ?? '');
    default:
      return false;
  }
}

/**
 * True when `command` empties the manager's cache: `rm -rf /var/lib/apt/lists/*`, `npm cache
 * clean`, `dnf clean all`… `pc` is the command read as a package command, when it is one.
 */
export function cleansCache(manager: ManagerId, command: ShellCommand, pc: PackageCommand | null): boolean {
  const own = pc?.manager === manager ? pc : null;
  const sub = own ? `${own.action} ${own.operands[0]?.value ?? ''}`.trim() : '';
  switch (manager) {
    case 'apt':
      // The lists are what `apt-get update` leaves; `apt-get dist-clean` (apt 2.7+) removes them too.
      return removes(command, under('/var/lib/apt/lists', '/var/lib/apt')) || sub.startsWith('dist-clean');
    case 'apk':
      return removes(command, under('/var/cache/apk', '/etc/apk/cache'));
    case 'pip':
      return removes(command, inHome('.cache/pip')) || sub === 'cache purge';
    case 'uv':
      return removes(command, inHome('.cache/uv')) || sub === 'cache clean' || sub === 'cache prune';
    case 'npm':
      return removes(command, inHome('.npm')) || sub === 'cache clean';
    case 'yarn':
      return removes(command, (p) => under('/usr/local/share/.cache/yarn')(p) || inHome('.cache/yarn', '.yarn/berry/cache')(p)) || sub.startsWith('cache clean');
    case 'pnpm':
      return removes(command, inHome('.local/share/pnpm/store')) || sub === 'store prune';
    case 'yum':
    case 'dnf':
      return removes(command, under('/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/tdnf')) || sub === 'clean all';
    case 'zypper':
      return removes(command, under('/var/cache/zypp')) || sub.startsWith('clean');
    case 'go':
      return own !== null && own.action === 'clean' && hasFlag(own, '-cache', '-modcache');
    case 'composer':
      return own !== null && (own.action === 'clear-cache' || own.action === 'clearcache' || own.action === 'cc');
    default:
      return false;
  }
}

/**
 * Environment that well-known base images set, where a cache's location depends on it (the
 * golang image's GOPATH, the rust image's CARGO_HOME, the composer image's COMPOSER_HOME).
 */
export function imageVariables(model: DockerfileModel, instruction: DockerInstruction): Variables {
  const stage = model.stages[instruction.stage];
  if (!stage) return new Map();
  const chain = stageAncestry(model, stage);
  const ref = chain[chain.length - 1].base.ref;
  switch (ref?.name) {
    case 'golang':
      return new Map([['GOPATH', '/go']]);
    case 'rust':
    // cargo-chef's images are built FROM rust and keep its CARGO_HOME.
    case 'cargo-chef':
      return new Map([['CARGO_HOME', '/usr/local/cargo']]);
    case 'composer':
      return new Map([['COMPOSER_HOME', '/tmp']]);
    default:
      // An image of another publisher than Docker's official ones may bring its own toolchain
      // anywhere (CARGO_HOME, GOPATH): unknown, so no cache directory is guessed from them.
      // On an official image, a toolchain the Dockerfile installs uses its defaults.
      return ref && !officialImage(ref) ? new Map([['CARGO_HOME', null], ['GOPATH', null]]) : new Map();
  }
}

/** An image of Docker Hub's official library (`node`, `library/node`, `docker.io/node`). */
function officialImage(ref: ImageRef): boolean {
  const registry = ref.registry?.toLowerCase() ?? 'docker.io';
  return (registry === 'docker.io' || registry === 'index.docker.io') && !ref.repository.replace(/^library\//, '').includes('/');
}

function isString(x: string | null | undefined): x is string {
  return typeof x === 'string' && x.length > 0;
}

/** The `--mount` flags of a RUN: type and target. */
export function runMounts(instruction: DockerInstruction): { type: string; target: string; flagRange: Range }[] {
  return instruction.flags
    .filter((f) => f.name === 'mount')
    .map((f) => ({
      type: (f.options.get('type') ?? 'bind') || 'bind',
      target: normalizeDir(f.options.get('target') ?? f.options.get('dst') ?? f.options.get('destination') ?? ''),
      flagRange: f.range,
    }))
    .filter((m) => m.target !== '');
}

function normalizeDir(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** True when `target` is the directory or one of its parents; `~/x` matches any home. */
export function mountCovers(target: string, dir: string, home: string | null): boolean {
  const t = normalizeDir(target);
  if (dir.startsWith('~/')) {
    if (home) return mountCovers(t, `${home}${dir.slice(1)}`, null);
    // The home is unknown: match the part below it (`/home/app/.cache/pip` or `/x/.cache`).
    const parts = dir.slice(2).split('/');
    for (let n = parts.length; n >= 1; n--) if (t.endsWith(`/${parts.slice(0, n).join('/')}`)) return true;
    return false;
  }
  const d = normalizeDir(dir);
  return d === t || d.startsWith(`${t}/`) || t === '/';
}

/**
 * The mount of the RUN that keeps a manager's cache out of the layer, if any: a mount over one of
 * its directories (cache, tmpfs or bind: none of them is written to the image), or a cache mount
 * whose target names the manager.
 */
export function cacheMountFor(instruction: DockerInstruction, pc: PackageCommand, env: Variables, home: string | null): { type: string; target: string } | undefined {
  const mounts = runMounts(instruction);
  if (mounts.length === 0) return undefined;
  const dirs = cacheDirs(pc, env);
  return mounts.find((m) => dirs.some((d) => mountCovers(m.target, d.path, home)) || (m.type === 'cache' && CACHE_HINTS[pc.manager].test(m.target)));
}

// ---------------------------------------------------------------------------------------------
// Stages, variables and users: one pass per model, so rules stay linear on huge files
// ---------------------------------------------------------------------------------------------

/**
 * Indexes of the stages whose files end up in the shipped image: the stage that ships (by default
 * the release stage, see finalStage) and its FROM chain.
 */
export function finalImageStages(model: DockerfileModel, final = finalStage(model)): Set<number> {
  return new Set(final ? stageAncestry(model, final).map((s) => s.index) : []);
}

/** What holds just before each instruction of an image, and what later RUNs need. */
interface ImageIndex {
  /** ARG/ENV values in scope (shared between instructions until one changes them). */
  vars: Map<DockerInstruction, Variables>;
  /** The last USER before the instruction, expanded (null when a variable hides it); undefined when none. */
  user: Map<DockerInstruction, string | null | undefined>;
  /** A SHELL that is not a POSIX shell is in effect. */
  otherShell: Map<DockerInstruction, boolean>;
  /** A later RUN of the image reads the apt lists without running `apt-get update` first. */
  needsAptLists: Map<DockerInstruction, boolean>;
  /**
   * The first later command of the image (in the stage or a stage built FROM it) that reads the
   * apt lists without updating them first, or that Shipshape cannot read (a script), which may.
   */
  aptListsReader: Map<DockerInstruction, string>;
  /** The first opaque command (see scripts.ts) of a later RUN of the image. */
  laterOpaque: Map<DockerInstruction, string>;
  /** Per root stage and manager, the RUNs that use the manager (those without any mount first counted). */
  managerRuns: Map<string, { unmounted: number; runs: DockerInstruction[] }>;
  /** Stage index → stages built FROM it. */
  children: Map<number, Stage[]>;
}

/**
 * Variables that see through to the scope they were declared in instead of copying it, so a file
 * with thousands of ENV lines stays linear. Only `get` and `has` see the outer scopes: do not
 * iterate one. Lookups are cached along the path, so walking instructions in order costs O(1) each.
 */
export class ScopedVariables extends Map<string, string | null> {
  private readonly resolved = new Map<string, string | null | undefined>();

  constructor(private readonly outer: Variables | null) {
    super();
  }

  override get(name: string): string | null | undefined {
    if (super.has(name)) return super.get(name);
    if (this.resolved.has(name)) return this.resolved.get(name);
    // Walk outwards without recursion: a chain can be thousands of ENV lines long.
    const path: ScopedVariables[] = [this];
    let node: Variables | null = this.outer;
    let value: string | null | undefined;
    while (node) {
      if (!(node instanceof ScopedVariables)) {
        value = node.get(name);
        break;
      }
      if (Map.prototype.has.call(node, name)) {
        value = Map.prototype.get.call(node, name) as string | null;
        break;
      }
      if (node.resolved.has(name)) {
        value = node.resolved.get(name);
        break;
      }
      path.push(node);
      node = node.outer;
    }
    for (const n of path) n.resolved.set(name, value);
    return value;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** `top`'s variables, falling back to `fallback` for the ones it does not set. */
export function withFallback(top: Variables, fallback: Variables): Variables {
  return fallback.size === 0 ? top : new FallbackVariables(top, fallback);
}

class FallbackVariables extends Map<string, string | null> {
  constructor(private readonly top: Variables, private readonly fallback: Variables) {
    super();
  }

  override get(name: string): string | null | undefined {
    const value = this.top.get(name);
    return value !== undefined ? value : this.fallback.get(name);
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

const indexes = new WeakMap<DockerfileModel, ImageIndex>();
const POSIX_SHELL = /^\s*\[\s*"(?:\/usr)?(?:\/bin\/)?(?:sh|bash|ash|dash|zsh)"/;
const APT_READERS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download', 'reinstall', 'satisfy']);

function imageIndex(model: DockerfileModel): ImageIndex {
  let index = indexes.get(model);
  if (index) return index;
  index = { vars: new Map(), user: new Map(), otherShell: new Map(), needsAptLists: new Map(), aptListsReader: new Map(), laterOpaque: new Map(), managerRuns: new Map(), children: new Map() };
  const endVars = new Map<number, Variables>();
  const endUser = new Map<number, string | null | undefined>();
  const endShell = new Map<number, boolean>();
  for (const stage of model.stages) {
    const parent = stage.base.stageRef;
    if (parent !== null) index.children.set(parent, [...(index.children.get(parent) ?? []), stage]);
    let vars: Variables = parent !== null ? endVars.get(parent) ?? new Map() : new Map();
    let user = parent !== null ? endUser.get(parent) : undefined;
    let otherShell = parent !== null ? endShell.get(parent) ?? false : false;
    const root = stageAncestry(model, stage).pop()!.index;
    for (const i of stage.instructions) {
      if (i.keyword === 'FROM') continue;
      index.vars.set(i, vars);
      index.user.set(i, user);
      index.otherShell.set(i, otherShell);
      if (i.keyword === 'ENV' || i.keyword === 'ARG') {
        vars = new ScopedVariables(vars);
        const node = i.ast as unknown as { getProperties?(): { getName(): string; getValue(): string | null }[] };
        for (const p of node.getProperties?.() ?? []) {
          const raw = p.getValue();
          if (raw === null) vars.set(p.getName(), i.keyword === 'ARG' ? model.globalArgs.get(p.getName()) ?? vars.get(p.getName()) ?? null : null);
          else vars.set(p.getName(), expandVariables(raw, vars));
        }
      } else if (i.keyword === 'USER') {
        const written = i.args.trim();
        user = expandVariables(written, vars)?.split(':')[0] ?? null;
      } else if (i.keyword === 'SHELL') {
        otherShell = !POSIX_SHELL.test(i.args);
      } else if (i.keyword === 'RUN') {
        for (const manager of new Set(packageCommandsOf(model, i).map((pc) => pc.manager))) {
          const key = `${root}:${manager}`;
          const entry = index.managerRuns.get(key) ?? { unmounted: 0, runs: [] };
          if (!i.flags.some((f) => f.name === 'mount')) entry.unmounted++;
          entry.runs.push(i);
          index.managerRuns.set(key, entry);
        }
      }
    }
    endVars.set(stage.index, vars);
    endUser.set(stage.index, user);
    endShell.set(stage.index, otherShell);
  }
  // An ONBUILD trigger runs in the child image: with what this stage ends with.
  for (const trigger of model.triggers) {
    index.vars.set(trigger, endVars.get(trigger.stage) ?? new Map());
    index.user.set(trigger, endUser.get(trigger.stage));
    index.otherShell.set(trigger, endShell.get(trigger.stage) ?? false);
  }
  // Backwards: whether the next apt RUN reads lists it did not download. Stages built FROM a stage
  // come later in the file, so walking stages in reverse has every child done before its parent.
  // The same walk finds the first later reader of the lists, and the first opaque command.
  const needAtStart = new Map<number, boolean>();
  const readerAtStart = new Map<number, string | null>();
  const opaqueAtStart = new Map<number, string | null>();
  for (let s = model.stages.length - 1; s >= 0; s--) {
    const stage = model.stages[s];
    const children = index.children.get(stage.index) ?? [];
    let need = children.some((c) => needAtStart.get(c.index));
    let reader = children.map((c) => readerAtStart.get(c.index) ?? null).find((r) => r !== null) ?? null;
    let opaque = children.map((c) => opaqueAtStart.get(c.index) ?? null).find((r) => r !== null) ?? null;
    for (let k = stage.instructions.length - 1; k >= 0; k--) {
      const i = stage.instructions[k];
      index.needsAptLists.set(i, need);
      if (reader !== null) index.aptListsReader.set(i, reader);
      if (opaque !== null) index.laterOpaque.set(i, opaque);
      if (i.keyword !== 'RUN') continue;
      const apt = packageCommandsOf(model, i).filter((pc) => pc.manager === 'apt');
      const first = apt.find((pc) => pc.action === 'update' || APT_READERS.has(pc.action));
      if (first) need = first.action !== 'update';
      const effect = aptListsEffect(model, i, index.otherShell.get(i) ?? false);
      if (effect.opaque !== null) opaque = effect.opaque;
      if (effect.reads !== undefined) reader = effect.reads;
    }
    needAtStart.set(stage.index, need);
    readerAtStart.set(stage.index, reader);
    opaqueAtStart.set(stage.index, opaque);
  }
  indexes.set(model, index);
  return index;
}

/**
 * What a RUN does to the apt lists, reading its commands in order: `reads` is the first command
 * that reads them without updating them first (an install, or an opaque command, which may), null
 * when it updates them first, undefined when it does neither; `opaque` is its first opaque command.
 * A RUN the grammar cannot read, or in another shell, is opaque as a whole.
 */
function aptListsEffect(model: DockerfileModel, instruction: DockerInstruction, otherShell: boolean): { reads: string | null | undefined; opaque: string | null } {
  const script = shellOf(model, instruction);
  if (script.hasErrors || otherShell) {
    const text = `RUN ${instruction.args.trim().split('\n')[0].slice(0, 40)}`;
    return { reads: text, opaque: text };
  }
  let reads: string | null | undefined;
  let opaque: string | null = null;
  for (const command of script.commands) {
    const pc = packageCommand(command);
    const hidden = opaqueCommand(command, (c) => packageCommand(c) !== null);
    if (hidden !== null) opaque ??= hidden;
    if (reads !== undefined) continue;
    if (pc?.manager === 'apt' && pc.action === 'update') reads = null;
    else if (pc?.manager === 'apt' && APT_READERS.has(pc.action)) reads = commandText(pc);
    else if (hidden !== null) reads = hidden;
  }
  return { reads, opaque };
}

/** ARG and ENV values in scope for an instruction (defaults only); null marks a variable with no known value. */
export function variablesAt(model: DockerfileModel, instruction: DockerInstruction): Variables {
  return imageIndex(model).vars.get(instruction) ?? new Map();
}

/** The variables a command sees: those in scope plus its own `VAR=x` prefixes. */
export function commandVariables(scope: Variables, command: ShellCommand): Variables {
  if (command.assignments.length === 0) return scope;
  const vars = new ScopedVariables(scope);
  for (const a of command.assignments) vars.set(a.name, a.value);
  return vars;
}

/**
 * The home directory of the user a RUN runs as: `/root` for root (or when no USER is set on an
 * image that runs as root), `$HOME` when the Dockerfile sets it, otherwise null (unknown).
 */
export function homeAt(model: DockerfileModel, instruction: DockerInstruction, vars: Variables = variablesAt(model, instruction)): string | null {
  const home = vars.get('HOME');
  const user = userAt(model, instruction);
  if (user === 'root') return home ?? '/root';
  return user === null ? null : home ?? null;
}

/** `root`, another user's name, or null when unknown (a non-root base image, a variable). */
export function userAt(model: DockerfileModel, instruction: DockerInstruction): string | null {
  const user = imageIndex(model).user.get(instruction);
  if (user !== undefined) return user === '0' || user === 'root' ? 'root' : user;
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1];
  if (root.base.scratch) return 'root';
  if (!root.base.ref || root.base.resolved === null) return null;
  return runsAsNonRootByDefault(root.base.ref) ? null : 'root';
}

/**
 * The first later command of the image (later in the stage, or in a stage built FROM it) that
 * reads the apt lists without running `apt-get update` first, or that Shipshape cannot read and
 * so may (`/tmp/install-libheif`); null when none.
 */
export function aptListsReader(model: DockerfileModel, instruction: DockerInstruction): string | null {
  return imageIndex(model).aptListsReader.get(instruction) ?? null;
}

/** The first opaque command (a script, see scripts.ts) of a later RUN of the image, or null. */
export function laterOpaqueCommand(model: DockerfileModel, instruction: DockerInstruction): string | null {
  return imageIndex(model).laterOpaque.get(instruction) ?? null;
}

/** True when a later RUN of the image (later in the stage, or in a stage built FROM it) reads the apt lists without running `apt-get update` itself. */
export function laterRunsNeedAptLists(model: DockerfileModel, instruction: DockerInstruction): boolean {
  return imageIndex(model).needsAptLists.get(instruction) ?? false;
}

/**
 * True when another RUN built on the same root stage uses the manager without a mount over every
 * one of `dirs`: it would read back from the image what a mount on this RUN keeps out of it.
 * `instruction` must itself run the manager. Conservative: RUNs of sibling stages count too.
 */
export function otherRunsRead(model: DockerfileModel, instruction: DockerInstruction, manager: ManagerId, dirs: string[]): boolean {
  return otherRunReading(model, instruction, manager, dirs) !== null;
}

/** The command that makes otherRunsRead true (`go build`), or null. */
export function otherRunReading(model: DockerfileModel, instruction: DockerInstruction, manager: ManagerId, dirs: string[]): string | null {
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  const root = stageAncestry(model, stage).pop()!.index;
  const entry = imageIndex(model).managerRuns.get(`${root}:${manager}`);
  if (!entry) return null;
  // `instruction` runs the manager itself, so it is one of `runs`; a RUN without any mount is
  // counted before the loop, so that a file of thousands of such RUNs stays linear.
  const selfUnmounted = instruction.flags.some((f) => f.name === 'mount') ? 0 : 1;
  const reading = entry.unmounted - selfUnmounted > 0
    ? entry.runs.find((run) => run !== instruction && !run.flags.some((f) => f.name === 'mount'))
    : entry.runs.find((run) => run !== instruction && !dirs.every((d) => runMounts(run).some((m) => mountCovers(m.target, d, null))));
  if (!reading) return null;
  const pc = packageCommandsOf(model, reading).find((p) => p.manager === manager);
  return pc ? commandText(pc) : 'RUN';
}

/** True when the stage (or one it is built FROM) switches to a non-POSIX SHELL (PowerShell, cmd). */
export function usesOtherShell(model: DockerfileModel, instruction: DockerInstruction): boolean {
  return imageIndex(model).otherShell.get(instruction) ?? false;
}

/**
 * For each instruction, whether an earlier RUN of its image (or an earlier command of its own RUN,
 * before `before`) has an argument matching `pattern`: a configuration line such as
 * `APT::Install-Recommends "false";` written into a file. One pass per model and pattern.
 */
export function writtenBefore(model: DockerfileModel, instruction: DockerInstruction, before: ShellCommand, pattern: RegExp): boolean {
  const matches = (c: ShellCommand) => c.args.some((a) => a.value !== null && pattern.test(a.value));
  for (const c of shellOf(model, instruction).commands) {
    if (c === before) break;
    if (matches(c)) return true;
  }
  let memo = written.get(model);
  if (!memo) written.set(model, (memo = new Map()));
  let seen = memo.get(pattern.source);
  if (!seen) {
    seen = holdsBefore(model, (i) => i.keyword === 'RUN' && shellOf(model, i).commands.some(matches));
    memo.set(pattern.source, seen);
  }
  return seen.get(instruction) ?? false;
}

const written = new WeakMap<DockerfileModel, Map<string, Map<DockerInstruction, boolean>>>();

/**
 * For each instruction, whether an earlier COPY/ADD of its image (in its stage or a stage it is
 * built FROM) satisfies `test`. One pass; the caller memoizes per check.
 */
export function copiedBefore(model: DockerfileModel, test: (copy: DockerInstruction) => boolean): Map<DockerInstruction, boolean> {
  return holdsBefore(model, (i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && test(i));
}

/**
 * For each instruction, whether an earlier instruction of its image (in its stage, or in the
 * stages it is built FROM) satisfies `test`, asked of each instruction until one does. One pass.
 */
function holdsBefore(model: DockerfileModel, test: (instruction: DockerInstruction) => boolean): Map<DockerInstruction, boolean> {
  const found = new Map<DockerInstruction, boolean>();
  const end = new Map<number, boolean>();
  for (const stage of model.stages) {
    let state = stage.base.stageRef !== null ? end.get(stage.base.stageRef) ?? false : false;
    for (const i of stage.instructions) {
      found.set(i, state);
      if (!state) state = test(i);
    }
    end.set(stage.index, state);
  }
  return found;
}
// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/** The RUN (or other instruction) whose range holds a position. */
export function instructionAt(model: DockerfileModel, position: Range['start']): DockerInstruction | undefined {
  const offset = model.document.offsetAt(position);
  return model.instructions.find((i) => model.document.offsetAt(i.range.start) <= offset && offset <= model.document.offsetAt(i.range.end));
}

/** The span from the program to its subcommand (`apt-get install`, `zypper -n in`; past `sudo`), where findings about the subcommand point. */
export function commandSpan(pc: PackageCommand): Range {
  const last = pc.actionWords[pc.actionWords.length - 1] ?? pc.programWord;
  return { start: pc.programWord.range.start, end: last.range.end };
}

/** The package command of a RUN whose command, command span or one word has exactly a finding's range. */
export function packageCommandAt(model: DockerfileModel, range: Range): { instruction: DockerInstruction; pc: PackageCommand } | undefined {
  const instruction = instructionAt(model, range.start);
  if (!instruction || instruction.keyword !== 'RUN') return undefined;
  const same = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
  const pcs = packageCommandsOf(model, instruction);
  const found = pcs.find((pc) => same(pc.command.range, range))
    ?? pcs.find((pc) => same(commandSpan(pc), range))
    ?? pcs.find((pc) => pc.command.words.some((w) => same(w.range, range)));
  return found && { instruction, pc: found };
}

/** True when word ranges are exact, so an edit can target one word: not exec form, not `sh -c '…'`. */
export function editable(model: DockerfileModel, instruction: DockerInstruction, pc: PackageCommand): boolean {
  return !instruction.execForm && !pc.command.nested && !shellOf(model, instruction).hasErrors && !usesOtherShell(model, instruction);
}

/** Inserts ` text` right after a word. */
export function insertAfter(word: ShellWord, text: string): TextEdit {
  return { range: { start: word.range.end, end: word.range.end }, newText: ` ${text}` };
}

/**
 * Appends ` && text` after the last command of a RUN's script, so it runs once everything else
 * has. Null when the script does not end with a plain command (a loop, an `if`, a background `&`),
 * where the text would land somewhere else than intended.
 */
export function appendToRun(model: DockerfileModel, instruction: DockerInstruction, text: string): TextEdit | null {
  if (instruction.execForm || instruction.keyword !== 'RUN') return null;
  const script = shellOf(model, instruction);
  if (script.hasErrors) return null;
  const doc = model.document;
  const outer = script.commands.filter((c) => !c.nested);
  if (outer.length === 0) return null;
  let last = outer[0];
  for (const c of outer) if (doc.offsetAt(c.range.end) > doc.offsetAt(last.range.end)) last = c;
  const end = doc.offsetAt(last.range.end);
  const full = doc.getText();
  let after = full.slice(end, doc.offsetAt(instruction.range.end));
  // A here-document script ends at its terminator line.
  if (instruction.heredocs.length > 0) after = after.replace(new RegExp(`\\n\\s*${escapeRegExp(instruction.heredocs[instruction.heredocs.length - 1])}\\s*$`), '');
  const escape = model.escape === '`' ? '`' : '\\\\';
  const rest = after.replace(new RegExp(`${escape}[ \\t]*\\r?\\n`, 'g'), '').trim();
  // Only whitespace (or a closing `;`) may follow: anything else (`fi`, `done`, `)`, `&`, a
  // redirection) means the last command sits inside something the text must not join.
  if (rest !== '' && rest !== ';') return null;
  return { range: { start: last.range.end, end: last.range.end }, newText: ` && ${text}` };
}

/**
 * A no-op edit over the RUN keyword. Fixes that change how a RUN caches (a cache mount here, a
 * `--no-cache` there) include it, so fix-all never applies two of them to one RUN in a pass.
 */
export function claimRun(model: DockerfileModel, instruction: DockerInstruction): TextEdit {
  return { range: instruction.keywordRange, newText: model.document.getText(instruction.keywordRange) };
}

/** The command and its subcommand as a reader knows them (`apt-get install`, `python3 -m pip install`). */
export function commandText(pc: PackageCommand): string {
  const program = pc.program;
  const action = pc.actionWords.map((w) => w.value ?? w.text).join(' ');
  const prefix = pc.manager === 'pip' && PYTHON.test(program) ? `${program} -m pip` : program;
  return action ? `${prefix} ${action}` : prefix;
}
