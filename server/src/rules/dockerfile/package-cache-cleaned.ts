import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { runsAndTriggers, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import type { Variables } from '../../text/variables';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { laterStageReads } from '../../dockerfile/laterCopies';
import {
  appendToRun, cacheDirs, cacheDisabled, claimRun, cleansCache, commandText, commandVariables, editable, finalImageStages, hasFlag, homeAt, insertAfter,
  mountCovers, aptListsReader, ScopedVariables, packageCommandAt, packageCommandsOf, runMounts, variablesAt, type ManagerId, type PackageCommand,
} from '../../dockerfile/packages';
import { shippedStage } from '../../compose/target';

/**
 * Whatever a RUN leaves on disk is part of its layer for good: deleting it in a later RUN only
 * hides it. Package indexes and downloaded archives are tens to hundreds of megabytes the
 * running container never reads, so they must go in the same RUN, be kept out with a flag, or
 * land on a `RUN --mount=type=cache` that never reaches the image.
 */

type Remedy = 'no-cache-flag' | 'append';

interface Policy {
  /** Subcommands that download into the cache (unless told not to keep one). */
  writes: readonly string[];
  /** Where the leftovers live, for the message. */
  what: string;
  /** How to avoid them, for the message. */
  advice(pc: PackageCommand): string;
  remedy(pc: PackageCommand): { kind: Remedy; text: string };
}

const RPM_WRITES = ['install', 'reinstall', 'upgrade', 'downgrade', 'distro-sync', 'group install', 'groups install', 'module install', 'makecache', 'upgrade-minimal', 'swap'];
const append = (text: string) => ({ kind: 'append' as const, text });

const POLICIES: Partial<Record<ManagerId, Policy>> = {
  apt: {
    // `apt-get update` is what downloads the package lists; installs only read them.
    writes: ['update'],
    what: 'the package lists in `/var/lib/apt/lists`',
    advice: () => 'add `rm -rf /var/lib/apt/lists/*` at the end of the same RUN',
    remedy: () => append('rm -rf /var/lib/apt/lists/*'),
  },
  apk: {
    writes: ['update', 'add', 'upgrade'],
    what: 'the package index in `/var/cache/apk`',
    advice: () => 'use `apk add --no-cache` (which needs no `apk update`)',
    remedy: (pc) => (pc.action === 'update' ? append('rm -rf /var/cache/apk/*') : { kind: 'no-cache-flag', text: '--no-cache' }),
  },
  pip: {
    writes: ['install'],
    what: 'the download cache in `~/.cache/pip`',
    advice: () => 'add `--no-cache-dir`',
    remedy: () => ({ kind: 'no-cache-flag', text: '--no-cache-dir' }),
  },
  uv: {
    writes: ['pip install', 'sync', 'tool install'],
    what: 'the download cache in `~/.cache/uv`',
    advice: () => 'add `--no-cache`',
    remedy: () => ({ kind: 'no-cache-flag', text: '--no-cache' }),
  },
  npm: {
    writes: ['install', 'ci'],
    what: 'the package cache in `~/.npm`',
    advice: () => 'add `npm cache clean --force` at the end of the same RUN',
    remedy: () => append('npm cache clean --force'),
  },
  yarn: {
    writes: ['install', 'add', 'global add'],
    what: 'the package cache',
    advice: () => 'add `yarn cache clean` at the end of the same RUN',
    remedy: (pc) => append(hasFlag(pc, '--immutable', '--immutable-cache', '--check-cache') ? 'yarn cache clean --all' : 'yarn cache clean'),
  },
  yum: {
    writes: RPM_WRITES,
    what: 'the metadata and package cache in `/var/cache/yum`',
    advice: () => 'add `yum clean all` at the end of the same RUN',
    remedy: () => append('yum clean all'),
  },
  dnf: {
    writes: RPM_WRITES,
    what: 'the metadata and package cache in `/var/cache`',
    advice: (pc) => `add \`${pc.program} clean all\` at the end of the same RUN`,
    remedy: (pc) => append(`${pc.program} clean all`),
  },
  zypper: {
    writes: ['install', 'update', 'dist-upgrade', 'patch', 'source-install', 'install-new-recommends', 'refresh'],
    what: 'the metadata and package cache in `/var/cache/zypp`',
    advice: () => 'add `zypper clean --all` at the end of the same RUN',
    remedy: () => append('zypper clean --all'),
  },
};

interface Leftover {
  manager: ManagerId;
  policy: Policy;
  /** The commands that leave the cache behind, in order. */
  writers: PackageCommand[];
}

/** For each manager of a RUN, the commands whose cache nothing removes or keeps out of the layer. */
function leftovers(model: DockerfileModel, instruction: DockerInstruction): Leftover[] {
  const pcs = packageCommandsOf(model, instruction);
  if (pcs.length === 0) return [];
  // A script the grammar could not read may hold the cleanup we would miss.
  const script = shellOf(model, instruction);
  if (script.hasErrors) return [];
  const commands = script.commands;
  const scope = variablesAt(model, instruction);
  const home = homeAt(model, instruction, scope);
  const mounts = runMounts(instruction);
  const exported = exportedVariables(commands);
  const doc = model.document;
  const out: Leftover[] = [];
  for (const [manager, policy] of Object.entries(POLICIES) as [ManagerId, Policy][]) {
    const writers = pcs.filter((pc) => {
      if (pc.manager !== manager) return false;
      const vars = commandVariables(withExports(scope, exported(pc.command)), pc.command);
      if (!policy.writes.includes(pc.action) || cacheDisabled(pc, vars)) return false;
      // A mount over the cache (cache, tmpfs or bind) keeps it out of the layer.
      const dirs = manager === 'apt' ? [{ path: '/var/lib/apt/lists' }] : cacheDirs(pc, vars);
      if (mounts.some((m) => dirs.some((d) => mountCovers(m.target, d.path, home)))) return false;
      // Removing the cache later in the same RUN keeps it out of the layer too.
      const end = doc.offsetAt(pc.command.range.end);
      return !commands.some((c) => doc.offsetAt(c.range.start) >= end && cleansCache(manager, c, packageCommandOfList(pcs, c)));
    });
    if (writers.length > 0) out.push({ manager, policy, writers });
  }
  return out;
}

function withExports(scope: Variables, exports: [string, string | null][]): Variables {
  if (exports.length === 0) return scope;
  const vars = new ScopedVariables(scope);
  for (const [name, value] of exports) vars.set(name, value);
  return vars;
}

function packageCommandOfList(pcs: PackageCommand[], command: ShellCommand): PackageCommand | null {
  return pcs.find((pc) => pc.command === command) ?? null;
}

/** Variables `export`ed earlier in the same script (`export PIP_NO_CACHE_DIR=1; pip install …`). */
function exportedVariables(commands: ShellCommand[]): (before: ShellCommand) => [string, string | null][] {
  return (before) => {
    const out: [string, string | null][] = [];
    for (const c of commands) {
      if (c === before) break;
      if (c.program !== 'export') continue;
      // The shell parser reads `export A=1` as the command with its assignment.
      for (const a of c.assignments) out.push([a.name, a.value]);
      for (const a of c.args) {
        const m = a.value === null ? null : /^([A-Za-z_]\w*)=(.*)$/.exec(a.value);
        if (m) out.push([m[1], m[2]]);
      }
    }
    return out;
  };
}

export default dockerfileRule({
  id: 'package-cache-cleaned',
  aliases: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060', 'ae9c56a6-3ed1-4ac0-9b54-31267f51151d', 'df746b39-6564-4fed-bf85-e9c44382303c', '295acb63-9246-4b21-b441-7c1f1fb62dc0', '38300d1a-feb2-4a48-936a-d1ef1cd24313', 'f2f903fb-b977-461e-98d7-b3e2185c6118', '00481784-25aa-4a55-8633-3136dfcf4f37'],
  title: 'Keep package-manager caches out of the final image',
  category: 'size',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const shipped = finalImageStages(dockerfile, shippedStage({ dockerfile, path, files }));
    for (const instruction of runsAndTriggers(dockerfile)) {
      if (instruction.keyword !== 'RUN' || !shipped.has(instruction.stage)) continue;
      for (const { manager, policy, writers } of leftovers(dockerfile, instruction)) {
        const first = writers[0];
        report({
          range: first.command.range,
          message: `\`${commandText(first)}\` leaves ${policy.what} in this layer of the final image, where it only adds size (a later RUN cannot remove it); ${policy.advice(first)}, or mount a cache there with \`RUN --mount=type=cache\`.`,
          data: { manager },
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found) return undefined;
    const { instruction } = found;
    const leftover = leftovers(dockerfile, instruction).find((l) => l.manager === found.pc.manager);
    if (!leftover) return undefined;
    // A later `COPY --from` of the cache would fail once the cache is gone.
    const scope = variablesAt(dockerfile, instruction);
    const dirs = leftover.manager === 'apt' ? ['/var/lib/apt/lists'] : leftover.writers.flatMap((pc) => cacheDirs(pc, commandVariables(scope, pc.command)).map((d) => d.path));
    if (laterStageReads(dockerfile, dockerfile.stages[instruction.stage], dirs, homeAt(dockerfile, instruction, scope))) return undefined;
    const remedies = leftover.writers.map((pc) => ({ pc, remedy: leftover.policy.remedy(pc) }));
    const append = remedies.find((r) => r.remedy.kind === 'append');
    const edits: TextEdit[] = [];
    let safe = true;
    let title: string;
    if (append) {
      // One cleanup at the end of the RUN covers every command before it.
      // A command run through sudo needs sudo for its cleanup too.
      const text = `${append.pc.command.program === 'sudo' ? 'sudo ' : ''}${append.remedy.text}`;
      const edit = appendToRun(dockerfile, instruction, text);
      if (!edit) return undefined;
      edits.push(edit);
      title = `Append \`${text}\` to the RUN`;
      // A later install without update, or a script that may run one, reads the lists.
      const reader = leftover.manager === 'apt' ? aptListsReader(dockerfile, instruction) : null;
      if (reader !== null) {
        safe = false;
        title += ` (\`${reader}\` may still read the lists)`;
      }
    } else {
      for (const { pc, remedy } of remedies) {
        const at = pc.actionWords[pc.actionWords.length - 1];
        if (!at || !editable(dockerfile, instruction, pc)) return undefined;
        edits.push(insertAfter(at, remedy.text));
      }
      title = `Add \`${remedies[0].remedy.text}\``;
    }
    edits.push(claimRun(dockerfile, instruction));
    return { title, edits, safe };
  },
});
