import type { Location, Position } from 'vscode-languageserver-types';
import { dockerfileSymbols } from '../../dockerfile/symbols';
import type { DockerfileContext } from '../../service';

/**
 * Go to definition in a Dockerfile: a stage name (`FROM build`, `COPY --from=build`,
 * `RUN --mount=from=build`) to its `FROM … AS build`; a variable to the ARG or ENV in effect where
 * it is used, by Docker's scoping (see dockerfile/symbols.ts): a bare `ARG NAME` in a stage to the
 * global ARG it takes its value from.
 */
export function definitionDockerfile(context: DockerfileContext, position: Position): Location[] {
  const occurrence = dockerfileSymbols(context.model).at(position);
  const definition = occurrence?.definition;
  return definition ? [{ uri: context.uri, range: definition.range }] : [];
}
