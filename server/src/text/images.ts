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
  // .NET's chiseled and distroless images switch to their `app` user (uid 1654) themselves.
  if (ref.registry?.toLowerCase() === 'mcr.microsoft.com' && DOTNET.test(repo) && /chiseled|distroless/.test(tag)) return true;
  return false;
}

/** Images built on Debian or Ubuntu in every variant whose tag does not name another distribution. */
const debianLike = new Set([
  'debian', 'ubuntu', 'buildpack-deps', 'python', 'node', 'ruby', 'golang', 'rust', 'eclipse-temurin',
  'php', 'perl', 'elixir', 'erlang', 'haskell', 'gcc', 'julia', 'r-base', 'swift', 'dart', 'clojure', 'nginx', 'httpd',
]);
/** Red Hat family (rpm): Fedora and its rebuilds, UBI, Oracle Linux, and Amazon Linux, which Amazon Corretto images are built on. */
const redhatLike = new Set(['fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'ubi', 'ubi8', 'ubi9', 'ubi-minimal', 'oraclelinux', 'amazoncorretto']);
/** A tag naming a Red Hat family base (`21-jre-ubi9-minimal`, `5.9-amazonlinux2`, `8.0-azurelinux3.0`). */
const REDHAT_TAG = /(?:^|[-_.])(?:ubi\d*|oraclelinux\d*|oracle|amazonlinux\d*|al2(?:023)?|centos\d*|rockylinux\d*|rhel\d*|fedora\d*|azurelinux[\d.]*|cbl-mariner[\d.]*|(?:amazon)?corretto)(?:$|[-_.])/;
const DEBIAN_TAG = /(bookworm|bullseye|buster|trixie|jammy|noble|focal|slim)/;
/** JDK vendors whose Maven and Gradle variants are built on other bases than the default Ubuntu one. */
const OTHER_JDK = /openjdk|ibm|semeru|graal|sapmachine|zulu|liberica|microsoft|oracle/;
/** .NET images on mcr.microsoft.com: Debian or Ubuntu unless the tag names Alpine, Azure Linux or a chiseled variant. */
const DOTNET = /^dotnet\/(?:nightly\/)?(?:aspnet|runtime|runtime-deps|sdk)$/;

/** True when a tag names the distribution itself (`3.12-alpine`, `21-jre-ubi9-minimal`, `bookworm`), whatever the image. */
export function tagNamesDistro(tag: string): boolean {
  const lower = tag.toLowerCase();
  return lower.includes('alpine') || REDHAT_TAG.test(lower) || DEBIAN_TAG.test(lower);
}

/** Guesses the distribution an image is built on from its name and tag; `unknown` when unsure. */
export function distroOf(ref: ImageRef | null, scratch = false): Distro {
  if (scratch) return 'scratch';
  if (!ref) return 'unknown';
  const tag = ref.tag?.toLowerCase() ?? '';
  const repo = ref.repository.toLowerCase();
  if (/windows|servercore|nanoserver/.test(repo) || /windowsservercore|nanoserver|ltsc/.test(tag)) return 'windows';
  if (repo.includes('distroless')) return 'distroless';
  if (ref.name === 'alpine' || tag.includes('alpine')) return 'alpine';
  if (redhatLike.has(ref.name) || repo.includes('ubi') || REDHAT_TAG.test(tag)) return 'redhat';
  if (ref.registry?.toLowerCase() === 'mcr.microsoft.com' && DOTNET.test(repo)) return /chiseled|distroless/.test(tag) ? 'distroless' : 'debian';
  if (DEBIAN_TAG.test(tag)) return 'debian';
  // openjdk's Debian images stop at 11; from 12 on the default variant is Oracle Linux.
  if (ref.name === 'openjdk') {
    const major = Number(/^(\d+)/.exec(tag)?.[1] ?? NaN);
    return major <= 11 ? 'debian' : major >= 12 ? 'redhat' : 'unknown';
  }
  // Maven and Gradle default to Eclipse Temurin on Ubuntu; other JDK variants have other bases.
  if (ref.name === 'maven' || ref.name === 'gradle') return OTHER_JDK.test(tag) ? 'unknown' : 'debian';
  if (debianLike.has(ref.name)) return 'debian';
  return 'unknown';
}

/** An official image whose server starts as root and runs as an unprivileged user by design. */
export interface OwnPrivilegeDrop {
  /** What starts: `nginx`, `Apache`, `PHP-FPM`, `postgres`. */
  server: string;
  /** The unprivileged user. */
  user: string;
  /**
   * `workers`: the master process stays root and its worker processes, which handle requests,
   * run as `user`; `entrypoint`: the image's entrypoint switches the whole server to `user` (gosu, su-exec).
   */
  how: 'workers' | 'entrypoint';
  /** Program names whose CMD still starts this server (a CMD starting with `-` passes options to it). */
  commands: string[];
  /** The same server built to run unprivileged, when one exists. */
  unprivileged?: string;
}

const PHP_APPS = new Set(['php', 'wordpress', 'drupal', 'joomla', 'nextcloud', 'mediawiki']);
const ENTRYPOINT_DROPS: Record<string, [user: string, commands: string[]]> = {
  postgres: ['postgres', ['postgres']],
  mysql: ['mysql', ['mysqld']],
  mariadb: ['mysql', ['mariadbd', 'mysqld']],
  redis: ['redis', ['redis-server']],
  mongo: ['mongodb', ['mongod']],
  rabbitmq: ['rabbitmq', ['rabbitmq-server']],
  cassandra: ['cassandra', ['cassandra']],
};

/**
 * How a Docker Hub official image keeps its server off root by itself, or null: nginx and Apache
 * drop their workers to an unprivileged user, PHP-FPM its pools; the database images' entrypoints
 * switch to the database's user before starting it (https://github.com/docker-library).
 */
export function ownPrivilegeDrop(ref: ImageRef): OwnPrivilegeDrop | null {
  if (ref.registry !== null && ref.registry !== 'docker.io') return null;
  const repo = ref.repository.toLowerCase().replace(/^library\//, '');
  if (repo.includes('/')) return null;
  const tag = ref.tag?.toLowerCase() ?? '';
  if (repo === 'nginx') {
    return { server: 'nginx', user: 'nginx', how: 'workers', commands: ['nginx', 'nginx-debug'], unprivileged: `nginxinc/nginx-unprivileged${ref.tag ? `:${ref.tag}` : ''}` };
  }
  if (repo === 'httpd') return { server: 'Apache httpd', user: 'daemon', how: 'workers', commands: ['httpd-foreground', 'httpd'] };
  if (PHP_APPS.has(repo)) {
    if (/(^|-)fpm(-|$)/.test(tag)) return { server: 'PHP-FPM', user: 'www-data', how: 'workers', commands: ['php-fpm'] };
    // The applications' default tags run Apache; php's default (and any `cli`) tag runs the CLI.
    if (/(^|-)apache(-|$)/.test(tag) || (repo !== 'php' && !/(^|-)cli(-|$)/.test(tag))) {
      return { server: 'Apache', user: 'www-data', how: 'workers', commands: ['apache2-foreground', 'apache2ctl', 'apachectl'] };
    }
    return null;
  }
  const drop = ENTRYPOINT_DROPS[repo];
  return drop ? { server: repo, user: drop[0], how: 'entrypoint', commands: drop[1] } : null;
}

const SHELL_IMAGES = new Set([
  'debian', 'ubuntu', 'alpine', 'busybox', 'buildpack-deps', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux',
  'archlinux', 'photon', 'ubi', 'ubi8', 'ubi9', 'ubi-minimal', 'ubi8-minimal', 'ubi9-minimal',
]);

/**
 * Images whose default command is a shell: the distributions, and the .NET images, which set none
 * of their own. An image built on one without a command of its own has nothing to start but that shell.
 */
export function startsShellByDefault(ref: ImageRef): boolean {
  if (SHELL_IMAGES.has(ref.name)) return true;
  return ref.registry === 'mcr.microsoft.com' && /^dotnet\/(?:runtime-deps|runtime|aspnet|sdk)$/.test(ref.repository.toLowerCase());
}
