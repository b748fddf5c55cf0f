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

export function healthcheckFor(family: string | null): HealthcheckTemplate | null {
  return (family && templates[family]) || null;
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
