import type { TextEdit } from 'vscode-languageserver-types';
import { sharedRule, type ComposeRuleParts, type DockerfileRuleParts } from '../types';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dockerfileHealthcheck } from '../../compose/services';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { appendToMap, unitOf } from '../../compose/edit';
import { describeEvidence, ownLayer, serverEvidence, type ServerEvidence } from '../../compose/servers';
import { parseImageRef } from '../../text/image';
import { finalStage, stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { toolState, healthcheckInstruction, isDevelopmentImage, probeFor, startWords, type ImageFacts } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';
import { expandVariables } from '../../text/variables';

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

interface Service {
  /** What makes it a server, for the message: `exposes port 8080`, starts \`gunicorn\`. */
  reason: string;
  /** The port to probe, when known. */
  port: number | null;
}

/** Ports from EXPOSE in the chain, nearest stage first, TCP only, build-arg defaults expanded. */
function exposedPorts(chain: Stage[]): number[] {
  const ports: number[] = [];
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const arg of instruction.ast.getArguments()) {
        const value = expandVariables(arg.getValue(), stage.variables);
        const m = value === null ? null : /^(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/i.exec(value);
        if (m && (!m[2] || m[2].toLowerCase() === 'tcp')) ports.push(Number(m[1]));
      }
    }
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

/** Copies that only bring in start-up scripts or helpers, as the official server images do. */
function isHelperCopy(instruction: Stage['instructions'][number]): boolean {
  if (instruction.flags.some((f) => f.name === 'from')) return false;
  const args = instruction.ast.getArguments().map((a) => a.getValue());
  if (instruction.heredocs.length > 0 || args.length < 2) return false;
  const sources = args.slice(0, -1);
  const destination = args[args.length - 1];
  if (/^\/(?:usr\/(?:local\/)?)?s?bin\/?$|^\/docker-entrypoint\.d\/?$/.test(destination) && sources.every((s) => !/^\.\/?$/.test(s))) return true;
  return sources.every((s) => /\.(?:sh|bash|envsh)$|entrypoint/i.test(s.split('/').pop() ?? ''));
}

/** True when the image carries an application, not just a server or runtime for others to build on. */
function carriesApplication(chain: Stage[], words: string[]): boolean {
  if (chain.some((s) => s.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !isHelperCopy(i)))) return true;
  // A start command that runs a file of the app: `node server.js`, `java -jar app.jar`, `dotnet app.dll`.
  return words.some((w, i) => i > 0 && /\.(?:js|mjs|cjs|ts|py|jar|dll|rb|php)$/.test(w));
}

function serviceOf(model: DockerfileModel, chain: Stage[]): Service | null {
  const final = chain[0];
  const words = startWords(model, chain);
  if (!carriesApplication(chain, words)) return null;
  // A default command that prints help or a version marks a command-line tool, not a service.
  if (words.some((w) => /^(?:--help|-h|help|--version|version)$/.test(w))) return null;
  const ports = exposedPorts(chain);
  // Probe plain HTTP: a TLS port answers with a certificate the probe would have to skip checking.
  const port = ports.find((p) => p !== 443 && p !== 8443) ?? null;
  if (ports.length > 0) return { reason: `exposes port ${ports[0]}`, port };
  const server = serverIn(words);
  if (server) {
    const fallback = HTTP_SERVERS[server.name] ?? DEFAULT_PORTS[server.name] ?? null;
    return { reason: `starts \`${server.name}\``, port: portInArgs(server.rest, final.variables) ?? fallback };
  }
  const root = chain[chain.length - 1];
  const served = servingBase(root);
  // An nginx or httpd base serves its content unless the Dockerfile starts something else.
  if (served !== null && (words.length === 0 || (words[0].split('/').pop() ?? '') in HTTP_SERVERS)) {
    return { reason: `serves HTTP on port ${served} through \`${root.base.resolved ?? root.base.text}\``, port: served };
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

/** The analysis both the check and the fix run: the final stage, its chain, and what it serves. */
function analyse(dockerfile: DockerfileModel, path: string | null): { final: Stage; chain: Stage[]; service: Service } | null {
  const final = finalStage(dockerfile);
  if (!final || isDevelopmentImage(path, final)) return null;
  const chain = stageAncestry(dockerfile, final);
  // Own or inherited, `HEALTHCHECK NONE` included: that is a decision already made.
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return null;
  // ONBUILD marks a template for other Dockerfiles; they add the app and its healthcheck.
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD'))) return null;
  const root = chain[chain.length - 1].base;
  if (root.stageRef !== null || root.resolved === null) return null;
  if (distroOf(root.ref, root.scratch) === 'windows') return null;
  const service = serviceOf(dockerfile, chain);
  return service ? { final, chain, service } : null;
}

/** Images of a known family or server that declare a HEALTHCHECK of their own. */
const SHIPS_HEALTHCHECK = new Set(['dragonfly']);

/**
 * A server without a healthcheck anywhere: none in the merged Compose files (not even a
 * disabled one, which is a decision), none in the Dockerfile it builds, and an image known to
 * declare none. Null when the service is no server or may have one.
 */
function missingHealthcheck(project: ComposeProject, service: ProjectService): ServerEvidence | null {
  if (project.all(service, ['healthcheck']).length > 0) return null;
  const evidence = serverEvidence(project, service, false);
  if (!evidence) return null;
  if (evidence.kind === 'expose') return dockerfileHealthcheck(project, service) === false ? evidence : null;
  const image = evidence.located.compose.text(evidence.located.node);
  const ref = image ? parseImageRef(image) : null;
  return ref && !SHIPS_HEALTHCHECK.has(ref.name) ? evidence : null;
}

/**
 * The Compose half: a long-running service with no healthcheck in the merged files, in the
 * Dockerfile it builds or in its image.
 */
const composeParts: ComposeRuleParts = {
  check({ compose, project, report }) {
    for (const service of project.services) {
      const evidence = missingHealthcheck(project, service);
      if (!evidence || evidence.located.compose !== compose) continue;
      const layer = ownLayer(service, compose);
      if (!layer) continue;
      const template = evidence.kind === 'family' ? healthcheckFor(evidence.what) : null;
      report({
        range: compose.rangeOf(layer.keyNode),
        message: `\`${service.name}\` ${describeEvidence(evidence)} but has no healthcheck, so Docker reports it up as long as its process lives, even when it no longer answers, and other services cannot wait for it with \`condition: service_healthy\`; add a \`healthcheck\`${template ? ` that runs \`${template.test[1].split(' ')[0]}\`` : ' that probes it'}.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    const evidence = service ? missingHealthcheck(project, service) : null;
    const layer = service && ownLayer(service, compose);
    const template = evidence?.kind === 'family' ? healthcheckFor(evidence.what) : null;
    if (!service || !layer || !template) return undefined;
    const edit = appendToMap(compose, layer.node, healthcheckYaml(template, '', unitOf(compose)));
    return edit ? { title: `Add a ${evidence!.what} healthcheck`, edits: [edit], safe: true } : undefined;
  },
};

const dockerfileParts: DockerfileRuleParts = {
  check({ dockerfile, report, path }) {
    const found = analyse(dockerfile, path);
    if (!found) return;
    const { final, service } = found;
    report({
      range: final.base.range,
      message: `The final stage ${service.reason} but declares no HEALTHCHECK, so Docker and Compose only see that the process runs, not that it still answers; add a HEALTHCHECK that probes the service (or \`HEALTHCHECK NONE\` to make the choice explicit).`,
      data: { port: service.port },
    });
  },
  fix(finding, dockerfile, context) {
    const found = analyse(dockerfile, context.path);
    const port = found?.service.port;
    if (!found || port === null || port === undefined) return undefined;
    const { final, chain } = found;
    const root = chain[chain.length - 1].base;
    const probe = probeFor(distroOf(root.ref, root.scratch), root.ref, port, '/', imageFacts(dockerfile, chain));
    if (!probe) return undefined;
    return {
      title: `Add a HEALTHCHECK that probes ${probe.url} with ${probe.tool}`,
      edits: [insertBeforeStart(dockerfile, final, healthcheckInstruction(probe))],
      safe: false,
    };
  },
};

/**
 * Without a healthcheck, Docker only knows whether the process is alive: a server that hangs or
 * has lost its database stays "running", and Compose's `depends_on: condition: service_healthy`
 * and Swarm's rolling updates cannot wait for it.
 */
export default sharedRule({
  id: 'healthcheck-present',
  aliases: ['CKV_DOCKER_2', '698ed579-b239-4f8f-a388-baa4bcb13ef8'],
  title: 'Add a healthcheck to images and services that serve traffic',
  category: 'reliability',
  severity: 'info',
  dockerfile: dockerfileParts,
  compose: composeParts,
});

/** Inserts a line before the stage's first CMD/ENTRYPOINT (with the comments above it), or at its end. */
function insertBeforeStart(dockerfile: DockerfileModel, stage: Stage, line: string): TextEdit {
  const start = stage.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (start) {
    let at = start.range.start.line;
    const commentLines = new Set(dockerfile.comments.map((c) => c.line));
    while (at > 0 && commentLines.has(at - 1) && at - 1 > stage.from.range.end.line) at--;
    const position = { line: at, character: 0 };
    return { range: { start: position, end: position }, newText: `${line}\n` };
  }
  const end = stage.range.end;
  const lineText = dockerfile.document.getText({ start: { line: end.line, character: 0 }, end: { line: end.line + 1, character: 0 } });
  const position = { line: end.line, character: lineText.replace(/\r?\n$/, '').length };
  return { range: { start: position, end: position }, newText: `\n${line}` };
}
