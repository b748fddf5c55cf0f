import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject } from '../../compose/project';
import { serviceFamily } from '../../compose/services';
import { appendToMap, insertAt, replaceNode } from '../../compose/edit';
import { publishedPorts, publishesNothing, type PublishedPort } from '../../compose/ports';

/**
 * A published port without a host address listens on every interface of the host, and Docker's
 * own iptables rules let it through host firewalls such as ufw. For a database, cache or broker
 * that is an open door to data; the app reaches it over the Compose network anyway, and a
 * developer's tools reach it on 127.0.0.1.
 */
export default composeRule({
  id: 'ports-bind-localhost',
  aliases: ['no-unbound-port-interfaces', '451d79dc-0588-476a-ad03-3c7f0320abb3'],
  title: 'Publish database ports on 127.0.0.1 only',
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const family = serviceFamily(project, service);
      if (!family || publishesNothing(project, service)) continue;
      for (const port of publishedPorts(project, service)) {
        if (port.compose !== compose || port.hostIp !== null) continue;
        report({
          range: compose.rangeOf(port.focus),
          message: port.host
            ? `\`${service.name}\` (${family}) publishes \`${port.written}\` on every network interface of the host, past host firewalls such as ufw, so anyone who can reach the machine can try its credentials; bind it to ${suggestion(port)} or reach it over the Compose network instead.`
            : `\`${service.name}\` (${family}) publishes container port ${port.container[0]} (\`${port.written}\`) on a random host port on every network interface, past host firewalls such as ufw; bind it to ${suggestion(port)} or reach it over the Compose network instead.`,
          data: { service: service.name },
        });
      }
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    if (!service) return undefined;
    const offset = compose.document.offsetAt(finding.range.start);
    const port = publishedPorts(project, service).find((p) => p.compose === compose && p.focus.range?.[0] === offset);
    if (!port || port.hostIp !== null) return undefined;
    const edit = port.form === 'short' ? shortEdit(compose, port) : longEdit(compose, port);
    return edit ? { title: `Publish on 127.0.0.1 only`, edits: [edit], safe: false } : undefined;
  },
});

/** How the port reads once bound to the loopback interface. */
function suggestion(port: PublishedPort): string {
  if (port.form === 'long') return '`host_ip: 127.0.0.1`';
  const text = port.written.replace(/^["']|["']$/g, '');
  return `\`${port.host ? '127.0.0.1:' : '127.0.0.1::'}${text}\``;
}

/** `"5432:5432"` → `"127.0.0.1:5432:5432"`; `"5432"` → `"127.0.0.1::5432"`. */
function shortEdit(compose: ComposeModel, port: PublishedPort): TextEdit | undefined {
  const node = compose.resolve(port.node);
  if (!isScalar(node) || !node.range) return undefined;
  const scalar = node as Scalar;
  const prefix = port.host ? '127.0.0.1:' : '127.0.0.1::';
  // A bare number (`- 5432`) becomes a string: the address makes it one.
  if (typeof scalar.value === 'number') return replaceNode(compose, node, `"${prefix}${compose.text(node)}"`);
  if (typeof scalar.value !== 'string') return undefined;
  if (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') return insertAt(compose, node.range[0] + 1, prefix);
  if (scalar.type === 'PLAIN') return insertAt(compose, node.range[0], prefix);
  return undefined;
}

/** Adds `host_ip: 127.0.0.1` to a long-syntax entry. */
function longEdit(compose: ComposeModel, port: PublishedPort): TextEdit | undefined {
  const node = compose.resolve(port.node);
  if (!isMap(node) || !node.range) return undefined;
  const map = node as YAMLMap;
  if (!map.flow) return appendToMap(compose, map, ['host_ip: 127.0.0.1']);
  const first = map.items[0]?.key as Node | undefined;
  return first?.range ? insertAt(compose, first.range[0], 'host_ip: 127.0.0.1, ') : undefined;
}
