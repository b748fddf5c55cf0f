import type { DockerfileModel, Stage } from './parse';
import { toolState, startWords, type ImageFacts } from './healthchecks';
import { carriesApplication } from './application';
import { expandVariables } from '../text/variables';

/**
 * What an image serves, read from its Dockerfile: the ports it EXPOSEs, the HTTP server its start
 * command runs, or the serving base image it adds content to. Shared by the healthcheck rule,
 * its fix and the healthcheck completions.
 */

/** Servers that only ever serve HTTP, with the port they listen on when none is given. */
const HTTP_SERVERS: Record<string, number | null> = {
  gunicorn: 8000,
  uvicorn: 8000,
  hypercorn: 8000,
  daphne: 8000,
  granian: 8000,
  'waitress-serve': 8080,
  puma: null,
  nginx: 80,
  httpd: 80,
  'httpd-foreground': 80,
  'apache2-foreground': 80,
  'catalina.sh': 8080,
};

/** Base images that already serve HTTP: a Dockerfile that only adds content to them is a web server. */
function servingBase(stage: Stage): number | null {
  const ref = stage.base.ref;
  if (!ref || stage.base.stageRef !== null) return null;
  const repo = ref.repository.toLowerCase().replace(/^library\//, '');
  const tag = ref.tag?.toLowerCase() ?? '';
  if (ref.registry !== null && ref.registry !== 'docker.io') return null;
  if (repo === 'nginx' || repo === 'httpd' || repo === 'caddy') return 80;
  if (repo === 'nginxinc/nginx-unprivileged' || repo === 'tomcat') return 8080;
  if (repo === 'php' && tag.includes('apache')) return 80;
  return null;
}

export interface Service {
  /** What makes it a server, for the message: `exposes port 8080`, starts \`gunicorn\`. */
  reason: string;
  /** The port to probe, when known. */
  port: number | null;
  /**
   * Whether the image is known to answer HTTP on that port: a web server it starts or serves
   * through, or a port web apps conventionally listen on. Else an HTTP probe is a guess that can
   * keep the container unhealthy forever (a Tor relay's port, a broker).
   */
  http: boolean;
}

/** Ports web applications and their frameworks listen on by convention (Express, Rails, Flask, Django, Spring, Angular…). */
function httpPort(port: number): boolean {
  return [80, 81, 4000, 4200, 8888, 9080].includes(port) || (port >= 3000 && port < 3100) || (port >= 5000 && port < 5100) || (port >= 8000 && port < 8100);
}

/** The values of the chain's EXPOSE instructions, nearest stage first, build-arg defaults expanded. */
export function exposeValues(chain: Stage[]): string[] {
  const values: string[] = [];
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const arg of instruction.ast.getArguments()) values.push(expandVariables(arg.getValue(), stage.variables) ?? arg.getValue());
    }
  }
  return values;
}

/** The TCP ports the chain EXPOSEs (`8080`, `8080/tcp`, the first of `8000-8010`), nearest stage first. */
function exposedPorts(chain: Stage[]): number[] {
  const ports: number[] = [];
  for (const value of exposeValues(chain)) {
    const m = /^(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/i.exec(value);
    if (m && (!m[2] || m[2].toLowerCase() === 'tcp')) ports.push(Number(m[1]));
  }
  return ports;
}

/** The port a server command names: `-b 0.0.0.0:8000`, `--port=8000`, `runserver 0.0.0.0:8000`. */
function portInArgs(words: string[], variables: Map<string, string | null>): number | null {
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    const eq = /^--(?:port|bind)=(.+)$/.exec(word);
    const candidate = eq ? eq[1] : /^(?:-p|--port|-b|--bind)$/.test(word) ? next : /^(?:[\w.-]+|\[[\da-f:]+\]):\d+$/i.test(word) ? word : undefined;
    if (candidate === undefined) continue;
    const expanded = expandVariables(candidate, variables) ?? candidate;
    const m = /(?:^|:)(\d+)$/.exec(expanded.replace(/^tcp:\/\//, ''));
    if (m) return Number(m[1]);
  }
  return null;
}

/** The server a start command runs (`gunicorn`, `python -m uvicorn`, `manage.py runserver`), or null. */
function serverIn(words: string[]): { name: string; rest: string[] } | null {
  for (let i = 0; i < words.length; i++) {
    const program = words[i].split('/').pop() ?? '';
    if (program in HTTP_SERVERS) return { name: program, rest: words.slice(i + 1) };
    if (/^python[\d.]*$/.test(program)) {
      const m = words.indexOf('-m', i);
      if (m > 0 && words[m + 1] in HTTP_SERVERS) return { name: words[m + 1], rest: words.slice(m + 2) };
      const runserver = words.indexOf('runserver', i);
      if (runserver > 0) return { name: 'manage.py runserver', rest: words.slice(runserver + 1) };
      return null;
    }
    if (program === 'flask' && words[i + 1] === 'run') return { name: 'flask run', rest: words.slice(i + 2) };
    if ((program === 'rails' || program === 'bin/rails') && /^(?:s|server)$/.test(words[i + 1] ?? '')) return { name: 'rails server', rest: words.slice(i + 2) };
    // Wrappers that run the next word: `bundle exec puma`, `tini -- nginx`, `dumb-init gunicorn`.
    if (!/^(?:bundle|exec|tini|dumb-init|gosu|su-exec|poetry|pipenv|uv|run|--|-g)$/.test(program) && !program.startsWith('-')) return null;
  }
  return null;
}

const DEFAULT_PORTS: Record<string, number> = { 'manage.py runserver': 8000, 'flask run': 5000, 'rails server': 3000 };

/** Servers that run on Python, so an image starting them has `python3` for a probe. */
const PYTHON_SERVERS = new Set(['gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'granian', 'waitress-serve', 'manage.py runserver', 'flask run']);

export function serviceOf(model: DockerfileModel, chain: Stage[]): Service | null {
  const final = chain[0];
  const words = startWords(model, chain);
  if (!carriesApplication(chain, words)) return null;
  // A default command that prints help or a version marks a command-line tool, not a service.
  if (words.some((w) => /^(?:--help|-h|help|--version|version)$/.test(w))) return null;
  const ports = exposedPorts(chain);
  // Probe plain HTTP: a TLS port answers with a certificate the probe would have to skip checking.
  const port = ports.find((p) => p !== 443 && p !== 8443) ?? null;
  const server = serverIn(words);
  const root = chain[chain.length - 1];
  const served = servingBase(root);
  // An nginx or httpd base serves its content unless the Dockerfile starts something else.
  const servesBase = served !== null && (words.length === 0 || (words[0].split('/').pop() ?? '') in HTTP_SERVERS);
  const webServer = server !== null || servesBase;
  if (ports.length > 0) return { reason: `exposes port ${ports[0]}`, port, http: port !== null && (webServer || httpPort(port)) };
  if (server) {
    const fallback = HTTP_SERVERS[server.name] ?? DEFAULT_PORTS[server.name] ?? null;
    return { reason: `starts \`${server.name}\``, port: portInArgs(server.rest, final.variables) ?? fallback, http: true };
  }
  if (servesBase) {
    return { reason: `serves HTTP on port ${served} through \`${root.base.resolved ?? root.base.text}\``, port: served, http: true };
  }
  return null;
}

/**
 * What a final stage's chain (final stage first) tells about its image beyond the base: the
 * runtime it starts and the HTTP clients it installs. Shared with the healthcheck completions.
 */
export function imageFacts(dockerfile: DockerfileModel, chain: Stage[]): ImageFacts {
  const words = startWords(dockerfile, chain);
  const program = (words[0] ?? '').split('/').pop() ?? '';
  const server = serverIn(words)?.name ?? '';
  return {
    node: program === 'node' || program === 'nodejs' ? words[0] : undefined,
    python: /^python[\d.]*$/.test(program) ? words[0] : PYTHON_SERVERS.has(server) ? 'python3' : undefined,
    curl: toolState(dockerfile, chain[0], 'curl') === 'installed',
    wget: toolState(dockerfile, chain[0], 'wget') === 'installed',
  };
}

/** The port a healthcheck of the chain's image should probe (EXPOSE, the server's flags or default), or null. */
export function probePort(dockerfile: DockerfileModel, chain: Stage[]): number | null {
  return serviceOf(dockerfile, chain)?.port ?? exposedPorts(chain).find((p) => p !== 443 && p !== 8443) ?? null;
}
