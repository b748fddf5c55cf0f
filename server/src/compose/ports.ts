import { isMap, isScalar, type Node } from 'yaml';
import type { ComposeModel } from './parse';
import type { ComposeProject, ProjectService } from './project';

/** One `ports` entry as Docker binds it on the host. */
export interface PublishedPort {
  compose: ComposeModel;
  /** The list item (a scalar in the short syntax, a mapping in the long one). */
  node: Node;
  /** The node a finding points at: the item, or the long syntax's `published` value. */
  focus: Node;
  /** The entry as the message quotes it. */
  written: string;
  form: 'short' | 'long';
  /** The host address as written, brackets removed; null when none is written (all interfaces). */
  hostIp: string | null;
  /** Host ports, or null when Docker picks a free one (`"5432"`). */
  host: [number, number] | null;
  container: [number, number];
  protocol: string;
}

const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function range(text: string): [number, number] | null {
  const m = PORT_RANGE.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  return end >= start && end <= 65535 ? [start, end] : null;
}

/**
 * Parses the short syntax `[[IP:]HOST:]CONTAINER[/PROTOCOL]` as Docker's `nat.ParsePortSpec` does:
 * the last part is the container port, the one before it the host port, the rest the address.
 */
export function parseShortPort(text: string): Omit<PublishedPort, 'compose' | 'node' | 'focus' | 'written' | 'form'> | null {
  const slash = text.lastIndexOf('/');
  const protocol = slash >= 0 ? text.slice(slash + 1).toLowerCase() : 'tcp';
  const spec = slash >= 0 ? text.slice(0, slash) : text;
  const parts = spec.split(':');
  const container = range(parts[parts.length - 1]);
  if (!container) return null;
  if (parts.length === 1) return { hostIp: null, host: null, container, protocol };
  const hostText = parts[parts.length - 2];
  let ip: string | null = parts.length > 2 ? parts.slice(0, -2).join(':') : null;
  if (ip !== null && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip === '') ip = null;
  if (hostText === '') return { hostIp: ip, host: null, container, protocol };
  const host = range(hostText);
  return host ? { hostIp: ip, host, container, protocol } : null;
}

/** Every port a service publishes, across the project's files (Compose appends `ports`). */
export function publishedPorts(project: ComposeProject, service: ProjectService): PublishedPort[] {
  const result: PublishedPort[] = [];
  for (const located of project.all(service, ['ports'])) {
    const { compose } = located;
    for (const item of compose.items(located.node)) {
      const node = compose.resolve(item);
      if (!node) continue;
      const written = node.range ? compose.document.getText().slice(node.range[0], compose.endOf(node)) : '';
      if (isScalar(node)) {
        const text = compose.text(node);
        const parsed = text === null ? null : parseShortPort(text);
        if (parsed) result.push({ compose, node: item, focus: item, written, form: 'short', ...parsed });
      } else if (isMap(node)) {
        const field = (key: string) => compose.get(node, key)?.value ?? null;
        const target = compose.text(field('target'));
        const publishedNode = field('published');
        const published = publishedNode ? compose.text(publishedNode) : '';
        const hostIpNode = field('host_ip');
        const hostIp = hostIpNode ? compose.text(hostIpNode) : '';
        const protocol = field('protocol') ? compose.text(field('protocol')) : 'tcp';
        const container = target === null ? null : range(target);
        // A field that depends on an unknown variable leaves the binding unknown.
        if (!container || published === null || hostIp === null || protocol === null) continue;
        const host = published === '' ? null : range(published);
        if (published !== '' && !host) continue;
        // The long syntax quoted on one line, in its own words (`published: 8080, target: 8000`).
        const oneLine = ['host_ip', 'published', 'target', 'protocol'].flatMap((key) => {
          const value = field(key);
          return value ? [`${key}: ${compose.text(value) ?? ''}`] : [];
        }).join(', ');
        result.push({
          compose, node: item, focus: publishedNode ?? item, written: oneLine, form: 'long',
          hostIp: hostIp === '' ? null : hostIp.replace(/^\[(.*)\]$/, '$1'), host, container, protocol: protocol.toLowerCase(),
        });
      }
    }
  }
  return result;
}

/** True when Compose will not bind the service's ports: host networking, or no container at all. */
export function publishesNothing(project: ComposeProject, service: ProjectService): boolean {
  const mode = project.get(service, ['network_mode']);
  const text = mode ? mode.compose.text(mode.node) : null;
  if (text && /^(?:host|none|service:|container:)/.test(text)) return true;
  for (const path of [['scale'], ['deploy', 'replicas']]) {
    const located = project.get(service, path);
    if (located && located.compose.text(located.node) === '0') return true;
  }
  return false;
}

/** The service's profiles; empty when it always starts. */
export function profilesOf(project: ComposeProject, service: ProjectService): string[] {
  const located = project.get(service, ['profiles']);
  if (!located) return [];
  return located.compose.items(located.node).map((n) => located.compose.text(n)).filter((p): p is string => p !== null);
}

/**
 * Whether two services can run at the same time. Services in disjoint profiles (`dev` and
 * `prod` variants of one service) are alternatives: only enabling both profiles starts both.
 */
export function canRunTogether(project: ComposeProject, a: ProjectService, b: ProjectService): boolean {
  const pa = profilesOf(project, a);
  const pb = profilesOf(project, b);
  return pa.length === 0 || pb.length === 0 || pa.some((p) => pb.includes(p));
}
