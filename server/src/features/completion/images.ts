/**
 * Images Shipshape knows without a registry: common official images with tags that are current
 * and pinned enough for `image-tag-pinned`, as data. Completion adds the images and tags the
 * project already uses. No network is ever asked.
 */
export const KNOWN_IMAGES: { name: string; what: string; tags: string[] }[] = [
  { name: 'postgres', what: 'PostgreSQL database', tags: ['17-alpine', '17', '16-alpine', '16', '15-alpine'] },
  { name: 'mysql', what: 'MySQL database', tags: ['8.4', '8.0', '9'] },
  { name: 'mariadb', what: 'MariaDB database', tags: ['11.4', '10.11'] },
  { name: 'mongo', what: 'MongoDB database', tags: ['8.0', '7.0'] },
  { name: 'redis', what: 'Redis in-memory store', tags: ['7.4-alpine', '7.4', '7.2-alpine'] },
  { name: 'valkey/valkey', what: 'Valkey in-memory store', tags: ['8-alpine', '8'] },
  { name: 'memcached', what: 'Memcached cache', tags: ['1.6-alpine', '1.6'] },
  { name: 'rabbitmq', what: 'RabbitMQ broker', tags: ['4-management-alpine', '4-alpine', '3.13-management'] },
  { name: 'apache/kafka', what: 'Apache Kafka broker', tags: ['3.9.0', '3.8.1'] },
  { name: 'elasticsearch', what: 'Elasticsearch', tags: ['8.17.0', '8.16.1'] },
  { name: 'nginx', what: 'nginx web server and reverse proxy', tags: ['1.27-alpine', '1.27', '1.26-alpine'] },
  { name: 'nginxinc/nginx-unprivileged', what: 'nginx running as a non-root user', tags: ['1.27-alpine', '1.27'] },
  { name: 'httpd', what: 'Apache HTTP Server', tags: ['2.4-alpine', '2.4'] },
  { name: 'traefik', what: 'Traefik reverse proxy', tags: ['v3.3', 'v3.2'] },
  { name: 'caddy', what: 'Caddy web server', tags: ['2-alpine', '2'] },
  { name: 'node', what: 'Node.js runtime', tags: ['22-alpine', '22-slim', '22', '20-alpine', '20-slim'] },
  { name: 'python', what: 'Python runtime', tags: ['3.13-slim', '3.13-alpine', '3.12-slim', '3.12'] },
  { name: 'golang', what: 'Go toolchain', tags: ['1.23-alpine', '1.23', '1.22-alpine'] },
  { name: 'eclipse-temurin', what: 'Java (Temurin JDK/JRE)', tags: ['21-jre', '21-jdk', '17-jre', '21-jre-alpine'] },
  { name: 'ruby', what: 'Ruby runtime', tags: ['3.3-slim', '3.3-alpine', '3.3'] },
  { name: 'php', what: 'PHP runtime', tags: ['8.3-fpm-alpine', '8.3-fpm', '8.3-apache'] },
  { name: 'alpine', what: 'Alpine Linux', tags: ['3.21', '3.20'] },
  { name: 'debian', what: 'Debian', tags: ['bookworm-slim', 'bookworm'] },
  { name: 'ubuntu', what: 'Ubuntu', tags: ['24.04', '22.04'] },
  { name: 'busybox', what: 'BusyBox', tags: ['1.37', '1.36'] },
  { name: 'minio/minio', what: 'MinIO object storage', tags: ['RELEASE.2024-12-18T13-15-44Z'] },
  { name: 'grafana/grafana', what: 'Grafana dashboards', tags: ['11.4.0', '11.3.2'] },
  { name: 'prom/prometheus', what: 'Prometheus monitoring', tags: ['v3.0.1', 'v2.55.1'] },
  { name: 'adminer', what: 'Adminer database UI', tags: ['4.8.1'] },
  { name: 'mailhog/mailhog', what: 'MailHog SMTP test server', tags: ['v1.0.1'] },
];

/** Docker Hub's page for an image of docker.io (official images live under `_`). */
export function hubUrl(repository: string): string {
  const path = repository.replace(/^library\//, '');
  return path.includes('/') ? `https://hub.docker.com/r/${path}` : `https://hub.docker.com/_/${path}`;
}
