import { isMap, isScalar, type Node } from 'yaml';
import type { ComposeModel } from './parse';

/**
 * The builds a Compose file writes, as written: one answer for the rules that check the paths and
 * for finding the build context of a Dockerfile (project/buildContext.ts).
 */

/** A context Compose fetches rather than reads from disk: a URL, a Git remote, a `scheme://` source. */
export function isRemote(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context) || /^github\.com\//.test(context) || /\.git(?:#.*)?$/.test(context);
}

export interface BuildPaths {
  service: string;
  context: string;
  contextNode: Node;
  dockerfile: string | null;
  dockerfileNode: Node | null;
  inline: boolean;
}

/** The build paths each service of this file writes (string form or `context`/`dockerfile`). */
export function buildPaths(compose: ComposeModel): BuildPaths[] {
  const result: BuildPaths[] = [];
  for (const service of compose.services) {
    const entry = compose.get(service.node, 'build');
    const build = compose.resolve(entry?.value);
    if (!entry || !build) continue;
    if (isScalar(build)) {
      const context = compose.text(build);
      if (context !== null) result.push({ service: service.name, context, contextNode: entry.value!, dockerfile: null, dockerfileNode: null, inline: false });
      continue;
    }
    if (!isMap(build)) continue;
    const contextEntry = compose.get(build, 'context');
    const context = contextEntry ? compose.text(contextEntry.value) : '.';
    const dockerfileEntry = compose.get(build, 'dockerfile');
    const dockerfile = dockerfileEntry ? compose.text(dockerfileEntry.value) : null;
    // An unknown variable in either path leaves the build unknown.
    if (context === null || (dockerfileEntry && dockerfile === null)) continue;
    result.push({
      service: service.name,
      context,
      contextNode: contextEntry?.value ?? entry.keyNode,
      dockerfile,
      dockerfileNode: dockerfileEntry?.value ?? null,
      inline: Boolean(compose.get(build, 'dockerfile_inline')),
    });
  }
  return result;
}

