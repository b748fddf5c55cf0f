import type { ImageRef } from './image';

/**
 * Facts about well-known images, as data. Names are matched on the last path component, so
 * `postgres`, `library/postgres`, `bitnami/postgresql` and `docker.io/library/postgres:16` agree.
 */

export type Distro = 'alpine' | 'debian' | 'redhat' | 'distroless' | 'scratch' | 'windows' | 'unknown';

/** Services that hold state or brokers that others wait for: a dependency on them must wait until ready. */
const statefulNames = new Map<string, string>([
  ['postgres', 'postgres'], ['postgresql', 'postgres'], ['postgis', 'postgres'], ['timescaledb', 'postgres'], ['pgvector', 'postgres'],
  ['mysql', 'mysql'], ['mysql-server', 'mysql'], ['percona', 'mysql'], ['percona-server', 'mysql'],
  ['mariadb', 'mariadb'],
  ['mongo', 'mongo'], ['mongodb', 'mongo'], ['mongodb-community-server', 'mongo'],
  ['redis', 'redis'], ['redis-stack', 'redis'], ['redis-stack-server', 'redis'], ['keydb', 'redis'], ['dragonfly', 'redis'],
  ['valkey', 'valkey'],
  ['rabbitmq', 'rabbitmq'],
  ['kafka', 'kafka'], ['cp-kafka', 'kafka'], ['redpanda', 'kafka'], ['zookeeper', 'zookeeper'], ['cp-zookeeper', 'zookeeper'],
  ['elasticsearch', 'elasticsearch'], ['opensearch', 'opensearch'],
  ['memcached', 'memcached'], ['cassandra', 'cassandra'], ['scylla', 'cassandra'], ['couchdb', 'couchdb'], ['couchbase', 'couchbase'],
  ['influxdb', 'influxdb'], ['clickhouse-server', 'clickhouse'], ['clickhouse', 'clickhouse'], ['neo4j', 'neo4j'],
  ['nats', 'nats'], ['etcd', 'etcd'], ['consul', 'consul'], ['cockroach', 'cockroach'], ['minio', 'minio'],
]);

/** The family of a stateful image (`postgres` for `bitnami/postgresql:16`), or null. */
export function statefulFamily(ref: ImageRef | null): string | null {
  if (!ref) return null;
  if (ref.repository.toLowerCase().includes('mssql')) return 'mssql';
  return statefulNames.get(ref.name) ?? null;
}

/** Images whose default user is not root, so a Dockerfile built on them needs no USER. */
export function runsAsNonRootByDefault(ref: ImageRef): boolean {
  const tag = ref.tag?.toLowerCase() ?? '';
  const repo = ref.repository.toLowerCase();
  if (tag.includes('nonroot') || tag.includes('rootless') || tag.includes('unprivileged')) return true;
  if (repo.includes('unprivileged') || repo.includes('rootless')) return true;
  if (ref.registry === 'cgr.dev' && !tag.includes('-dev')) return true; // Chainguard images run as nonroot.
  if (repo.startsWith('bitnami/')) return true; // Bitnami's non-root containers run as uid 1001.
  return false;
}

const debianLike = new Set([
  'debian', 'ubuntu', 'buildpack-deps', 'python', 'node', 'ruby', 'golang', 'rust', 'openjdk', 'eclipse-temurin', 'amazoncorretto',
  'maven', 'gradle', 'php', 'perl', 'elixir', 'erlang', 'haskell', 'gcc', 'julia', 'r-base', 'swift', 'dart', 'clojure', 'nginx', 'httpd',
]);
const redhatLike = new Set(['fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'ubi', 'ubi8', 'ubi9', 'ubi-minimal', 'oraclelinux']);

/** Guesses the distribution an image is built on from its name and tag; `unknown` when unsure. */
export function distroOf(ref: ImageRef | null, scratch = false): Distro {
  if (scratch) return 'scratch';
  if (!ref) return 'unknown';
  const tag = ref.tag?.toLowerCase() ?? '';
  const repo = ref.repository.toLowerCase();
  if (/windows|servercore|nanoserver/.test(repo) || /windowsservercore|nanoserver|ltsc/.test(tag)) return 'windows';
  if (repo.includes('distroless')) return 'distroless';
  if (ref.name === 'alpine' || tag.includes('alpine')) return 'alpine';
  if (redhatLike.has(ref.name) || repo.includes('ubi')) return 'redhat';
  if (/(bookworm|bullseye|buster|trixie|jammy|noble|focal|slim)/.test(tag)) return 'debian';
  if (debianLike.has(ref.name)) return 'debian';
  return 'unknown';
}
