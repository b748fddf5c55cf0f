import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap } from 'yaml';
import type { FileAccess } from '../rules/types';
import { parseCompose, type ComposeModel } from '../compose/parse';
import { dotEnv } from '../compose/project';

/**
 * Image names a `FROM` of this Dockerfile may use without pulling anything, because the project
 * builds them itself: the named build contexts that the Compose service building this Dockerfile
 * gives it (`build.additional_contexts`, and Bake's `x-bake.contexts`: `pycroft-base: target:base`
 * makes `FROM pycroft-base` that target's result), the named contexts of `docker-bake.hcl`, and
 * the images the project's Compose services build (`image:` beside `build:`). Names are compared
 * without their tag. https://docs.docker.com/reference/compose-file/build/#additional_contexts
 */

/** Compose files by name: the standard ones and their variants (`docker-compose.base.yml`, `compose.dev.yaml`). */
const COMPOSE_FILE = /^(?:docker-)?compose(?:\.[\w.-]+)?\.ya?ml$/i;
const STANDARD = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** How many folders up from the Dockerfile's a Compose or Bake file may sit. */
const LEVELS = 4;

export interface LocalImages {
  /** Named contexts given to this Dockerfile. */
  contexts: Set<string>;
  /** Repositories (without tag) that services of the project build. */
  built: Set<string>;
}

const cache = new WeakMap<FileAccess, Map<string, LocalImages>>();

export function localImages(dockerfilePath: string, files: FileAccess): LocalImages {
  let byPath = cache.get(files);
  if (!byPath) cache.set(files, (byPath = new Map()));
  const known = byPath.get(dockerfilePath);
  if (known) return known;
  const found: LocalImages = { contexts: new Set(), built: new Set() };
  const target = resolve(dockerfilePath);
  let dir = dirname(target);
  for (let level = 0; level <= LEVELS; level++) {
    for (const file of composeFiles(dir, files)) {
      const text = files.read(file);
      if (text === null) continue;
      let compose: ComposeModel;
      try {
        compose = parseCompose(TextDocument.create(pathToFileURL(file).href, 'dockercompose', 0, text), dotEnv(dir, files));
      } catch {
        continue;
      }
      readCompose(compose, dir, target, found);
    }
    const bake = files.read(join(dir, 'docker-bake.hcl'));
    if (bake !== null) for (const name of bakeContexts(bake)) found.contexts.add(name);
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  byPath.set(dockerfilePath, found);
  return found;
}

function composeFiles(dir: string, files: FileAccess): string[] {
  const listed = files.list?.(dir);
  if (listed) return listed.filter((e) => !e.directory && COMPOSE_FILE.test(e.name)).map((e) => join(dir, e.name));
  return STANDARD.map((name) => join(dir, name));
}

function readCompose(compose: ComposeModel, dir: string, dockerfile: string, found: LocalImages): void {
  for (const service of compose.services) {
    const build = compose.resolve(compose.get(service.node, 'build')?.value);
    if (!build) continue;
    const image = compose.text(compose.get(service.node, 'image')?.value);
    if (image) found.built.add(repositoryOf(image));
    if (!isMap(build)) continue;
    const context = compose.text(compose.get(build, 'context')?.value) ?? '.';
    const file = compose.text(compose.get(build, 'dockerfile')?.value) ?? 'Dockerfile';
    const contextDir = resolve(dir, context);
    if ((isAbsolute(file) ? file : resolve(contextDir, file)) !== dockerfile) continue;
    const additional = compose.resolve(compose.get(build, 'additional_contexts')?.value);
    // `name: value` or `- name=value`.
    for (const entry of compose.entries(additional)) found.contexts.add(entry.key);
    for (const item of compose.items(additional)) {
      const text = compose.text(item);
      if (text?.includes('=')) found.contexts.add(text.slice(0, text.indexOf('=')));
    }
    const bake = compose.resolve(compose.get(build, 'x-bake')?.value);
    for (const entry of compose.entries(compose.resolve(compose.get(bake, 'contexts')?.value))) found.contexts.add(entry.key);
  }
}

/** The names of `contexts = { name = "…" }` blocks in a Bake file. */
function bakeContexts(text: string): string[] {
  const names: string[] = [];
  for (const block of text.matchAll(/\bcontexts\s*=\s*\{([^}]*)\}/g)) {
    for (const m of block[1].matchAll(/^\s*"?([\w.\/:-]+)"?\s*=/gm)) names.push(m[1]);
  }
  return names;
}

/** `agdsn/pycroft-base:${TAG:-latest}` → `agdsn/pycroft-base`; a registry port stays. */
export function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}
