/**
 * Production notes shown under the specification's description when hovering a Compose key,
 * as data: the key path (with `*` for any service) and what matters once it runs for real.
 */
const notes: { path: string[]; note: string }[] = [
  { path: ['services', '*', 'depends_on'], note: 'The short form waits only until the dependency\'s container has started. For databases, caches and brokers use the long form with `condition: service_healthy` (and give them a healthcheck), so the app does not start before they accept connections.' },
  { path: ['services', '*', 'depends_on', '*', 'condition'], note: '`service_started` (the default) does not wait for readiness; `service_healthy` waits for the dependency\'s healthcheck to pass; `service_completed_successfully` waits for a one-shot job such as a migration to exit 0.' },
  { path: ['services', '*', 'healthcheck'], note: 'Other services can wait for it with `condition: service_healthy`, and `docker ps` and orchestrators see a hung process as unhealthy rather than "up". Use a probe the image actually ships (curl is absent from Alpine and slim images).' },
  { path: ['services', '*', 'healthcheck', 'test'], note: '`["CMD", …]` runs the program directly; `["CMD-SHELL", "…"]` (or a string) runs it through `/bin/sh -c`, which distroless and scratch images do not have. Exit 0 means healthy, 1 unhealthy.' },
  { path: ['services', '*', 'healthcheck', 'interval'], note: 'A Go duration (`30s`, `1m30s`). Checks run this often for the container\'s whole life: keep the probe cheap.' },
  { path: ['services', '*', 'healthcheck', 'timeout'], note: 'Must be shorter than `interval`; a probe that takes longer counts as a failure.' },
  { path: ['services', '*', 'healthcheck', 'start_period'], note: 'Failures during this grace period do not count: give databases and JVM services enough time to initialise.' },
  { path: ['services', '*', 'healthcheck', 'retries'], note: 'Consecutive failures before the container is marked unhealthy.' },
  { path: ['services', '*', 'deploy', 'resources'], note: 'Without a memory limit one leaking service can take the host\'s memory and get other containers OOM-killed; set `limits.memory` (and `cpus` for noisy neighbours).' },
  { path: ['services', '*', 'deploy', 'resources', 'limits'], note: 'Hard caps: the container is OOM-killed above `memory`, and throttled above `cpus`.' },
  { path: ['services', '*', 'cap_drop'], note: '`cap_drop: [ALL]` then `cap_add` of only what the service needs (e.g. `NET_BIND_SERVICE`) removes the kernel privileges an attacker would use after a compromise.' },
  { path: ['services', '*', 'cap_add'], note: 'Each capability is a slice of root: `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` and `ALL` make a container escape much easier.' },
  { path: ['services', '*', 'security_opt'], note: '`no-new-privileges:true` stops setuid binaries from gaining privileges; never set `seccomp:unconfined` or `apparmor:unconfined` in production.' },
  { path: ['services', '*', 'read_only'], note: 'A read-only root filesystem stops an attacker from dropping tools or changing binaries; give the service `tmpfs: [/tmp]` (and volumes) for what it must write.' },
  { path: ['services', '*', 'secrets'], note: 'Secrets are mounted as files under `/run/secrets/`, out of `docker inspect` and the environment; many images read `*_FILE` variables (`POSTGRES_PASSWORD_FILE`).' },
  { path: ['secrets'], note: 'File-based secrets keep credentials out of the Compose file and of `docker inspect`; point `file:` at a file that is not committed.' },
  { path: ['services', '*', 'ports'], note: '`"5432:5432"` publishes on every interface of the host, past most host firewalls; bind internal services to `127.0.0.1:` or leave them unpublished on a private network.' },
  { path: ['services', '*', 'restart'], note: '`unless-stopped` or `on-failure` brings a crashed service back after a crash or a host reboot; `no` (the default) leaves it down.' },
  { path: ['services', '*', 'logging'], note: 'The default `json-file` driver keeps logs forever: set `options: { max-size: "10m", max-file: "3" }` (or use `local`) so logs cannot fill the disk.' },
  { path: ['services', '*', 'privileged'], note: 'A privileged container has every capability and all host devices: its compromise is the host\'s.' },
  { path: ['services', '*', 'network_mode'], note: '`host` removes network isolation: the service sees and binds every host interface.' },
];

/** The production note for a key path, if there is one. */
export function productionNote(path: string[]): string | null {
  const found = notes.find((n) => n.path.length === path.length && n.path.every((p, i) => p === '*' || p === path[i]));
  return found?.note ?? null;
}
