import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { composeRule, type FileAccess } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildPaths, isRemote, type BuildPaths } from '../../compose/builds';

/** `.`, `..`, `../..`: folders that always exist, so they say nothing about where the file is. */
function isAncestor(path: string): boolean {
  return /^(?:\.{1,2}(?:[\\/]\.\.)*[\\/]?)$/.test(path.trim());
}

/** Relative paths the file refers to besides build contexts: env files, bind mounts, configs and secrets. */
function otherPaths(compose: ComposeModel): string[] {
  const paths: string[] = [];
  const add = (node: Node | null | undefined) => {
    const text = compose.text(node);
    if (text && /^\.\.?[\\/]/.test(text) && !isAncestor(text)) paths.push(text);
  };
  for (const service of compose.services) {
    const envFile = compose.resolve(compose.get(service.node, 'env_file')?.value);
    for (const item of isScalar(envFile) ? [envFile] : compose.items(envFile)) add(isMap(compose.resolve(item)) ? compose.get(item, 'path')?.value : item);
    for (const item of compose.items(compose.get(service.node, 'volumes')?.value)) {
      const volume = compose.resolve(item);
      if (isMap(volume)) add(compose.get(volume, 'source')?.value);
      else {
        const text = compose.text(volume);
        const source = text?.split(':')[0];
        if (source && /^\.\.?[\\/]/.test(source) && !isAncestor(source)) paths.push(source);
      }
    }
  }
  for (const section of ['configs', 'secrets']) {
    for (const entry of compose.entries(compose.get(compose.root, section)?.value)) add(compose.get(entry.value, 'file')?.value);
  }
  return paths;
}

/**
 * Whether the file sits in its project. A Compose file read on its own (a copied example, a
 * test fixture, a file outside its repository) resolves none of its relative paths; judging it
 * would report every one. Some path resolving, or the usual files beside it, tells otherwise.
 */
function inProject(compose: ComposeModel, dir: string, builds: BuildPaths[], files: FileAccess): boolean {
  if (['Dockerfile', '.dockerignore', '.env', '.git'].some((name) => files.exists(join(dir, name)))) return true;
  for (const build of builds) {
    if (isRemote(build.context)) continue;
    const context = resolve(dir, build.context);
    if (!isAncestor(build.context) && files.exists(context)) return true;
    if (build.dockerfile && files.exists(resolve(context, build.dockerfile))) return true;
  }
  return otherPaths(compose).some((p) => files.exists(resolve(dir, p)));
}

/**
 * `docker compose build` (and `up` for a service that builds) fails at once when the build
 * context or the Dockerfile is not where the file says: after a folder was renamed, or when
 * the path is relative to the wrong folder (paths are relative to the Compose file, the
 * Dockerfile path to the context).
 */
export default composeRule({
  id: 'build-context-exists',
  aliases: [],
  title: 'Point builds at a context and Dockerfile that exist',
  category: 'correctness',
  severity: 'error',
  check({ compose, path, files, report }) {
    if (!path) return;
    const dir = dirname(path);
    const builds = buildPaths(compose);
    if (builds.length === 0 || !inProject(compose, dir, builds, files)) return;
    for (const build of builds) {
      if (isRemote(build.context) || /^[a-z]:[\\/]/i.test(build.context)) continue;
      const context = resolve(dir, build.context);
      const dockerfile = build.dockerfile ? (isAbsolute(build.dockerfile) ? build.dockerfile : resolve(context, build.dockerfile)) : null;
      const contextExists = isAncestor(build.context) || files.exists(context) || (dockerfile !== null && files.exists(dockerfile)) || files.exists(join(context, 'Dockerfile'));
      if (!contextExists) {
        report({
          range: compose.rangeOf(build.contextNode),
          message: `The build context \`${build.context}\` of \`${build.service}\` does not exist (it is resolved from the Compose file's folder), so building the service fails before it starts; fix the path.`,
          data: { service: build.service },
        });
        continue;
      }
      if (build.inline) continue;
      if (dockerfile !== null) {
        if (!files.exists(dockerfile) && build.dockerfileNode) {
          report({
            range: compose.rangeOf(build.dockerfileNode),
            message: `The Dockerfile \`${build.dockerfile}\` of \`${build.service}\` does not exist in its build context \`${build.context}\` (the path is resolved from the context, not from the Compose file), so the build fails with "no such file or directory"; fix the path.`,
            data: { service: build.service },
          });
        }
        continue;
      }
      if (!['Dockerfile', 'dockerfile'].some((name) => files.exists(join(context, name)))) {
        report({
          range: compose.rangeOf(build.contextNode),
          message: `The build context \`${build.context}\` of \`${build.service}\` has no \`Dockerfile\`, so the build fails with "failed to read dockerfile"; add one, or name the file with \`dockerfile:\`.`,
          data: { service: build.service },
        });
      }
    }
  },
});
