import { stageAncestry, type DockerInstruction, type DockerfileModel } from './parse';
import { shellOf, type ShellCommand, type ShellWord } from './shell';
import { expandVariables, type Variables } from '../text/variables';
import { variablesAt } from './packages';

/** What is known of a user account; null where it is not known. Ids are numeric strings. */
export interface Account {
  home: string | null;
  uid: string | null;
  gid: string | null;
}

/** Accounts that official images create for their users (Docker Hub names, without a registry). */
const IMAGE_ACCOUNTS: Record<string, Record<string, Account>> = {
  // https://github.com/nodejs/docker-node: `groupadd --gid 1000 node && useradd --uid 1000 --gid node … --create-home node`.
  node: { node: { home: '/home/node', uid: '1000', gid: '1000' } },
};

/** Options that take a value, by command; long options are mapped to their short letter, or kept. */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  useradd: new Set(['b', 'c', 'd', 'e', 'f', 'g', 'G', 'k', 'K', 'p', 's', 'u', 'R', 'P', 'Z', 'base-dir', 'comment', 'home-dir', 'expiredate', 'inactive', 'gid', 'groups', 'skel', 'key', 'password', 'shell', 'uid', 'root', 'prefix', 'selinux-user']),
  // BusyBox (`-h DIR -u UID -G GROUP`, `-g` is the GECOS) and Debian's adduser (`--home --uid --gid --ingroup`).
  adduser: new Set(['h', 'g', 's', 'G', 'u', 'k', 'home', 'uid', 'gid', 'ingroup', 'shell', 'gecos', 'comment', 'firstuid', 'lastuid', 'firstgid', 'lastgid', 'conf', 'add-extra-groups', 'extrausers']),
  groupadd: new Set(['g', 'K', 'p', 'R', 'P', 'gid', 'key', 'password', 'root', 'prefix', 'users']),
  addgroup: new Set(['g', 'gid', 'conf']),
};

interface Parsed {
  options: Map<string, string | null>;
  operands: (string | null)[];
}

/**
 * Options and operands of a user or group command: `-ms /bin/bash` is `-m` and `-s /bin/bash`,
 * `--uid=1000` and `--uid 1000` are the same. A value that depends on an unknown variable is null.
 */
function parse(command: ShellCommand, valued: Set<string>, vars: Variables): Parsed {
  const value = (word: ShellWord | undefined) => (word ? word.value ?? expandVariables(word.text.replace(/^"(.*)"$/, '$1'), vars) : null);
  const options = new Map<string, string | null>();
  const operands: (string | null)[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const text = value(args[i]);
    if (text === null || !text.startsWith('-') || text === '-') {
      operands.push(text);
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = text.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) options.set(name, text.slice(eq + 1));
      else options.set(name, valued.has(name) ? value(args[++i]) : '');
      continue;
    }
    for (let k = 1; k < text.length; k++) {
      const letter = text[k];
      if (!valued.has(letter)) {
        options.set(letter, '');
        continue;
      }
      options.set(letter, k + 1 < text.length ? text.slice(k + 1) : value(args[++i]));
      break;
    }
  }
  return { options, operands };
}

const numeric = (v: string | null | undefined) => (v && /^\d+$/.test(v) ? v : null);
const first = (options: Map<string, string | null>, ...names: string[]) => {
  for (const n of names) if (options.has(n)) return options.get(n) ?? null;
  return undefined;
};

/** The account `useradd`/`adduser` creates, with the group ids known so far; null for other commands. */
function created(command: ShellCommand, groups: Map<string, string | null>, vars: Variables): { name: string; account: Account } | null {
  const program = command.program;
  if (program !== 'useradd' && program !== 'adduser') return null;
  const { options, operands } = parse(command, VALUE_OPTIONS[program], vars);
  const name = program === 'useradd' ? operands[operands.length - 1] : operands[0];
  if (!name) return null;
  const groupOf = (g: string | null | undefined) => (g === undefined ? undefined : numeric(g) ?? (g !== null ? groups.get(g) ?? null : null));
  let home: string | null;
  let gid: string | null | undefined;
  if (program === 'useradd') {
    // shadow's useradd: the home is `<base dir>/<name>` (`/home` by default) unless -d names it.
    const dir = first(options, 'd', 'home-dir');
    const base = first(options, 'b', 'base-dir');
    home = dir !== undefined ? dir : base !== undefined ? (base === null ? null : `${base.replace(/\/+$/, '')}/${name}`) : `/home/${name}`;
    gid = groupOf(first(options, 'g', 'gid'));
    // Without -g (and without -N) useradd creates a group of the same name, whose id is not known here.
  } else {
    const dir = first(options, 'h', 'home');
    // A system account's default home differs (BusyBox: /home/<name>, Debian: /nonexistent).
    const system = options.has('S') || options.has('system');
    home = dir !== undefined ? dir : system ? null : `/home/${name}`;
    gid = options.has('gid') ? numeric(options.get('gid')) : groupOf(first(options, 'ingroup', 'G'));
  }
  return { name, account: { home: home && home.startsWith('/') ? home.replace(/\/+$/, '') || '/' : null, uid: numeric(first(options, 'u', 'uid')), gid: gid ?? null } };
}

/** `groupadd -g 1000 app`, `addgroup -g 1000 app`, `addgroup --gid 1000 app`: the group and its id. */
function createdGroup(command: ShellCommand, vars: Variables): { name: string; gid: string | null } | null {
  const program = command.program;
  if (program !== 'groupadd' && program !== 'addgroup') return null;
  const { options, operands } = parse(command, VALUE_OPTIONS[program], vars);
  // `addgroup user group` (two operands) adds a user to a group; it creates nothing.
  if (operands.length !== 1 || !operands[0]) return null;
  return { name: operands[0], gid: numeric(first(options, 'g', 'gid')) };
}

/**
 * What is known of `user` when `instruction` runs: the account a RUN of the stage (or of the stages
 * it is built FROM) created before it, or the one its official base image ships. A numeric user is
 * its own uid. Null when nothing is known.
 */
export function accountAt(model: DockerfileModel, instruction: DockerInstruction, user: string): Account | null {
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  const chain = stageAncestry(model, stage).reverse();
  const root = chain[0].base;
  let account: Account | null = root.ref && root.ref.registry === null ? IMAGE_ACCOUNTS[root.ref.name]?.[user] ?? null : null;
  const groups = new Map<string, string | null>();
  const uid = numeric(user);
  done: for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) break done;
      if (i.keyword !== 'RUN') continue;
      const vars = variablesAt(model, i);
      for (const command of shellOf(model, i).commands) {
        const group = createdGroup(command, vars);
        if (group) groups.set(group.name, group.gid);
        const made = created(command, groups, vars);
        if (made && (made.name === user || (uid !== null && made.account.uid === uid))) account = made.account;
      }
    }
  }
  if (uid !== null) return { home: account?.home ?? null, uid, gid: account?.gid ?? null };
  return account;
}
