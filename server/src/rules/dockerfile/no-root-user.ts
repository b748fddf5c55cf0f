import { basename, posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { insertAtEnd, insertBefore, insertBeforeStart } from '../../fixes/dockerfileEdits';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shellOf } from '../../dockerfile/shell';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { expandVariables } from '../../text/variables';
import { distroOf, ownPrivilegeDrop, runsAsNonRootByDefault, startsShellByDefault, type OwnPrivilegeDrop } from '../../text/images';
import { carriesApplication, onlyInstallsRuntime } from '../../dockerfile/application';
import { commandWords, startWords } from '../../dockerfile/healthchecks';
import { baseSystem, systemOf } from '../../dockerfile/system';
import { accountsCreated } from '../../dockerfile/accounts';
import { onlyChecks, rootNeed, userSwitchBreaks, wasmImage, type RootNeed } from '../../dockerfile/rootAtStart';
import type { ImageRef } from '../../text/image';
import { envDirectories } from '../../dockerfile/envDirectories';

/**
 * A final command that is only a shell or a language REPL marks a base or toolbox image, meant to
 * be built upon: the image that runs the application decides its user.
 */
const INTERACTIVE = /^(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:bash|sh|ash|zsh|python\d*(?:\.\d+)?|node|irb|ghci|iex|erl|jshell|pwsh|powershell|cmd)$/i;

function startsInteractively(stage: Stage): boolean {
  const command = [...stage.instructions].reverse().find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (!command || command.keyword !== 'CMD') return false;
  const words = command.json ?? command.args.trim().split(/\s+/);
  return words.length === 1 && INTERACTIVE.test(words[0]);
}

/**
 * A Dockerfile named for development, debugging or tests (`Dockerfile.dev`, `Dockerfile.debug`,
 * `test.Dockerfile`); not `ci`, which often names the release image a CI workflow builds.
 */
const DEVELOPMENT_FILE = /(?:^|[.\-_])(?:dev|devel|develop|development|debug|local|test|tests|testing)(?:[.\-_]|$)/i;

/** Tools an entrypoint uses to drop from root to another user at start-up. */
const PRIVILEGE_DROP = /\b(gosu|su-exec|setpriv|s6-setuidgid|chpst|runuser|setuser)\b|--userspec/;

/**
 * A process running as root inside the container is root on the host if it escapes; only the
 * stage that ships matters (see shippedStage), since build and test stages never run in production.
 */
export default dockerfileRule({
  id: 'no-root-user',
  aliases: ['DL3002', 'DL3063', '67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae', 'fd54f200-402c-4333-a5a4-36ef6709af2f'],
  title: 'Run the final stage as a non-root user',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const final = shippedStage({ dockerfile, path, files });
    if (!final) return;
    const chain = stageAncestry(dockerfile, final);
    const label = shippedStageLabel(dockerfile, final);
    const root = chain[chain.length - 1];
    const base = root.base;
    const dropsInDockerfile = chain.some((stage) => stage.instructions.some((i) => PRIVILEGE_DROP.test(i.args)));
    for (const stage of chain) {
      const users = stage.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (!last) continue;
      const written = last.args.trim();
      const user = (expandVariables(written, stage.variables) ?? written).split(':')[0];
      if ((user === 'root' || user === '0') && last.argsRange) {
        // Root on purpose: the entrypoint drops privileges (gosu), or the start-up needs root.
        const need = dropsInDockerfile ? ({ kind: 'drops' } as const) : rootNeed(dockerfile, chain, { path, files });
        if (need?.kind === 'drops') return;
        // Written out, USER root is a decision; it undoes one only where the base image runs unprivileged.
        const undoes = base.stageRef === null && base.ref !== null && runsAsNonRootByDefault(base.ref);
        report({
          range: last.argsRange,
          message: need ? needMessage(label, `runs as \`${written}\``, need) : `${label} runs as \`${written}\`, so a process that escapes the container is root on the host; switch to an unprivileged user after the steps that need root.`,
          severity: undoes && !need ? 'warning' : 'info',
        });
      }
      return;
    }
    if (base.stageRef !== null || base.resolved === null) return;
    if (base.ref && runsAsNonRootByDefault(base.ref)) return;
    if (distroOf(base.ref, base.scratch) === 'windows') return;
    if (dropsInDockerfile) return;
    // An image that is only built (a lint or test stage) or a WebAssembly module has no Linux user to judge.
    if (onlyChecks(dockerfile, chain, path) || wasmImage(chain)) return;
    if (startsInteractively(final) || (base.ref && startsShellByDefault(base.ref) && onlyInstallsRuntime(chain))) return;
    // An image that only installs a runtime or a server (as the official images of nginx, golang
    // or php do) is a base for others: the image that adds the application decides its user.
    if (!carriesApplication(chain, startWords(dockerfile, chain))) return;
    const drop = base.ref ? ownPrivilegeDrop(base.ref) : null;
    if (drop && startsServer(dockerfile, chain, drop)) {
      // The database images' entrypoints run the server as its own user. nginx and Apache keep
      // only their master process as root, and a USER line alone breaks them: no fix is offered.
      if (drop.how === 'workers') report({ range: final.base.range, message: serverMessage(base.resolved, drop), severity: 'info' });
      return;
    }
    const runsAs = `never sets USER, so the container runs as root (the default of \`${base.resolved}\`)`;
    // Started by a supervisor, cron or a script that needs root, or run as several Compose
    // services: a USER line would break it, so the finding is an info without a fix.
    const need = rootNeed(dockerfile, chain, { path, files });
    if (need?.kind === 'drops') return;
    if (need) {
      report({ range: final.base.range, message: needMessage(label, runsAs, need), severity: 'info' });
      return;
    }
    // `Dockerfile.dev`, `Dockerfile.debug`: root is usual there (debuggers attach to the app); the Dockerfile that ships is judged on its own.
    const development = path !== null && (DEVELOPMENT_FILE.test(basename(path)) || path.split(/[\\/]/).includes('.devcontainer'));
    report({
      range: final.base.range,
      message: development
        ? `${label} ${runsAs}, which a development image such as \`${basename(path ?? '')}\` may accept; add a USER with an unprivileged account if it ever runs outside development.`
        : `${label} ${runsAs}; add a USER with an unprivileged account.`,
      data: { missingUser: true },
      ...(development ? { severity: 'info' as const } : {}),
    });
  },
  fix(finding, dockerfile, context) {
    if (!finding.data?.missingUser) return undefined;
    const final = shippedStage({ dockerfile, ...context });
    if (!final) return undefined;
    const plan = userPlan(dockerfile, final);
    if (!plan) return undefined;
    const breaks = userSwitchBreaks(dockerfile, stageAncestry(dockerfile, final), context);
    if (breaks) return { title: plan.title, edits: [], safe: false, declined: { summary: 'not fixed', reason: `${breaks}, so the app would fail as \`${plan.user}\`` } };
    // USER before the CMD reads best, but a RUN after the CMD would then run unprivileged and fail.
    const start = final.instructions.findIndex((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    const atEnd = start < 0 || final.instructions.slice(start).some((i) => i.keyword === 'RUN');
    // The setup runs as root, so before the USER line; and before a VOLUME when it can, since the
    // classic builder discards changes to a volume's directory made after VOLUME.
    const volume = plan.firstVolume && plan.dirs.length > 0 && (atEnd || final.instructions.indexOf(plan.firstVolume) < start) ? plan.firstVolume : null;
    // Before a VOLUME (or its WORKDIR) the directories may not exist yet.
    const own = plan.dirs.length === 0 ? null : `${plan.firstVolume || plan.made ? `mkdir -p ${plan.dirs.join(' ')} && ` : ''}chown ${plan.user} ${plan.dirs.join(' ')}`;
    const steps = [plan.create, own].filter((step): step is string => step !== null);
    const setup = steps.length > 0 ? `RUN ${steps.join(' && ')}` : null;
    const edits: TextEdit[] = [];
    const switchLines = [`USER ${plan.user}`];
    if (setup && volume) edits.push(insertBefore(dockerfile, volume, [setup]));
    else if (setup) switchLines.unshift(setup);
    edits.push(atEnd ? insertAtEnd(dockerfile, final, switchLines) : insertBeforeStart(dockerfile, final, switchLines));
    return { title: plan.title, edits, safe: false };
  },
});

/**
 * True when the image still starts its own server: the image's entrypoint and a CMD (if any) that
 * runs the server. A start-up script of the Dockerfile's own (`/entrypoint.sh`, which ends in
 * `exec "$@"`) before a CMD that names the server still starts it, but only the image's
 * entrypoint switches the database images to their user.
 */
function startsServer(model: Parameters<typeof startWords>[0], chain: Stage[], drop: OwnPrivilegeDrop): boolean {
  const own = (keyword: string) => chain.flatMap((s) => s.instructions).filter((i) => i.keyword === keyword).pop();
  const cmd = own('CMD');
  const first = cmd ? commandWords(model, cmd)[0] ?? '' : null;
  const names = (word: string) => drop.commands.includes(word.slice(word.lastIndexOf('/') + 1));
  const entrypoint = own('ENTRYPOINT');
  const script = entrypoint ? commandWords(model, entrypoint)[0] ?? '' : null;
  // `ENTRYPOINT ["nginx", "-g", "daemon off;"]` starts the server itself, which still drops its workers
  // (the database images' own entrypoint, which switches the user, is then bypassed).
  if (script !== null && names(script)) return drop.how === 'workers';
  if (script !== null && !/(^|\/)docker-entrypoint(\.sh)?$/.test(script)) {
    return drop.how === 'workers' && /(\.sh|entrypoint[\w.-]*)$/.test(script) && first !== null && names(first);
  }
  return first === null || first.startsWith('-') || names(first);
}

/** The info for an image that must start as root: what needs it, and how to keep the rest off root. */
function needMessage(label: string, runsAs: string, need: Exclude<RootNeed, { kind: 'drops' }>): string {
  switch (need.kind) {
    case 'supervisor':
      return `${label} ${runsAs}, which \`${need.what}\` needs to start the services it supervises; make sure each of them drops to its own user (\`chpst -u\`, \`user=\` in supervisord.conf, \`s6-setuidgid\`).`;
    case 'cron':
      return `${label} ${runsAs}, which \`${need.what}\` needs to run its jobs; give the jobs an unprivileged user (the user field of an /etc/cron.d entry, or that user's crontab).`;
    case 'daemon':
      return `${label} ${runsAs}, which \`${need.what}\` needs to start; make sure it drops to its own user once it has.`;
    case 'server':
      return `${label} ${runsAs}, which \`${need.what}\` needs, since it starts as root and runs only its worker processes unprivileged; to take root from the master process too, set USER once it can bind its port and write its pid and log files as that user (a USER line alone stops it).`;
    case 'script':
      return `${label} ${runsAs}, which its start-up script \`${need.what}\` needs (${need.detail}); end the script by dropping to an unprivileged user (\`exec gosu app "$@"\`, \`su-exec\`, \`setpriv\`).`;
    case 'services':
      return `${label} ${runsAs}, and Compose runs it as several services with their own commands (${need.what}); set \`user:\` on those that do not need root, since one USER line would apply to all of them.`;
  }
}

function serverMessage(image: string, drop: OwnPrivilegeDrop): string {
  const advice = drop.unprivileged
    ? `build on \`${drop.unprivileged}\` to run ${drop.server} without root (it listens on 8080 and keeps its pid file in /tmp), since a USER line alone makes this image fail on /var/cache/nginx and its pid file`
    : `to take root from the master process too, set \`USER ${drop.user}\` once ${drop.server} can bind its port and write its pid and log files as that user (a USER line alone can stop it from starting)`;
  return `\`${image}\` starts ${drop.server} as root, and only its worker processes run as \`${drop.user}\`; ${advice}.`;
}

/** Images whose server starts as root and drops privileges itself; as another user it cannot write its cache and pid file. */
function serverDropsPrivileges(ref: ImageRef | null): boolean {
  if (!ref) return false;
  return ref.name === 'nginx' || ref.name === 'httpd' || (ref.name === 'php' && /apache/.test(ref.tag ?? ''));
}

/** Directories that are the system's own: a user of the app is not made their owner. */
const SYSTEM_DIRS = new Set(['/bin', '/sbin', '/lib', '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/local', '/usr/local/bin', '/etc', '/var', '/opt', '/home', '/dev', '/proc', '/sys', '/boot', '/run']);

interface Writable {
  /** Directories the user must be able to write: the final WORKDIR and the VOLUMEs. */
  dirs: string[];
  /** The first VOLUME of the final stage, where a change to the directories must come before. */
  firstVolume: DockerInstruction | null;
  /** Some directories may not exist yet (an ENV names them): they are made before their owner changes. */
  made?: boolean;
}

/**
 * What the application writes, as far as the Dockerfile says: its working directory, its
 * volumes and the folders an ENV names. Null when a directory cannot be made the user's: a variable without a default, a
 * system directory, root's home (mode 700, so the app could not even read its own files there),
 * or a VOLUME declared in an earlier stage, which a change in the final stage would come after.
 */
function writableDirs(dockerfile: DockerfileModel, final: Stage, chain: Stage[]): Writable | null {
  let workdir = '/';
  const volumes: string[] = [];
  let firstVolume: DockerInstruction | null = null;
  for (const stage of [...chain].reverse()) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'WORKDIR') {
        const value = expandVariables(instruction.args.trim(), stage.variables, { syntax: 'dockerfile', escape: dockerfile.escape });
        if (!value) return null;
        workdir = value.startsWith('/') ? posix.normalize(value) : posix.join(workdir, value);
      } else if (instruction.keyword === 'VOLUME') {
        if (stage !== final) return null;
        firstVolume ??= instruction;
        const paths = instruction.json ?? instruction.args.trim().split(/\s+/);
        for (const path of paths) {
          const value = expandVariables(path, stage.variables, { syntax: 'dockerfile', escape: dockerfile.escape });
          if (!value || !value.startsWith('/')) return null;
          volumes.push(posix.normalize(value));
        }
      }
    }
  }
  const dirs = [...new Set([workdir, ...volumes].map((d) => (d.length > 1 ? d.replace(/\/$/, '') : d)))].filter((d) => d !== '/' && d !== '/tmp' && d !== '/var/tmp');
  if (dirs.some((d) => d === '/root' || d.startsWith('/root/') || SYSTEM_DIRS.has(d))) return null;
  if (startWords(dockerfile, chain).some((w) => w.startsWith('/root/'))) return null;
  // Folders an ENV tells the app about (`BASE_DIR=/data`): as root it could create them; the user
  // needs them made and owned (a folder under the working directory it can create itself).
  const told = [...chain].reverse().flatMap((stage) => envDirectories(stage.instructions, final.variables)).map((d) => d.path)
    .filter((d) => !SYSTEM_DIRS.has(d) && !dirs.includes(d) && !(workdir !== '/' && d.startsWith(`${workdir}/`)));
  return { dirs: [...dirs, ...new Set(told)], firstVolume, made: told.length > 0 };
}

/** True when a RUN of the chain already changes the owner or mode of the directory (or of a parent, recursively). */
function alreadyOwned(dockerfile: DockerfileModel, chain: Stage[], dir: string): boolean {
  return chain.some((stage) => stage.instructions.some((instruction) => instruction.keyword === 'RUN' && shellOf(dockerfile, instruction).commands.some((command) => {
    if (command.program !== 'chown' && command.program !== 'chmod') return false;
    const recursive = command.args.some((a) => a.value !== null && /^-[a-zA-Z]*R|^--recursive$/.test(a.value));
    return command.args.some((a) => {
      const path = a.value?.replace(/\/+$/, '') || (a.value === '/' ? '/' : null);
      return path !== null && (path === dir || (recursive && dir.startsWith(`${path}/`)));
    });
  })));
}

interface UserPlan {
  user: string;
  title: string;
  /** The commands that create the user, or null when it exists. */
  create: string | null;
  /** The directories to hand over to the user. */
  dirs: string[];
  /** The first VOLUME of the final stage. */
  firstVolume: DockerInstruction | null;
  /** Some directories may not exist yet. */
  made: boolean;
}

/**
 * The user the final stage should switch to: the one the Dockerfile creates, else the one the
 * image provides (`node`, .NET's `app`), else a new one made with the tools the image certainly
 * has, never under a name that exists. The user is made owner of the WORKDIR and the VOLUMEs.
 * Null whenever one of these cannot be known.
 */
function userPlan(dockerfile: DockerfileModel, final: Stage): UserPlan | null {
  const chain = stageAncestry(dockerfile, final);
  const root = chain[chain.length - 1];
  const base = root.base;
  if (serverDropsPrivileges(base.ref)) return null;
  const writable = writableDirs(dockerfile, final, chain);
  if (!writable) return null;
  const shellless = base.scratch || distroOf(base.ref) === 'distroless';
  if (shellless) {
    // Nothing can change an owner without a shell; a directory the app writes stays root's.
    if (writable.dirs.length > 0) return null;
    const user = base.scratch ? '65532:65532' : 'nonroot';
    return { user, title: `Switch to the unprivileged user \`${user}\``, create: null, dirs: [], firstVolume: null, made: false };
  }
  const system = baseSystem(base);
  if (!system) return null;
  const created = [...chain].reverse().flatMap((stage) => accountsCreated(dockerfile, stage, system.family));
  const users = created.filter((c) => c.kind === 'user');
  if (users.some((u) => u.name === null)) return null;
  const names = [...new Set(users.map((u) => u.name!))];
  if (names.length > 1) return null;
  let user: string;
  let title: string;
  let create: string | null = null;
  if (names.length === 1) {
    user = names[0];
    title = `Switch to the \`${user}\` user the Dockerfile creates`;
  } else if (system.appUser) {
    user = system.appUser;
    title = `Switch to the image's \`${user}\` user`;
  } else {
    const taken = new Set([...system.users, ...system.groups, ...created.map((c) => c.name)]);
    const name = ['app', 'appuser', 'application'].find((n) => !taken.has(n));
    if (!name || !system.accountTools) return null;
    user = name;
    title = 'Create and switch to a non-root user';
    create = accountCommands(system.accountTools, name);
  }
  const dirs = writable.dirs.filter((d) => !alreadyOwned(dockerfile, chain, d));
  return { user, title, create, dirs, firstVolume: writable.firstVolume, made: writable.made === true };
}

/** The commands that create a system user and its group with the image's tools. */
function accountCommands(tools: 'shadow' | 'busybox', name: string): string {
  return tools === 'busybox'
    ? `addgroup -S ${name} && adduser -S -G ${name} ${name}`
    : `groupadd --system ${name} && useradd --system --gid ${name} --no-create-home ${name}`;
}

/**
 * The lines that create (when needed) and select an unprivileged user on an image, without the
 * Dockerfile's context; the multi-stage converter uses them.
 */
export function userLines(ref: ImageRef | null, scratch: boolean): string[] | null {
  if (scratch) return ['USER 65532:65532'];
  if (!ref) return null;
  if (distroOf(ref) === 'distroless') return ['USER nonroot'];
  const system = systemOf(ref);
  if (system?.appUser) return [`USER ${system.appUser}`];
  if (!system?.accountTools) return null;
  return [`RUN ${accountCommands(system.accountTools, 'app')}`, 'USER app'];
}
