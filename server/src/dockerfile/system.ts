import type { ImageRef } from '../text/image';
import { parseImageRef } from '../text/image';
import { distroOf, tagNamesDistro } from '../text/images';
import type { BaseImage } from './parse';
import { imageTools } from './healthchecks';

/**
 * What the operating system of a base image provides to RUN: its package manager, its tools for
 * creating users, and the accounts it ships. Distributions differ where builds break: Alpine has
 * `apk` and BusyBox's `adduser`/`addgroup` but no `useradd`; Debian and Ubuntu have `apt-get`,
 * `useradd` and a Perl `adduser` that rejects BusyBox's options; UBI minimal has `microdnf` and no
 * `useradd`. Only what is certain is stated: an image whose distribution depends on a build
 * argument, or is not known, has no system here, and rules stay quiet about it.
 */

export type Family = 'alpine' | 'busybox' | 'debian' | 'redhat';

export interface BaseSystem {
  family: Family;
  /** A Red Hat family image with `microdnf` only and without shadow-utils (UBI minimal, Oracle Linux slim). */
  minimal: boolean;
  /** The plain `alpine` or `busybox` image, known to have no bash. */
  bare: boolean;
  /** Accounts the image ships, as far as known (system accounts and an application account). */
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /** The unprivileged account the image provides for applications: `node` in Node.js images, `app` in .NET 8+. */
  appUser: string | null;
  /**
   * The tools that certainly create accounts: shadow-utils' `groupadd`/`useradd` (Debian, Ubuntu,
   * and the Red Hat family images known to ship shadow-utils) or BusyBox's `addgroup`/`adduser`
   * (Alpine, BusyBox); null when unsure (Amazon Linux and minimal images lack shadow-utils).
   */
  accountTools: 'shadow' | 'busybox' | null;
  /** Download tools the image is known to ship (true) or to lack (false); null when not known (see healthchecks.ts). */
  curl: boolean | null;
  wget: boolean | null;
}

/** Red Hat family images whose standard variants ship shadow-utils; their `-minimal`/`-slim` ones do not. */
const SHADOW_REDHAT = new Set(['fedora', 'centos', 'rockylinux', 'almalinux', 'ubi', 'ubi8', 'ubi9', 'oraclelinux']);

const DEBIAN_USERS = ['root', 'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp', 'proxy', 'www-data', 'backup', 'list', 'irc', 'nobody'];
const DEBIAN_GROUPS = [
  'root', 'daemon', 'bin', 'sys', 'adm', 'tty', 'disk', 'lp', 'mail', 'news', 'uucp', 'man', 'proxy', 'kmem', 'dialout', 'fax', 'voice', 'cdrom',
  'floppy', 'tape', 'sudo', 'audio', 'dip', 'www-data', 'backup', 'operator', 'list', 'irc', 'src', 'shadow', 'utmp', 'video', 'sasl', 'plugdev',
  'staff', 'games', 'users', 'nogroup',
];
const ALPINE_USERS = ['root', 'bin', 'daemon', 'lp', 'sync', 'shutdown', 'halt', 'mail', 'news', 'uucp', 'cron', 'ftp', 'sshd', 'games', 'ntp', 'guest', 'nobody'];
const ALPINE_GROUPS = [
  'root', 'bin', 'daemon', 'sys', 'adm', 'tty', 'disk', 'lp', 'kmem', 'wheel', 'floppy', 'mail', 'news', 'uucp', 'cron', 'audio', 'cdrom', 'dialout',
  'ftp', 'sshd', 'input', 'tape', 'video', 'netdev', 'kvm', 'games', 'shadow', 'www-data', 'users', 'ntp', 'abuild', 'utmp', 'ping', 'nogroup',
];
const REDHAT_USERS = ['root', 'bin', 'daemon', 'adm', 'lp', 'sync', 'shutdown', 'halt', 'mail', 'operator', 'games', 'ftp', 'nobody'];
const REDHAT_GROUPS = ['root', 'bin', 'daemon', 'sys', 'adm', 'tty', 'disk', 'lp', 'mem', 'kmem', 'wheel', 'cdrom', 'mail', 'man', 'dialout', 'floppy', 'games', 'tape', 'video', 'ftp', 'lock', 'audio', 'users', 'nobody'];
const BUSYBOX_USERS = ['root', 'daemon', 'bin', 'sys', 'sync', 'mail', 'www-data', 'operator', 'nobody'];
const BUSYBOX_GROUPS = ['root', 'daemon', 'bin', 'sys', 'adm', 'tty', 'disk', 'lp', 'mail', 'kmem', 'wheel', 'cdrom', 'dialout', 'floppy', 'audio', 'tape', 'video', 'www-data', 'operator', 'staff', 'users', 'nogroup'];

const ACCOUNTS: Record<Family, { users: string[]; groups: string[] }> = {
  alpine: { users: ALPINE_USERS, groups: ALPINE_GROUPS },
  busybox: { users: BUSYBOX_USERS, groups: BUSYBOX_GROUPS },
  debian: { users: DEBIAN_USERS, groups: DEBIAN_GROUPS },
  redhat: { users: REDHAT_USERS, groups: REDHAT_GROUPS },
};

/** .NET's Linux images from 8.0 on ship the `app` user (uid 1654); mcr.microsoft.com/dotnet/{aspnet,runtime,runtime-deps,sdk}. */
const DOTNET = /^dotnet\/(?:nightly\/)?(?:aspnet|runtime|runtime-deps|sdk)$/;

function isDockerHub(ref: ImageRef): boolean {
  const registry = ref.registry?.toLowerCase() ?? 'docker.io';
  return (registry === 'docker.io' || registry === 'index.docker.io') && !ref.repository.replace(/^library\//, '').includes('/');
}

/** The account an image provides for applications, or null. */
function applicationUser(ref: ImageRef): string | null {
  if (ref.name === 'node' && isDockerHub(ref)) return 'node';
  if (ref.registry?.toLowerCase() === 'mcr.microsoft.com' && DOTNET.test(ref.repository.toLowerCase())) {
    const major = Number(/^(\d+)\.\d/.exec(ref.tag ?? '')?.[1] ?? NaN);
    if (major >= 8) return 'app';
  }
  return null;
}

/**
 * The image as far as its written text fixes it: a variable in the repository makes it unknown,
 * one in the tag leaves it known only when the tag's literal text names the distribution
 * (`python:${PY}-alpine` is Alpine whatever PY is; `python:${TAG}` may be anything).
 */
/** A tag that puts another base under a known name (`ubi9`'s tags do not, Amazon Linux ones do). */
const REDHAT_TAG_OTHER = /amazonlinux|al2|corretto|slim/;

function literalRef(base: Pick<BaseImage, 'text' | 'ref'>): ImageRef | null {
  if (!base.text.includes('$')) return base.ref;
  const marked = base.text.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '\u0000');
  const ref = parseImageRef(marked);
  if (!ref || ref.repository.includes('\u0000') || ref.registry?.includes('\u0000')) return null;
  if (ref.tag?.includes('\u0000') && !tagNamesDistro(ref.tag.replace(/\u0000/g, '-'))) return null;
  return base.ref;
}

/** The system of the image a stage chain starts FROM (pass the root stage's base), or null when unknown. */
export function baseSystem(base: Pick<BaseImage, 'text' | 'ref' | 'resolved' | 'stageRef' | 'scratch'>): BaseSystem | null {
  if (base.stageRef !== null || base.resolved === null || base.scratch) return null;
  const ref = literalRef(base);
  return ref ? systemOf(ref) : null;
}

/** The system of an image reference, or null when its distribution is unknown. */
export function systemOf(ref: ImageRef): BaseSystem | null {
  let family: Family;
  if (ref.name === 'busybox' && isDockerHub(ref)) family = 'busybox';
  else {
    const distro = distroOf(ref);
    if (distro !== 'alpine' && distro !== 'debian' && distro !== 'redhat') return null;
    family = distro;
  }
  const tag = ref.tag?.toLowerCase() ?? '';
  const minimal = family === 'redhat' && (/minimal/.test(ref.name) || /minimal/.test(tag) || (ref.name === 'oraclelinux' && /slim/.test(tag)));
  const bare = isDockerHub(ref) && (ref.name === 'alpine' || ref.name === 'busybox');
  const appUser = applicationUser(ref);
  const users = new Set(ACCOUNTS[family].users);
  const groups = new Set(ACCOUNTS[family].groups);
  if (appUser) {
    users.add(appUser);
    groups.add(appUser);
  }
  const accountTools = family === 'debian' || (family === 'redhat' && !minimal && SHADOW_REDHAT.has(ref.name) && !REDHAT_TAG_OTHER.test(tag)) ? 'shadow'
    : family === 'alpine' || family === 'busybox' ? 'busybox' : null;
  const tools = imageTools(distroOf(ref), ref);
  return { family, minimal, bare, users, groups, appUser, accountTools, curl: tools.curl, wget: tools.wget };
}

/** Package managers, by the family that has them. */
const APT = ['apt-get', 'apt', 'apt-cache', 'apt-mark', 'apt-key', 'aptitude', 'dpkg', 'dpkg-reconfigure'];
const RPM = ['dnf', 'dnf5', 'yum', 'microdnf', 'tdnf', 'zypper', 'rpm'];
/** shadow-utils' account tools: Debian and Ubuntu always have them; Alpine only with the `shadow` package. */
const SHADOW = ['useradd', 'groupadd', 'usermod', 'groupmod', 'userdel', 'groupdel', 'chpasswd'];

/** Every package that brings a command `missingCommand` judges. */
export const PROVIDERS: ReadonlySet<string> = new Set([...APT, ...RPM, 'apk', 'shadow', 'shadow-utils', 'bash', 'curl', 'wget']);

/** A command the image does not have, the packages that would bring it, and what to use instead. */
export interface MissingCommand {
  /** Installing one of these earlier makes the command available. */
  providers: string[];
  instead: string;
}

function installHint(system: BaseSystem): string {
  switch (system.family) {
    case 'alpine':
      return 'use `apk add`, Alpine\'s package manager';
    case 'debian':
      return 'use `apt-get install`, the package manager of Debian and Ubuntu';
    case 'redhat':
      return system.minimal ? 'use `microdnf install`, the only package manager of minimal Red Hat images' : 'use `dnf install` (or `yum install` on older releases)';
    case 'busybox':
      return 'BusyBox has no package manager: build on an image that has one, such as `alpine`';
  }
}

function installCommand(system: BaseSystem, pkg: string): string {
  switch (system.family) {
    case 'alpine':
      return `\`apk add --no-cache ${pkg}\``;
    case 'debian':
      return `\`apt-get update && apt-get install -y --no-install-recommends ${pkg}\``;
    case 'redhat':
      return `\`${system.minimal ? 'microdnf' : 'dnf'} install -y ${pkg}\``;
    case 'busybox':
      return 'from another stage with `COPY --from`';
  }
}

/** What is missing when a stage built on this system runs `program`; null when the program is there or unknown. */
export function missingCommand(system: BaseSystem, program: string): MissingCommand | null {
  const { family } = system;
  const manager = (providers: string[] = [program]): MissingCommand => ({ providers, instead: installHint(system) });
  if (APT.includes(program)) return family === 'debian' ? null : manager();
  if (program === 'apk') return family === 'alpine' ? null : manager();
  if (RPM.includes(program)) {
    if (family === 'alpine' || family === 'busybox' || family === 'debian') return manager();
    // Minimal Red Hat images have microdnf and rpm only.
    if (system.minimal && ['dnf', 'dnf5', 'yum', 'tdnf', 'zypper'].includes(program)) return manager();
    return null;
  }
  if (SHADOW.includes(program)) {
    if (family === 'alpine') return { providers: ['shadow'], instead: 'use BusyBox\'s `addgroup -S` and `adduser -S`, or install the `shadow` package first' };
    if (family === 'busybox') return { providers: [], instead: 'use BusyBox\'s `addgroup -S` and `adduser -S`' };
    if (system.minimal) return { providers: ['shadow-utils'], instead: 'install `shadow-utils` first (`microdnf install -y shadow-utils`)' };
    return null;
  }
  if ((program === 'adduser' || program === 'addgroup') && system.minimal) {
    return { providers: ['shadow-utils'], instead: 'install `shadow-utils` first (`microdnf install -y shadow-utils`) and use `useradd`' };
  }
  if ((program === 'curl' || program === 'wget') && system[program] === false) {
    const other = program === 'curl' && system.wget ? ', or use BusyBox\'s `wget`' : '';
    return { providers: [program], instead: `install it in an earlier step (${installCommand(system, program)})${other}` };
  }
  if (program === 'bash' && system.bare) {
    return { providers: ['bash'], instead: family === 'alpine' ? 'use `sh`, or install bash first (`apk add bash`)' : 'use `sh`' };
  }
  return null;
}

/**
 * BusyBox options of `adduser`/`addgroup` (`-S`, `-D`, `-G`…) that Debian's Perl `adduser`
 * rejects: it reads single-dash words as abbreviated long options, and `-S` could be `--system`
 * or `--shell`, so it stops with "Option S is ambiguous". `-u`, `-h`, `-q` and `-c` mean something
 * to it, so they are left alone.
 */
export function busyboxOnlyOption(args: (string | null)[]): string | null {
  for (const arg of args) {
    if (arg === null || !/^-[A-Za-z]/.test(arg)) continue;
    if (/^-[SDGHgsk]$/.test(arg) || /^-[SDGHhgsuk]{2,}$/.test(arg)) return arg;
  }
  return null;
}

/** A name for the family, in messages: "an Alpine image". */
export function describeFamily(system: BaseSystem): string {
  switch (system.family) {
    case 'alpine':
      return 'an Alpine image';
    case 'busybox':
      return 'a BusyBox image';
    case 'debian':
      return 'a Debian or Ubuntu image';
    case 'redhat':
      return system.minimal ? 'a minimal Red Hat family image' : 'a Red Hat family image';
  }
}
