import { basename, dirname, join } from 'node:path';
import type { FileAccess } from '../rules/types';
import { kindFromPath } from '../files';

export type Builder = 'buildkit' | 'classic';

/**
 * Which builder a project's images are built with, when the settings say `auto`. BuildKit is the
 * default of Docker Engine 23 and later and of Docker Desktop, so it is assumed unless the project
 * shows otherwise: no Dockerfile near this one uses BuildKit-only syntax, and a build script near it
 * turns BuildKit off (`DOCKER_BUILDKIT=0`) or builds through the Docker SDK's classic API
 * (docker-py's `images.build`, which sends the build to the legacy builder).
 */
export function detectBuilder(dockerfilePath: string | null, files: FileAccess): { builder: Builder; why: string | null } {
  if (!dockerfilePath || !files.list) return { builder: 'buildkit', why: null };
  let classicWhy: string | null = null;
  let dir = dirname(dockerfilePath);
  for (let level = 0; level < 4; level++) {
    for (const entry of files.list(dir) ?? []) {
      if (entry.directory) continue;
      const path = join(dir, entry.name);
      if (kindFromPath(path) === 'dockerfile') {
        if (path === dockerfilePath) continue;
        const text = files.read(path) ?? '';
        if (BUILDKIT_SYNTAX.test(text)) return { builder: 'buildkit', why: null };
      } else if (classicWhy === null && BUILD_SCRIPT.test(entry.name)) {
        const text = files.read(path);
        if (text === null || text.length > 200_000) continue;
        if (/\bDOCKER_BUILDKIT=0\b/.test(text)) classicWhy = `${basename(path)} sets DOCKER_BUILDKIT=0`;
        else if (/\bimport\s+docker\b|\bfrom\s+docker\b/.test(text) && /\.images\.build\s*\(|\bAPIClient\s*\([^)]*\)\.build\s*\(|\.build\s*\(\s*path\s*=/.test(text)) classicWhy = `${basename(path)} builds with the Docker SDK's classic API`;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return classicWhy ? { builder: 'classic', why: classicWhy } : { builder: 'buildkit', why: null };
}

/** Syntax only BuildKit reads: a frontend directive, mounts, here-documents, `--link`, its platform args. */
const BUILDKIT_SYNTAX = /^#\s*syntax\s*=|^\s*RUN\s+--mount|<<-?["']?[A-Za-z_]\w*["']?\s*$|^\s*COPY\s+--link|\$\{?BUILDPLATFORM\b|\$\{?TARGETARCH\b/im;
const BUILD_SCRIPT = /(?:\.(?:sh|bash|py|mk)|^Makefile|^makefile|^Jenkinsfile|^\.gitlab-ci\.yml)$/;
