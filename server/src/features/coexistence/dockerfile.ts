import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { Rule } from '../../rules/types';
import { ruleNames } from '../../config/settings';
import type { CoexistenceMode } from './compose';

/**
 * Shipshape beside other extensions that lint Dockerfiles. Each peer reports some of the problems
 * Shipshape reports, under its own source and code. Where a peer *actually shows* the same problem
 * at the same place (its diagnostic is in the editor: the client forwards the peers' diagnostics),
 * Shipshape's copy is left out, so nothing is shown twice and nothing is lost when the peer
 * reports less than it could (Docker DX without Buildx, a check its user turned off). The quick
 * fix stays: it is offered on the peer's diagnostic (see `twinOf`, used by lsp/codeActions.ts).
 *
 * "The same problem" goes through the rules' aliases: a peer's code is turned into the names it
 * stands for (a BuildKit check, a hadolint code, a dockerfile-utils ValidationCode name) and a rule
 * matches when one of those is its id or one of its aliases. A rule that declares an alias joins
 * the matching with no change here. "The same place": the two ranges share a line (peers mark
 * whole lines or single words; Shipshape marks instructions or words), or the peer's is a
 * file-level mark (an empty range at the start of the file).
 *
 * What each peer reports, from their sources:
 * - Docker DX (`docker.docker`) runs the Docker Language Server, which runs `docker buildx build
 *   --call=check` and publishes BuildKit's checks under source `docker-language-server` with the
 *   check name as the code (`JSONArgsRecommended`), from the warning's first character to the end
 *   of its last line; a build error (parse error) comes with no code, recognised by its message.
 * - Container Tools (`ms-azuretools.vscode-containers`) and the Docker extension before it
 *   (`ms-azuretools.vscode-docker`) run rcjsuen's `docker-langserver`, whose dockerfile-utils
 *   validator publishes under source `dockerfile-utils` with its numeric `ValidationCode`.
 * - tally (`wharflab.tally`) publishes under source `tally` with `buildkit/<Check>`,
 *   `hadolint/<DLxxxx>`, `shellcheck/<SCxxxx>` or `tally/<rule>` codes, whole lines (a file-level
 *   rule at 0:0-0:0).
 */
export interface DockerfilePeer {
  /** The extension's display name, for messages and the README. */
  name: string;
  /** The `Diagnostic.source` values it publishes Dockerfile diagnostics under. */
  sources: string[];
}

export const DOCKERFILE_PEERS: Record<string, DockerfilePeer> = {
  'docker.docker': { name: 'Docker DX', sources: ['docker-language-server'] },
  'ms-azuretools.vscode-containers': { name: 'Container Tools', sources: ['dockerfile-utils'] },
  'ms-azuretools.vscode-docker': { name: 'Docker', sources: ['dockerfile-utils'] },
  'wharflab.tally': { name: 'tally', sources: ['tally'] },
};

/**
 * dockerfile-utils' `ValidationCode` enum (the numbers it publishes as codes, stable since they
 * are only appended to), with the names of the same problem in BuildKit or hadolint where one
 * exists, so that the rules already aliased to those match without an alias of their own.
 */
export const DOCKERFILE_UTILS_CODES: readonly (readonly [name: string, ...same: string[]])[] = [
  ['CASING_INSTRUCTION', 'ConsistentInstructionCasing'],
  ['CASING_DIRECTIVE'],
  ['ARGUMENT_MISSING'],
  ['ARGUMENT_EXTRA'],
  ['ARGUMENT_REQUIRES_ONE'],
  ['ARGUMENT_REQUIRES_AT_LEAST_ONE'],
  ['ARGUMENT_REQUIRES_TWO'],
  ['ARGUMENT_REQUIRES_AT_LEAST_TWO'],
  ['ARGUMENT_REQUIRES_ONE_OR_THREE'],
  ['ARGUMENT_UNNECESSARY'],
  ['DUPLICATE_BUILD_STAGE_NAME', 'DuplicateStageName'],
  ['EMPTY_CONTINUATION_LINE', 'NoEmptyContinuation'],
  ['INVALID_BUILD_STAGE_NAME'],
  ['FLAG_AT_LEAST_ONE'],
  ['FLAG_DUPLICATE'],
  ['FLAG_INVALID_DURATION'],
  ['FLAG_LESS_THAN_1MS'],
  ['FLAG_MISSING_DURATION'],
  ['FLAG_MISSING_VALUE'],
  ['FLAG_UNKNOWN_UNIT'],
  ['NO_SOURCE_IMAGE'],
  ['INVALID_ESCAPE_DIRECTIVE'],
  ['INVALID_AS'],
  ['INVALID_DESTINATION', 'DL3021'],
  ['INVALID_PORT', 'DL3011'],
  ['INVALID_PROTO', 'ExposeInvalidFormat'],
  ['INVALID_REFERENCE_FORMAT'],
  ['INVALID_SIGNAL'],
  ['INVALID_SYNTAX'],
  ['ONBUILD_CHAINING_DISALLOWED', 'DL3043'],
  ['ONBUILD_TRIGGER_DISALLOWED', 'DL3043'],
  ['SHELL_JSON_FORM'],
  ['SHELL_REQUIRES_ONE'],
  ['SYNTAX_MISSING_EQUALS'],
  ['SYNTAX_MISSING_NAMES'],
  ['SYNTAX_MISSING_SINGLE_QUOTE'],
  ['SYNTAX_MISSING_DOUBLE_QUOTE'],
  ['MULTIPLE_INSTRUCTIONS', 'MultipleInstructionsDisallowed'],
  ['UNKNOWN_INSTRUCTION'],
  ['UNKNOWN_ADD_FLAG'],
  ['UNKNOWN_COPY_FLAG'],
  ['UNKNOWN_FROM_FLAG'],
  ['UNKNOWN_HEALTHCHECK_FLAG'],
  ['UNKNOWN_TYPE'],
  ['UNSUPPORTED_MODIFIER'],
  ['DEPRECATED_MAINTAINER', 'MaintainerDeprecated'],
  ['HEALTHCHECK_CMD_ARGUMENT_MISSING'],
  ['FLAG_INVALID_FROM_VALUE'],
  ['FLAG_EXPECTED_BOOLEAN_VALUE'],
  ['JSON_IN_SINGLE_QUOTES'],
  ['WORKDIR_IS_NOT_ABSOLUTE', 'WorkdirRelativePath'],
  ['BASE_NAME_EMPTY', 'UndefinedArgInFrom'],
  ['DUPLICATED_ESCAPE_DIRECTIVE'],
];

/**
 * A BuildKit build error carries no code: its message names the problem. These are the parse
 * errors BuildKit stops on, by the names Shipshape's syntax rules carry as aliases.
 */
const BUILD_ERRORS: readonly [RegExp, string][] = [
  [/unknown instruction:/i, 'instruction-known'],
  [/unknown flag:/i, 'flag-known'],
];

/** A diagnostic another extension published, as the client forwards it. */
export type PeerDiagnostic = Pick<Diagnostic, 'range' | 'message' | 'source' | 'code'>;

/** The names (lower-cased) a peer's diagnostic stands for: what a rule's id or aliases must contain to be its twin. */
export function peerNames(diagnostic: PeerDiagnostic): string[] {
  const { source, code } = diagnostic;
  let names: readonly string[] = [];
  // By its enum name (and the BuildKit/hadolint names of the same problem), and as
  // `dockerfile-utils:<code>`, the form the syntax rules carry as aliases.
  if (source === 'dockerfile-utils' && typeof code === 'number') names = [...(DOCKERFILE_UTILS_CODES[code] ?? []), `dockerfile-utils:${code}`];
  else if (source === 'docker-language-server') names = typeof code === 'string' && code ? [code] : BUILD_ERRORS.filter(([re]) => re.test(diagnostic.message)).map(([, name]) => name);
  else if (source === 'tally' && typeof code === 'string') names = [code.slice(code.lastIndexOf('/') + 1)];
  return names.map((n) => n.toLowerCase());
}

/** The peers' sources that count: those of the active peers; none when the setting is `off`. */
export function peerSources(peers: readonly string[] | undefined, mode: CoexistenceMode | undefined, table: Record<string, DockerfilePeer> = DOCKERFILE_PEERS): Set<string> {
  const sources = new Set<string>();
  if (mode === 'off' || !peers) return sources;
  for (const peer of peers) for (const source of table[peer.toLowerCase()]?.sources ?? []) sources.add(source);
  return sources;
}

function fileLevel(range: Range): boolean {
  return range.start.line === 0 && range.start.character === 0 && range.end.line === 0 && range.end.character === 0;
}

/** The same place: the ranges share a line, or the peer's marks the whole file. */
export function samePlace(ours: Range, theirs: Range): boolean {
  return fileLevel(theirs) || (ours.start.line <= theirs.end.line && theirs.start.line <= ours.end.line);
}

/** The peer diagnostic that already shows a finding of `rule` at `range`, if any. */
export function twinOf(rule: Rule, range: Range, peerDiagnostics: readonly PeerDiagnostic[], sources: Set<string>): PeerDiagnostic | undefined {
  if (sources.size === 0) return undefined;
  const names = new Set(ruleNames(rule));
  return peerDiagnostics.find((d) => d.source !== undefined && sources.has(d.source) && samePlace(range, d.range) && peerNames(d).some((n) => names.has(n)));
}

/** Shipshape's diagnostics minus those an active peer already shows. */
export function filterDockerfileDiagnostics(diagnostics: Diagnostic[], peerDiagnostics: readonly PeerDiagnostic[], sources: Set<string>, ruleOf: (id: string) => Rule | undefined): Diagnostic[] {
  if (sources.size === 0 || peerDiagnostics.length === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const rule = typeof d.code === 'string' ? ruleOf(d.code) : undefined;
    return !rule || !twinOf(rule, d.range, peerDiagnostics, sources);
  });
}
