import type { Diagnostic } from 'vscode-languageserver-types';

/**
 * Shipshape beside other extensions that serve Compose files. Each of them shows some of what
 * Shipshape shows; where one already does, Shipshape steps back so that nothing is shown twice:
 * the YAML syntax error (`compose-syntax`), the schema errors (`compose-schema`) and the schema's
 * description of a key in hovers. Shipshape's own findings, production notes, cache cards and
 * reference cards stay. Generic over the file kind: the peers and what they cover are data, and
 * the setting `shipshape.coexistence` (`auto`, or `off` to show everything) decides.
 *
 * What each peer shows for Compose files, from their documentation:
 * - Red Hat YAML (`redhat.vscode-yaml`) validates YAML and, with the Compose schema from
 *   SchemaStore, the schema, and hovers keys with the schema's descriptions.
 * - Docker DX (`docker.docker`) reports YAML syntax errors (not the schema) and hovers keys.
 * - Container Tools (`ms-azuretools.vscode-containers`) and the Docker extension before it
 *   (`ms-azuretools.vscode-docker`) run Microsoft's Compose language service: YAML syntax errors
 *   and key hovers.
 */
export interface Coverage {
  /** The peer shows YAML syntax errors. */
  syntax: boolean;
  /** The peer validates against the Compose schema. */
  schema: boolean;
  /** The peer hovers keys with the schema's description. */
  keyHover: boolean;
}

export const COMPOSE_PEERS: Record<string, Coverage> = {
  'redhat.vscode-yaml': { syntax: true, schema: true, keyHover: true },
  'docker.docker': { syntax: true, schema: false, keyHover: true },
  'ms-azuretools.vscode-containers': { syntax: true, schema: false, keyHover: true },
  'ms-azuretools.vscode-docker': { syntax: true, schema: false, keyHover: true },
};

export type CoexistenceMode = 'auto' | 'off';

const NONE: Coverage = { syntax: false, schema: false, keyHover: false };

/** What the active peers already show; nothing when the setting is `off`. */
export function peerCoverage(peers: readonly string[] | undefined, mode: CoexistenceMode | undefined, table: Record<string, Coverage> = COMPOSE_PEERS): Coverage {
  if (mode === 'off' || !peers) return NONE;
  const covered = { ...NONE };
  for (const peer of peers) {
    const c = table[peer.toLowerCase()];
    if (!c) continue;
    covered.syntax ||= c.syntax;
    covered.schema ||= c.schema;
    covered.keyHover ||= c.keyHover;
  }
  return covered;
}

/**
 * The rule ids whose diagnostics a peer already shows. `compose-syntax` also reports what no YAML
 * tool does (duplicate keys are YAML errors too, so they go; a top level that is not a mapping is
 * Compose's own), so only its YAML-parser messages are dropped.
 */
export function filterComposeDiagnostics(diagnostics: Diagnostic[], coverage: Coverage): Diagnostic[] {
  if (!coverage.syntax && !coverage.schema) return diagnostics;
  return diagnostics.filter((d) => {
    if (d.code === 'compose-schema') return !coverage.schema;
    if (d.code === 'compose-syntax') return !coverage.syntax || /^A Compose file is a mapping/.test(d.message);
    return true;
  });
}
