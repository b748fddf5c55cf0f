import { isMap, type Node, type YAMLMap } from 'yaml';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import type { ComposeProject } from '../../compose/project';
import { removePair } from '../../compose/edit';
import { definitionOf, ownPair } from '../../compose/hardening';

/**
 * Each namespace a container shares with the host, and what the container then sees or changes.
 * https://docs.docker.com/reference/compose-file/services/
 */
const NAMESPACES: { key: string; exposes: string; instead: string }[] = [
  { key: 'network_mode', exposes: "the host's network stack: every port it opens is open on the host, with no Docker firewalling, and it can reach services bound to the host's localhost", instead: 'publish the ports it serves with `ports:`' },
  { key: 'pid', exposes: "every process on the host: it can read their command lines and environment and, as root, signal or trace them", instead: 'remove it, or share one container\'s namespace with `pid: "service:<name>"`' },
  { key: 'ipc', exposes: "the host's shared memory and message queues, which other processes use to pass data", instead: 'remove it, or use `ipc: shareable` and `ipc: "service:<name>"` between containers, or raise `shm_size`' },
  { key: 'uts', exposes: "the host's hostname, which it can change for the whole machine", instead: 'remove it and set `hostname:` if the service needs a name' },
  { key: 'userns_mode', exposes: "the host's user IDs, opting out of the daemon's user-namespace remapping so that root in it is root on the host", instead: 'remove it' },
];

interface Shared {
  compose: ComposeModel;
  service: string;
  key: string;
  keyNode: Node;
  value: Node;
}

function sharedNamespaces(project: ComposeProject): Shared[] {
  const result: Shared[] = [];
  for (const service of project.services) {
    for (const { key } of NAMESPACES) {
      // The effective value: an override that sets `network_mode: bridge` clears the base file's `host`.
      const located = project.get(service, [key]);
      if (!located?.node) continue;
      const text = located.compose.text(located.node);
      if (text?.trim().toLowerCase() !== 'host') continue;
      result.push({ compose: located.compose, service: service.name, key, keyNode: located.keyNode, value: located.node });
    }
  }
  return result;
}

/**
 * Namespaces are what make a container a container: sharing the host's network, process, IPC,
 * UTS or user namespace removes that wall for the service and everything that compromises it.
 */
export default composeRule({
  id: 'no-host-namespaces',
  aliases: [
    '071a71ff-f868-47a4-ac0b-3c59e4ab5443',
    '4f31dd9f-2cc3-4751-9b53-67e4af83dac0',
    'baa3890f-bed7-46f5-ab8f-1da8fc91c729',
    '8af7162d-6c98-482f-868e-0d33fb675ca8',
  ],
  title: "Do not share the host's namespaces",
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const shared of sharedNamespaces(project)) {
      if (shared.compose !== compose) continue;
      const about = NAMESPACES.find((n) => n.key === shared.key)!;
      report({
        range: { start: compose.rangeOf(shared.keyNode).start, end: compose.rangeOf(shared.value).end },
        message: `\`${shared.key}: host\` gives \`${shared.service}\` ${about.exposes}; ${about.instead}.`,
        data: { service: shared.service, key: shared.key },
      });
    }
  },
  fix(finding, compose) {
    const { service: name, key } = (finding.data ?? {}) as { service?: string; key?: string };
    // Without the host network the service's ports are no longer reachable: that needs `ports:`,
    // which only the author can write.
    if (!name || !key || key === 'network_mode') return undefined;
    const service = definitionOf(compose, name);
    if (!isMap(service?.node)) return undefined;
    // Only the service's own key: a value merged in from an anchor is shared with other services.
    const pair = ownPair(service.node as YAMLMap, key);
    if (!pair || compose.text(pair.value)?.trim().toLowerCase() !== 'host') return undefined;
    const edit = removePair(compose, service.node as YAMLMap, pair);
    return edit ? { title: `Remove \`${key}: host\``, edits: [edit], safe: false } : undefined;
  },
});
