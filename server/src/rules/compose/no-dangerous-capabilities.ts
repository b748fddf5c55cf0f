import { isSeq, type Node } from 'yaml';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject, type ComposeProject } from '../../compose/project';
import { capabilityName, removeSequenceItem } from '../../compose/hardening';

/**
 * Capabilities that reach past the container: with one of them a compromised process can load
 * kernel code, read or write host memory, mount filesystems, or see and rewrite host-wide state.
 * Docker's default set (CHOWN, NET_RAW, SETUID…) is not listed: adding one of those back after
 * `cap_drop: [ALL]` is the recommended pattern, not a risk.
 * https://man7.org/linux/man-pages/man7/capabilities.7.html
 */
const DANGEROUS = new Map<string, string>([
  ['ALL', 'every capability, which is root on the host in all but name'],
  ['SYS_ADMIN', 'mounts, namespaces and cgroup settings, the usual way out of a container'],
  ['SYS_MODULE', 'loading kernel modules, that is, running code in the host kernel'],
  ['SYS_RAWIO', 'raw access to I/O ports and host memory'],
  ['SYS_PTRACE', 'tracing and injecting code into other processes'],
  ['DAC_READ_SEARCH', 'opening host files by handle, which reads files outside the container'],
  ['NET_ADMIN', "reconfiguring the host's interfaces, routes and firewall rules and sniffing all its traffic"],
  ['BPF', 'loading eBPF programs into the host kernel'],
  ['PERFMON', 'tracing the host kernel and other processes'],
  ['SYS_BOOT', 'rebooting the host and loading a new kernel'],
  ['SYS_TIME', "setting the host's clock, which every container shares"],
  ['SYSLOG', "reading the kernel log, which leaks kernel addresses"],
  ['MAC_ADMIN', 'changing the AppArmor or SELinux policy that confines containers'],
  ['MAC_OVERRIDE', 'bypassing the AppArmor or SELinux policy that confines containers'],
]);

/** A dangerous capability item of `cap_add`, wherever it is written. */
interface Grant {
  compose: ComposeModel;
  service: string;
  item: Node;
  capability: string;
  /**
   * The service's effective `network_mode`, lower-cased: null when not set (its own namespace on a
   * bridge network), undefined when a variable with no default decides it.
   */
  networkMode: string | null | undefined;
}

function grants(project: ComposeProject): Grant[] {
  const result: Grant[] = [];
  for (const service of project.services) {
    const mode = project.get(service, ['network_mode']);
    const networkMode = mode?.node ? mode.compose.text(mode.node)?.trim().toLowerCase() : null;
    for (const { compose, node } of project.all(service, ['cap_add'])) {
      const value = compose.resolve(node);
      if (!isSeq(value)) continue;
      for (const item of compose.items(value)) {
        const text = compose.text(item);
        if (text === null) continue;
        const capability = capabilityName(text);
        if (DANGEROUS.has(capability)) result.push({ compose, service: service.name, item, capability, networkMode });
      }
    }
  }
  return result;
}


/** A capability that reaches the host turns a compromised service into a compromised host. */
export default composeRule({
  id: 'no-dangerous-capabilities',
  aliases: ['ce76b7d0-9e77-464d-b86f-c5c48e03e22d'],
  title: 'Do not add capabilities that reach the host',
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const grant of grants(project)) {
      if (grant.compose !== compose) continue;
      const written = compose.text(grant.item) ?? grant.capability;
      const range = compose.rangeOf(grant.item);
      const data = { service: grant.service, capability: grant.capability };
      if (grant.capability === 'NET_ADMIN' && grant.networkMode !== 'host') {
        // NET_ADMIN acts on the network namespace the container is in: its own, or the one it
        // shares; only `network_mode: host` makes that the host's.
        const shared = /^(?:service|container):(.+)$/.exec(grant.networkMode ?? '');
        const namespace = grant.networkMode === undefined
          ? "the network namespace its `network_mode` gives it, which is the host's only if that is `host`"
          : `${shared ? `the network namespace it shares with \`${shared[1]}\`` : 'its own network namespace'}, not the host's (that takes \`network_mode: host\`)`;
        report({
          range,
          message: `\`cap_add\` gives \`${grant.service}\` \`${written}\`: it can reconfigure the interfaces, routes and firewall rules of ${namespace}, but it exposes more of the kernel (netfilter) to a compromised process; keep it only for a service that manages networking, such as a VPN or a DHCP server.`,
          data,
          severity: 'info',
        });
        continue;
      }
      const where = grant.capability === 'NET_ADMIN' ? " on the host's network (`network_mode: host`)" : '';
      report({
        range,
        message: `\`cap_add\` gives \`${grant.service}\` \`${written}\`${where}: ${DANGEROUS.get(grant.capability)}, so a compromise of the service can become a compromise of the host; remove it, or grant the narrower capability the service actually uses.`,
        data,
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const grant = grants(project).find((g) => {
      if (g.compose !== compose || !g.item.range) return false;
      const start = compose.rangeOf(g.item).start;
      return start.line === finding.range.start.line && start.character === finding.range.start.character;
    });
    if (!grant) return undefined;
    // Only a list written in a service (its own, or the base it extends in this file): an anchored
    // list is shared with other services.
    const edit = compose.services.map((s) => (s.node ? removeSequenceItem(compose, s.node, 'cap_add', grant.item) : undefined)).find(Boolean);
    if (!edit) return undefined;
    return { title: `Remove \`${compose.text(grant.item) ?? grant.capability}\` from \`cap_add\``, edits: [edit], safe: false };
  },
});
