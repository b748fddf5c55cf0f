import { composeRule } from '../types';
import type { ProjectService } from '../../compose/project';
import { canRunTogether, publishedPorts, publishesNothing, type PublishedPort } from '../../compose/ports';

const isV6 = (ip: string) => ip.includes(':');

/** Whether two host addresses claim the same socket: equal, or one of them is every interface. */
function addressesOverlap(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return true;
  if (a === '0.0.0.0') return !isV6(b);
  if (b === '0.0.0.0') return !isV6(a);
  if (a === '::') return isV6(b);
  if (b === '::') return isV6(a);
  return false;
}

/** Host ports bound one to one; a host range for a single container port lets Docker pick a free one. */
function fixedHostPorts(port: PublishedPort): [number, number] | null {
  if (!port.host) return null;
  const hostSize = port.host[1] - port.host[0];
  const containerSize = port.container[1] - port.container[0];
  if (hostSize > 0 && containerSize === 0) return null;
  return port.host;
}

function sameBinding(a: PublishedPort, b: PublishedPort): boolean {
  return a.hostIp === b.hostIp && a.protocol === b.protocol && a.host?.[0] === b.host?.[0] && a.host?.[1] === b.host?.[1] && a.container[0] === b.container[0] && a.container[1] === b.container[1];
}

/** The first host port two entries both bind, or null. */
function clash(a: PublishedPort, b: PublishedPort): number | null {
  const ra = fixedHostPorts(a);
  const rb = fixedHostPorts(b);
  if (!ra || !rb || a.protocol !== b.protocol || !addressesOverlap(a.hostIp, b.hostIp)) return null;
  const start = Math.max(ra[0], rb[0]);
  return start <= Math.min(ra[1], rb[1]) ? start : null;
}

/**
 * Two containers cannot bind the same host port: the second fails to start with "port is
 * already allocated", and `docker compose up` stops there. Judged on the merged project, so a
 * port the override file adds clashes with the base file's ports too.
 */
export default composeRule({
  id: 'no-duplicate-ports',
  aliases: ['no-duplicate-exported-ports'],
  title: 'Publish each host port once',
  category: 'correctness',
  severity: 'error',
  check({ compose, project, report }) {
    const seen: { service: ProjectService; port: PublishedPort }[] = [];
    for (const service of project.services) {
      if (publishesNothing(project, service)) continue;
      for (const port of publishedPorts(project, service)) {
        // Compose merges a port written again in an override into one binding.
        if (seen.some((s) => s.service === service && sameBinding(s.port, port))) continue;
        const earlier = seen.find((s) => clash(s.port, port) !== null && (s.service === service || canRunTogether(project, s.service, service)));
        seen.push({ service, port });
        if (!earlier || port.compose !== compose) continue;
        const number = clash(earlier.port, port);
        const protocol = port.protocol === 'tcp' ? '' : `/${port.protocol}`;
        const owner = earlier.service === service ? 'another of its own `ports` entries' : `\`${earlier.service.name}\``;
        report({
          range: compose.rangeOf(port.focus),
          message: `\`${service.name}\` publishes host port ${number}${protocol} (\`${port.written}\`), which ${owner} already publishes (\`${earlier.port.written}\`), so whichever container starts second fails with "port is already allocated"; give one of them another host port.`,
          data: { service: service.name, port: number },
        });
      }
    }
  },
});
