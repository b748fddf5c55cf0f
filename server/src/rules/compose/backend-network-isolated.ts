import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { booleanValue, buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dependencies, serviceFamily } from '../../compose/services';
import { appendToMap, unitOf } from '../../compose/edit';
import { isBlockMap } from '../../compose/layout';
import { addSequenceItem, definitionOf, hardeningTarget, ownPair, runtimeImage } from '../../compose/hardening';
import { escapeRegExp } from '../../text/regexp';

/** The network the fix creates. */
const BACKEND = 'backend';

/** Database administration UIs: they are clients of every database they can reach, by design. */
const ADMIN_TOOLS = /(^|\/)(adminer|pgadmin4?|phpmyadmin|mongo-express|redis-commander|redisinsight|kafka-ui|akhq|cloudbeaver|dbgate)$/;
/** Reverse proxies and web servers: they forward HTTP and never open a database connection. */
const PROXIES = new Set(['nginx', 'nginx-unprivileged', 'openresty', 'traefik', 'caddy', 'haproxy', 'httpd', 'apache', 'envoy', 'varnish', 'nginx-proxy', 'nginx-proxy-manager']);

/** The networks a service is attached to (`default` when it names none), or null with `network_mode`. */
function networksOf(project: ComposeProject, service: ProjectService): Set<string> | null {
  if (project.get(service, ['network_mode'])) return null;
  const names = new Set<string>();
  for (const { compose, node } of project.all(service, ['networks'])) {
    const value = compose.resolve(node);
    if (isSeq(value)) for (const item of compose.items(value)) names.add(compose.text(item) ?? '');
    else if (isMap(value)) for (const e of compose.entries(value)) names.add(e.key);
  }
  if (names.size === 0) names.add('default');
  names.delete('');
  return names;
}

/** Whether one `ports` entry is published beyond the host's loopback interface. */
function publishedBeyondLoopback(compose: ComposeModel, entry: Node): boolean {
  const item = compose.resolve(entry);
  let ip: string | null = null;
  if (isMap(item)) {
    ip = compose.text(compose.get(item, 'host_ip')?.value);
  } else {
    const text = compose.text(item);
    if (text === null) return true;
    // `[::1]:8080:80`, `127.0.0.1:8080:80/tcp`; two parts or fewer bind every interface.
    const m = /^(\[[^\]]*\]|[^:]*):[^:]*:[^:]*$/.exec(text.trim().replace(/\/\w+$/, ''));
    ip = m ? m[1] : null;
  }
  if (!ip) return true;
  const host = ip.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

function publishesPorts(project: ComposeProject, service: ProjectService): boolean {
  return project.all(service, ['ports']).some(({ compose, node }) => compose.items(node).some((entry) => publishedBeyondLoopback(compose, entry)));
}

/** Every scalar under a node, as text (environment values, command words…). */
function scalarTexts(compose: ComposeModel, node: Node | null, out: string[] = [], depth = 0): string[] {
  const value = compose.resolve(node);
  if (!value || depth > 8) return out;
  if (isScalar(value)) {
    const text = compose.text(value);
    if (text !== null) out.push(text);
  } else if (isSeq(value)) {
    for (const item of compose.items(value)) scalarTexts(compose, item, out, depth + 1);
  } else if (isMap(value)) {
    for (const e of compose.entries(value)) scalarTexts(compose, e.value, out, depth + 1);
  }
  return out;
}

/** The names other services reach `service` by: its name, `container_name`, `hostname` and network aliases. */
function hostNames(project: ComposeProject, service: ProjectService): string[] {
  const names = [service.name];
  for (const key of ['container_name', 'hostname']) {
    const located = project.get(service, [key]);
    const text = located ? located.compose.text(located.node) : null;
    if (text) names.push(text);
  }
  for (const { compose, node } of project.all(service, ['networks'])) {
    for (const e of compose.entries(node)) names.push(...scalarTexts(compose, compose.get(e.value, 'aliases')?.value ?? null));
  }
  return names;
}

/** What the rule needs to know about each service, computed once per project and only when asked. */
interface Profile {
  service: ProjectService;
  family: string | null;
  networks: Set<string> | null;
  publishes: boolean;
  built: boolean;
  proxy: boolean;
  adminTool: boolean;
  dependsOn: Set<string>;
  /** Environment values, command words, links: where a client names the hosts it talks to. */
  texts: string[];
  /** A connection setting (`DB_HOST`, `DATABASE_URL`…) whose value comes from a variable with no known value. */
  hostFromVariable: boolean;
  hostNames: string[];
}

/**
 * Whether an `environment` sets a host, URL or DSN whose value is not known here: from a variable
 * with no known value, or passed through from the shell (`- DB_HOST`, `DB_HOST:`).
 */
function hostFromVariable(compose: ComposeModel, node: Node | null): boolean {
  const value = compose.resolve(node);
  const connection = (key: string) => /(HOST|URL|URI|DSN|ADDR|ADDRESS|SERVER|CONNECTION)/i.test(key);
  if (isMap(value)) {
    return compose.entries(value).some((e) => {
      const v = compose.resolve(e.value);
      const unset = !isScalar(v) || (v as { value?: unknown }).value === null;
      return connection(e.key) && (unset || compose.text(v) === null);
    });
  }
  return compose.items(value).some((item) => {
    const raw = compose.resolve(item);
    if (!isScalar(raw)) return false;
    const written = String((raw as { value?: unknown }).value ?? '');
    const eq = written.indexOf('=');
    const key = eq < 0 ? written : written.slice(0, eq);
    return connection(key) && (eq < 0 || compose.text(raw) === null);
  });
}

function lazy<T extends object>(compute: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(compute) as (keyof T)[]) {
    let done = false;
    let value: T[typeof key];
    Object.defineProperty(target, key, {
      get: () => {
        if (!done) {
          value = compute[key]();
          done = true;
        }
        return value;
      },
    });
  }
  return target;
}

function profiles(project: ComposeProject): Map<ProjectService, Profile> {
  const result = new Map<ProjectService, Profile>();
  for (const service of project.services) {
    let ref: ReturnType<typeof runtimeImage> | undefined;
    const image = () => (ref === undefined ? (ref = runtimeImage(project, service)) : ref);
    result.set(service, lazy<Profile>({
      service: () => service,
      family: () => serviceFamily(project, service),
      networks: () => networksOf(project, service),
      publishes: () => publishesPorts(project, service),
      built: () => project.get(service, ['build']) !== undefined,
      proxy: () => image() !== null && PROXIES.has(image()!.name),
      adminTool: () => image() !== null && ADMIN_TOOLS.test(image()!.repository.toLowerCase()),
      dependsOn: () => new Set(dependencies(project, service).map((d) => d.name)),
      texts: () => {
        const texts: string[] = [];
        for (const key of ['links', 'external_links', 'environment', 'command', 'entrypoint', 'healthcheck']) {
          for (const { compose, node } of project.all(service, [key])) scalarTexts(compose, node, texts);
        }
        return texts;
      },
      hostFromVariable: () => project.all(service, ['environment']).some(({ compose, node }) => hostFromVariable(compose, node)),
      hostNames: () => hostNames(project, service),
    }));
  }
  return result;
}

/**
 * Whether `client` uses (or may use) `server`: depends on it, links to it, names it as a host,
 * takes a host from a variable this file cannot resolve, or administers databases.
 */
function uses(client: Profile, server: Profile): boolean {
  if (client.dependsOn.has(server.service.name) || client.adminTool || client.hostFromVariable) return true;
  const names = server.hostNames.map(escapeRegExp);
  // A host name as a word of its own: `db`, `db:5432`, `postgres://u@db/app`, `HOST=db`.
  const pattern = new RegExp(`(^|[^\\w.-])(${names.join('|')})($|[^\\w.-])`);
  return client.texts.some((t) => pattern.test(t));
}

interface Exposure {
  database: ProjectService;
  family: string;
  /** Port-publishing services that share a network with the database without using it. */
  publishers: { service: ProjectService; network: string }[];
  /** The services that use (or, built from the project's source, may use) the database over a network they share with it. */
  clients: ProjectService[];
}

/**
 * Whether a port-publishing service is known not to use the database: a reverse proxy, or an
 * off-the-shelf image whose configuration never names it. A service the project builds from its own
 * source may connect to any host its code names, so it is never counted.
 */
function knownNotToUse(service: Profile, database: Profile): boolean {
  if (service.proxy) return true;
  if (service.built || service.family) return false;
  return !uses(service, database);
}

/** Databases reachable by publishers that do not use them; `withClients` also sorts out their clients (for the fix). */
function exposures(project: ComposeProject, withClients = false): Exposure[] {
  const result: Exposure[] = [];
  const all = [...profiles(project).values()];
  // Publishers are few; comparing each database with them (not with every service) keeps a
  // project of thousands of services linear.
  const publishing = all.filter((p) => p.networks !== null && p.publishes);
  for (const database of all) {
    const own = database.family ? database.networks : null;
    // A database that publishes its own port is exposed whatever its network: that is another finding.
    if (!own || database.publishes) continue;
    const publishers: Exposure['publishers'] = [];
    for (const other of publishing) {
      const shared = other === database ? undefined : [...other.networks!].find((n) => own.has(n));
      if (shared !== undefined && knownNotToUse(other, database)) publishers.push({ service: other.service, network: shared });
    }
    if (publishers.length === 0) continue;
    const clients: ProjectService[] = [];
    if (withClients) {
      const outsiders = new Set(publishers.map((p) => p.service));
      for (const other of all) {
        if (other === database || outsiders.has(other.service) || !other.networks || ![...other.networks].some((n) => own.has(n))) continue;
        if (other.built || uses(other, database)) clients.push(other.service);
      }
    }
    result.push({ database: database.service, family: database.family!, publishers, clients });
  }
  return result;
}

function names(services: ProjectService[]): string {
  const quoted = services.map((s) => `\`${s.name}\``);
  if (quoted.length <= 3) return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `${quoted.slice(0, 2).join(', ')} and ${quoted.length - 2} more`;
}

/**
 * The definition of `service` in this file that a network edit can go into: a block mapping, with
 * every `networks` and `network_mode` of the service written in it (not in another file or an
 * anchor), so that the edit decides the merged result.
 */
function editableDefinition(project: ComposeProject, compose: ComposeModel, service: ProjectService): YAMLMap | undefined {
  const own = definitionOf(compose, service.name)?.node ?? null;
  if (!isBlockMap(own)) return undefined;
  for (const layer of service.layers) {
    for (const key of ['networks', 'network_mode']) {
      const entry = layer.compose.get(layer.node, key);
      if (entry && (layer.node !== own || !ownPair(own, key))) return undefined;
    }
  }
  return own;
}

/** Adds `backend` to a client's networks, keeping the ones it is on. */
function attachClient(project: ComposeProject, compose: ComposeModel, service: ProjectService): TextEdit | undefined {
  const own = editableDefinition(project, compose, service);
  if (!own) return undefined;
  const pair = ownPair(own, 'networks');
  if (!pair) return appendToMap(compose, own, [`networks: [default, ${BACKEND}]`]);
  if (isSeq(pair.value)) return addSequenceItem(compose, own, 'networks', BACKEND);
  if (isBlockMap(pair.value)) return appendToMap(compose, pair.value, [`${BACKEND}: {}`]);
  return undefined;
}

/** The top-level `backend` network: reused when it is already internal, added otherwise. */
function backendNetwork(compose: ComposeModel): TextEdit | null | undefined {
  const root = compose.root;
  if (!isBlockMap(root)) return undefined;
  const unit = unitOf(compose);
  const pair = ownPair(root, 'networks');
  if (!pair) return compose.get(root, 'networks') ? undefined : appendToMap(compose, root, ['networks:', `${unit}${BACKEND}:`, `${unit}${unit}internal: true`]);
  if (!isBlockMap(pair.value)) return undefined;
  const existing = compose.get(pair.value, BACKEND);
  if (existing) return booleanValue(compose, compose.get(existing.value, 'internal')?.value ?? null) === true ? null : undefined;
  return appendToMap(compose, pair.value, [`${BACKEND}:`, `${unit}internal: true`]);
}

/**
 * A database on the same network as a service that faces the outside is one compromise away from
 * whoever attacks that service: only its clients should reach it, over an internal network.
 * https://docs.docker.com/reference/compose-file/networks/#internal
 */
export default composeRule({
  id: 'backend-network-isolated',
  aliases: [],
  title: 'Keep databases on an internal network with their clients only',
  category: 'security',
  severity: 'info',
  check({ compose, project, report }) {
    for (const exposure of exposures(project)) {
      const target = hardeningTarget(project, compose, exposure.database);
      if (!target) continue;
      const { database, family, publishers } = exposure;
      const networksShared = [...new Set(publishers.map((p) => p.network))].map((n) => `\`${n}\``).join(', ');
      report({
        range: compose.rangeOf(target.keyNode),
        message: `\`${database.name}\` (${family}) shares the ${networksShared} network with ${names(publishers.map((p) => p.service))}, which ${publishers.length === 1 ? 'publishes ports but does' : 'publish ports but do'} not use it, so whoever compromises ${publishers.length === 1 ? 'that service' : 'one of them'} reaches the ${family} port directly; put \`${database.name}\` and its clients on a network with \`internal: true\`.`,
        data: { service: database.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const exposure = exposures(project, true).find((e) => e.database.name === finding.data?.service);
    if (!exposure) return undefined;
    const { database, clients } = exposure;
    // Only the simple, unambiguous case: a database on the default network alone, publishing
    // nothing, with its clients written in this file.
    const dbNetworks = networksOf(project, database);
    if (!dbNetworks || dbNetworks.size !== 1 || !dbNetworks.has('default') || project.all(database, ['networks']).length > 0) return undefined;
    // Not even on loopback: a container on an internal network alone cannot publish ports.
    if (project.all(database, ['ports']).some(({ compose: c, node }) => c.items(node).length > 0)) return undefined;
    const own = editableDefinition(project, compose, database);
    if (!own || !hardeningTarget(project, compose, database)) return undefined;
    const edits: TextEdit[] = [];
    const dbEdit = appendToMap(compose, own, [`networks: [${BACKEND}]`]);
    if (!dbEdit) return undefined;
    edits.push(dbEdit);
    for (const client of clients) {
      const edit = attachClient(project, compose, client);
      if (!edit) return undefined;
      edits.push(edit);
    }
    const network = backendNetwork(compose);
    if (network === undefined) return undefined;
    // The top-level network goes last: when it is inserted where a service ends, it comes after it.
    if (network) edits.push(network);
    return { title: `Move \`${database.name}\` to an internal \`${BACKEND}\` network with its clients`, edits, safe: false, services: clients.map((c) => c.name) };
  },
});
