import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import { composeRule } from '../types';
import { hostMounts, normaliseHostPath } from '../../compose/mounts';

/**
 * Host paths whose bind mount hands the container the host's secrets or a way to change the host.
 * `subtree` extends an entry to the paths under it; `readOnlyIsFine` marks paths that are only
 * dangerous to write (host binaries, the kernel image), where `:ro` removes the risk. `/var/run`
 * and the Docker socket are no-docker-socket's.
 */
interface Sensitive {
  path: string | RegExp;
  subtree: boolean;
  readOnlyIsFine: boolean;
  holds: string;
}

const HOME_SECRETS = '(\\.ssh|\\.aws|\\.kube|\\.docker|\\.gnupg|\\.azure|\\.config/gcloud)';

const SENSITIVE: Sensitive[] = [
  { path: '/', subtree: false, readOnlyIsFine: false, holds: "the host's whole filesystem, with its password hashes, keys and every other container's data" },
  { path: '/etc', subtree: false, readOnlyIsFine: false, holds: "the host's configuration, password hashes and TLS and SSH keys" },
  { path: /^\/etc\/(shadow|gshadow|sudoers|sudoers\.d|ssh|kubernetes|docker|cron\.d|crontab|systemd|pam\.d)$/, subtree: true, readOnlyIsFine: false, holds: 'host credentials or configuration the host runs as root' },
  { path: /^\/etc\/(passwd|group)$/, subtree: false, readOnlyIsFine: true, holds: "the host's accounts" },
  { path: '/root', subtree: true, readOnlyIsFine: false, holds: "the host root user's home, with its SSH keys and cloud credentials" },
  { path: '/home', subtree: false, readOnlyIsFine: false, holds: "every user's home directory on the host" },
  { path: new RegExp(`^/home/[^/]+/${HOME_SECRETS}$`), subtree: true, readOnlyIsFine: false, holds: 'private keys or cloud and registry credentials' },
  { path: '~', subtree: false, readOnlyIsFine: false, holds: 'your whole home directory' },
  { path: new RegExp(`^~/${HOME_SECRETS}$`), subtree: true, readOnlyIsFine: false, holds: 'private keys or cloud and registry credentials' },
  { path: '/proc', subtree: true, readOnlyIsFine: false, holds: "every host process's command line and environment, and kernel settings" },
  { path: '/sys', subtree: true, readOnlyIsFine: true, holds: 'kernel and device settings' },
  { path: '/dev', subtree: false, readOnlyIsFine: false, holds: "the host's device nodes, its terminals (`/dev/pts`) and shared memory (`/dev/shm`) among them" },
  { path: '/boot', subtree: true, readOnlyIsFine: true, holds: "the host's kernel and boot loader" },
  { path: '/var/lib/docker', subtree: false, readOnlyIsFine: false, holds: "every container's filesystem, volumes and configuration" },
  { path: /^\/var\/lib\/docker\/.+/, subtree: false, readOnlyIsFine: true, holds: "Docker's own state, which the daemon trusts as root" },
  { path: /^\/var\/lib\/(containerd|kubelet)$/, subtree: true, readOnlyIsFine: false, holds: "the container runtime's state and the cluster's credentials" },
  { path: /^\/(usr|bin|sbin|lib|lib64)$/, subtree: false, readOnlyIsFine: true, holds: 'host binaries and libraries that the host runs as root' },
  { path: /^\/(usr\/)?lib\/modules$/, subtree: true, readOnlyIsFine: true, holds: 'the kernel modules the host loads as root' },
];

/** The sensitive entry a host path falls under, or undefined. */
export function sensitiveEntry(path: string, readOnly: boolean): Sensitive | undefined {
  return SENSITIVE.find((s) => {
    if (readOnly && s.readOnlyIsFine) return false;
    if (typeof s.path === 'string') return path === s.path || (s.subtree && path.startsWith(`${s.path}/`));
    const m = s.path.exec(path);
    if (m) return true;
    if (!s.subtree) return false;
    // The subtree of a pattern: any prefix of the path that matches it.
    const parts = path.split('/');
    for (let i = parts.length - 1; i > 1; i--) if (s.path.test(parts.slice(0, i).join('/'))) return true;
    return false;
  });
}

function message(service: string, written: string, entry: Sensitive, readOnly: boolean): string {
  const access = readOnly ? 'read' : 'read and rewrite';
  const advice = entry.readOnlyIsFine
    ? 'mount it read-only (`:ro`), or only the part the service needs'
    : `mount only the file or directory the service needs${readOnly ? '' : ', read-only'}`;
  return `\`${service}\` mounts the host's \`${written}\`, which holds ${entry.holds}, so whoever compromises the container can ${access} it; ${advice}.`;
}

/**
 * A bind mount puts a host path inside the container with the container's root as its user: for
 * the paths below, that is the host's secrets or the host's own code.
 */
export default composeRule({
  id: 'no-sensitive-host-mounts',
  aliases: ['1c1325ff-831d-43a1-973e-839ae57dfcc0'],
  title: 'Do not mount sensitive host paths',
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const service of project.services) {
      for (const mount of hostMounts(project, service)) {
        if (mount.compose !== compose) continue;
        const entry = sensitiveEntry(mount.path, mount.readOnly);
        if (!entry) continue;
        report({ range: compose.rangeOf(mount.node), message: message(service.name, mount.written, entry, mount.readOnly), data: { service: service.name } });
      }
    }
    // A named volume whose driver binds a host directory is a bind mount under another name.
    const volumes = compose.get(compose.root, 'volumes')?.value;
    for (const volume of compose.entries(volumes)) {
      const options = compose.get(volume.value, 'driver_opts')?.value;
      if (!isMap(compose.resolve(options))) continue;
      const o = compose.text(compose.get(options, 'o')?.value) ?? '';
      const device = compose.get(options, 'device')?.value ?? null;
      const resolved = compose.resolve(device);
      if (!/(^|,)\s*r?bind\s*(,|$)/.test(o) || !isScalar(resolved)) continue;
      const written = String((resolved as Scalar).value ?? '');
      const readOnly = /(^|,)\s*ro\s*(,|$)/.test(o);
      const entry = sensitiveEntry(normaliseHostPath(compose.text(resolved) ?? written), readOnly);
      if (!entry) continue;
      report({ range: compose.rangeOf(resolved as Node), message: message(`volume ${volume.key}`, written, entry, readOnly).replace(/^`volume (.+?)`/, 'Volume `$1`'), data: { volume: volume.key } });
    }
  },
});
