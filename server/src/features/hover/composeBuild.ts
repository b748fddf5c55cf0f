import { dirname, relative, resolve } from 'node:path';
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { DockerfileModel, Stage } from '../../dockerfile/parse';
import { argEffect, contextCopies, isExpensive, mountUsers, stageLabel, stagesBuilt, type Step } from '../../hover/layerCache';
import { shellOf } from '../../dockerfile/shell';
import { describeStep } from '../../hover/dockerfile';
import { ignoreFileOf } from '../../project/buildContext';
import { isRemote } from '../../compose/builds';
import type { ComposeContext } from '../composeContext';
import { pathOf, type ProjectService } from '../../compose/project';

/**
 * Layer-cache cards on a Compose service's build settings, computed from the Dockerfile the
 * service builds with the same cache model as the Dockerfile hover (hover/layerCache.ts): what a
 * build arg's new value re-runs, what the context sends and which COPY steps a change there
 * re-runs, which stages a target builds, what the cache settings and pull policy do for this
 * build, and which RUN steps mount a build secret or the SSH agent. Null where the key is not a
 * build setting, or the service builds nothing Shipshape can read.
 */
export function buildCard(context: ComposeContext, path: string[], value: Node | null, docsUrl: (rule: string) => string): string[] | null {
  if (path[0] !== 'services' || path.length < 3) return null;
  const setting = path.slice(2).filter((p) => !/^\d+$/.test(p));
  const key = setting.join('.');
  const project = context.project();
  const service = project.service(path[1]);
  if (!service) return null;
  const built = project.dockerfile(service);
  const build = project.build(service);
  if (key === 'pull_policy') return build ? pullPolicyLines(value ?? project.get(service, ['pull_policy'])?.node ?? null) : null;
  if (setting[0] !== 'build') return null;
  if (key === 'build.cache_from' || key === 'build.cache_to') return cacheLines(context, setting[1], path, value);
  if (!built) return key === 'build.args' || setting[1] === 'args' ? ['**Build arg** · the Dockerfile this service builds cannot be read (a remote context, or a path outside the workspace): its effect is not known here.'] : null;
  const target = built.target ? built.model.stages.find((s) => s.name?.toLowerCase() === built.target!.toLowerCase()) : undefined;
  if (built.target && !target) {
    return key === 'build.target' ? [`**Target \`${built.target}\`** · ${fileLabel(context, built.path)} has no stage named \`${built.target}\`: the build fails ([build-target-exists](${docsUrl('build-target-exists')})).`] : null;
  }
  const stages = stagesBuilt(built.model, target);
  const name = fileLabel(context, built.path);
  if (setting[1] === 'args' && setting.length === 3) return argLines(built.model, setting[2], stages, name, docsUrl);
  if (key === 'build.args' && value && isScalar(value)) {
    const arg = String((value as Scalar).value ?? '').split('=')[0];
    return arg ? argLines(built.model, arg, stages, name, docsUrl) : null;
  }
  if (key === 'build.target') return targetLines(built.model, target, stages, name);
  const where = { model: built.model, path: built.path, target: built.target, dir: contextFolder(project, service) };
  if (key === 'build.context' || (key === 'build' && value && isScalar(value))) return contextLines(context, where, stages, docsUrl, 'context');
  if (key === 'build.dockerfile') return contextLines(context, where, stages, docsUrl, 'dockerfile');
  if (key === 'build.secrets' || key === 'build.secrets.source' || key === 'build.secrets.target') return mountLines(context, built.model, 'secret', path, value, stages);
  if (key === 'build.ssh') return mountLines(context, built.model, 'ssh', path, value, stages);
  return null;
}

function fileLabel(context: ComposeContext, path: string | null): string {
  if (!path) return 'the inline Dockerfile';
  return `\`${context.path ? relative(dirname(context.path), path) || path : path}\``;
}

function steps(model: DockerfileModel, list: Step[], max = 3): string {
  return list.slice(0, max).map((s) => describeStep(model, s)).join(', ') + (list.length > max ? ` and ${list.length - max} more` : '');
}

function stageNames(stages: Stage[]): string {
  return stages.map(stageLabel).join(', ');
}

function argLines(model: DockerfileModel, name: string, built: Set<number>, file: string, docsUrl: (rule: string) => string): string[] {
  const effect = argEffect(model, name, built);
  const lines = [`**Build arg \`${name}\`** · layer cache of ${file}`];
  if (effect.declarations.length === 0) {
    lines.push(`${file} never declares \`ARG ${name}\` in the stages this build runs: the value has no effect on the image, and Docker warns that it was not consumed ([build-args-declared](${docsUrl('build-args-declared')})).`);
    return lines;
  }
  lines.push(`Declared ${effect.declarations.map((d) => `${d.stage ? `in stage ${stageLabel(d.stage)}` : 'before the first FROM (global: in scope only in FROM lines)'} at line ${d.instruction.range.start.line + 1}${d.value !== null ? `, default \`${d.value}\`` : ', no default'}`).join('; ')}.`);
  const fromMisses = effect.misses.filter((m) => m.instruction.keyword === 'FROM');
  const cache = effect.reruns;
  if (cache.length === 0) {
    lines.push('**A new value re-runs** nothing: no step after the ARG reads it.');
    return lines;
  }
  const costly = cache.filter((s) => isCostly(model, s) && !effect.misses.includes(s));
  const parts: string[] = [];
  if (fromMisses.length > 0) parts.push(`it changes the base image of stage${fromMisses.length === 1 ? '' : 's'} ${stageNames(fromMisses.map((m) => m.stage))}, so ${fromMisses.length === 1 ? 'that whole stage re-runs' : 'those whole stages re-run'}`);
  const inner = effect.misses.filter((m) => m.instruction.keyword !== 'FROM');
  if (inner.length > 0) parts.push(`the first step that reads it misses: ${steps(model, inner)}`);
  const stagesAfter = [...new Set(cache.map((s) => s.stage))].filter((s) => !effect.misses.some((m) => m.stage === s));
  lines.push(`**A new value re-runs** ${cache.length} step${cache.length === 1 ? '' : 's'}: ${parts.join('; ')}${costly.length > 0 ? `; costly: ${steps(model, costly)}` : ''}${stagesAfter.length > 0 ? `; stage${stagesAfter.length === 1 ? '' : 's'} ${stageNames(stagesAfter)} built on it re-run${stagesAfter.length === 1 ? 's' : ''} too` : ''}.`);
  if (effect.cached.length > 0) lines.push(`**Stays cached:** ${steps(model, effect.cached)}, which ${effect.cached.length === 1 ? 'comes' : 'come'} before the ARG is read.`);
  return lines;
}

/** A RUN whose commands take time to re-run: installs, compiles, downloads (the Dockerfile card's table). */
function isCostly(model: DockerfileModel, step: Step): boolean {
  return step.instruction.keyword === 'RUN' && shellOf(model, step.instruction).commands.some(isExpensive);
}

function targetLines(model: DockerfileModel, target: Stage | undefined, built: Set<number>, file: string): string[] {
  const stage = target ?? model.stages[model.stages.length - 1];
  if (!stage) return [];
  const runs = model.stages.filter((s) => built.has(s.index));
  const skipped = model.stages.filter((s) => !built.has(s.index));
  const lines = [`**Target ${stageLabel(stage)}** · stage ${stage.index} of ${file} (line ${stage.from.range.start.line + 1})${stage.index === model.stages.length - 1 ? ', the last stage' : ''}`];
  lines.push(`**Builds** ${stageNames(runs)}${runs.length > 1 ? ' (the stages it is built on or copies from)' : ''}.`);
  lines.push(skipped.length > 0
    ? `**Skips** ${stageNames(skipped)}: BuildKit never runs them for this target, so their steps cost nothing here (the classic builder still builds every stage before the target).`
    : '**Skips** no stage: every stage of the file goes into this target.');
  return lines;
}

interface Built {
  model: DockerfileModel;
  path: string | null;
  target: string | null;
  /** The context folder, or null for a remote or unknown one. */
  dir: string | null;
}

function contextLines(context: ComposeContext, built: Built, stages: Set<number>, docsUrl: (rule: string) => string, what: 'context' | 'dockerfile'): string[] {
  const { model, path: dockerfilePath, dir } = built;
  const shown = (path: string) => `\`${context.path ? relative(dirname(context.path), path) || '.' : path}\``;
  const lines: string[] = [];
  if (what === 'dockerfile') {
    lines.push(`**Dockerfile** ${fileLabel(context, dockerfilePath)} · ${model.stages.length} stage${model.stages.length === 1 ? '' : 's'}${built.target ? `, target \`${built.target}\`` : ''}`);
    lines.push('An edit of the Dockerfile re-runs the step it changes and every step after it; the steps above stay cached.');
  } else {
    lines.push(`**Build context**${dir ? ` ${shown(dir)}` : ''} · the folder sent to the builder on every build`);
  }
  if (dir && dockerfilePath) {
    const ignore = ignoreFileOf(dockerfilePath, dir, context.files);
    const own = ignore?.path === `${dockerfilePath}.dockerignore`;
    lines.push(ignore
      ? `${shown(ignore.path)} narrows what is sent (${ignore.patterns.length} pattern${ignore.patterns.length === 1 ? '' : 's'})${own ? ': the Dockerfile\'s own ignore file wins over the context\'s `.dockerignore` (BuildKit)' : ''}.`
      : `No \`.dockerignore\`: every file of the folder is sent, \`.git\` and local dependencies included, and a change to any of them re-runs a \`COPY .\` ([dockerignore-present](${docsUrl('dockerignore-present')})).`);
  }
  const copies = contextCopies(model, stages);
  if (copies.length === 0) {
    lines.push('No step copies from the context: a change there re-runs nothing.');
  } else {
    for (const copy of copies.slice(0, 3)) {
      const costly = copy.reruns.filter((s) => s.instruction.keyword === 'RUN' && isCostly(model, s));
      const trigger = copy.whole ? 'Any change to a file there' : `A change to ${copy.sources.slice(0, 3).map((s) => `\`${s}\``).join(', ')}`;
      lines.push(`**${trigger} re-runs** ${describeStep(model, copy.step)} and ${copy.reruns.length} step${copy.reruns.length === 1 ? '' : 's'} after it${costly.length > 0 ? `, including ${steps(model, costly, 2)}` : ''}.`);
    }
    if (copies.length > 3) lines.push(`…and ${copies.length - 3} more COPY/ADD steps from the context.`);
  }
  return lines;
}

/** The build context folder of a service, as its files write it; null for a remote one. */
function contextFolder(project: ReturnType<ComposeContext['project']>, service: ProjectService): string | null {
  const build = project.get(service, ['build']);
  if (!build) return null;
  const node = build.compose.resolve(build.node);
  const text = isScalar(node) ? build.compose.text(node) : build.compose.text(project.get(service, ['build', 'context'])?.node) ?? '.';
  const file = pathOf(build.compose);
  if (!text || !file || isRemote(text)) return null;
  return resolve(dirname(file), text);
}

/** `type=registry,ref=…,mode=max` → its fields; a bare `image:tag` is a registry ref. */
function cacheEntry(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  if (!text.includes('=')) {
    fields.set('type', 'registry');
    fields.set('ref', text);
    return fields;
  }
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  if (!fields.has('type')) fields.set('type', 'registry');
  return fields;
}

const CACHE_TYPES: Record<string, string> = {
  registry: 'a cache image in a registry',
  local: 'a folder on this machine',
  inline: 'the cache metadata written into the image itself',
  gha: 'the GitHub Actions cache',
  s3: 'an S3 bucket',
  azblob: 'an Azure Blob Storage container',
};

function cacheLines(context: ComposeContext, which: string, path: string[], value: Node | null): string[] {
  const { compose } = context;
  const items = value && isScalar(value) ? [value] : compose.items(compose.get(compose.get(compose.services.find((s) => s.name === path[1])?.node, 'build')?.value, which)?.value);
  const entries = items.map((n) => compose.text(n)).filter((t): t is string => t !== null);
  const lines = [which === 'cache_from'
    ? '**Cache sources** · layers the builder may reuse instead of running a step, when a step\'s cache key matches one stored there'
    : '**Cache export** · where this build writes its cache for the next build (another machine, a clean CI runner)'];
  for (const entry of entries.slice(0, 4)) {
    const fields = cacheEntry(entry);
    const type = fields.get('type')!;
    const where = fields.get('ref') ?? fields.get('src') ?? fields.get('dest') ?? fields.get('scope') ?? '';
    let line = `\`${entry.length > 60 ? `${entry.slice(0, 59)}…` : entry}\`: ${CACHE_TYPES[type] ?? `cache type \`${type}\``}${where && type !== 'gha' ? ` (\`${where}\`)` : ''}`;
    if (which === 'cache_to') {
      const mode = fields.get('mode') ?? 'min';
      line += type === 'inline'
        ? '; inline caches hold only the final stage\'s layers (`mode=min`)'
        : mode === 'max'
          ? '; `mode=max` exports the layers of every stage, so a later build hits even for steps of build stages the image does not ship'
          : '; `mode=min` (the default) exports only the layers of the stage that is built, so steps of build stages (the dependency install of a builder stage) miss on a clean machine';
    }
    lines.push(line + '.');
  }
  if (which === 'cache_to') lines.push('Exporting a cache (other than `inline`) needs a builder with the `docker-container` driver or the containerd image store; the default `docker` driver refuses it.');
  lines.push(`**In production:** in CI, \`cache_from\` and \`cache_to\` pointing at the same registry ref with \`mode=max\` (or \`type=gha\`) let a fresh runner reuse the previous build's layers; keep the cache ref apart from the tag you deploy, and expect no hit for steps whose inputs changed.`);
  return lines;
}

function pullPolicyLines(value: Node | null): string[] {
  const policy = isScalar(value) ? String((value as Scalar).value ?? '') : null;
  const lines = ['**Pull policy of a service that builds** · whether `docker compose up` builds the image or takes it from a registry'];
  const what: Record<string, string> = {
    build: '`build` builds the image on every `up`: the layer cache makes an unchanged build quick, and a change in the context or a build arg is always picked up.',
    missing: '`missing` (the default) builds only when no image of that name is present; after a change, run `docker compose up --build` or the old image runs.',
    if_not_present: '`if_not_present` builds only when no image of that name is present; after a change, run `docker compose up --build` or the old image runs.',
    always: '`always` pulls `image:` from its registry on every `up` instead of using what was built here; building happens only with `--build` or when the pull fails.',
    never: '`never` uses the local image only: build it with `docker compose build` first.',
  };
  if (policy && what[policy]) lines.push(what[policy]);
  else lines.push(Object.values(what).slice(0, 2).join(' '));
  lines.push('**In production:** deploy images built once in CI and pulled by tag (`pull_policy: always` or `missing` with a pinned tag), rather than building on the server.');
  return lines;
}

function mountLines(context: ComposeContext, model: DockerfileModel, type: 'secret' | 'ssh', path: string[], value: Node | null, built: Set<number>): string[] {
  const { compose } = context;
  const service = compose.services.find((s) => s.name === path[1]);
  const build = compose.resolve(compose.get(service?.node, 'build')?.value);
  const list = compose.resolve(compose.get(build, type === 'secret' ? 'secrets' : 'ssh')?.value);
  // The ids the Dockerfile sees: a secret's `target` (else its name); an SSH entry's id before `=`.
  const ids: string[] = [];
  const add = (node: Node | null | undefined) => {
    const resolved = compose.resolve(node);
    if (isScalar(resolved)) {
      const text = compose.text(resolved);
      if (text) ids.push(type === 'ssh' ? text.split('=')[0] : text);
    } else if (isMap(resolved)) {
      const id = compose.text(compose.get(resolved, 'target')?.value) ?? compose.text(compose.get(resolved, 'source')?.value);
      if (id) ids.push(id);
    }
  };
  const index = path.findIndex((p, i) => i > 2 && /^\d+$/.test(p));
  if (index >= 0) add(compose.items(list)[Number(path[index])]);
  else if (isMap(list)) for (const entry of compose.entries(list)) ids.push(entry.key);
  else for (const item of compose.items(list)) add(item);
  if (type === 'ssh' && ids.length === 0 && value === null) ids.push('default');
  const lines = [type === 'secret'
    ? '**Build secrets** · mounted as files for the RUN steps that ask for them, never written to a layer or the image history'
    : '**SSH forwarding** · the agent socket (or keys) reach only the RUN steps that mount it, never a layer'];
  for (const id of [...new Set(ids)].slice(0, 4)) {
    const users = mountUsers(model, type, id, built);
    const mount = `\`RUN --mount=type=${type}${type === 'ssh' && id === 'default' ? '' : `,id=${id}`}\``;
    // Steps of stages this target skips mount it too: say so, the user may build another target.
    const elsewhere = users.length > 0 ? [] : mountUsers(model, type, id, new Set(model.stages.map((s) => s.index)));
    lines.push(users.length > 0
      ? `\`${id}\`: used by ${steps(model, users)} (${mount}).`
      : elsewhere.length > 0
        ? `\`${id}\`: only ${steps(model, elsewhere)} in stage ${stageNames([...new Set(elsewhere.map((s) => s.stage))])} mounts it (${mount}), and this target skips that stage: it is passed for nothing here.`
        : `\`${id}\`: no RUN of this build mounts it (${mount}), so it is passed for nothing.`);
  }
  lines.push(type === 'secret'
    ? 'A secret is not part of the cache key: a new value does not re-run the steps that use it (change something else, or build with `--no-cache`, to rotate what they produced).'
    : 'SSH access is not part of the cache key: a step that clones with it is not re-run when the repository changes.');
  return lines;
}
