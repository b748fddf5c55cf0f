import { classicDeclined, dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { laterStageReads } from '../../dockerfile/laterCopies';
import { shellOf } from '../../dockerfile/shell';
import type { Variables } from '../../text/variables';
import {
  cacheDirs, cacheDisabled, cacheMountFor, cleansCache, commandSpan, commandText, commandVariables, deletesDirectory, finalImageStages, homeAt, imageVariables,
  aptListsReader, hasFlag, laterOpaqueCommand, mountCovers, otherRunReading, packageCommand, runMounts, packageCommandAt, packageCommandsOf, simulates, userAt, usesOtherShell, variablesAt, withFallback, writtenBefore, type CacheDir, type ManagerId, type PackageCommand,
} from '../../dockerfile/packages';
import { shippedStage } from '../../compose/target';
import { accountAt } from '../../dockerfile/users';

/** Subcommands that download dependencies (or compile with a build cache), per manager. */
const DOWNLOADS: Partial<Record<ManagerId, (pc: PackageCommand) => boolean>> = {
  apt: (pc) => pc.action === 'install',
  apk: (pc) => pc.action === 'add',
  pip: (pc) => pc.action === 'install',
  uv: (pc) => ['pip install', 'sync', 'tool install'].includes(pc.action),
  npm: (pc) => pc.action === 'install' || pc.action === 'ci',
  yarn: (pc) => ['install', 'add', 'global add'].includes(pc.action),
  pnpm: (pc) => ['install', 'add', 'fetch'].includes(pc.action),
  // `go get` outside a module is GOPATH-era (sources in $GOPATH/src, no module cache to mount).
  go: (pc) => ['build', 'install', 'test', 'mod download'].includes(pc.action),
  cargo: (pc) => ['build', 'fetch', 'install', 'test', 'chef cook'].includes(pc.action),
  // Any goal or task resolves dependencies; `mvn -v`/`gradle --version` name none.
  maven: (pc) => pc.action !== '',
  gradle: (pc) => pc.action !== '',
  composer: (pc) => ['install', 'update', 'require'].includes(pc.action),
};

/** `go build` and the like, whose cache holds compiled packages rather than downloads. */
function compiles(pc: PackageCommand): boolean {
  return pc.manager === 'go' && pc.action !== 'mod download';
}

/** Managers whose caches package-cache-cleaned judges in the final image. */
const CLEANED_IN_FINAL_IMAGE = new Set<ManagerId>(['apt', 'apk', 'pip', 'uv', 'npm', 'yarn']);

/** Who runs the RUN: a cache mount must be at their home and writable by them. */
interface Owner {
  /** `root`, another user's name, or null when unknown. */
  user: string | null;
  home: string | null;
  /** Numeric ids for the mount's `uid=`/`gid=` options; null for root (the mount's default) or when unknown. */
  uid: string | null;
  gid: string | null;
}

interface Candidate {
  pc: PackageCommand;
  vars: Variables;
  home: string | null;
  owner: Owner;
}

function ownerAt(model: DockerfileModel, instruction: DockerInstruction, scope: Variables): Owner {
  const user = userAt(model, instruction);
  if (user === 'root') return { user, home: homeAt(model, instruction, scope), uid: null, gid: null };
  const account = user === null ? null : accountAt(model, instruction, user);
  return { user, home: scope.get('HOME') ?? account?.home ?? null, uid: account?.uid ?? null, gid: account?.gid ?? null };
}

/** The first download command per manager in a RUN that neither mounts a cache nor opts out of caching. */
function candidates(model: DockerfileModel, instruction: DockerInstruction): Candidate[] {
  const pcs = packageCommandsOf(model, instruction);
  if (pcs.length === 0) return [];
  const script = shellOf(model, instruction);
  // A script the grammar could not read may hold the choice we would miss.
  if (script.hasErrors || usesOtherShell(model, instruction)) return [];
  const scope = withFallback(variablesAt(model, instruction), imageVariables(model, instruction));
  const owner = ownerAt(model, instruction, scope);
  const home = owner.home;
  const seen = new Set<ManagerId>();
  const out: Candidate[] = [];
  for (const pc of pcs) {
    if (seen.has(pc.manager) || !DOWNLOADS[pc.manager]?.(pc) || simulates(pc)) continue;
    const vars = commandVariables(scope, pc.command);
    if (cacheMountFor(instruction, pc, vars, home)) {
      seen.add(pc.manager);
      continue;
    }
    // Turning the cache off (`--no-cache`) or emptying it in the same RUN is a choice for the
    // smallest layer; package-cache-cleaned asks for exactly that, so it is not contradicted here.
    // Deleting the directory, before or after the download, would also fail on a mount point.
    const dirs = cacheDirs(pc, vars);
    // Where the cache lives is unknown (a Maven settings file, an image of unknown layout): a
    // message that cannot name the directory could not be acted on, and a guess would cache nothing.
    if (dirs.length === 0) {
      seen.add(pc.manager);
      continue;
    }
    // Only the archives could be mounted while a later step reads the lists, and Debian's and
    // Ubuntu's docker-clean configuration deletes them after every install: nothing to gain.
    if (pc.manager === 'apt' && aptListsReader(model, instruction) !== null && !keepsDownloads(model, instruction, pc)) {
      seen.add(pc.manager);
      continue;
    }
    if (cacheDisabled(pc, vars) || script.commands.some((c) => cleansCache(pc.manager, c, packageCommand(c)) || dirs.some((d) => deletesDirectory(c, d.path, home)))) {
      seen.add(pc.manager);
      continue;
    }
    seen.add(pc.manager);
    out.push({ pc, vars, home, owner });
  }
  return out;
}

/** True when an earlier step turns off docker-clean (`rm /etc/apt/apt.conf.d/docker-clean`, `Keep-Downloaded-Packages "true"`). */
function keepsDownloads(model: DockerfileModel, instruction: DockerInstruction, pc: PackageCommand): boolean {
  return writtenBefore(model, instruction, pc.command, /docker-clean|Keep-Downloaded-Packages/);
}

/** The directories to mount, one per role (build cache, module store…), `~` still unresolved. */
function dirsFor({ pc, vars }: Candidate): CacheDir[] {
  const byRole = new Map<string, CacheDir>();
  for (const dir of cacheDirs(pc, vars)) if (!byRole.has(dir.role)) byRole.set(dir.role, dir);
  return [...byRole.values()];
}

/** A cache directory with `~` resolved, and the owner the mount must have. */
type Mount = CacheDir & { uid?: string; gid?: string };

/**
 * The cache mounts the fix adds; null when a location is unknown or the fix could break the RUN.
 * BuildKit does not expand `~` in a mount target (a relative target lands under WORKDIR), so a
 * cache in the home needs the home of the RUN's user; and a cache mount belongs to root unless
 * `uid=` says otherwise, so another user needs its numeric id there.
 */
function mountsFor(model: DockerfileModel, instruction: DockerInstruction, candidate: Candidate): Mount[] | null {
  const { pc, home, owner } = candidate;
  if (home === null || owner.user === null) return null;
  if (owner.user !== 'root' && owner.uid === null) return null;
  const ids = owner.user === 'root' ? {} : { uid: owner.uid!, ...(owner.gid !== null ? { gid: owner.gid } : {}) };
  const dirs: Mount[] = dirsFor(candidate).map((d) => ({ ...d, ...ids, path: d.path.startsWith('~/') ? `${home}${d.path.slice(1)}` : d.path }));
  if (dirs.length === 0 || dirs.some((d) => !d.path.startsWith('/'))) return null;
  if (pc.manager === 'apt') {
    // The lists move to the cache, so this RUN must download them itself before installing.
    const update = packageCommandsOf(model, instruction).find((p) => p.manager === 'apt' && p.action === 'update');
    if (!update || model.document.offsetAt(update.command.range.start) > model.document.offsetAt(pc.command.range.start)) return null;
  }
  // `go build` after a `go mod download` RUN: mounting the build cache alone is safe, while a
  // mount over the module store would hide the modules that RUN left in the image. So are the apt
  // archives, while a later install (or a script) reads the lists this RUN downloads.
  const caches = dirs.filter((d) => d.kind === 'cache');
  if (caches.length > 0 && caches.length < dirs.length && readBack(model, instruction, pc, dirs)) return caches;
  return dirs;
}

/**
 * How to mount the cache, for the message: exact when the fix knows, otherwise as far as known,
 * with placeholders (never `~`) for the home and the uid that are not.
 */
function advice(model: DockerfileModel, instruction: DockerInstruction, candidate: Candidate): string {
  const exact = mountsFor(model, instruction, candidate);
  if (exact) return `\`RUN ${exact.map(mountText).join(' ')}\``;
  const dirs = dirsFor(candidate);
  const { owner } = candidate;
  const who = owner.user ?? 'the user';
  const home = owner.home ?? `<home of ${who}>`;
  const ids = owner.user === 'root' ? {} : { uid: owner.uid ?? `<uid of ${who}>`, ...(owner.gid !== null ? { gid: owner.gid } : {}) };
  return `\`RUN ${dirs.map((d) => mountText({ ...d, ...ids, path: d.path.startsWith('~/') ? `${home}${d.path.slice(1)}` : d.path })).join(' ')}\``;
}

function mountText(dir: Mount): string {
  return `--mount=type=cache,target=${dir.path}${dir.locked ? ',sharing=locked' : ''}${dir.uid ? `,uid=${dir.uid}` : ''}${dir.gid ? `,gid=${dir.gid}` : ''}`;
}

/**
 * What would read back from the image what a mount over `dirs` keeps out of it, for the fix's
 * title; null when nothing does. A module store (Go's module cache, the apt lists, `~/.m2`) is
 * read by every other RUN of the image that uses the manager without the same mount, and may be
 * by a later script Shipshape cannot read (discourse/base's install scripts run `apt install`
 * without `apt-get update`); a plain cache only by a command that must not download (`npm ci
 * --offline`).
 */
function readBack(model: DockerfileModel, instruction: DockerInstruction, pc: PackageCommand, dirs: CacheDir[]): { reader: string; what: 'lists' | 'store' } | null {
  const stores = dirs.filter((d) => d.kind === 'store');
  if (pc.manager === 'apt') {
    if (stores.length === 0) return null;
    const reader = aptListsReader(model, instruction);
    return reader === null ? null : { reader, what: 'lists' };
  }
  if (stores.length > 0) {
    const reader = otherRunReading(model, instruction, pc.manager, stores.map((d) => d.path)) ?? laterOpaqueCommand(model, instruction);
    if (reader !== null) return { reader, what: 'store' };
  }
  const reader = offlineReader(model, instruction, pc.manager, dirs);
  return reader === null ? null : { reader, what: 'store' };
}

/** Options that make a manager use only what its cache holds. */
const OFFLINE: Partial<Record<ManagerId, string[]>> = {
  npm: ['--offline'],
  yarn: ['--offline'],
  pnpm: ['--offline'],
  uv: ['--offline'],
};

/** A later command of the image that runs the manager offline without a mount over `dirs`. */
function offlineReader(model: DockerfileModel, instruction: DockerInstruction, manager: ManagerId, dirs: CacheDir[]): string | null {
  const flags = OFFLINE[manager];
  if (!flags) return null;
  const stages = new Set(descendants(model, instruction.stage));
  for (const other of model.instructions) {
    if (other.keyword !== 'RUN' || !stages.has(other.stage) || other.range.start.line <= instruction.range.start.line) continue;
    if (dirs.every((d) => runMounts(other).some((m) => mountCovers(m.target, d.path, null)))) continue;
    const offline = packageCommandsOf(model, other).find((p) => p.manager === manager && hasFlag(p, ...flags));
    if (offline) return offline.command.text;
  }
  return null;
}

/** The stage and the stages built FROM it, directly or not. */
function descendants(model: DockerfileModel, index: number): number[] {
  const out = [index];
  for (const stage of model.stages) if (stage.base.stageRef !== null && out.includes(stage.base.stageRef) && !out.includes(stage.index)) out.push(stage.index);
  return out;
}

/**
 * A RUN that downloads dependencies starts from nothing whenever its layer rebuilds (any change
 * to the lockfile or the files copied before it). A cache mount keeps the downloads between
 * builds without putting them in the image, so rebuilds take seconds instead of minutes.
 */
export default dockerfileRule({
  id: 'prefer-cache-mounts',
  aliases: ['DL3069', 'DL3070', 'DL3071', 'DL3072', 'DL3073', 'DL3075'],
  title: 'Mount a build cache for package downloads',
  category: 'caching',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const shipped = finalImageStages(dockerfile, shippedStage({ dockerfile, path, files }));
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      for (const candidate of candidates(dockerfile, instruction)) {
        // In the final image, package-cache-cleaned reports these caches (and names the mount as one way out).
        if (shipped.has(instruction.stage) && CLEANED_IN_FINAL_IMAGE.has(candidate.pc.manager)) continue;
        const how = advice(dockerfile, instruction, candidate);
        report({
          range: commandSpan(candidate.pc),
          message: `\`${commandText(candidate.pc)}\` ${compiles(candidate.pc) ? 'compiles every package from scratch' : 'downloads everything again'} whenever this layer is rebuilt; mount its cache with ${how} so rebuilds reuse earlier work without storing it in the image.`,
          data: { manager: candidate.pc.manager },
        });
      }
    }
  },
  fix(finding, dockerfile, context) {
    // The classic builder rejects `RUN --mount`: the fix says so instead of breaking the build.
    if (context.builder === 'classic') return classicDeclined('Mount a cache for the package manager', '`RUN --mount=type=cache`');
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found) return undefined;
    const { instruction, pc } = found;
    const candidate = candidates(dockerfile, instruction).find((c) => c.pc.command === pc.command);
    if (!candidate) return undefined;
    const dirs = mountsFor(dockerfile, instruction, candidate);
    if (!dirs) return undefined;
    // What the mount keeps out of the layer is gone for a later `COPY --from`, which then fails.
    if (laterStageReads(dockerfile, dockerfile.stages[instruction.stage], dirs.map((d) => d.path), null)) return undefined;
    const keyword = dockerfile.document.getText(instruction.keywordRange);
    const where = `Mount a build cache at ${dirs.map((d) => `\`${d.path}\``).join(' and ')}`;
    // The title says what the fix left out, or why it is a quick fix only.
    const kept = pc.manager === 'apt' && dirs.length < dirsFor(candidate).length ? readBack(dockerfile, instruction, pc, dirsFor(candidate)) : null;
    const risk = readBack(dockerfile, instruction, pc, dirs);
    return {
      title: kept ? `${where} (the package lists stay in the image: \`${kept.reader}\` may read them)`
        : risk ? `${where} (\`${risk.reader}\` may expect its downloads in the image)` : where,
      // Rewriting the keyword itself also keeps fix-all from pairing this with a `--no-cache` fix on the same RUN.
      edits: [{ range: instruction.keywordRange, newText: `${keyword} ${dirs.map(mountText).join(' ')}` }],
      safe: risk === null,
    };
  },
});
