import type { Location, Position } from 'vscode-languageserver-types';
import { dockerfileSymbols } from '../../dockerfile/symbols';
import type { DockerfileContext } from '../../service';

/**
 * Every place the stage or variable under the cursor is declared or used, in this Dockerfile
 * (stage names and build arguments are file-local: a Compose `build.target` or `build.args` names
 * them from outside, and the Compose side finds those).
 */
export function referencesDockerfile(context: DockerfileContext, position: Position, includeDeclaration: boolean): Location[] {
  const occurrence = dockerfileSymbols(context.model).at(position);
  if (!occurrence) return [];
  return occurrence.symbol.occurrences
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: context.uri, range: o.range }));
}
