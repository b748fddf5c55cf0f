import { healthcheckTemplate, healthcheckYaml, probeHealthcheck, type HealthcheckTemplate } from '../compose/healthchecks';
import { DEFAULT_HEALTHCHECK_TIMING, probeFor, probeUrl, probeWith, healthcheckInstruction, type Probe, type ProbeTool } from '../dockerfile/healthchecks';
import { parseImageRef } from '../text/image';
import { distroOf } from '../text/images';

/**
 * The extension's snippets, as data. `snippets/dockerfile.json` and `snippets/compose.json` are
 * written from here by `scripts/snippets.mjs` (and a test fails when they differ), so every
 * healthcheck command in them comes from the same tables as the rules' fixes and the completions:
 * `dockerfile/healthchecks.ts` for HTTP probes, `compose/healthchecks.ts` for databases and brokers.
 *
 * Bodies are written as plain text with placeholders marked `⟦1:default⟧` (or `⟦1|a,b⟧` for a
 * choice); `snippetBody` escapes the text for VS Code's snippet syntax.
 */
export interface SnippetDefinition {
  name: string;
  prefix: string;
  description: string;
  /** The body with `⟦n:default⟧` placeholders, one string per line. */
  lines: string[];
  /**
   * A minimal valid file the snippet belongs in, with `$BODY` on the line where it goes (its
   * indentation is the body's): the tests insert the body there and lint the result.
   */
  host: string;
}

/** A placeholder with a default, for the body text. */
export const ph = (n: number, value: string | number): string => `⟦${n}:${value}⟧`;

function escapeText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The VS Code snippet lines of a body: text escaped, placeholders written `${n:default}`. */
export function snippetBody(lines: string[]): string[] {
  return lines.map((line) =>
    line
      .split(/(⟦[^⟧]*⟧)/)
      .map((part) => {
        const m = /^⟦(\d+)([:|])([^⟧]*)⟧$/.exec(part);
        if (!m) return escapeText(part);
        if (m[2] === '|') return `\${${m[1]}|${m[3].split(',').map((c) => c.replace(/[\\$}|,]/g, (x) => `\\${x}`)).join(',')}|}`;
        return `\${${m[1]}:${escapeText(m[3])}}`;
      })
      .join(''),
  );
}

/** The body with every placeholder at its default, as the user gets it by pressing Tab through. */
export function expandDefaults(lines: string[]): string[] {
  return lines.map((line) => line.replace(/⟦(\d+)([:|])([^⟧]*)⟧/g, (_m, _n, kind: string, value: string) => (kind === '|' ? value.split(',')[0] : value)));
}

const t = DEFAULT_HEALTHCHECK_TIMING;

/** `HEALTHCHECK` options with the table's timing as placeholders 1–4. */
export function healthcheckOptions(): string {
  return `--interval=${ph(1, t.interval)} --timeout=${ph(2, t.timeout)} --start-period=${ph(3, t.startPeriod)} --retries=${ph(4, t.retries)}`;
}

/** A HEALTHCHECK over two lines, options then command. */
export function healthcheckLines(probe: Probe, options: string): string[] {
  const [head, command] = healthcheckInstruction(probe, options).split(/ (?=CMD )/);
  return [`${head} \\`, `  ${command}`];
}

/** The probe of one tool against `http://localhost:⟦5:8080⟧/⟦6:health⟧`. */
export function httpProbe(tool: ProbeTool, runtime?: string, first = 5, port: number = 8080): Probe {
  return probeWith(tool, probeUrl(ph(first, port), `/${ph(first + 1, 'health')}`), runtime);
}

/** The HEALTHCHECK the table picks for an image, for the skeletons' runtime stages. */
function fittedHealthcheck(image: string, port: number): string[] {
  const ref = parseImageRef(image);
  const probe = probeFor(distroOf(ref), ref, port, '/health');
  return probe ? [healthcheckInstruction(probe)] : [];
}

const DOCKERFILE_PROBES: { tool: ProbeTool; suffix: string; description: string; host: string; runtime?: string }[] = [
  { tool: 'curl', suffix: 'curl', description: 'Probe an HTTP endpoint with curl, for images that ship it (the full Debian-based language images, nginx, php).', host: 'FROM node:22\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n$BODY\nCMD ["node", "server.js"]' },
  { tool: 'wget', suffix: 'wget', description: 'Probe an HTTP endpoint with BusyBox wget --spider, for Alpine and BusyBox images, which have no curl.', host: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n$BODY\nCMD ["node", "server.js"]' },
  { tool: 'node', suffix: 'node', description: 'Probe an HTTP endpoint with Node.js itself, for slim images without curl or wget (exec form, no shell needed).', host: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n$BODY\nCMD ["node", "server.js"]' },
  { tool: 'python', suffix: 'python', description: 'Probe an HTTP endpoint with Python\'s urllib, for slim images without curl or wget (exec form, no shell needed).', host: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n$BODY\nCMD ["python", "app.py"]' },
];

function dockerfileHealthchecks(): SnippetDefinition[] {
  const http = DOCKERFILE_PROBES.map((p) => ({
    name: `HEALTHCHECK with ${p.suffix}`,
    prefix: `healthcheck-${p.suffix}`,
    description: p.description,
    lines: healthcheckLines(httpProbe(p.tool, p.runtime), healthcheckOptions()),
    host: p.host,
  }));
  const app = probeWith('app', '', ph(5, '/app'));
  app.exec = [app.exec![0], ph(6, app.exec![1])];
  return [
    ...http,
    {
      name: 'HEALTHCHECK with the app\'s own binary',
      prefix: 'healthcheck-app',
      description: 'For distroless and scratch images, which have no shell, curl or wget: run the app\'s own health subcommand in exec form (it must exit 0 when healthy, 1 when not).',
      lines: healthcheckLines(app, healthcheckOptions()),
      host: 'FROM golang:1.26-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nUSER nonroot\nEXPOSE 8080\n$BODY\nENTRYPOINT ["/app"]',
    },
  ];
}

const SYNTAX = '# syntax=docker/dockerfile:1';

/** The runtime stage of the Java skeletons: the jar built as `/app.jar`, on a JRE, as a non-root user. */
function jreStage(): string[] {
  return [
    '',
    `FROM eclipse-temurin:${ph(1, 21)}-jre`,
    'RUN useradd --system --uid 10001 --no-create-home app',
    'WORKDIR /app',
    'COPY --from=build /app.jar app.jar',
    'USER app',
    'EXPOSE 8080',
    ...fittedHealthcheck('eclipse-temurin:21-jre', 8080),
    'ENTRYPOINT ["java", "-jar", "app.jar"]',
  ];
}

function skeletons(): SnippetDefinition[] {
  return [
    {
      name: 'Multi-stage build: Go',
      prefix: 'multistage-go',
      description: 'Build a static Go binary with cached modules, run it on distroless as nonroot.',
      lines: [
        SYNTAX,
        `FROM golang:${ph(1, '1.26')}-alpine AS build`,
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
        `    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./${ph(2, 'cmd/app')}`,
        '',
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'USER nonroot:nonroot',
        `EXPOSE ${ph(3, 8080)}`,
        'ENTRYPOINT ["/app"]',
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: Node.js / TypeScript',
      prefix: 'multistage-node',
      description: 'Install with npm ci from the manifests first, compile, prune dev dependencies, run on a slim image as the node user.',
      lines: [
        SYNTAX,
        `FROM node:${ph(1, 22)}-slim AS build`,
        'WORKDIR /app',
        'COPY package.json package-lock.json ./',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
        'COPY . .',
        'RUN npm run build && npm prune --omit=dev',
        '',
        `FROM node:${ph(1, 22)}-slim`,
        'ENV NODE_ENV=production',
        'WORKDIR /app',
        'COPY --from=build /app/package.json ./',
        'COPY --from=build /app/node_modules ./node_modules',
        `COPY --from=build /app/${ph(2, 'dist')} ./${ph(2, 'dist')}`,
        'USER node',
        'EXPOSE 3000',
        ...fittedHealthcheck('node:22-slim', 3000),
        `CMD ["node", "${ph(2, 'dist')}/${ph(3, 'index.js')}"]`,
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: Python',
      prefix: 'multistage-python',
      description: 'Install requirements into a virtual environment in a build stage, copy only the environment and the app into a slim runtime as a non-root user.',
      lines: [
        SYNTAX,
        `FROM python:${ph(1, '3.12')}-slim AS build`,
        'WORKDIR /app',
        'RUN python -m venv /opt/venv',
        'ENV PATH="/opt/venv/bin:$PATH"',
        'COPY requirements.txt .',
        'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
        '',
        `FROM python:${ph(1, '3.12')}-slim`,
        'ENV PATH="/opt/venv/bin:$PATH" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
        'RUN useradd --system --uid 10001 --no-create-home app',
        'WORKDIR /app',
        'COPY --from=build /opt/venv /opt/venv',
        'COPY . .',
        'USER app',
        'EXPOSE 8000',
        ...fittedHealthcheck('python:3.12-slim', 8000),
        `CMD ["gunicorn", "--bind", "0.0.0.0:8000", "${ph(2, 'app:app')}"]`,
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: Java with Maven',
      prefix: 'multistage-maven',
      description: 'Resolve dependencies from pom.xml first, package with a cached ~/.m2, run the jar on a JRE as a non-root user.',
      lines: [
        SYNTAX,
        `FROM maven:3.9-eclipse-temurin-${ph(1, 21)} AS build`,
        'WORKDIR /src',
        'COPY pom.xml .',
        'RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline',
        'COPY src ./src',
        `RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests && cp target/${ph(2, 'app')}.jar /app.jar`,
        ...jreStage(),
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: Java with Gradle',
      prefix: 'multistage-gradle',
      description: 'Resolve dependencies from the build scripts first, build with a cached Gradle home, run the jar on a JRE as a non-root user.',
      lines: [
        SYNTAX,
        `FROM gradle:8-jdk${ph(1, 21)} AS build`,
        'WORKDIR /src',
        'COPY settings.gradle* build.gradle* ./',
        'RUN --mount=type=cache,target=/home/gradle/.gradle gradle dependencies --no-daemon -q',
        'COPY src ./src',
        `RUN --mount=type=cache,target=/home/gradle/.gradle gradle build -x test --no-daemon -q && cp build/libs/${ph(2, 'app')}.jar /app.jar`,
        ...jreStage(),
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: Rust',
      prefix: 'multistage-rust',
      description: 'Build a release binary with cached registry and target directories, run it on distroless as nonroot.',
      lines: [
        SYNTAX,
        `FROM rust:${ph(1, '1.83')}-slim AS build`,
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/src/target \\',
        `    cargo build --release --locked && cp target/release/${ph(2, 'app')} /app`,
        '',
        'FROM gcr.io/distroless/cc-debian12:nonroot',
        'COPY --from=build /app /app',
        'USER nonroot:nonroot',
        'ENTRYPOINT ["/app"]',
      ],
      host: '$BODY',
    },
    {
      name: 'Multi-stage build: .NET',
      prefix: 'multistage-dotnet',
      description: 'Restore from the project file first, publish with the SDK, run on the ASP.NET runtime image as its app user.',
      lines: [
        SYNTAX,
        `FROM mcr.microsoft.com/dotnet/sdk:${ph(1, '10.0')} AS build`,
        'WORKDIR /src',
        `COPY ${ph(2, 'App')}.csproj ./`,
        'RUN --mount=type=cache,target=/root/.nuget/packages dotnet restore',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.nuget/packages dotnet publish -c Release -o /app --no-restore',
        '',
        `FROM mcr.microsoft.com/dotnet/aspnet:${ph(1, '10.0')}`,
        'WORKDIR /app',
        'COPY --from=build /app .',
        'USER app',
        'EXPOSE 8080',
        `ENTRYPOINT ["dotnet", "${ph(2, 'App')}.dll"]`,
      ],
      host: '$BODY',
    },
  ];
}

function users(): SnippetDefinition[] {
  return [
    {
      name: 'Non-root user (Alpine)',
      prefix: 'user-nonroot-alpine',
      description: 'Create a system user and group with BusyBox addgroup/adduser and switch to it.',
      lines: [`RUN addgroup -S -g ${ph(2, 10001)} ${ph(1, 'app')} && adduser -S -D -H -u ${ph(2, 10001)} -G ${ph(1, 'app')} ${ph(1, 'app')}`, `USER ${ph(1, 'app')}`],
      host: 'FROM alpine:3.22\n$BODY\nCMD ["sh", "-c", "id"]',
    },
    {
      name: 'Non-root user (Debian/Ubuntu)',
      prefix: 'user-nonroot-debian',
      description: 'Create a system user and group with groupadd/useradd, no home and no login shell, and switch to it.',
      lines: [
        `RUN groupadd --system --gid ${ph(2, 10001)} ${ph(1, 'app')} \\`,
        ` && useradd --system --uid ${ph(2, 10001)} --gid ${ph(1, 'app')} --no-create-home --shell /usr/sbin/nologin ${ph(1, 'app')}`,
        `USER ${ph(1, 'app')}`,
      ],
      host: 'FROM debian:bookworm-slim\n$BODY\nCMD ["id"]',
    },
  ];
}

/** A Node.js build stage for snippets that install dependencies, and the runtime stage after it. */
const NODE_BUILD_HOST = 'FROM node:22-slim AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\n$BODY\nCOPY . .\nRUN npm run build\n\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nUSER node\nCMD ["node", "dist/index.js"]';

const CACHE_MOUNTS: { tool: string; description: string; lines: string[]; host: string }[] = [
  {
    tool: 'apt',
    description: 'Keep apt\'s downloads and lists in cache mounts (locked: apt cannot share them); the image\'s docker-clean hook would otherwise delete them.',
    lines: [
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
      '    rm -f /etc/apt/apt.conf.d/docker-clean \\',
      ` && apt-get update && apt-get install -y --no-install-recommends ${ph(1, 'ca-certificates')}`,
    ],
    host: 'FROM debian:bookworm-slim\n$BODY',
  },
  {
    tool: 'apk',
    description: 'Keep apk\'s downloads in a cache mount: apk caches only when /etc/apk/cache exists.',
    lines: [`RUN --mount=type=cache,target=/etc/apk/cache apk add ${ph(1, 'ca-certificates')}`],
    host: 'FROM alpine:3.22\n$BODY',
  },
  {
    tool: 'npm',
    description: 'Keep npm\'s download cache between builds.',
    lines: [`RUN --mount=type=cache,target=${ph(1, '/root/.npm')} npm ci`],
    host: NODE_BUILD_HOST,
  },
  {
    tool: 'pip',
    description: 'Keep pip\'s wheel cache between builds (no need for --no-cache-dir: the cache stays out of the image).',
    lines: [`RUN --mount=type=cache,target=/root/.cache/pip pip install -r ${ph(1, 'requirements.txt')}`],
    host: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n$BODY',
  },
  {
    tool: 'go',
    description: 'Keep the Go module cache and build cache between builds.',
    lines: ['RUN --mount=type=cache,target=/go/pkg/mod \\', '    --mount=type=cache,target=/root/.cache/go-build \\', `    go build -o /out/app ./${ph(1, '...')}`],
    host: 'FROM golang:1.26-alpine AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n$BODY\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nUSER nonroot\nENTRYPOINT ["/app"]',
  },
  {
    tool: 'cargo',
    description: 'Keep the cargo registry and the target directory between builds; copy the binary out, since the mount is not in the image.',
    lines: [
      'RUN --mount=type=cache,target=/usr/local/cargo/registry \\',
      `    --mount=type=cache,target=${ph(1, '/src/target')} \\`,
      `    cargo build --release --locked && cp ${ph(1, '/src/target')}/release/${ph(2, 'app')} /usr/local/bin/`,
    ],
    host: 'FROM rust:1.83-slim AS build\nWORKDIR /src\nCOPY . .\n$BODY\n\nFROM gcr.io/distroless/cc-debian12:nonroot\nCOPY --from=build /usr/local/bin/app /app\nUSER nonroot\nENTRYPOINT ["/app"]',
  },
  {
    tool: 'maven',
    description: 'Keep the local Maven repository (~/.m2) between builds.',
    lines: [`RUN --mount=type=cache,target=/root/.m2 mvn -B -q ${ph(1, 'package -DskipTests')}`],
    host: 'FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /src\nCOPY pom.xml .\nCOPY src ./src\n$BODY\n\nFROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=build /src/target/app.jar app.jar\nUSER 10001\nENTRYPOINT ["java", "-jar", "app.jar"]',
  },
];

function mounts(): SnippetDefinition[] {
  return [
    ...CACHE_MOUNTS.map((m) => ({ name: `RUN with a ${m.tool} cache mount`, prefix: `cache-mount-${m.tool}`, description: m.description, lines: m.lines, host: m.host })),
    {
      name: 'RUN with a build secret',
      prefix: 'secret-mount',
      description: 'Mount a build secret (docker build --secret id=…,src=…) as a file for one RUN: it stays out of the layers, the history and the cache key.',
      lines: [`RUN --mount=type=secret,id=${ph(1, 'npmrc')},target=${ph(2, '/root/.npmrc')} \\`, `    ${ph(3, 'npm ci')}`],
      host: NODE_BUILD_HOST,
    },
  ];
}

export function dockerfileSnippetDefinitions(): SnippetDefinition[] {
  return [...dockerfileHealthchecks(), ...skeletons(), ...users(), ...mounts()];
}

/** The Compose healthcheck block of a template, its timings as placeholders. */
export function composeHealthcheckLines(template: HealthcheckTemplate, first = 1, unit = '  '): string[] {
  const timed = { ...template, interval: ph(first, template.interval), timeout: ph(first + 1, template.timeout), retries: ph(first + 2, template.retries) as unknown as number, startPeriod: ph(first + 3, template.startPeriod) };
  return healthcheckYaml(timed, '', unit);
}

/** The services the Compose healthcheck snippets are for: their key in the table, and an image to try them on. */
const COMPOSE_SERVICES: { name: string; key: string; image: string }[] = [
  { name: 'postgres', key: 'postgres', image: 'postgres:16' },
  { name: 'mysql', key: 'mysql', image: 'mysql:8.4' },
  { name: 'mariadb', key: 'mariadb', image: 'mariadb:11' },
  { name: 'redis', key: 'redis', image: 'redis:7' },
  { name: 'valkey', key: 'valkey', image: 'valkey/valkey:8' },
  { name: 'mongo', key: 'mongo', image: 'mongo:7' },
  { name: 'rabbitmq', key: 'rabbitmq', image: 'rabbitmq:4-management' },
  { name: 'kafka', key: 'apache/kafka', image: 'apache/kafka:3.8.0' },
  { name: 'elasticsearch', key: 'elasticsearch', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.0' },
];

const serviceHost = (image: string) => `services:\n  svc:\n    image: ${image}\n    $BODY`;

function composeHealthchecks(): SnippetDefinition[] {
  const services = COMPOSE_SERVICES.map((s) => {
    const template = healthcheckTemplate(s.key);
    if (!template) throw new Error(`no healthcheck template for ${s.key}`);
    return { name: `healthcheck: ${s.name}`, prefix: `healthcheck-${s.name}`, description: `Readiness probe for ${s.name} (${s.key === s.name ? `the official image` : `\`${s.key}\``}), so dependants can wait with condition: service_healthy.`, lines: composeHealthcheckLines(template), host: serviceHost(s.image) };
  });
  const http = (['curl', 'wget'] as const).map((tool) => ({
    name: `healthcheck: HTTP service (${tool})`,
    prefix: `healthcheck-http-${tool}`,
    description: tool === 'curl' ? 'Probe an HTTP endpoint with curl (images that ship it).' : 'Probe an HTTP endpoint with BusyBox wget --spider (Alpine images, which have no curl).',
    lines: composeHealthcheckLines(probeHealthcheck(httpProbe(tool, undefined, 5))),
    host: serviceHost(tool === 'curl' ? 'nginx:1.27' : 'nginx:1.27-alpine-slim'),
  }));
  return [...services, ...http];
}

function composeBlocks(): SnippetDefinition[] {
  return [
    {
      name: 'depends_on: wait until healthy',
      prefix: 'depends-on-healthy',
      description: 'Start after a dependency reports healthy, not merely started (the dependency needs a healthcheck).',
      lines: ['depends_on:', `  ${ph(1, 'db')}:`, '    condition: service_healthy'],
      host: 'services:\n  app:\n    image: example/app:1.0\n    $BODY\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U postgres"]',
    },
    {
      name: 'Production service',
      prefix: 'service-production',
      description: 'A service hardened for production: restart policy, memory and CPU limits, read-only root with a tmpfs, all capabilities dropped, no-new-privileges, rotated logs.',
      lines: [
        `${ph(1, 'app')}:`,
        `  image: ${ph(2, 'registry.example.com/app:1.0.0')}`,
        '  restart: unless-stopped',
        '  read_only: true',
        '  tmpfs:',
        '    - /tmp',
        '  cap_drop:',
        '    - ALL',
        '  security_opt:',
        '    - no-new-privileges:true',
        '  deploy:',
        '    resources:',
        '      limits:',
        `        cpus: "${ph(3, '1.0')}"`,
        `        memory: ${ph(4, '512M')}`,
        '  logging:',
        '    driver: json-file',
        '    options:',
        '      max-size: "10m"',
        '      max-file: "3"',
      ],
      host: 'services:\n  $BODY',
    },
    {
      name: 'File-based secrets',
      prefix: 'secrets-file',
      description: 'Declare a secret read from a file (keep the file out of version control); services list it under secrets: and read /run/secrets/<name>.',
      lines: ['secrets:', `  ${ph(1, 'db_password')}:`, `    file: ${ph(2, './secrets/db_password.txt')}`],
      host: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\n$BODY',
    },
  ];
}

export function composeSnippetDefinitions(): SnippetDefinition[] {
  return [...composeHealthchecks(), ...composeBlocks()];
}

/** A definition as VS Code snippet JSON. */
export function toSnippetJson(definitions: SnippetDefinition[]): Record<string, { prefix: string; description: string; body: string[] }> {
  return Object.fromEntries(definitions.map((d) => [d.name, { prefix: d.prefix, description: d.description, body: snippetBody(d.lines) }]));
}
