/**
 * The values a Compose key takes, each with what it does, for the keys whose set of values the
 * Compose Specification describes in words rather than an `enum` (its schema types `restart` as
 * any string). Completion offers them and hover explains them from this one table; enums of the
 * schema itself (`condition`, `cgroup`…) are explained here when there is more to say.
 * Source: https://docs.docker.com/reference/compose-file/services/ and …/deploy/.
 */

export interface ValueDoc {
  value: string;
  doc: string;
}

/** Linux capabilities a service adds or drops, and what each lets a process (or an attacker in it) do. */
const CAPABILITIES: ValueDoc[] = [
  { value: 'ALL', doc: 'Every capability: with `cap_drop`, the start of a least-privilege list; with `cap_add`, as good as `privileged` for the kernel.' },
  { value: 'NET_BIND_SERVICE', doc: 'Bind ports below 1024 as a non-root user (a web server on :80).' },
  { value: 'CHOWN', doc: 'Change the owner of any file.' },
  { value: 'DAC_OVERRIDE', doc: 'Read, write and execute any file whatever its permissions.' },
  { value: 'FOWNER', doc: 'Act as the owner of any file (chmod, utime…).' },
  { value: 'SETUID', doc: 'Switch to any user id: images that drop privileges at start-up (gosu, su-exec) need it.' },
  { value: 'SETGID', doc: 'Switch to any group id: images that drop privileges at start-up need it.' },
  { value: 'KILL', doc: 'Signal processes of other users.' },
  { value: 'NET_RAW', doc: 'Raw and packet sockets (ping, packet capture); also ARP and DNS spoofing on the container network.' },
  { value: 'NET_ADMIN', doc: 'Configure interfaces, routes and firewall rules of the network namespace (the host\'s with `network_mode: host`).' },
  { value: 'SYS_PTRACE', doc: 'Trace and read the memory of other processes: a debugging tool, and a way around process isolation.' },
  { value: 'SYS_ADMIN', doc: 'Mount filesystems and much more: close to root on the host, and the usual way out of a container.' },
  { value: 'SYS_TIME', doc: 'Set the system clock, which is the host\'s clock.' },
  { value: 'SYS_NICE', doc: 'Raise process priorities and set CPU affinity.' },
  { value: 'IPC_LOCK', doc: 'Lock memory (databases that pin their buffers, Vault\'s mlock).' },
  { value: 'AUDIT_WRITE', doc: 'Write to the kernel audit log (sshd, login).' },
  { value: 'MKNOD', doc: 'Create device files.' },
  { value: 'SYS_CHROOT', doc: 'Use chroot.' },
  { value: 'SETFCAP', doc: 'Set file capabilities.' },
  { value: 'SETPCAP', doc: 'Change process capabilities.' },
  { value: 'FSETID', doc: 'Keep setuid/setgid bits when a file changes.' },
];

/** A key path with `*` for any name (a service, a dependency) and `[]` for any list item. */
const VALUES: { path: string; values: ValueDoc[] }[] = [
  {
    path: 'services.*.restart',
    values: [
      { value: 'no', doc: 'Never restart the container (the default): after a crash or a reboot of the host it stays down.' },
      { value: 'always', doc: 'Always restart it when it stops, and start it with the Docker daemon; a container stopped by hand starts again when the daemon restarts.' },
      { value: 'on-failure', doc: 'Restart it only when it exits with a non-zero status (`on-failure:5` caps the attempts); a clean exit stays down.' },
      { value: 'unless-stopped', doc: 'Like `always`, except that a container stopped by hand stays stopped across daemon restarts: the usual choice for long-running services.' },
    ],
  },
  {
    path: 'services.*.depends_on.*.condition',
    values: [
      { value: 'service_started', doc: 'Start once the dependency\'s container has started (the default): it may not accept connections yet.' },
      { value: 'service_healthy', doc: 'Start once the dependency\'s healthcheck passes: the dependency needs a `healthcheck`, else `docker compose up` fails.' },
      { value: 'service_completed_successfully', doc: 'Start once the dependency has run to completion with exit status 0: for one-shot jobs such as migrations.' },
    ],
  },
  {
    path: 'services.*.pull_policy',
    values: [
      { value: 'always', doc: 'Pull the image on every `up`, even when it is present.' },
      { value: 'missing', doc: 'Pull only when the image is not present locally (the default; `if_not_present` is the same).' },
      { value: 'never', doc: 'Never pull: fail when the image is not present locally.' },
      { value: 'build', doc: 'Build the image from `build:` on every `up`, never pull it.' },
      { value: 'daily', doc: 'Pull again when the local image was last checked more than a day ago (also `weekly`, `every_12h`).' },
      { value: 'weekly', doc: 'Pull again when the local image was last checked more than a week ago.' },
    ],
  },
  {
    path: 'services.*.network_mode',
    values: [
      { value: 'bridge', doc: 'Docker\'s default bridge network, outside the project\'s own networks: services cannot reach each other by name.' },
      { value: 'host', doc: 'Share the host\'s network stack: no isolation, `ports:` is ignored, and the service can bind every host interface.' },
      { value: 'none', doc: 'No network at all, only the loopback interface.' },
      { value: 'service:', doc: 'Join another service\'s network namespace (`service:<name>`): both share interfaces and ports.' },
      { value: 'container:', doc: 'Join a running container\'s network namespace (`container:<name or id>`).' },
    ],
  },
  {
    path: 'services.*.ipc',
    values: [
      { value: 'private', doc: 'A private IPC namespace, not shareable.' },
      { value: 'shareable', doc: 'Its own IPC namespace, which other services may join with `service:<name>`.' },
      { value: 'host', doc: 'The host\'s IPC namespace: shared memory with every process of the host.' },
      { value: 'service:', doc: 'Join another service\'s IPC namespace (`service:<name>`).' },
    ],
  },
  {
    path: 'services.*.pid',
    values: [
      { value: 'host', doc: 'The host\'s PID namespace: the container sees, and as root can signal, every process of the host.' },
      { value: 'service:', doc: 'Join another service\'s PID namespace (`service:<name>`).' },
    ],
  },
  {
    path: 'services.*.cgroup',
    values: [
      { value: 'host', doc: 'Run in the host\'s cgroup namespace.' },
      { value: 'private', doc: 'Run in a private cgroup namespace (the default on cgroup v2).' },
    ],
  },
  {
    path: 'services.*.deploy.mode',
    values: [
      { value: 'replicated', doc: 'Run `replicas` containers of the service (the default).' },
      { value: 'global', doc: 'Run exactly one container per node (Swarm).' },
    ],
  },
  {
    path: 'services.*.deploy.endpoint_mode',
    values: [
      { value: 'vip', doc: 'One virtual IP for the service, balanced over its containers (the default).' },
      { value: 'dnsrr', doc: 'DNS round robin: the service name resolves to every container\'s address.' },
    ],
  },
  {
    path: 'services.*.deploy.restart_policy.condition',
    values: [
      { value: 'none', doc: 'Never restart.' },
      { value: 'on-failure', doc: 'Restart when the container exits with a non-zero status.' },
      { value: 'any', doc: 'Restart whatever the exit status (the default).' },
    ],
  },
  {
    path: 'services.*.volumes.[].type',
    values: [
      { value: 'volume', doc: 'A named or anonymous volume that Docker manages: survives the container, the usual place for data.' },
      { value: 'bind', doc: 'A host path mounted into the container: the container sees and may change the host\'s files.' },
      { value: 'tmpfs', doc: 'A memory-backed filesystem that disappears with the container: for scratch files of a read-only service.' },
      { value: 'npipe', doc: 'A Windows named pipe of the host.' },
      { value: 'cluster', doc: 'A cluster volume (Swarm CSI).' },
      { value: 'image', doc: 'The contents of another image, mounted read-only.' },
    ],
  },
  {
    path: 'services.*.ports.[].protocol',
    values: [
      { value: 'tcp', doc: 'TCP (the default).' },
      { value: 'udp', doc: 'UDP.' },
    ],
  },
  {
    path: 'services.*.ports.[].mode',
    values: [
      { value: 'ingress', doc: 'Publish through the routing mesh of a Swarm (the default there).' },
      { value: 'host', doc: 'Publish the port on the host the container runs on.' },
    ],
  },
  {
    path: 'services.*.logging.driver',
    values: [
      { value: 'json-file', doc: 'Docker\'s default: JSON lines on the host\'s disk, kept forever unless `max-size`/`max-file` rotate them.' },
      { value: 'local', doc: 'A compact on-disk format, rotated by default (100 MB in five files): a good default for production.' },
      { value: 'journald', doc: 'The systemd journal of the host.' },
      { value: 'syslog', doc: 'A syslog daemon (`syslog-address` in `options`).' },
      { value: 'fluentd', doc: 'A Fluentd collector.' },
      { value: 'gelf', doc: 'A GELF endpoint such as Graylog or Logstash.' },
      { value: 'awslogs', doc: 'Amazon CloudWatch Logs.' },
      { value: 'none', doc: 'No logs: `docker logs` shows nothing.' },
    ],
  },
  { path: 'services.*.cap_add.[]', values: CAPABILITIES },
  { path: 'services.*.cap_drop.[]', values: CAPABILITIES },
  {
    path: 'services.*.security_opt.[]',
    values: [
      { value: 'no-new-privileges:true', doc: 'No process of the container can gain privileges through setuid binaries (`su`, `sudo`) or file capabilities.' },
      { value: 'seccomp:unconfined', doc: 'Turns Docker\'s seccomp filter off: every system call is allowed. Never in production.' },
      { value: 'apparmor:unconfined', doc: 'Runs without an AppArmor profile. Never in production.' },
      { value: 'label:disable', doc: 'Turns SELinux labelling off for the container.' },
    ],
  },
  {
    path: 'services.*.healthcheck.test.[]',
    values: [
      { value: 'CMD', doc: 'Run the rest of the list as a program with its arguments, with no shell (works in distroless images).' },
      { value: 'CMD-SHELL', doc: 'Run the next item through `/bin/sh -c`: shell syntax works, but the image needs a shell.' },
      { value: 'NONE', doc: 'Disable the healthcheck the image declares.' },
    ],
  },
];

function matches(pattern: string, path: string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i] || (p === '[]' && /^\d+$/.test(path[i])));
}

/** The values known for a key path (`['services', 'web', 'restart']`), or none. */
export function knownValues(path: string[]): ValueDoc[] {
  return VALUES.find((v) => matches(v.path, path))?.values ?? [];
}

/** What a value means at a key path: `on-failure:3` is `on-failure`, `service:db` is `service:`. */
export function valueDoc(path: string[], value: string): ValueDoc | undefined {
  const values = knownValues(path);
  return values.find((v) => v.value === value)
    ?? values.find((v) => v.value.endsWith(':') && value.startsWith(v.value))
    ?? values.find((v) => value.startsWith(`${v.value}:`))
    ?? (/^every_/.test(value) ? values.find((v) => v.value === 'daily') && { value, doc: 'Pull again when the local image was last checked longer ago than this (`every_12h`, `every_1w2d`).' } : undefined);
}
