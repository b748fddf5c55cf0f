import type { DockerInstruction, DockerfileModel, Stage } from '../dockerfile/parse';
import { shellOf, positionals, type ShellCommand } from '../dockerfile/shell';
import { referencedVariables } from '../text/variables';

/**
 * A model of Docker's build cache for one Dockerfile, after Docker's documented invalidation rules
 * (https://docs.docker.com/build/cache/invalidation/):
 * - a step's cache key is its parent's key plus its own instruction text;
 * - COPY and ADD also hash the contents and metadata of the files they copy (after .dockerignore);
 * - RUN hashes only its command text, not what the command fetches; the build args declared in
 *   the stage before it are part of its environment, so a new value of one is a miss;
 * - a `--mount=type=cache` or `type=secret` mount is not part of the key, a `type=bind` mount's
 *   files are;
 * - once a step misses, every later step of the stage and of the stages built from it runs again.
 */

export type StepKind = 'base' | 'layer' | 'metadata';

export interface Step {
  instruction: DockerInstruction;
  stage: Stage;
  /** 1-based position in its stage (FROM is step 1). */
  number: number;
  kind: StepKind;
  /** True when the step can miss without an edit to the Dockerfile (context files, moving tags, URLs). */
  volatile: boolean;
  /** Build args declared in the stage before this step. */
  argsInScope: string[];
}

/** What a card says about a step; computed only for the step under the cursor. */
export interface StepDetails {
  /** What changes this step's own cache key, in words. */
  inputs: string[];
  /** Something the user can do about it. */
  tips: { text: string; rule?: string }[];
}

export interface CacheModel {
  steps: Step[];
  details(step: Step): StepDetails;
  stepOf(instruction: DockerInstruction): Step | undefined;
  /** Steps a change at `step` re-runs: the rest of its stage, then stages that build on it. */
  rerunsAfter(step: Step): Step[];
  /** Volatile steps above this one that it inherits from (same stage or base stages), earliest first. */
  volatileAbove(step: Step): Step[];
}

/** Commands whose re-run costs time: installs, compiles, downloads. As data, matched on the program and its first positional. */
const EXPENSIVE: { program: string; sub?: RegExp; what: string }[] = [
  { program: 'apt-get', sub: /^(install|upgrade|dist-upgrade|update)$/, what: 'package install' },
  { program: 'apt', sub: /^(install|upgrade|update)$/, what: 'package install' },
  { program: 'apk', sub: /^(add|upgrade|update)$/, what: 'package install' },
  { program: 'yum', sub: /^(install|update|upgrade)$/, what: 'package install' },
  { program: 'dnf', sub: /^(install|update|upgrade)$/, what: 'package install' },
  { program: 'microdnf', sub: /^(install|update|upgrade)$/, what: 'package install' },
  { program: 'zypper', sub: /^(install|in|update|up)$/, what: 'package install' },
  { program: 'npm', sub: /^(ci|install|i|run|rebuild)$/, what: 'npm' },
  { program: 'yarn', what: 'yarn' },
  { program: 'pnpm', sub: /^(install|i|fetch|run|build)$/, what: 'pnpm' },
  { program: 'pip', sub: /^(install|wheel|download)$/, what: 'pip install' },
  { program: 'pip3', sub: /^(install|wheel|download)$/, what: 'pip install' },
  { program: 'poetry', sub: /^(install|build)$/, what: 'poetry' },
  { program: 'uv', sub: /^(sync|pip)$/, what: 'uv' },
  { program: 'go', sub: /^(build|install|mod|generate|test)$/, what: 'go' },
  { program: 'cargo', sub: /^(build|fetch|install)$/, what: 'cargo' },
  { program: 'mvn', what: 'Maven' },
  { program: 'mvnw', what: 'Maven' },
  { program: 'gradle', what: 'Gradle' },
  { program: 'gradlew', what: 'Gradle' },
  { program: 'dotnet', sub: /^(restore|build|publish)$/, what: 'dotnet' },
  { program: 'bundle', sub: /^(install)$/, what: 'bundle install' },
  { program: 'gem', sub: /^(install)$/, what: 'gem install' },
  { program: 'composer', sub: /^(install|update)$/, what: 'composer' },
  { program: 'make', what: 'make' },
  { program: 'cmake', what: 'cmake' },
  { program: 'gcc', what: 'compile' },
  { program: 'g++', what: 'compile' },
  { program: 'tsc', what: 'TypeScript compile' },
  { program: 'curl', what: 'download' },
  { program: 'wget', what: 'download' },
  { program: 'git', sub: /^(clone|fetch|pull)$/, what: 'git clone' },
];

export function isExpensive(command: ShellCommand): boolean {
  const program = command.program;
  if (!program) return false;
  const first = positionals(command)[0]?.value ?? '';
  return EXPENSIVE.some((e) => e.program === program && (!e.sub || e.sub.test(first)));
}

/**
 * Commands that download packages or build with a package manager's cache, so a cache mount
 * keeps their downloads across rebuilds; `npm run build` or `make` have nothing to keep.
 */
const CACHEABLE: { program: RegExp; sub: RegExp }[] = [
  { program: /^(apt-get|apt|dnf|yum|microdnf|zypper)$/, sub: /^(install|in|update|upgrade|dist-upgrade)$/ },
  { program: /^apk$/, sub: /^(add|upgrade)$/ },
  { program: /^pip3?$/, sub: /^(install|wheel|download)$/ },
  { program: /^(npm|pnpm)$/, sub: /^(ci|install|i|fetch)$/ },
  { program: /^yarn$/, sub: /^(install|)$/ },
  { program: /^(poetry|uv)$/, sub: /^(install|sync|pip)$/ },
  { program: /^go$/, sub: /^(build|install|mod|test)$/ },
  { program: /^cargo$/, sub: /^(build|fetch|install)$/ },
  { program: /^(mvn|mvnw|gradle|gradlew)$/, sub: /^/ },
  { program: /^dotnet$/, sub: /^(restore|build|publish)$/ },
  { program: /^(bundle|gem|composer)$/, sub: /^(install|update)$/ },
];

function downloadsPackages(command: ShellCommand): boolean {
  const program = command.program ?? '';
  const first = positionals(command)[0]?.value ?? '';
  return CACHEABLE.some((c) => c.program.test(program) && c.sub.test(first));
}

const INSTALLS = /^(npm (ci|install|i)|yarn( install)?|pnpm (install|i)|pip3? install|poetry install|uv sync|go mod download|cargo (fetch|build)|bundle install|composer install|mvn .*dependency|gradle)/;

const cache = new WeakMap<DockerfileModel, CacheModel>();

export function cacheModel(model: DockerfileModel): CacheModel {
  let result = cache.get(model);
  if (!result) {
    result = build(model);
    cache.set(model, result);
  }
  return result;
}

function build(model: DockerfileModel): CacheModel {
  const steps: Step[] = [];
  const byInstruction = new Map<DockerInstruction, Step>();
  for (const stage of model.stages) {
    const declaredArgs: string[] = [];
    stage.instructions.forEach((instruction, index) => {
      const step: Step = { instruction, stage, number: index + 1, kind: kindOf(instruction.keyword), volatile: isVolatile(model, stage, instruction), argsInScope: [...declaredArgs] };
      if (instruction.keyword === 'ARG') {
        for (const name of argNames(instruction)) declaredArgs.push(name);
      }
      steps.push(step);
      byInstruction.set(instruction, step);
    });
  }

  const stageSteps = (index: number) => steps.filter((s) => s.stage.index === index);
  /** Stages whose result depends on `stage`: built FROM it, or copying from it (directly or not). */
  type Dependent = { stage: Stage; from: 'FROM' | 'COPY'; at?: DockerInstruction };
  const dependents = (stageIndex: number): Dependent[] =>
    model.stages.flatMap((s): Dependent[] => {
      if (s.index <= stageIndex) return [];
      if (s.base.stageRef === stageIndex) return [{ stage: s, from: 'FROM' }];
      const copy = s.instructions.find((i) => copiesFrom(model, i) === stageIndex);
      return copy ? [{ stage: s, from: 'COPY', at: copy }] : [];
    });

  const rerunsAfter = (step: Step): Step[] => {
    const result: Step[] = [];
    const seen = new Set<number>();
    const visitStage = (stageIndex: number, fromInstruction?: DockerInstruction) => {
      const own = stageSteps(stageIndex);
      const start = fromInstruction ? own.findIndex((s) => s.instruction === fromInstruction) : 0;
      for (const s of own.slice(Math.max(0, start))) if (!result.includes(s)) result.push(s);
      if (seen.has(stageIndex)) return;
      seen.add(stageIndex);
      for (const d of dependents(stageIndex)) visitStage(d.stage.index, d.from === 'COPY' ? d.at : undefined);
    };
    const own = stageSteps(step.stage.index);
    for (const s of own.slice(own.indexOf(step) + 1)) result.push(s);
    seen.add(step.stage.index);
    for (const d of dependents(step.stage.index)) visitStage(d.stage.index, d.from === 'COPY' ? d.at : undefined);
    return result;
  };

  const volatileAbove = (step: Step): Step[] => {
    const chain: Step[] = [];
    let stage: Stage | undefined = step.stage;
    const seen = new Set<number>();
    while (stage && !seen.has(stage.index)) {
      seen.add(stage.index);
      chain.unshift(...stageSteps(stage.index).filter((s) => s.stage !== step.stage || s.number < step.number));
      stage = stage.base.stageRef !== null ? model.stages[stage.base.stageRef] : undefined;
    }
    return chain.filter((s) => s.volatile);
  };

  return { steps, stepOf: (i) => byInstruction.get(i), rerunsAfter, volatileAbove, details: (step) => describe(model, step) };
}

function argNames(instruction: DockerInstruction): string[] {
  return instruction.args.split(/\s+/).filter(Boolean).map((a) => a.split('=')[0]);
}

/** The stage a COPY --from (or RUN --mount=from=) reads, if it names one of this file's stages. */
export function copiesFrom(model: DockerfileModel, instruction: DockerInstruction): number | null {
  const from = instruction.flags.find((f) => f.name === 'from')?.value
    ?? instruction.flags.find((f) => f.name === 'mount')?.options.get('from')
    ?? null;
  if (!from) return null;
  if (/^\d+$/.test(from)) return Number(from) < model.stages.length ? Number(from) : null;
  const stage = model.stages.find((s) => s.name?.toLowerCase() === from.toLowerCase());
  return stage ? stage.index : null;
}

function code(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return '`' + (flat.length > max ? `${flat.slice(0, max - 1)}…` : flat).replace(/`/g, "'") + '`';
}

function kindOf(keyword: string): StepKind {
  return keyword === 'FROM' ? 'base' : keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' ? 'layer' : 'metadata';
}

/** Whether a step can miss with no edit to the Dockerfile; cheap, so computed for every step. */
function isVolatile(model: DockerfileModel, stage: Stage, instruction: DockerInstruction): boolean {
  switch (instruction.keyword) {
    case 'FROM':
      return stage.base.stageRef === null && !stage.base.scratch && !stage.base.ref?.digest;
    case 'RUN':
      return instruction.flags.some((f) => f.name === 'mount' && (f.options.get('type') ?? 'bind') === 'bind' && !f.options.get('from'));
    case 'COPY':
    case 'ADD': {
      if (instruction.heredocs.length > 0) return false;
      const from = instruction.flags.find((f) => f.name === 'from')?.value;
      if (from) return copiesFrom(model, instruction) === null;
      const words = instruction.json ?? instruction.args.split(/\s+/).filter(Boolean);
      const sources = words.slice(0, -1);
      const checksum = instruction.flags.some((f) => f.name === 'checksum');
      return sources.some((src) => !/^(https?:\/\/|git@)/.test(src) || !checksum);
    }
    default:
      return false;
  }
}

function describe(model: DockerfileModel, step: Step): StepDetails {
  const { instruction, stage } = step;
  const details: StepDetails = { inputs: [], tips: [] };
  const line = instruction.range.start.line + 1;
  switch (instruction.keyword) {
    case 'FROM': {
      const { base } = stage;
      if (base.stageRef !== null) {
        const parent = model.stages[base.stageRef];
        details.inputs.push(`any change in stage ${stageLabel(parent)} (line ${parent.from.range.start.line + 1})`);
      } else if (base.scratch) {
        details.inputs.push('nothing: `scratch` is an empty image');
      } else if (base.ref?.digest) {
        details.inputs.push(`only an edit of this line: the image is pinned by digest`);
      } else {
        details.inputs.push(`a new image behind ${code(base.resolved ?? base.text)} when it is pulled again (tags move)`);
        details.tips.push({ text: 'Pin the image by digest (`@sha256:…`) to rebuild only when you choose to.', rule: 'image-tag-pinned' });
      }
      if (base.text.includes('$')) details.inputs.push(`a new value of build arg ${referencedVariables(base.text).map((v) => `\`${v}\``).join(', ')}`);
      break;
    }
    case 'RUN':
      describeRun(model, instruction, details, step.argsInScope);
      break;
    case 'COPY':
    case 'ADD':
      describeCopy(model, instruction, details);
      break;
    case 'WORKDIR':
      details.inputs.push(`its path (line ${line})`);
      break;
    case 'ARG': {
      details.inputs.push(`its text (line ${line})`);
      // Docker: a new ARG value misses at its first use, not at its definition, and every RUN
      // below an ARG uses it implicitly as an environment variable.
      const names = argNames(instruction);
      const later = stage.instructions.filter((i) => i.keyword === 'RUN' && i.range.start.line > instruction.range.start.line).slice(0, SCAN_LIMIT);
      if (later.length > 0) {
        details.inputs.push(`a new value of ${names.map((a) => `\`${a}\``).join(', ')} (\`--build-arg\`) is a miss at the first RUN below it (line ${later[0].range.start.line + 1}), which sees it in its environment`);
      }
      const firstUse = later.findIndex((i) => referencedVariables(i.args).some((v) => names.includes(v)));
      const before = firstUse < 0 ? later : later.slice(0, firstUse);
      if (before.some((i) => shellOf(model, i).commands.some(isExpensive))) {
        details.tips.push({ text: `A new value of ${names.map((a) => `\`${a}\``).join(', ')} (\`--build-arg\`) re-runs every RUN below, including costly ones that do not use it: declare the ARG just before the step that does.` });
      }
      break;
    }
    case 'ONBUILD':
      details.inputs.push('its text; the trigger itself runs in images built FROM this one, not here');
      break;
    default:
      details.inputs.push(`its text (line ${line}): it only changes the image's metadata`);
  }
  return details;
}

/** How many later steps a card looks at to name costly ones: a card must stay fast on huge files. */
export const SCAN_LIMIT = 300;

function describeRun(model: DockerfileModel, instruction: DockerInstruction, step: StepDetails, declaredArgs: string[]): void {
  const line = instruction.range.start.line + 1;
  step.inputs.push(instruction.heredocs.length > 0 ? `its command text, here-document included (line ${line})` : `its command text (line ${line}), not what the command downloads`);
  if (declaredArgs.length > 0) {
    const used = declaredArgs.filter((a) => referencedVariables(instruction.args).includes(a));
    const shown = (used.length > 0 ? used : declaredArgs).slice(0, 4).map((a) => `\`${a}\``).join(', ');
    step.inputs.push(`a new value of build arg ${shown}${used.length === 0 ? ' (declared above, so part of its environment)' : ''}`);
  }
  // Mounts of one kind are named together, so a RUN with five mounts still reads in one line.
  const caches: string[] = [];
  const secrets: string[] = [];
  const binds = new Map<string, string[]>();
  let ssh = false;
  for (const mount of instruction.flags.filter((f) => f.name === 'mount')) {
    const type = mount.options.get('type') ?? 'bind';
    const target = mount.options.get('target') ?? mount.options.get('dst') ?? mount.options.get('destination') ?? '';
    if (type === 'cache') caches.push(`\`${target}\``);
    else if (type === 'secret') secrets.push(`\`${mount.options.get('id') ?? target}\``);
    else if (type === 'bind') {
      const from = mount.options.get('from') ? `\`${mount.options.get('from')}\`` : 'the build context';
      binds.set(from, [...(binds.get(from) ?? []), `\`${mount.options.get('source') ?? '.'}\``]);
    } else if (type === 'ssh') ssh = true;
  }
  for (const [from, sources] of binds) step.inputs.push(`the contents of ${sources.join(', ')} bound from ${from} (a bind mount is part of the key, though not of the image)`);
  if (caches.length > 0) step.inputs.push(`not the cache mount${caches.length > 1 ? 's' : ''} on ${caches.join(', ')}: ${caches.length > 1 ? 'they persist' : 'it persists'} between builds, out of the image and out of the cache key`);
  if (secrets.length > 0) step.inputs.push(`not the secret${secrets.length > 1 ? 's' : ''} ${secrets.join(', ')}: secrets are never part of the cache key (a new secret value does not re-run this step)`);
  if (ssh) step.inputs.push('not the SSH agent socket');
  const commands = shellOf(model, instruction).commands;
  const installs = commands.filter((c) => isExpensive(c));
  const hasCacheMount = instruction.flags.some((f) => f.name === 'mount' && f.options.get('type') === 'cache');
  if (installs.some(downloadsPackages) && !hasCacheMount) {
    step.tips.push({ text: 'A `--mount=type=cache` on the package manager\'s cache keeps downloads across rebuilds of this step.', rule: 'prefer-cache-mounts' });
  }
  const update = commands.find((c) => c.program === 'apt-get' && positionals(c)[0]?.value === 'update');
  if (update && !commands.some((c) => c.program === 'apt-get' && positionals(c)[0]?.value === 'install')) {
    step.tips.push({ text: 'A cached `apt-get update` layer goes stale: run it in the same RUN as `apt-get install`.', rule: 'apt-update-with-install' });
  }
}

function describeCopy(model: DockerfileModel, instruction: DockerInstruction, step: StepDetails): void {
  const from = instruction.flags.find((f) => f.name === 'from')?.value;
  const words = instruction.json ?? instruction.args.split(/\s+/).filter(Boolean);
  const sources = instruction.heredocs.length > 0 ? [] : words.slice(0, -1);
  if (instruction.heredocs.length > 0) {
    step.inputs.push('its text: the here-document is the content');
    return;
  }
  if (from) {
    const stageIndex = copiesFrom(model, instruction);
    step.inputs.push(stageIndex !== null
      ? `a change in stage ${stageLabel(model.stages[stageIndex])} that alters ${sources.map((s) => code(s)).join(', ')}`
      : `a new image behind ${code(from)} (the files ${sources.map((s) => code(s)).join(', ')})`);
    return;
  }
  const remote = sources.filter((s) => /^(https?:\/\/|git@)/.test(s));
  if (instruction.keyword === 'ADD' && remote.length > 0) {
    const checksum = instruction.flags.some((f) => f.name === 'checksum');
    step.inputs.push(checksum ? `the remote file's checksum (pinned with \`--checksum\`)` : `the remote content of ${remote.map((s) => code(s)).join(', ')}, checked on every build`);
  }
  const local = sources.filter((s) => !remote.includes(s));
  if (local.length === 0) return;
  const whole = local.some((s) => s === '.' || s === './' || s === '*' || s === '/');
  step.inputs.push(whole
    ? 'any change to a file in the build context — all of it, since this copies `.` (only `.dockerignore` narrows it)'
    : `a change to the contents or metadata of ${local.map((s) => code(s)).join(', ')} (after \`.dockerignore\`)`);
  if (whole) {
    const later = (model.stages[instruction.stage]?.instructions.filter((i) => i.range.start.line > instruction.range.start.line && i.keyword === 'RUN') ?? []).slice(0, SCAN_LIMIT);
    const install = later.flatMap((i) => shellOf(model, i).commands).find((c) => INSTALLS.test(c.text.replace(/\s+/g, ' ')));
    if (install) step.tips.push({ text: `Copy only the dependency manifests and run ${code(install.text, 32)} before this copy, so a source edit does not reinstall dependencies.`, rule: 'copy-dependencies-first' });
  }
}

export function stageLabel(stage: Stage): string {
  return stage.name ? `\`${stage.name}\`` : `#${stage.index}`;
}

/**
 * The stages a build of `target` runs with BuildKit: the target, the stages it is built FROM, and
 * those it copies or mounts from, transitively (the classic builder builds every stage up to the
 * target). Without a target, the last stage is built.
 */
export function stagesBuilt(model: DockerfileModel, target?: Stage): Set<number> {
  const built = new Set<number>();
  const start = target ?? model.stages[model.stages.length - 1];
  const visit = (stage: Stage | undefined) => {
    if (!stage || built.has(stage.index)) return;
    built.add(stage.index);
    if (stage.base.stageRef !== null) visit(model.stages[stage.base.stageRef]);
    for (const instruction of stage.instructions) {
      const from = copiesFrom(model, instruction);
      if (from !== null) visit(model.stages[from]);
    }
  };
  visit(start);
  return built;
}

/** What a new value of a build arg does to a build, after the cache rules above. */
export interface ArgEffect {
  /** The ARG instructions that declare it: before the first FROM (stage null) or in a built stage. */
  declarations: { stage: Stage | null; instruction: DockerInstruction; value: string | null }[];
  /** The first step of each stage that misses with a new value. */
  misses: Step[];
  /** Every step a new value re-runs, the misses included, in build order. */
  reruns: Step[];
  /** Costly RUN steps of the build that a new value does not re-run: they stay cached. */
  cached: Step[];
}

function argDefault(instruction: DockerInstruction, name: string): string | null {
  const word = instruction.args.split(/\s+/).find((a) => a.split('=')[0] === name);
  return word?.includes('=') ? word.slice(word.indexOf('=') + 1) : null;
}

/**
 * A new value of build arg `name` for a build of the stages `built`: a global ARG reaches only FROM
 * lines, so a stage whose FROM names it misses from its base; a stage that declares it misses at
 * the first step after the ARG that sees it (every RUN has it in its environment; another
 * instruction when its text names it); everything after a miss, and the stages built on it or
 * copying from it, re-run. An arg nothing declares changes nothing.
 */
export function argEffect(model: DockerfileModel, name: string, built: Set<number>): ArgEffect {
  const cache = cacheModel(model);
  const declarations: ArgEffect['declarations'] = [];
  const global = model.instructions.filter((i) => i.stage < 0 && i.keyword === 'ARG' && argNames(i).includes(name));
  for (const instruction of global) declarations.push({ stage: null, instruction, value: argDefault(instruction, name) });
  const misses: Step[] = [];
  for (const stage of model.stages) {
    if (!built.has(stage.index)) continue;
    const steps = cache.steps.filter((s) => s.stage === stage);
    if (global.length > 0 && referencedVariables(stage.base.text).includes(name) && steps[0]) {
      misses.push(steps[0]);
      continue;
    }
    const declared = steps.findIndex((s) => s.instruction.keyword === 'ARG' && argNames(s.instruction).includes(name));
    if (declared < 0) continue;
    declarations.push({ stage, instruction: steps[declared].instruction, value: argDefault(steps[declared].instruction, name) });
    const miss = steps.slice(declared + 1).slice(0, SCAN_LIMIT).find((s) => s.instruction.keyword === 'RUN' || referencedVariables(s.instruction.args).includes(name));
    if (miss) misses.push(miss);
  }
  const reruns: Step[] = [];
  const seen = new Set<Step>();
  for (const miss of misses) {
    for (const step of [miss, ...cache.rerunsAfter(miss)]) {
      if (seen.has(step) || !built.has(step.stage.index)) continue;
      seen.add(step);
      reruns.push(step);
    }
  }
  reruns.sort((a, b) => cache.steps.indexOf(a) - cache.steps.indexOf(b));
  const cached = misses.length === 0 ? [] : cache.steps.filter((s) => built.has(s.stage.index) && !seen.has(s) && s.instruction.keyword === 'RUN' && shellOf(model, s.instruction).commands.some(isExpensive));
  return { declarations, misses, reruns, cached };
}

/** The steps of the built stages that copy from the build context, each with what its miss re-runs. */
export function contextCopies(model: DockerfileModel, built: Set<number>): { step: Step; whole: boolean; sources: string[]; reruns: Step[] }[] {
  const cache = cacheModel(model);
  const copies: { step: Step; whole: boolean; sources: string[]; reruns: Step[] }[] = [];
  for (const step of cache.steps) {
    const instruction = step.instruction;
    if (!built.has(step.stage.index) || (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || instruction.heredocs.length > 0) continue;
    if (instruction.flags.some((f) => f.name === 'from')) continue;
    const words = instruction.json ?? instruction.args.split(/\s+/).filter(Boolean);
    const sources = words.slice(0, -1).filter((s) => !/^(https?:\/\/|git@)/.test(s));
    if (sources.length === 0) continue;
    copies.push({ step, whole: sources.some((s) => s === '.' || s === './' || s === '*' || s === '/'), sources, reruns: cache.rerunsAfter(step).filter((s) => built.has(s.stage.index)) });
  }
  return copies;
}

/**
 * The RUN steps of the built stages that mount a build secret (`type=secret`, whose id defaults to
 * the target's file name) or the SSH agent (`type=ssh`, id `default` unless named) with this id.
 */
export function mountUsers(model: DockerfileModel, type: 'secret' | 'ssh', id: string, built: Set<number>): Step[] {
  return cacheModel(model).steps.filter((step) => built.has(step.stage.index) && step.instruction.keyword === 'RUN' && step.instruction.flags.some((f) => {
    if (f.name !== 'mount' || f.options.get('type') !== type) return false;
    const target = f.options.get('target') ?? f.options.get('dst') ?? f.options.get('destination') ?? '';
    const own = f.options.get('id') ?? (type === 'ssh' ? 'default' : target.split('/').pop() ?? '');
    return own === id;
  }));
}
