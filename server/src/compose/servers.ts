import { isScalar, isSeq, type Scalar } from 'yaml';
import type { ComposeModel } from './parse';
import type { ComposeProject, Located, ProjectService } from './project';
import { imageOf, serviceFamily } from './services';
import { finalStage, stageAncestry } from '../dockerfile/parse';
import { exposeValues } from '../dockerfile/serving';
import { parseImageRef } from '../text/image';

/**
 * What makes a service long-running, shared by the Compose rules that only make sense for
 * servers (a restart policy, a healthcheck). A one-shot job (a migration, a backup) needs neither.
 */
export interface ServerEvidence {
  kind: 'family' | 'web' | 'expose' | 'ports';
  /** How the message names it: `postgres`, `nginx`, `EXPOSE 8080`, `5432:5432`. */
  what: string;
  /** Where the evidence is written: the `image`, `build` or `ports` value. */
  located: Located;
}

/** Web servers and proxies whose official images serve until stopped. */
const WEB_SERVERS = new Set(['nginx', 'nginx-unprivileged', 'httpd', 'caddy', 'traefik']);

/** Client tools and shells: a service whose command starts one runs a job, not the server in its image. */
const ONE_SHOT_PROGRAMS = new Set([
  'sh', 'bash', 'ash', 'true', 'echo', 'sleep', 'env', 'curl', 'wget',
  'psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_basebackup', 'pg_isready',
  'mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mariadb-dump', 'mariadb-admin',
  'redis-cli', 'valkey-cli', 'mongosh', 'mongo', 'mongodump', 'mongorestore', 'mongoimport', 'mongoexport',
  'rabbitmqctl', 'rabbitmqadmin', 'kafka-topics', 'kafka-topics.sh', 'kafka-configs', 'kafka-configs.sh', 'rpk',
  'cqlsh', 'clickhouse-client', 'influx', 'etcdctl', 'mc', 'nats', 'cockroach-sql',
]);

/** The words of a service's `command` (string split on blanks, or list), empty when not written. */
export function commandWords(project: ComposeProject, service: ProjectService, key: 'command' | 'entrypoint' = 'command'): string[] | null {
  const located = project.get(service, [key]);
  if (!located) return [];
  const { compose } = located;
  const node = compose.resolve(located.node);
  if (isSeq(node)) return compose.items(node).map((n) => compose.text(n) ?? '');
  if (isScalar(node)) {
    if ((node as Scalar).value === null) return [];
    const text = compose.text(node);
    return text === null ? null : text.trim().split(/\s+/).filter(Boolean);
  }
  return null;
}

/** True when the service's command runs a client tool or a shell rather than the image's server. */
function runsJob(project: ComposeProject, service: ProjectService): boolean {
  // A replaced entrypoint can start anything: the image's own server is no longer a given.
  if (project.get(service, ['entrypoint'])) return true;
  const words = commandWords(project, service);
  if (words === null) return true;
  const program = (words[0] ?? '').split('/').pop() ?? '';
  return ONE_SHOT_PROGRAMS.has(program);
}

/** Ports the final (or target) stage of a Dockerfile exposes, through the stages it builds on. */
function exposedPorts(project: ComposeProject, service: ProjectService): string[] | null {
  const built = project.dockerfile(service);
  if (!built) return null;
  const stage = finalStage(built.model, built.target ?? undefined);
  return stage ? exposeValues(stageAncestry(built.model, stage)) : null;
}

/**
 * Why a service looks long-running: a database, cache or broker image, a web server image, a
 * built Dockerfile that EXPOSEs a port, or (when `withPorts`) published ports. Null when the
 * service may well be a one-shot job, or when its image cannot be told.
 */
export function serverEvidence(project: ComposeProject, service: ProjectService, withPorts: boolean): ServerEvidence | null {
  if (runsJob(project, service)) return null;
  const build = project.get(service, ['build']);
  if (build) {
    // What runs is what the Dockerfile builds, whatever the `image:` tag is called; a test or
    // lint target runs once, whatever its base stage EXPOSEs.
    const target = project.get(service, ['build', 'target']);
    const targetName = target ? target.compose.text(target.node) ?? '' : '';
    if (/^(?:unit-?)?(?:tests?|testing|lint|check|ci)$/i.test(targetName)) return null;
    // A `command` of its own may run something else than the server the image EXPOSEs (a
    // worker on the app's image); without published ports that is the likelier reading.
    const replaced = project.get(service, ['command']) && project.all(service, ['ports']).length === 0;
    const ports = replaced ? null : exposedPorts(project, service);
    if (ports && ports.length > 0) return { kind: 'expose', what: `EXPOSE ${ports[0]}`, located: build };
  } else {
    const image = project.get(service, ['image']);
    const family = serviceFamily(project, service);
    if (image && family) return { kind: 'family', what: family, located: image };
    const text = imageOf(project, service);
    const ref = text ? parseImageRef(text) : null;
    if (image && ref && WEB_SERVERS.has(ref.name)) return { kind: 'web', what: ref.name, located: image };
  }
  // A service with neither image nor build here is a fragment (an override without its base).
  if (withPorts && (build || project.get(service, ['image']))) {
    const located = project.all(service, ['ports']).find((l) => l.compose.items(l.node).length > 0);
    if (located) {
      const shown = located.compose.items(located.node).map((n) => located.compose.text(n)).find((t): t is string => t !== null);
      return { kind: 'ports', what: shown ?? 'ports', located };
    }
  }
  return null;
}

/** The service's definition in `compose` (the last one, after `extends` bases written in the same file). */
export function ownLayer(service: ProjectService, compose: ComposeModel): ProjectService['layers'][number] | undefined {
  return [...service.layers].reverse().find((l) => l.compose === compose);
}

/** How the evidence reads in a message. */
export function describeEvidence(evidence: ServerEvidence): string {
  switch (evidence.kind) {
    case 'family': return `runs ${evidence.what}`;
    case 'web': return `runs the ${evidence.what} server`;
    case 'expose': return `builds an image that declares \`${evidence.what}\``;
    case 'ports': return evidence.what === 'ports' ? 'publishes ports' : `publishes \`${evidence.what}\``;
  }
}
