import { pathToFileURL } from 'node:url';
import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { ComposeModel } from '../../compose/parse';
import { occurrenceAt, type Occurrence } from '../../compose/symbols';
import { cursorAt } from '../../compose/cursor';
import { documentLines } from '../../text/lines';
import type { ComposeContext } from '../composeContext';

/** The range of an occurrence's name in its own file. */
export function occurrenceRange(o: Occurrence): Range {
  return { start: o.compose.document.positionAt(o.start), end: o.compose.document.positionAt(o.end) };
}

export function occurrenceLocation(o: Occurrence): Location {
  return { uri: o.compose.document.uri, range: occurrenceRange(o) };
}

/**
 * Go to definition: a service, volume, network, secret, config or anchor name to where the
 * project declares it (in any of its files); `build.target` to the stage's FROM line and a
 * `build.args` key to its ARG in the Dockerfile the service builds.
 */
export function definitionCompose(context: ComposeContext, position: Position): Location[] {
  const { compose } = context;
  const occurrence = occurrenceAt(compose, compose.document.offsetAt(position));
  if (occurrence) return context.symbols().related(occurrence).filter((o) => o.definition).map(occurrenceLocation);
  return dockerfileDefinition(context, compose, position);
}

function dockerfileDefinition(context: ComposeContext, compose: ComposeModel, position: Position): Location[] {
  const cursor = cursorAt(documentLines(compose.document.getText()), position.line, position.character);
  if (!cursor || cursor.path[0] !== 'services' || cursor.path.length < 3 || cursor.path[2] !== 'build') return [];
  const project = context.project();
  const service = project.service(cursor.path[1]);
  const built = service ? project.dockerfile(service) : null;
  if (!built?.path) return [];
  const uri = pathToFileURL(built.path).href;
  const tail = cursor.path.slice(3);
  if (tail.join('.') === 'target' && cursor.at === 'value') {
    const name = built.target ?? cursor.prefix;
    const stage = built.model.stages.find((s) => s.name?.toLowerCase() === name.toLowerCase());
    return stage ? [{ uri, range: stage.from.range }] : [];
  }
  // `args:` as a mapping (`NAME: value`) or a list (`- NAME=value`).
  let name: string | null = null;
  if (tail.length === 1 && tail[0] === 'args' && cursor.at === 'key') name = wordAt(compose, position);
  else if (tail.length === 2 && tail[0] === 'args' && cursor.at === 'value' && cursor.key) name = cursor.key;
  else if (tail.length === 2 && tail[0] === 'args' && cursor.at === 'item') name = wordAt(compose, position)?.split('=')[0] ?? null;
  if (!name) return [];
  const args = built.model.instructions.filter((i) => i.keyword === 'ARG' && i.args.split(/\s+/).some((a) => a.split('=')[0] === name));
  return args.map((a) => ({ uri, range: a.range }));
}

/** The word (a key or `NAME=value`) under the cursor. */
function wordAt(compose: ComposeModel, position: Position): string | null {
  const line = documentLines(compose.document.getText())[position.line] ?? '';
  const left = /[\w.=-]*$/.exec(line.slice(0, position.character))![0];
  const right = /^[\w.-]*/.exec(line.slice(position.character))![0];
  const word = (left + right).replace(/^-+/, '');
  return word || null;
}
