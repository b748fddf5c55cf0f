import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import { dockerfileSymbols, type SymbolOccurrence } from '../../dockerfile/symbols';
import { PLATFORM_ARGS, PROXY_ARGS } from '../../dockerfile/references';
import type { DockerfileContext } from '../../service';
import { RenameError } from './compose';

/**
 * BuildKit's stage names, checked lower-cased (it lower-cases them):
 * https://github.com/moby/buildkit/blob/master/frontend/dockerfile/instructions/parse.go (validStageName).
 */
const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;
/** A name `$NAME` can expand: longer ENV keys exist but no `$` reaches them. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The stage or variable name under the cursor, with its range; null elsewhere. */
export function prepareRenameDockerfile(context: DockerfileContext, position: Position): { range: Range; placeholder: string } | null {
  const occurrence = dockerfileSymbols(context.model).at(position);
  if (!occurrence || occurrence.byIndex) return null;
  if (occurrence.symbol.kind === 'variable') refuseBuiltin(occurrence.symbol.name);
  return { range: occurrence.range, placeholder: occurrence.name };
}

/**
 * Renames a stage (its `AS`, every `FROM`, `--from` and `--mount=from=` naming it, whatever their
 * case: BuildKit matches stage names case-insensitively) or a variable (its declarations and the
 * uses they reach, by Docker's scoping). Stage references by index (`--from=0`) stay as they are.
 * A name BuildKit would refuse, or one that would capture another stage, image or variable, is
 * refused with the reason.
 */
export function renameDockerfile(context: DockerfileContext, position: Position, newName: string): WorkspaceEdit | null {
  const symbols = dockerfileSymbols(context.model);
  const occurrence = symbols.at(position);
  if (!occurrence || occurrence.byIndex) return null;
  const { symbol } = occurrence;
  if (symbol.kind === 'stage') checkStageName(context, occurrence, newName);
  else checkVariableName(context, occurrence, newName);
  const edits = symbol.occurrences.filter((o) => !o.byIndex).map((o) => ({ range: o.range, newText: newName }));
  return { changes: { [context.uri]: edits } };
}

function checkStageName(context: DockerfileContext, occurrence: SymbolOccurrence, newName: string): void {
  const lower = newName.toLowerCase();
  if (!STAGE_NAME.test(lower)) {
    throw new RenameError(`\`${newName}\` is not a valid stage name: BuildKit wants a letter first, then letters, digits, \`-\`, \`_\` or \`.\`.`);
  }
  const own = occurrence.symbol.stage;
  const { model } = context;
  const other = model.stages.find((s) => s.index !== own && s.name?.toLowerCase() === lower);
  if (other) throw new RenameError(`Stage ${other.index} is already named \`${other.name}\` (stage names are case-insensitive).`);
  if (/^\d+$/.test(newName)) throw new RenameError(`\`${newName}\` would read as a stage index.`);
  // A FROM or --from naming an image of the new name would start building on this stage instead.
  const image = model.stages.find((s) => s.base.stageRef === null && s.index > (own ?? -1) && s.base.text.toLowerCase() === lower);
  if (image) throw new RenameError(`Stage ${image.index} is built FROM the image \`${image.base.text}\`: with this name it would build on the renamed stage instead.`);
  if (lower === 'scratch') throw new RenameError('`scratch` is the empty image, not a stage name.');
}

function checkVariableName(context: DockerfileContext, occurrence: SymbolOccurrence, newName: string): void {
  refuseBuiltin(occurrence.symbol.name);
  if (!VARIABLE_NAME.test(newName)) {
    throw new RenameError(`\`${newName}\` is not a variable name Docker expands: use letters, digits and \`_\`, not starting with a digit.`);
  }
  if (PLATFORM_ARGS.has(newName) || PROXY_ARGS.has(newName)) throw new RenameError(`\`${newName}\` is a build argument BuildKit sets itself.`);
  // Where the variable lives, the new name must not already mean something (another ARG/ENV, or a
  // variable the image or the shell defines, such as PATH or HOME).
  const symbols = dockerfileSymbols(context.model);
  const stages = new Set(occurrence.symbol.occurrences.map((o) => o.stage));
  const clash = symbols.occurrences.find((o) => o.symbol !== occurrence.symbol && o.name === newName && stages.has(o.stage))
    ?? symbols.free.find((f) => f.name === newName && stages.has(f.stage));
  if (clash) {
    throw new RenameError(`\`${newName}\` is already used on line ${clash.range.start.line + 1}: renaming would make the two one variable.`);
  }
}

function refuseBuiltin(name: string): void {
  if (PLATFORM_ARGS.has(name) || PROXY_ARGS.has(name)) {
    throw new RenameError(`\`${name}\` is a build argument BuildKit sets itself: renaming it would leave it unset.`);
  }
}
