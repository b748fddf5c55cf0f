import type { DockerInstruction, DockerfileModel, Stage } from './parse';
import { shellOf, type ShellCommand, type ShellWord } from './shell';
import { runsPosixShell } from './shells';
import { expandVariables } from '../text/variables';
import type { Family } from './system';

/**
 * The users and groups RUN commands create, read the way each tool reads its arguments:
 * shadow-utils' `useradd`/`groupadd` (Debian, Ubuntu, Red Hat; Alpine with `shadow`), BusyBox's
 * `adduser`/`addgroup` (Alpine, BusyBox) and Debian's Perl `adduser`/`addgroup`. Creating a name
 * that exists fails the build (useradd exits 9, BusyBox prints "user 'app' in use"), so fixes
 * that add a user ask here first.
 */

export interface AccountCreation {
  kind: 'user' | 'group';
  /** The name, with build-arg and ENV defaults expanded; null when it stays unknown. */
  name: string | null;
  /** `groupadd -f` succeeds when the group exists. */
  tolerant: boolean;
  instruction: DockerInstruction;
  command: ShellCommand;
}

const USERADD_VALUES = new Set([
  '-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '--home', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid', '-G', '--groups',
  '-k', '--skel', '-K', '--key', '-p', '--password', '-s', '--shell', '-u', '--uid', '-R', '--root', '-P', '--prefix', '-Z', '--selinux-user',
]);
const GROUPADD_VALUES = new Set(['-g', '--gid', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-U', '--users']);
const BUSYBOX_ADDUSER_VALUES = new Set(['-h', '-g', '-s', '-G', '-u', '-k', '--home', '--gecos', '--shell', '--ingroup', '--uid', '--skel']);
const BUSYBOX_ADDGROUP_VALUES = new Set(['-g', '--gid']);
const DEBIAN_VALUES = new Set(['--home', '--shell', '--gecos', '--comment', '--uid', '--gid', '--ingroup', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf', '-c']);

interface Parsed {
  options: string[];
  positionals: ShellWord[];
}

/** Options (with `=value` or their separate value skipped) and positional words. */
function parse(command: ShellCommand, valued: Set<string>): Parsed {
  const options: string[] = [];
  const positionals: ShellWord[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    // `--gid=$APP_UID` is an option whatever the variable holds.
    const v = args[i].value ?? args[i].text;
    if (v.startsWith('-') && v.length > 1) {
      options.push(v.split('=')[0]);
      if (!v.includes('=') && valued.has(v)) i++;
      continue;
    }
    positionals.push(args[i]);
  }
  return { options, positionals };
}

const has = (parsed: Parsed, ...names: string[]) => parsed.options.some((o) => names.includes(o));

/** The accounts one command creates. `family` picks the `adduser` it runs (null: guessed from its options). */
export function createdBy(command: ShellCommand, family: Family | null, name: (word: ShellWord) => string | null): Omit<AccountCreation, 'instruction' | 'command'>[] {
  const program = command.program;
  const user = (word: ShellWord | undefined) => ({ kind: 'user' as const, name: word ? name(word) : null, tolerant: false });
  const group = (word: ShellWord | undefined, tolerant = false) => ({ kind: 'group' as const, name: word ? name(word) : null, tolerant });
  const shadowUser = (parsed: Parsed) => {
    const login = parsed.positionals[parsed.positionals.length - 1];
    // Without -g or -N, useradd also creates a group named after the user (USERGROUPS_ENAB yes).
    return has(parsed, '-g', '--gid', '-N', '--no-user-group') ? [user(login)] : [user(login), group(login)];
  };
  if (program === 'useradd') return shadowUser(parse(command, USERADD_VALUES));
  if (program === 'groupadd') {
    const parsed = parse(command, GROUPADD_VALUES);
    return [group(parsed.positionals[parsed.positionals.length - 1], has(parsed, '-f', '--force'))];
  }
  if (program !== 'adduser' && program !== 'addgroup') return [];
  const values = command.args.map((a) => a.value ?? '');
  const flavour = family === 'redhat' ? 'shadow'
    : family === 'alpine' || family === 'busybox' ? 'busybox'
      : family === 'debian' ? 'debian'
        : values.some((v) => /^-[SDHG]$/.test(v)) ? 'busybox' : 'debian';
  // Red Hat's adduser is a link to useradd.
  if (flavour === 'shadow') return program === 'adduser' ? shadowUser(parse(command, USERADD_VALUES)) : [];
  if (program === 'addgroup') {
    const parsed = parse(command, flavour === 'busybox' ? BUSYBOX_ADDGROUP_VALUES : DEBIAN_VALUES);
    // `addgroup USER GROUP` adds an existing user to a group.
    return parsed.positionals.length === 1 ? [group(parsed.positionals[0])] : [];
  }
  if (flavour === 'busybox') {
    const parsed = parse(command, BUSYBOX_ADDUSER_VALUES);
    if (parsed.positionals.length !== 1) return [];
    // Without -G, BusyBox puts a system user in `nogroup` and gives any other one a group of its name.
    return has(parsed, '-G', '--ingroup') || has(parsed, '-S', '--system') ? [user(parsed.positionals[0])] : [user(parsed.positionals[0]), group(parsed.positionals[0])];
  }
  const parsed = parse(command, DEBIAN_VALUES);
  if (parsed.positionals.length !== 1) return [];
  const system = has(parsed, '--system');
  // `adduser --group NAME` (without --system) is addgroup.
  if (has(parsed, '--group') && !system) return [group(parsed.positionals[0])];
  const ownGroup = system ? has(parsed, '--group') : !has(parsed, '--ingroup', '--gid');
  return ownGroup ? [user(parsed.positionals[0]), group(parsed.positionals[0])] : [user(parsed.positionals[0])];
}

/** The accounts the RUNs of a stage create, in order (commands on a condition included). */
export function accountsCreated(model: DockerfileModel, stage: Stage, family: Family | null): AccountCreation[] {
  const found: AccountCreation[] = [];
  const name = (word: ShellWord) => word.value ?? expandVariables(word.text.replace(/^"(.*)"$/, '$1'), stage.variables);
  for (const instruction of stage.instructions) {
    if (instruction.keyword !== 'RUN' || !runsPosixShell(model, instruction)) continue;
    for (const command of shellOf(model, instruction).commands) {
      for (const created of createdBy(command, family, name)) found.push({ ...created, instruction, command });
    }
  }
  return found;
}
