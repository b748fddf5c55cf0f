import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { composeRule, type FileAccess } from '../types';
import { parseCompose, type ComposeModel } from '../../compose/parse';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dependencies } from '../../compose/services';
import { appendToMap, replaceNode, unitOf } from '../../compose/edit';
import { isBlockMap } from '../../compose/layout';
import { ownLayer } from '../../compose/servers';

/** The one default the fix writes: enough for a typical web app or small database; tune it per service. */
const DEFAULT_MEMORY = '512M';

/** A written memory limit that limits: `0` (in any unit) is Docker's "no limit". Unknown values count. */
function limitsMemory(text: string | null): boolean {
  return text === null || !/^\s*0+(\.0*)?\s*[bkmg]?b?\s*$/i.test(text);
}

/** Where a service writes its memory limit. */
const MEMORY_PATHS = [['deploy', 'resources', 'limits', 'memory'], ['mem_limit']];

function hasMemoryLimit(project: ComposeProject, service: ProjectService): boolean {
  return MEMORY_PATHS.some((path) => {
    const located = project.get(service, path);
    return located !== undefined && limitsMemory(located.compose.text(located.node));
  });
}

/** Services others wait on to complete: jobs that run once and exit. */
function awaitedJobs(project: ComposeProject): Set<string> {
  const names = new Set<string>();
  for (const service of project.services) {
    for (const d of dependencies(project, service)) if (d.condition && d.compose.text(d.condition) === 'service_completed_successfully') names.add(d.name);
  }
  return names;
}

/** Jobs that run once and exit: `restart: "no"` written out, or a dependency others wait to complete. */
function isOneShot(project: ComposeProject, service: ProjectService, jobs: Set<string>): boolean {
  const restart = project.get(service, ['restart']);
  return (restart !== undefined && restart.compose.text(restart.node) === 'no') || jobs.has(service.name);
}

/**
 * Production overlays Compose does not merge by default (`compose.prod.yaml`): a limit written
 * there is where the project keeps its production settings, so the base file is not flagged.
 */
function overlayLimits(path: string | null, files: FileAccess): Set<string> {
  const services = new Set<string>();
  if (!path) return services;
  const stem = basename(path).replace(/\.(?:override\.)?ya?ml$/i, '');
  if (!/^(?:docker-)?compose$/i.test(stem)) return services;
  for (const env of ['prod', 'production']) {
    for (const ext of ['yaml', 'yml']) {
      const file = join(dirname(path), `${stem}.${env}.${ext}`);
      const text = files.read(file);
      if (text === null) continue;
      const model = parseCompose(TextDocument.create(pathToFileURL(file).href, 'dockercompose', 0, text));
      for (const s of model.services) {
        const limits = model.get(model.get(model.get(s.node, 'deploy')?.value, 'resources')?.value, 'limits')?.value;
        if ([model.get(limits, 'memory'), model.get(s.node, 'mem_limit')].some((e) => e !== undefined && limitsMemory(model.text(e.value)))) services.add(s.name);
      }
    }
  }
  return services;
}

/** Where the service's image or build is written: the file that defines what runs. */
function definingFile(project: ComposeProject, service: ProjectService): ComposeModel | null {
  return (project.get(service, ['build']) ?? project.get(service, ['image']))?.compose ?? null;
}

/**
 * A container without a memory limit may take all of the host's memory: one leak or spike and
 * the kernel's OOM killer picks victims among the other containers, or the Docker daemon itself.
 */
export default composeRule({
  id: 'resource-limits',
  aliases: ['bb9ac4f7-e13b-423d-a010-c74a1bfbe492'],
  title: 'Limit the memory of each service',
  category: 'reliability',
  severity: 'info',
  check({ compose, project, path, files, report }) {
    let overlays: Set<string> | null = null;
    let jobs: Set<string> | null = null;
    for (const service of project.services) {
      if (definingFile(project, service) !== compose || hasMemoryLimit(project, service)) continue;
      jobs ??= awaitedJobs(project);
      if (isOneShot(project, service, jobs)) continue;
      overlays ??= overlayLimits(path, files);
      if (overlays.has(service.name)) continue;
      const layer = ownLayer(service, compose);
      if (!layer) continue;
      report({
        range: compose.rangeOf(layer.keyNode),
        message: `\`${service.name}\` has no memory limit, so a leak or a load spike can use all of the host's memory until the kernel's OOM killer stops other containers or the Docker daemon; set \`deploy.resources.limits.memory\` (and \`cpus\` if it can monopolise the CPU).`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    const layer = service && ownLayer(service, compose);
    if (!service || !layer || hasMemoryLimit(project, service)) return undefined;
    // A limit of 0 written in this service: its value becomes the limit, not a second key.
    for (const path of MEMORY_PATHS) {
      const located = project.get(service, path);
      if (!located) continue;
      // Written in this service itself: a value shared through an anchor is left alone.
      const inside = located.node?.range && layer.node.range && layer.node.range[0] <= located.node.range[0] && located.node.range[1] <= layer.node.range[1];
      if (located.compose !== compose || !located.node || !isScalar(located.node) || !inside) return undefined;
      const edit = replaceNode(compose, located.node, DEFAULT_MEMORY);
      return edit ? { title: `Limit memory to ${DEFAULT_MEMORY}`, edits: [edit], safe: false } : undefined;
    }
    const edit = limitEdit(compose, layer.node);
    return edit ? { title: `Limit memory to ${DEFAULT_MEMORY}`, edits: [edit], safe: false } : undefined;
  },
});

/** A mapping entry written in `map` itself; one merged in from an anchor is shared and left alone. */
function own(compose: ComposeModel, map: Node | null, key: string): { found: boolean; value: Node | null } {
  const entry = compose.get(map, key);
  if (!entry) return { found: false, value: null };
  if (!isMap(map) || !(map as YAMLMap).items.includes(entry.pair)) return { found: true, value: null };
  return { found: true, value: compose.resolve(entry.value) };
}

/** Adds `memory` at the deepest level of `deploy.resources.limits` the service already writes. */
function limitEdit(compose: ComposeModel, serviceNode: YAMLMap) {
  const unit = unitOf(compose);
  const nested = ['deploy', 'resources', 'limits'];
  let map: Node | null = serviceNode;
  for (let depth = 0; depth < nested.length; depth++) {
    const next = own(compose, map, nested[depth]);
    if (!next.found) {
      const lines = [...nested.slice(depth).map((k, i) => `${unit.repeat(i)}${k}:`), `${unit.repeat(nested.length - depth)}memory: ${DEFAULT_MEMORY}`];
      return appendToMap(compose, map, lines);
    }
    // Merged from an anchor, written in flow style, or empty: no edit keeps the file's meaning and style.
    if (!isBlockMap(next.value)) return undefined;
    map = next.value;
  }
  return appendToMap(compose, map, [`memory: ${DEFAULT_MEMORY}`]);
}
