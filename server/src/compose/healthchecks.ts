import type { ImageRef } from '../text/image';
import { statefulFamily } from '../text/images';
import { DEFAULT_HEALTHCHECK_TIMING, type Probe } from '../dockerfile/healthchecks';

/**
 * Readiness probes for the images that others wait on, as Compose `healthcheck` values. Each
 * uses a tool the official image ships; `$$` keeps a variable for the container's shell rather
 * than Compose's interpolation.
 */
export interface HealthcheckTemplate {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
}

const db = { interval: '10s', timeout: '5s', retries: 5, startPeriod: '30s' };
const fast = { interval: '10s', timeout: '3s', retries: 5, startPeriod: '10s' };

const templates: Record<string, HealthcheckTemplate> = {
  postgres: { test: ['CMD-SHELL', 'pg_isready -U $${POSTGRES_USER:-postgres}'], ...db },
  mysql: { test: ['CMD', 'mysqladmin', 'ping', '-h', 'localhost'], ...db },
  mariadb: { test: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'], ...db },
  mongo: { test: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"], ...db },
  redis: { test: ['CMD', 'redis-cli', 'ping'], ...fast },
  valkey: { test: ['CMD', 'valkey-cli', 'ping'], ...fast },
  rabbitmq: { test: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'], ...db },
  elasticsearch: { test: ['CMD-SHELL', 'curl -fsS http://localhost:9200/_cluster/health || exit 1'], interval: '15s', timeout: '10s', retries: 10, startPeriod: '60s' },
};

/**
 * Images whose probe depends on who builds them, by repository: the Kafka images put their
 * scripts in different places (and Confluent's drop the `.sh`), so the `kafka` family has no
 * template of its own and only these get one.
 */
const byRepository: Record<string, HealthcheckTemplate> = {
  'apache/kafka': { test: ['CMD-SHELL', '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null || exit 1'], ...db },
  'bitnami/kafka': { test: ['CMD-SHELL', 'kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null || exit 1'], ...db },
  'confluentinc/cp-kafka': { test: ['CMD-SHELL', 'kafka-broker-api-versions --bootstrap-server localhost:9092 > /dev/null || exit 1'], ...db },
};

export function healthcheckFor(family: string | null): HealthcheckTemplate | null {
  return (family && templates[family]) || null;
}

/** The readiness probe of an image: by its repository first, then by its family. */
export function healthcheckForImage(ref: ImageRef | null): HealthcheckTemplate | null {
  if (!ref) return null;
  const repository = ref.repository.toLowerCase().replace(/^library\//, '');
  return byRepository[repository] ?? healthcheckFor(statefulFamily(ref));
}

/** The keys of the readiness table (families and repositories), for snippets and tests. */
export function healthcheckTemplateNames(): string[] {
  return [...Object.keys(templates), ...Object.keys(byRepository)];
}

/** A template by its key in the table: a family (`postgres`) or a repository (`apache/kafka`). */
export function healthcheckTemplate(name: string): HealthcheckTemplate | null {
  return templates[name] ?? byRepository[name] ?? null;
}

/** A Compose healthcheck running an HTTP probe: exec form when the probe has one, else through the shell. */
export function probeHealthcheck(probe: Probe): HealthcheckTemplate {
  const { interval, timeout, retries, startPeriod } = DEFAULT_HEALTHCHECK_TIMING;
  return { test: probe.exec ? ['CMD', ...probe.exec] : ['CMD-SHELL', probe.shell ?? ''], interval, timeout, retries, startPeriod };
}

/** The template as YAML lines, `indent` for the `healthcheck:` key and `unit` per level. */
export function healthcheckYaml(template: HealthcheckTemplate, indent: string, unit: string): string[] {
  const inner = indent + unit;
  return [
    `${indent}healthcheck:`,
    `${inner}test: [${template.test.map((t) => JSON.stringify(t)).join(', ')}]`,
    `${inner}interval: ${template.interval}`,
    `${inner}timeout: ${template.timeout}`,
    `${inner}retries: ${template.retries}`,
    `${inner}start_period: ${template.startPeriod}`,
  ];
}
