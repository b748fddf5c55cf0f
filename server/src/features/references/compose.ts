import type { Location, Position } from 'vscode-languageserver-types';
import { occurrenceAt } from '../../compose/symbols';
import type { ComposeContext } from '../composeContext';
import { occurrenceLocation } from '../definition/compose';

/** Every place a service, volume, network, secret, config or anchor is declared or used, in every file of the project. */
export function referencesCompose(context: ComposeContext, position: Position, includeDeclaration: boolean): Location[] {
  const { compose } = context;
  const occurrence = occurrenceAt(compose, compose.document.offsetAt(position));
  if (!occurrence) return [];
  return context.symbols().related(occurrence).filter((o) => includeDeclaration || !o.definition).map(occurrenceLocation);
}
