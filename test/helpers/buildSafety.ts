import { posix } from 'node:path';
import { copySourceStage, stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../server/src/dockerfile/parse';
import { shellOf, type ShellCommand } from '../../server/src/dockerfile/shell';
import { runsPosixShell } from '../../server/src/dockerfile/shells';
import { homeAt, runMounts, userAt } from '../../server/src/dockerfile/packages';
import { packageOperation } from '../../server/src/dockerfile/ecosystems';
import { accountsCreated } from '../../server/src/dockerfile/accounts';
import { baseSystem } from '../../server/src/dockerfile/system';
import { rootStage } from '../../server/src/dockerfile/healthchecks';
import { expandVariables } from '../../server/src/text/variables';

/**
 * What would break a build, as far as the Dockerfile tells, beyond what the rules report: each
 * list names its problems, so that a fix can be checked to add none. The commands a base image
 * lacks are the `run-command-available` rule's (an error, which a fix must not add either).
 */
export interface BuildProblems {
  /** A user or group created under a name that exists: in the base image, or created earlier. */
  duplicateAccounts: string[];
  /** A cache mount whose target (or a path in it, or a parent of it) the same RUN deletes. */
  deletedMounts: string[];
  /** A path a later `COPY --from=<stage>` reads that the stage deletes, moves, or writes under a cache or tmpfs mount. */
  missingForLaterStages: string[];
  /** A command that needs root (a system package install, creating an account) in a RUN that runs as another user. */
  rootCommandsUnprivileged: string[];
}

/** Commands that only root can run: system package installs and account changes. */
function needsRoot(command: ShellCommand): boolean {
  const program = command.program ?? '';
  if (['useradd', 'groupadd', 'adduser', 'addgroup', 'usermod'].includes(program)) return true;
  const operation = packageOperation(command);
  return operation !== null && ['apt-get', 'apt', 'apk', 'dnf', 'yum', 'microdnf', 'tdnf', 'zypper'].includes(program);
}

function normalize(path: string): string {
  return path.length > 1 ? posix.normalize(path).replace(/\/+$/, '') : path;
}

/** The working directory in effect at an instruction, along the FROM chain; null when unknown. */
function workdirAt(model: DockerfileModel, stage: Stage, at: DockerInstruction): string | null {
  let dir = '/';
  for (const s of [...stageAncestry(model, stage)].reverse()) {
    for (const i of s.instructions) {
      if (i === at) return dir;
      if (i.keyword !== 'WORKDIR') continue;
      const value = expandVariables(i.args.trim(), s.variables);
      if (!value) return null;
      dir = value.startsWith('/') ? normalize(value) : normalize(posix.join(dir, value));
    }
  }
  return dir;
}

/** The absolute path a word names at a RUN (`~` is the home of the RUN's user), or null. */
function pathAt(model: DockerfileModel, instruction: DockerInstruction, value: string | null, cwd: string | null): string | null {
  if (value === null || value === '' || value.startsWith('-')) return null;
  let path = value.replace(/\/\*$/, '');
  if (path === '~' || path.startsWith('~/')) {
    const home = homeAt(model, instruction);
    if (!home) return null;
    path = home + path.slice(1);
  }
  if (!path.startsWith('/')) {
    if (cwd === null) return null;
    path = posix.join(cwd, path);
  }
  return /[*?[]/.test(path) ? null : normalize(path);
}

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`) || dir === '/';

/** The paths `rm` and `mv` take away in a command. */
function removedBy(command: ShellCommand): (string | null)[] {
  if (command.program === 'rm') return command.args.map((a) => a.value);
  if (command.program === 'mv') {
    const operands = command.args.filter((a) => !a.value?.startsWith('-'));
    return operands.slice(0, -1).map((a) => a.value);
  }
  return [];
}

function mountTarget(model: DockerfileModel, instruction: DockerInstruction, target: string): string | null {
  return pathAt(model, instruction, target, workdirAt(model, model.stages[instruction.stage], instruction));
}

export function buildProblems(model: DockerfileModel): BuildProblems {
  const problems: BuildProblems = { duplicateAccounts: [], deletedMounts: [], missingForLaterStages: [], rootCommandsUnprivileged: [] };
  // What each stage's filesystem lacks at its end: deleted paths and paths written under mounts.
  const gone = new Map<number, string[]>();
  for (const stage of model.stages) {
    const root = rootStage(model, stage);
    const system = baseSystem(root.base);
    // Accounts: along the chain, in build order; only the stage's own creations are its problems.
    const seen = new Set<string>(system ? [...system.users].map((u) => `user:${u}`).concat([...system.groups].map((g) => `group:${g}`)) : []);
    for (const s of [...stageAncestry(model, stage)].reverse()) {
      for (const account of accountsCreated(model, s, system?.family ?? null)) {
        // `id -u app || useradd app` creates only what is missing.
        if (account.name === null || account.command.conditional) continue;
        const key = `${account.kind}:${account.name}`;
        if (seen.has(key) && !account.tolerant && s === stage) problems.duplicateAccounts.push(`${key} (line ${account.instruction.range.start.line + 1})`);
        seen.add(key);
      }
    }
    const lost: string[] = [...(stage.base.stageRef !== null ? gone.get(stage.base.stageRef) ?? [] : [])];
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const target = (m: { target: string }) => mountTarget(model, instruction, m.target);
      const mounts = runMounts(instruction);
      // What a RUN writes under a cache or tmpfs mount is not in the image.
      lost.push(...mounts.filter((m) => m.type === 'cache' || m.type === 'tmpfs').map(target).filter((t): t is string => t !== null));
      const caches = mounts.filter((m) => m.type === 'cache').map(target).filter((t): t is string => t !== null);
      if (!runsPosixShell(model, instruction)) continue;
      const user = userAt(model, instruction);
      if (user !== null && user !== 'root') {
        for (const command of shellOf(model, instruction).commands) {
          if (needsRoot(command)) problems.rootCommandsUnprivileged.push(`${command.program} as ${user} (line ${instruction.range.start.line + 1})`);
        }
      }
      const cwd = workdirAt(model, stage, instruction);
      for (const command of shellOf(model, instruction).commands) {
        for (const value of removedBy(command)) {
          const path = pathAt(model, instruction, value, cwd);
          if (path === null) continue;
          lost.push(path);
          // Deleting the cache empties it on every build; deleting a parent of the mount point fails ("Device or resource busy").
          for (const cache of caches) {
            if (within(cache, path) || within(path, cache)) problems.deletedMounts.push(`${cache} (line ${instruction.range.start.line + 1})`);
          }
        }
      }
    }
    gone.set(stage.index, lost);
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
      const source = copySourceStage(model, instruction);
      if (!source) continue;
      const args = instruction.json ?? instruction.ast.getArguments().map((a) => a.getValue());
      for (const arg of args.slice(0, -1)) {
        // Sources of `COPY --from` are read from the root of the stage's filesystem.
        const path = normalize(posix.join('/', arg));
        if (arg.includes('$') || /[*?[]/.test(path)) continue;
        const lostAt = (gone.get(source.index) ?? []).find((dir) => within(path, dir));
        if (lostAt) problems.missingForLaterStages.push(`${path} from ${source.name ?? source.index} (line ${instruction.range.start.line + 1})`);
      }
    }
  }
  return problems;
}
