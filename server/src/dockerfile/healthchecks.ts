import type { Range } from 'vscode-languageserver-types';
import type { ImageRef } from '../text/image';
import type { Distro } from '../text/images';
import type { DockerInstruction, DockerfileModel, Stage } from './parse';
import { hasOption, optionValue, positionals, shellOf, stageCommands } from './shell';
import { escapeRegExp } from '../text/regexp';

/**
 * Which probe fits which base image. A HEALTHCHECK runs inside the container, so it can only use
 * what the image ships: `curl` is missing from Alpine, from every `-slim` Debian variant and from
 * most runtime images, BusyBox `wget` is in every Alpine image, and distroless and `scratch` have
 * no shell at all. The tables below are facts about the images' own Dockerfiles (docker-library,
 * nginxinc, dotnet-docker, distroless), kept as data so snippets and completions can share them.
 * See https://docs.docker.com/reference/dockerfile/#healthcheck.
 */

/** Known present, known absent, or unknown (null): rules only act on what is known. */
export type Presence = boolean | null;

export interface ImageTools {
  /** `/bin/sh` exists, so a shell-form `HEALTHCHECK CMD` can run. */
  shell: Presence;
  curl: Presence;
  /** GNU wget or BusyBox's applet; both understand `-q --spider`. */
  wget: Presence;
  /** The command that runs Node.js in the image, or null when it has none or it is unknown. */
  node: string | null;
  /** The command that runs Python 3 in the image, or null. */
  python: string | null;
}

/** Image variants that differ in what they ship, read from the tag. */
export type Variant = 'full' | 'slim' | 'alpine' | 'alpine-slim' | 'distroless' | 'other';

type Tools = Partial<ImageTools>;
type VariantTable = Partial<Record<Variant, Tools>>;

const SH_ONLY: Tools = { shell: true, curl: false, wget: false };
const BUSYBOX: Tools = { shell: true, curl: false, wget: true };
const CURL_WGET: Tools = { shell: true, curl: true, wget: true };
const NOTHING: Tools = { shell: false, curl: false, wget: false };

/** Docker Hub official images, by name (`node`, `library/node` and `docker.io/library/node` agree). */
const OFFICIAL: Record<string, VariantTable> = {
  alpine: { alpine: BUSYBOX },
  busybox: { full: BUSYBOX },
  debian: { full: SH_ONLY, slim: SH_ONLY },
  ubuntu: { full: SH_ONLY },
  // The full language images are built on buildpack-deps, which ships curl and wget; `-slim` and
  // `-alpine` variants purge their download tools after installing the runtime.
  'buildpack-deps': { full: CURL_WGET },
  node: { full: { ...CURL_WGET, node: 'node' }, slim: { ...SH_ONLY, node: 'node' }, alpine: { ...BUSYBOX, node: 'node' } },
  python: { full: { ...CURL_WGET, python: 'python3' }, slim: { ...SH_ONLY, python: 'python3' }, alpine: { ...BUSYBOX, python: 'python3' } },
  golang: { full: CURL_WGET, alpine: BUSYBOX },
  ruby: { full: CURL_WGET, slim: SH_ONLY, alpine: { shell: true, wget: true } },
  rust: { full: CURL_WGET, alpine: BUSYBOX },
  // nginx keeps curl (its alpine image adds it back); only `alpine-slim` goes without.
  nginx: { full: { shell: true, curl: true }, alpine: CURL_WGET, 'alpine-slim': BUSYBOX },
  httpd: { full: SH_ONLY, alpine: BUSYBOX },
  // PHP's images install curl to fetch the sources and keep it; WordPress is built on them.
  php: { full: { shell: true, curl: true }, alpine: CURL_WGET },
  wordpress: { full: { shell: true, curl: true }, alpine: CURL_WGET },
  redis: { full: SH_ONLY, alpine: BUSYBOX },
  postgres: { full: SH_ONLY, alpine: BUSYBOX },
  'eclipse-temurin': { full: CURL_WGET },
};

/** Images from other registries, by `registry/repository`. */
const OTHERS: Record<string, VariantTable> = {
  // .NET's runtime images leave out curl and wget on purpose; `-chiseled` ones have no shell.
  'mcr.microsoft.com/dotnet/aspnet': { full: SH_ONLY, slim: SH_ONLY, alpine: BUSYBOX, distroless: NOTHING },
  'mcr.microsoft.com/dotnet/runtime': { full: SH_ONLY, slim: SH_ONLY, alpine: BUSYBOX, distroless: NOTHING },
  'mcr.microsoft.com/dotnet/runtime-deps': { full: SH_ONLY, slim: SH_ONLY, alpine: BUSYBOX, distroless: NOTHING },
  'mcr.microsoft.com/dotnet/sdk': { full: CURL_WGET },
};

/** What a distribution guarantees when the image itself is not in the tables. */
const BY_DISTRO: Partial<Record<Distro, Tools>> = {
  // BusyBox provides /bin/sh and wget in every Alpine-based image; curl depends on the image.
  alpine: { shell: true, wget: true },
  debian: { shell: true },
  redhat: { shell: true },
  distroless: NOTHING,
  scratch: NOTHING,
};

/** The variant an image's tag names: `20-slim` → slim, `3.12-alpine3.20` → alpine. */
export function variantOf(ref: ImageRef | null, distro: Distro): Variant {
  if (distro === 'scratch' || distro === 'distroless') return 'distroless';
  const tag = ref?.tag?.toLowerCase() ?? '';
  if (/windows|nanoserver|ltsc|ubi|minimal/.test(tag)) return 'other';
  if (/chiseled|distroless/.test(tag)) return 'distroless';
  if (tag.includes('alpine-slim')) return 'alpine-slim';
  if (distro === 'alpine') return 'alpine';
  if (tag.includes('slim')) return 'slim';
  return 'full';
}

/** The key of an image in the tables: `node` for Docker Hub's official image, else `registry/repository`. */
function tableEntry(ref: ImageRef): VariantTable | undefined {
  const registry = ref.registry?.toLowerCase() ?? 'docker.io';
  const repository = ref.repository.toLowerCase().replace(/^library\//, '');
  if ((registry === 'docker.io' || registry === 'index.docker.io') && !repository.includes('/')) return OFFICIAL[repository];
  return OTHERS[`${registry}/${repository}`];
}

/** The tools an image ships, as far as they are known. */
export function imageTools(distro: Distro, ref: ImageRef | null): ImageTools {
  const tools: ImageTools = { shell: null, curl: null, wget: null, node: null, python: null };
  const variant = variantOf(ref, distro);
  let known: Tools | undefined;
  if (ref?.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) {
    // Distroless `:debug` tags add a BusyBox shell; the nodejs images keep node at /nodejs/bin.
    known = ref.tag?.includes('debug') ? { shell: true } : { ...NOTHING, node: ref.name.startsWith('nodejs') ? '/nodejs/bin/node' : undefined };
  } else if (ref && variant !== 'other') {
    known = tableEntry(ref)?.[variant];
  }
  return { ...tools, ...BY_DISTRO[distro], ...stripUndefined(known ?? {}) };
}

function stripUndefined(tools: Tools): Tools {
  return Object.fromEntries(Object.entries(tools).filter(([, v]) => v !== undefined)) as Tools;
}

/** `app`: the application's own binary, for images with no shell and no HTTP client. */
export type ProbeTool = 'curl' | 'wget' | 'node' | 'python' | 'app';

/** A healthcheck command that fits an image. */
export interface Probe {
  tool: ProbeTool;
  /** The URL probed, or an empty string for an `app` probe. */
  url: string;
  /** Shell-form command for `HEALTHCHECK CMD …`, or null when it must run without a shell. */
  shell: string | null;
  /** Exec-form words for `HEALTHCHECK CMD [...]`, or null when it needs a shell. */
  exec: string[] | null;
}

/** What the Dockerfile itself tells about the image beyond its base: runtimes it starts, tools it installs. */
export interface ImageFacts {
  node?: string | null;
  python?: string | null;
  curl?: boolean;
  wget?: boolean;
}

/** `http://localhost:<port><path>`; the port may be any text (a snippet placeholder). */
export function probeUrl(port: number | string, path = '/'): string {
  return `http://localhost:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * The probe command of one tool: the single place the commands are written, shared by the rules'
 * fixes, the completions and the snippets. `runtime` is the command that runs Node.js or Python
 * (`node`, `/nodejs/bin/node`, `python3`), or the app's binary for an `app` probe.
 */
export function probeWith(tool: ProbeTool, url: string, runtime?: string): Probe {
  switch (tool) {
    case 'curl':
      // -f turns HTTP errors into a failure; `|| exit 1` maps curl's many exit codes to "unhealthy".
      return { tool, url, shell: `curl -fsS -o /dev/null ${url} || exit 1`, exec: null };
    case 'wget':
      return { tool, url, shell: `wget -q --spider ${url} || exit 1`, exec: null };
    case 'node': {
      const script = `require('http').get('${url}', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))`;
      return { tool, url, shell: null, exec: [runtime ?? 'node', '-e', script] };
    }
    case 'python': {
      // urlopen raises on connection errors and on 4xx/5xx answers, and an uncaught exception exits 1.
      const script = `import urllib.request; urllib.request.urlopen('${url}', timeout=5)`;
      return { tool, url, shell: null, exec: [runtime ?? 'python3', '-c', script] };
    }
    case 'app':
      // Distroless and scratch images have nothing but the app: it must answer a health
      // subcommand itself (exit 0 healthy, 1 unhealthy), run in exec form since there is no shell.
      return { tool, url: '', shell: null, exec: [runtime ?? '/app', 'healthcheck'] };
  }
}

/**
 * The probe that fits an image, preferring the lightest tool it has: curl, then wget, then the
 * language runtime the app already uses (Node.js or Python, in exec form so that no shell is
 * needed and the exit status is 0 or 1 by construction). Null when nothing fits: distroless and
 * `scratch` images have no shell and no HTTP client, so only a binary of the app can probe them.
 */
export function probeFor(distro: Distro, imageRef: ImageRef | null, port: number | string, path = '/', facts: ImageFacts = {}): Probe | null {
  return probesFor(distro, imageRef, port, path, facts)[0] ?? null;
}

/** Every probe that fits an image, best first (see probeFor). */
export function probesFor(distro: Distro, imageRef: ImageRef | null, port: number | string, path = '/', facts: ImageFacts = {}): Probe[] {
  const tools = imageTools(distro, imageRef);
  const url = probeUrl(port, path);
  const shell = tools.shell === true;
  const probes: Probe[] = [];
  if (shell && (tools.curl === true || facts.curl)) probes.push(probeWith('curl', url));
  if (shell && (tools.wget === true || facts.wget)) probes.push(probeWith('wget', url));
  const node = facts.node ?? tools.node;
  if (node) probes.push(probeWith('node', url, node));
  const python = facts.python ?? tools.python;
  if (python) probes.push(probeWith('python', url, python));
  return probes;
}

/** Timing for an inserted healthcheck: Docker's default 30s timeout is too long to notice a hang. */
export const DEFAULT_HEALTHCHECK_TIMING = { interval: '30s', timeout: '5s', startPeriod: '10s', retries: 3 };

const t = DEFAULT_HEALTHCHECK_TIMING;
export const DEFAULT_HEALTHCHECK_OPTIONS = `--interval=${t.interval} --timeout=${t.timeout} --start-period=${t.startPeriod} --retries=${t.retries}`;

/** The `CMD …` part of a HEALTHCHECK for a probe: exec form when it has one, else shell form. */
export function probeCommand(probe: Probe): string {
  return probe.exec ? `CMD ${JSON.stringify(probe.exec).replace(/","/g, '", "')}` : `CMD ${probe.shell}`;
}

/** A whole HEALTHCHECK instruction for a probe. */
export function healthcheckInstruction(probe: Probe, options = DEFAULT_HEALTHCHECK_OPTIONS): string {
  return `HEALTHCHECK ${options ? `${options} ` : ''}${probeCommand(probe)}`;
}

/** A HEALTHCHECK instruction, read: `NONE`, or the command after `CMD` in exec or shell form. */
export interface HealthcheckCommand {
  none: boolean;
  /** The words of the exec form, or null for the shell form. */
  exec: string[] | null;
  /** The command after `CMD` as written (shell text or JSON array), or null when there is none. */
  range: Range | null;
  /** The command after `CMD`, with line continuations folded. */
  text: string;
}

/**
 * Reads a HEALTHCHECK. The model's `execForm` looks at the whole argument text (`CMD [...]`), so
 * it never sees a HEALTHCHECK's JSON array: the words after `CMD` are parsed here.
 */
export function readHealthcheck(instruction: DockerInstruction): HealthcheckCommand {
  const args = instruction.ast.getArguments();
  const first = args[0]?.getValue().toUpperCase();
  if (first === 'NONE') return { none: true, exec: null, range: null, text: '' };
  if (first !== 'CMD' || args.length < 2) return { none: false, exec: null, range: null, text: '' };
  const text = instruction.args.replace(/^\s*CMD\s+/i, '').trim();
  const range = { start: args[1].getRange().start, end: args[args.length - 1].getRange().end };
  let exec: string[] | null = null;
  if (text.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) exec = value as string[];
    } catch {
      exec = null;
    }
  }
  return { none: false, exec, range, text };
}

const INSTALL_VERBS: Record<string, string[]> = {
  apk: ['add'],
  'apt-get': ['install'],
  apt: ['install'],
  yum: ['install'],
  dnf: ['install'],
  microdnf: ['install'],
  zypper: ['install', 'in'],
  tdnf: ['install'],
};

const REMOVE_VERBS: Record<string, string[]> = {
  apk: ['del'],
  'apt-get': ['remove', 'purge'],
  apt: ['remove', 'purge'],
  yum: ['remove', 'erase'],
  dnf: ['remove', 'erase'],
  microdnf: ['remove'],
  zypper: ['remove', 'rm'],
  tdnf: ['remove', 'erase'],
};

/** What the Dockerfile does with a package: never mentions it, installs it, removes it, or leaves it unclear. */
export type PackageState = 'absent' | 'installed' | 'removed' | 'unknown';

/** Per-model caches: rules ask the same question of every stage, and FROM chains can be long. */
const caches = new WeakMap<DockerfileModel, Map<string, unknown>>();

function cached<T>(model: DockerfileModel, key: string, compute: () => T): T {
  let cache = caches.get(model);
  if (!cache) {
    cache = new Map();
    caches.set(model, cache);
  }
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

/**
 * One value per stage, folded along FROM chains in a single pass over the file: a stage's value is
 * `step` applied to the value of the stage it is built FROM (or to `initial` for one built on an
 * image). Stages only name earlier stages, so file order is build order.
 */
export function foldChains<T>(model: DockerfileModel, key: string, initial: T, step: (inherited: T, stage: Stage) => T): readonly T[] {
  return cached(model, `fold:${key}`, () => {
    const values: T[] = [];
    for (const stage of model.stages) {
      const parent = stage.base.stageRef;
      values.push(step(parent !== null && parent < stage.index ? values[parent] : initial, stage));
    }
    return values;
  });
}

/** The stage at the start of a stage's FROM chain, whose base is an image. */
export function rootStage(model: DockerfileModel, stage: Stage): Stage {
  return foldChains<Stage | null>(model, 'root', null, (inherited, s) => inherited ?? s)[stage.index] ?? stage;
}

/** True when the stage or one it is built FROM has an instruction with this keyword. */
export function chainHas(model: DockerfileModel, stage: Stage, keyword: string): boolean {
  return foldChains(model, `has:${keyword}`, false, (inherited, s) => inherited || s.instructions.some((i) => i.keyword === keyword))[stage.index];
}

/** Applies one stage's RUNs to the state of a package (see packageState). */
function stepPackage(model: DockerfileModel, stage: Stage, name: string, initial: PackageState): PackageState {
  let state = initial;
  const groups = new Set<string>();
  const pinned = new RegExp(`^${escapeRegExp(name)}(?:[=~<>]|-\\d)`);
  const matches = (value: string | null) => value !== null && (value === name || pinned.test(value));
  for (const { command } of stageCommands(model, stage.index)) {
    const program = command.program ?? '';
    if (!INSTALL_VERBS[program] && !REMOVE_VERBS[program]) continue;
    const words = positionals(command);
    const verb = words[0]?.value ?? null;
    if (verb === null) continue;
    if (INSTALL_VERBS[program]?.includes(verb)) {
      if (!words.slice(1).some((w) => matches(w.value))) continue;
      state = 'installed';
      // `apk add --virtual .build-deps curl`: deleting `.build-deps` later removes curl too.
      const group = program === 'apk' ? optionValue(command, '--virtual', '-t') : undefined;
      if (group) groups.add(group);
    } else if (REMOVE_VERBS[program]?.includes(verb) && state !== 'absent') {
      if (words.slice(1).some((w) => matches(w.value) || (w.value !== null && groups.has(w.value)))) state = 'removed';
      else if (program !== 'apk' && hasOption(command, '--auto-remove')) state = 'unknown';
    } else if ((program === 'apt-get' || program === 'apt') && verb === 'autoremove' && state === 'installed') {
      state = 'unknown';
    }
  }
  return state;
}

/**
 * Follows a package through the RUNs of the stages, given in build order: `apk add curl` installs
 * it, `apk del curl` (or deleting the `--virtual` group it came in, in the same stage) removes it,
 * and an `apt-get purge --auto-remove` after the install may or may not take it along.
 */
export function packageState(model: DockerfileModel, stages: Stage[], name: string): PackageState {
  let state: PackageState = 'absent';
  for (const stage of stages) state = stepPackage(model, stage, name, state);
  return state;
}

/** True when a COPY or ADD in one of the stages brings in a file of that name (`COPY --from=… /usr/bin/curl …`). */
export function copiesBinary(stages: Stage[], name: string): boolean {
  return stages.some((stage) =>
    stage.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.ast.getArguments().some((a) => a.getValue().replace(/\/$/, '').split('/').pop() === name)),
  );
}

/** What one stage does to a tool, given what it inherits: installs or copies it in, removes it. */
function stepTool(model: DockerfileModel, stage: Stage, tool: string, inherited: PackageState): PackageState {
  if (copiesBinary([stage], tool)) return 'installed';
  // BusyBox brings a shell and a wget applet when copied in; the `busybox` package (Debian) wget too.
  if ((tool === 'wget' || tool === 'sh') && copiesBinary([stage], 'busybox')) return 'installed';
  if (tool === 'wget' && stepPackage(model, stage, 'busybox', 'absent') === 'installed') return 'installed';
  return stepPackage(model, stage, tool, inherited);
}

/** What the Dockerfile does to a tool in the image a stage's FROM chain builds: installs, copies in, removes. */
export function toolState(model: DockerfileModel, stage: Stage, tool: 'curl' | 'wget' | 'sh'): PackageState {
  return foldChains<PackageState>(model, `tool:${tool}`, 'absent', (inherited, s) => stepTool(model, s, tool, inherited))[stage.index];
}

/** True when a stage built on this one, directly or further down, installs or copies in the tool. */
export function laterStagesAdd(model: DockerfileModel, stage: Stage, tool: 'curl' | 'wget' | 'sh'): boolean {
  return cached(model, `later:${tool}`, () => {
    const adds = model.stages.map((s) => stepTool(model, s, tool, 'absent') !== 'absent');
    const later = model.stages.map(() => false);
    for (let i = model.stages.length - 1; i >= 0; i--) {
      const parent = model.stages[i].base.stageRef;
      if (parent !== null && parent < i && (adds[i] || later[i])) later[parent] = true;
    }
    return later;
  })[stage.index];
}

/** The words of a CMD or ENTRYPOINT: the JSON array, or the first command of the shell form. */
export function commandWords(model: DockerfileModel, instruction: DockerInstruction): string[] {
  if (instruction.json) return instruction.json;
  const first = shellOf(model, instruction).commands.find((c) => !c.nested);
  if (!first) return [];
  const words = first.words.map((w) => w.value ?? w.text);
  // `exec app …` replaces the shell with the app: the app is what runs.
  return words[0] === 'exec' ? words.slice(1) : words;
}

/**
 * The ENTRYPOINT and CMD in effect at the end of a chain, from the nearest stage that sets them
 * (an ENTRYPOINT resets a CMD inherited from an earlier stage, as Docker does).
 */
export function startInstructions(chain: Stage[]): { entrypoint?: DockerInstruction; cmd?: DockerInstruction } {
  let entrypoint: DockerInstruction | undefined;
  let cmd: DockerInstruction | undefined;
  for (const stage of chain) {
    const last = (keyword: string) => [...stage.instructions].reverse().find((i) => i.keyword === keyword);
    const ownEntrypoint = last('ENTRYPOINT');
    const ownCmd = last('CMD');
    if (!entrypoint && ownEntrypoint) {
      entrypoint = ownEntrypoint;
      if (!cmd && !ownCmd) break;
    }
    if (!cmd && ownCmd) cmd = ownCmd;
    if (entrypoint && cmd) break;
  }
  return { entrypoint, cmd };
}

/** What the container starts: ENTRYPOINT followed by CMD (see startInstructions). */
export function startWords(model: DockerfileModel, chain: Stage[]): string[] {
  const { entrypoint, cmd } = startInstructions(chain);
  return [...(entrypoint ? commandWords(model, entrypoint) : []), ...(cmd ? commandWords(model, cmd) : [])];
}

const DEVELOPMENT_NAME = /(?:^|[.\-_])(?:dev|devel|develop|development|debug|test|tests|testing|ci|local)(?:[.\-_]|$)/i;

/**
 * Images meant for development or CI rather than production: a Dockerfile named like
 * `Dockerfile.dev` or `test.Dockerfile`, one in `.devcontainer/`, or a final stage named like
 * `dev`, `test` or `dev-envs` (Docker's own samples name their development target so).
 */
export function isDevelopmentImage(path: string | null, final: Stage): boolean {
  if (final.name && DEVELOPMENT_NAME.test(final.name)) return true;
  if (!path) return false;
  const parts = path.split(/[\\/]/);
  if (parts.includes('.devcontainer')) return true;
  return DEVELOPMENT_NAME.test(parts[parts.length - 1]);
}
