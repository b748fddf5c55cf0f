import { basename, dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import type { FileAccess } from '../rules/types';
import { parseCompose, type ComposeModel, type Entry } from './parse';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/parse';

/**
 * The project Compose would load for a file: the file itself, the files it is merged with
 * (`compose.override.yaml` beside `compose.yaml`, or the base of an override or `compose.*.yaml`
 * file), and the services `extends` pulls in, merged by the Compose Specification's rules
 * (https://docs.docker.com/reference/compose-file/merge/). Rules read effective values here and
 * report where a value is written; only findings in the linted file are shown for it.
 */

export interface Located {
  compose: ComposeModel;
  node: Node | null;
  /** The key the value is written under (for ranges that cover `key: value`). */
  keyNode: Node;
}

/** One service as Compose sees it after merging: its definitions in merge order. */
export interface ProjectService {
  name: string;
  /** Each definition: from an `extends` base first, then the base file, then overrides. */
  layers: { compose: ComposeModel; node: YAMLMap; keyNode: Node }[];
  /** Whether the linted file defines (part of) this service. */
  inPrimary: boolean;
}

export interface ComposeProject {
  primary: ComposeModel;
  /** Every file of the project in merge order, the primary one included. */
  files: ComposeModel[];
  services: ProjectService[];
  service(name: string): ProjectService | undefined;
  /**
   * The effective value at a key path of a service: the last layer that writes it wins, a
   * `!reset` removes it. Mappings are merged key by key, so `['healthcheck', 'test']` finds the
   * test even when the override file only changes `interval`.
   */
  get(service: ProjectService, path: string[]): Located | undefined;
  /** Every layer's value at a key path (sequences such as `ports` or `cap_add` are merged by appending). */
  all(service: ProjectService, path: string[]): Located[];
  /** The Dockerfile a service builds, parsed, with the stage Compose targets; null when unknown. */
  dockerfile(service: ProjectService): { model: DockerfileModel; path: string | null; target: string | null } | null;
  /**
   * What a service's `build` names, unread: the Dockerfile's path (null for `dockerfile_inline`,
   * whose text is `inline`) and the target stage; null without a local build.
   */
  build(service: ProjectService): { path: string | null; inline: string | null; target: string | null } | null;
  /** `extends` that Compose refuses: a service extending itself through a chain, or one that does not exist. */
  extendsProblems: ExtendsProblem[];
}

export interface ExtendsProblem {
  kind: 'cycle' | 'missing-service';
  /** The file that writes the `extends`, and its value (the target service's name, or the mapping). */
  compose: ComposeModel;
  node: Node;
  /** The service that extends, and the chain of `service (file)` from it back to itself for a cycle. */
  service: string;
  target: string;
  chain: string[];
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The files Compose merges with `path` by default, in merge order (the file itself included). */
export function projectFiles(path: string, files: FileAccess): string[] {
  const dir = dirname(path);
  const name = basename(path);
  const m = /^(docker-)?compose\.(.+)\.ya?ml$/i.exec(name);
  if (m) {
    // An override or environment file: the base file of the same family comes first.
    const bases = m[1] ? ['docker-compose.yml', 'docker-compose.yaml'] : ['compose.yaml', 'compose.yml'];
    const base = bases.map((b) => join(dir, b)).find((p) => files.exists(p));
    return base ? [base, path] : [path];
  }
  if (BASE_NAMES.includes(name.toLowerCase())) {
    const stem = name.replace(/\.ya?ml$/i, '');
    const override = [`${stem}.override.yaml`, `${stem}.override.yml`].map((o) => join(dir, o)).find((p) => files.exists(p));
    return override ? [path, override] : [path];
  }
  return [path];
}

/** Variables from the `.env` file beside the project, as Compose reads them for interpolation. */
export function dotEnv(dir: string, files: FileAccess): Map<string, string> {
  const env = new Map<string, string>();
  const text = files.read(join(dir, '.env'));
  if (!text) return env;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    env.set(m[1], value);
  }
  return env;
}

export function buildProject(primary: ComposeModel, path: string | null, files: FileAccess): ComposeProject {
  const models = new Map<string, ComposeModel>();
  const load = (file: string): ComposeModel | null => {
    const key = resolve(file);
    if (key === (path && resolve(path))) return primary;
    if (models.has(key)) return models.get(key)!;
    const text = files.read(key);
    if (text === null) return null;
    const model = parseCompose(TextDocument.create(pathToFileURL(key).href, 'dockercompose', 0, text), primary.environment);
    models.set(key, model);
    return model;
  };
  const merged = path ? projectFiles(path, files).map((f) => load(f)).filter((m): m is ComposeModel => m !== null) : [primary];
  // `include` loads other Compose files as parts of the project, before the files that include
  // them (https://docs.docker.com/reference/compose-file/include/); a cycle or a missing file ends there.
  const included: ComposeModel[] = [];
  const visited = new Set<ComposeModel>(merged);
  const includeFrom = (compose: ComposeModel, depth: number) => {
    const dir = dirname(pathOf(compose) ?? '');
    if (depth > 8 || !pathOf(compose)) return;
    for (const item of compose.items(compose.get(compose.root, 'include')?.value)) {
      // `- path.yaml`, or `- path: a.yaml` / `- path: [a.yaml, a.override.yaml]` in the long form.
      const resolved = compose.resolve(item);
      const pathValue = isScalar(resolved) ? resolved : compose.resolve(compose.get(resolved, 'path')?.value);
      const paths = isSeq(pathValue) ? compose.items(pathValue) : pathValue ? [pathValue] : [];
      for (const p of paths) {
        const text = compose.text(p);
        const model = text ? load(resolve(dir, text)) : null;
        if (!model || visited.has(model)) continue;
        visited.add(model);
        includeFrom(model, depth + 1);
        included.push(model);
      }
    }
  };
  for (const compose of merged) includeFrom(compose, 0);
  const ordered = [...included, ...merged];
  const serviceMap = new Map<string, ProjectService>();
  // Services by name per file: a project with thousands of services must stay linear.
  const byName = new Map<ComposeModel, Map<string, ComposeModel['services'][number]>>();
  const definition = (compose: ComposeModel, name: string) => {
    let map = byName.get(compose);
    if (!map) {
      map = new Map(compose.services.map((s) => [s.name, s]));
      byName.set(compose, map);
    }
    return map.get(name);
  };
  const extendsProblems: ExtendsProblem[] = [];
  const reported = new Set<Node>();
  const problem = (p: ExtendsProblem) => {
    if (reported.has(p.node)) return;
    reported.add(p.node);
    extendsProblems.push(p);
  };
  const label = (compose: ComposeModel, name: string) => `\`${name}\` (${basename(pathOf(compose) ?? compose.document.uri)})`;
  interface Link {
    key: string;
    label: string;
    compose: ComposeModel;
    name: string;
    /** Its `extends` value (the service name, or the `service:` of the mapping form) and target. */
    node: Node | null;
    target: string | null;
  }
  /** `chain`: the services visited from the one being merged, in order, each with its `extends`. */
  const layersOf = (compose: ComposeModel, name: string, chain: Link[]): ProjectService['layers'] => {
    const def = definition(compose, name);
    if (!def?.node) return [];
    const link: Link = { key: `${compose.document.uri}#${name}`, label: label(compose, name), compose, name, node: null, target: null };
    chain.push(link);
    const base: ProjectService['layers'] = [];
    const ext = compose.get(def.node, 'extends')?.value ?? null;
    if (ext) {
      const resolved = compose.resolve(ext);
      const serviceNode = isScalar(resolved) ? resolved : compose.get(resolved, 'service')?.value ?? null;
      const target = compose.text(serviceNode);
      const file = isMap(resolved) ? compose.text(compose.get(resolved, 'file')?.value) : null;
      const from = file ? load(join(dirname(pathOf(compose) ?? '.'), file)) : compose;
      link.node = serviceNode ?? ext;
      link.target = target;
      if (target && from) {
        const loop = chain.findIndex((c) => c.key === `${from.document.uri}#${target}`);
        if (loop >= 0) {
          // Every extends of the loop is part of the error: each is reported in its own file.
          const members = chain.slice(loop);
          members.forEach((member, i) => {
            const around = [...members.slice(i), ...members.slice(0, i), member].map((m) => m.label);
            problem({ kind: 'cycle', compose: member.compose, node: member.node!, service: member.name, target: member.target!, chain: around });
          });
        } else if (!definition(from, target)) {
          // A file that cannot be read (missing, or outside the workspace) is left to Compose.
          problem({ kind: 'missing-service', compose, node: link.node, service: name, target, chain: [label(from, target)] });
        } else {
          base.push(...layersOf(from, target, chain));
        }
      }
    }
    return [...base, { compose, node: def.node, keyNode: def.keyNode }];
  };
  for (const compose of ordered) {
    for (const def of compose.services) {
      let service = serviceMap.get(def.name);
      if (!service) {
        service = { name: def.name, layers: [], inPrimary: false };
        serviceMap.set(def.name, service);
      }
      service.layers.push(...layersOf(compose, def.name, []));
      if (compose === primary) service.inPrimary = true;
    }
  }
  const services = [...serviceMap.values()];

  const at = (compose: ComposeModel, node: Node | null, path: string[]): Entry | undefined => {
    let current: Node | null = node;
    let entry: Entry | undefined;
    for (const key of path) {
      entry = compose.get(current, key);
      if (!entry) return undefined;
      current = entry.value;
    }
    return entry;
  };
  const isReset = (node: Node | null) => (node as { tag?: string } | null)?.tag === '!reset';

  const get = (service: ProjectService, path: string[]): Located | undefined => {
    let found: Located | undefined;
    for (const layer of service.layers) {
      const entry = at(layer.compose, layer.node, path);
      if (!entry) continue;
      found = isReset(entry.value) ? undefined : { compose: layer.compose, node: entry.value, keyNode: entry.keyNode };
    }
    return found;
  };

  const all = (service: ProjectService, path: string[]): Located[] => {
    const found: Located[] = [];
    for (const layer of service.layers) {
      const entry = at(layer.compose, layer.node, path);
      if (!entry) continue;
      const tag = (entry.value as { tag?: string } | null)?.tag;
      if (tag === '!reset' || tag === '!override') found.length = 0;
      if (tag !== '!reset') found.push({ compose: layer.compose, node: entry.value, keyNode: entry.keyNode });
    }
    return found;
  };

  const buildOf = (service: ProjectService): ReturnType<ComposeProject['build']> => {
    const build = get(service, ['build']);
    if (!build) return null;
    const compose = build.compose;
    const base = dirname(pathOf(compose) ?? '');
    const node = compose.resolve(build.node);
    const context = isScalar(node) ? compose.text(node) : compose.text(get(service, ['build', 'context'])?.node) ?? '.';
    const target = isMap(node) ? compose.text(get(service, ['build', 'target'])?.node) : null;
    const inline = isMap(node) ? compose.text(get(service, ['build', 'dockerfile_inline'])?.node) : null;
    if (inline !== null) return { path: null, inline, target };
    if (context === null || /^[a-z]+:\/\//i.test(context) || context.startsWith('git@') || !pathOf(compose)) return null;
    const name = (isMap(node) ? compose.text(get(service, ['build', 'dockerfile'])?.node) : null) ?? 'Dockerfile';
    return { path: resolve(base, context, name), inline: null, target };
  };

  const dockerfiles = new Map<string, DockerfileModel | null>();
  const dockerfile = (service: ProjectService): ReturnType<ComposeProject['dockerfile']> => {
    const built = buildOf(service);
    if (!built) return null;
    const { target, inline } = built;
    if (inline !== null) {
      const compose = get(service, ['build'])!.compose;
      return { model: parseDockerfile(TextDocument.create(`${compose.document.uri}#inline-${service.name}`, 'dockerfile', 0, inline)), path: null, target };
    }
    const file = built.path!;
    if (!dockerfiles.has(file)) {
      const text = files.read(file);
      dockerfiles.set(file, text === null ? null : parseDockerfile(TextDocument.create(pathToFileURL(file).href, 'dockerfile', 0, text)));
    }
    const model = dockerfiles.get(file);
    return model ? { model, path: file, target } : null;
  };

  return {
    primary,
    files: ordered.length > 0 ? ordered : [primary],
    services,
    service: (name) => serviceMap.get(name),
    get,
    all,
    dockerfile,
    build: buildOf,
    extendsProblems,
  };
}

/** The file-system path of a Compose model's document, or null for an unsaved one. */
export function pathOf(compose: ComposeModel): string | null {
  const uri = compose.document.uri.replace(/#.*$/, '');
  if (!uri.startsWith('file:')) return null;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return null;
  }
}

/** A scalar's boolean value (`true`, `"true"`), or null. */
export function booleanValue(compose: ComposeModel, node: Node | null): boolean | null {
  const resolved = compose.resolve(node);
  if (!isScalar(resolved)) return null;
  const value = (resolved as Scalar).value;
  if (typeof value === 'boolean') return value;
  const text = compose.text(resolved)?.toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}
