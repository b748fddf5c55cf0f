import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAccess } from '../rules/types';
import { finalStage, type DockerfileModel, type Stage } from '../dockerfile/parse';
import { developmentStageName } from '../dockerfile/ecosystems';
import { parseCompose } from './parse';
import { buildProject, dotEnv, type ComposeProject, type ProjectService } from './project';
import { commandWords } from './servers';

/** The Compose files a project starts from (their override files are merged in by buildProject). */
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** Overlays that say how the project runs in production: their targets come first. */
const PRODUCTION_FILES = ['compose.prod.yaml', 'compose.prod.yml', 'compose.production.yaml', 'compose.production.yml', 'docker-compose.prod.yml', 'docker-compose.prod.yaml', 'docker-compose.production.yml', 'docker-compose.production.yaml'];
/** How many folders up from the Dockerfile's a Compose file may sit. */
const LEVELS = 6;

/**
 * The stage the Compose files of the project build from a Dockerfile, when they agree on one:
 * the `build.target` of every service whose build names this Dockerfile, in a Compose file in
 * its folder or a folder above (a production overlay such as `compose.prod.yaml` first).
 * Development targets (`dev`, `test`…) say how the project is worked on, not what ships, and
 * are left out; undefined when no Compose file names a target, when they name several, when one
 * builds the file without a target (the last stage then ships too), or when no stage has the name.
 */
export function composeTarget(model: DockerfileModel, path: string | null, files: FileAccess): string | undefined {
  if (!path) return undefined;
  const target = memoized('target', resolve(path), files, (recording) => targetOf(resolve(path), recording));
  return target && model.stages.some((s) => s.name?.toLowerCase() === target.toLowerCase()) ? target : undefined;
}

/**
 * Every rule about the shipped stage asks, on every lint: the answer is kept per file access
 * (the service gives each lint its own), question and Dockerfile, and reused while the Compose
 * files it read have the same text.
 */
const answers = new WeakMap<FileAccess, Map<string, { texts: Map<string, string>; answer: unknown }>>();

function memoized<T>(question: string, dockerfile: string, files: FileAccess, compute: (files: FileAccess) => T): T {
  let byKey = answers.get(files);
  if (!byKey) answers.set(files, (byKey = new Map()));
  const key = `${question}\0${dockerfile}`;
  const known = byKey.get(key);
  if (known && [...known.texts].every(([file, text]) => files.read(file) === text)) return known.answer as T;
  const texts = new Map<string, string>();
  const recording: FileAccess = {
    read: (file) => {
      const text = files.read(file);
      if (text !== null) texts.set(file, text);
      return text;
    },
    exists: (file) => files.exists(file),
  };
  const answer = compute(recording);
  byKey.set(key, { texts, answer });
  return answer;
}

/** The services of the Compose files named `names`, in the Dockerfile's folder or a folder above, that build this Dockerfile. */
function buildingServices(dockerfile: string, files: FileAccess, names: string[]): { project: ComposeProject; service: ProjectService; target: string | null }[] {
  const found: { project: ComposeProject; service: ProjectService; target: string | null }[] = [];
  let dir = dirname(dockerfile);
  for (let level = 0; level < LEVELS; level++) {
    for (const name of names) {
      const file = join(dir, name);
      const text = files.read(file);
      if (text === null) continue;
      const compose = parseCompose(TextDocument.create(pathToFileURL(file).href, 'dockercompose', 0, text), dotEnv(dir, files));
      const project = buildProject(compose, file, files);
      for (const service of project.services) {
        const build = project.build(service);
        if (build?.path && resolve(build.path) === dockerfile) found.push({ project, service, target: build.target });
      }
    }
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return found;
}

function targetOf(dockerfile: string, files: FileAccess): string | null {
  const targetsIn = (names: string[]) => new Set(buildingServices(dockerfile, files, names).map((s) => s.target).filter((t) => !(t && developmentStageName(t))));
  const production = targetsIn(PRODUCTION_FILES);
  const targets = [...(production.size > 0 ? production : targetsIn(COMPOSE_FILES))];
  return targets.length === 1 ? targets[0] : null;
}

/** How a Compose service starts the image it builds: its own `entrypoint` and `command` words (null when it keeps the image's). */
export interface ServiceStart {
  name: string;
  entrypoint: string[] | null;
  command: string[] | null;
}

/**
 * The services of the project's Compose files (production overlays included) that build this
 * Dockerfile, with how each starts it: one image often runs as a web service and its workers.
 */
export function composeStarts(path: string | null, files: FileAccess): ServiceStart[] {
  if (!path) return [];
  const dockerfile = resolve(path);
  return memoized('starts', dockerfile, files, (recording) => {
    const starts = new Map<string, ServiceStart>();
    for (const { project, service } of buildingServices(dockerfile, recording, [...COMPOSE_FILES, ...PRODUCTION_FILES])) {
      const words = (key: 'command' | 'entrypoint') => (project.get(service, [key]) ? commandWords(project, service, key) : null);
      starts.set(service.name, { name: service.name, entrypoint: words('entrypoint'), command: words('command') });
    }
    return [...starts.values()];
  });
}

/**
 * The stage of a Dockerfile that ships, for the rules about the production image: the target
 * its Compose files build (see composeTarget), else its release stage (see finalStage). A file
 * without FROM (a fragment, a template) is judged as the end of some image: its implicit stage,
 * on a base image nothing is known about, so the rules that judge the base image stay quiet.
 */
export function shippedStage({ dockerfile, path, files }: { dockerfile: DockerfileModel; path: string | null; files: FileAccess }): Stage | undefined {
  const implicit = dockerfile.stages[0]?.implicit ? dockerfile.stages[0] : undefined;
  return implicit ?? finalStage(dockerfile, composeTarget(dockerfile, path, files));
}
