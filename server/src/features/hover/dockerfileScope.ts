import type { Position, Range } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel, Stage } from '../../dockerfile/parse';
import { PLATFORM_ARGS, PROXY_ARGS } from './dockerfileReference';
import { propertiesOf } from '../../dockerfile/references';

/*
 * Which ARG and ENV names are in scope at a line, following Docker's scoping, for completion and
 * hover (features/completion/dockerfile.ts, features/hover/dockerfile.ts). A small helper of our
 * own until the shared Dockerfile symbol model (dockerfile/symbols.ts) lands; then it goes.
 *
 * - A global ARG (before the first FROM) is in scope in FROM lines only; a stage sees it when it
 *   declares `ARG NAME` again, and then with the global default.
 * - An ARG or ENV of a stage is in scope from the line after it to the end of the stage; ENV is
 *   inherited by a stage built FROM that stage, ARG is not.
 * - BuildKit's platform args are automatic in the global scope; a stage declares them to use them.
 * - The proxy args are predefined: usable in a stage without a declaration.
 */

export type VariableKind = 'arg' | 'env' | 'global-arg' | 'platform' | 'proxy';

export interface ScopedVariable {
  name: string;
  /** The default or value as written (null: declared without one, or set by the build). */
  value: string | null;
  kind: VariableKind;
  /** Where it is declared (the name), or null for the automatic ones. */
  declaration: Range | null;
  /** For a stage's `ARG NAME` that re-imports a global ARG: the global's declaration. */
  global?: Range | null;
  /** Automatic args that the stage must declare before using (platform args inside a stage). */
  needsDeclaration?: boolean;
}

/** The global ARGs declared before `line`. */
function globalArgs(model: DockerfileModel, line: number): Map<string, ScopedVariable> {
  const scope = new Map<string, ScopedVariable>();
  for (const instruction of model.instructions) {
    if (instruction.stage >= 0 || instruction.range.start.line >= line) continue;
    if (instruction.keyword !== 'ARG') continue;
    for (const p of propertiesOf(instruction)) scope.set(p.name, { name: p.name, value: p.value, kind: 'global-arg', declaration: p.nameRange });
  }
  return scope;
}

/** The stage a line belongs to (the last stage starting at or before it), or null before the first FROM. */
export function stageAtLine(model: DockerfileModel, line: number): Stage | null {
  let found: Stage | null = null;
  for (const stage of model.stages) {
    if (stage.from.range.start.line <= line) found = stage;
    else break;
  }
  return found;
}

/** ENV of a stage and the stages it is built on, up to (not including) `line`. */
function envOf(model: DockerfileModel, stage: Stage, line: number, scope: Map<string, ScopedVariable>, seen = new Set<number>()): void {
  if (seen.has(stage.index)) return;
  seen.add(stage.index);
  if (stage.base.stageRef !== null && model.stages[stage.base.stageRef]) envOf(model, model.stages[stage.base.stageRef], Number.MAX_SAFE_INTEGER, scope, seen);
  for (const instruction of stage.instructions) {
    if (instruction.range.end.line >= line) break;
    if (instruction.keyword !== 'ENV') continue;
    for (const p of propertiesOf(instruction)) scope.set(p.name, { name: p.name, value: p.value, kind: 'env', declaration: p.nameRange });
  }
}

/**
 * The variables in scope on `position`'s line, by name (the latest declaration wins). In a FROM
 * line or before the first FROM: the global ARGs above and the platform args. In a stage: its
 * ARGs and ENVs above the line, ENV of the stages it builds on, the proxy args, and the platform
 * args (marked `needsDeclaration` unless the stage declares them).
 */
export function variablesAt(model: DockerfileModel, position: Position): Map<string, ScopedVariable> {
  const line = position.line;
  const stage = stageAtLine(model, line);
  const inFrom = !stage || stage.implicit ? !stage : stage.from.range.start.line <= line && stage.from.range.end.line >= line;
  const globals = globalArgs(model, stage && !inFrom ? stage.from.range.start.line : line);
  const scope = new Map<string, ScopedVariable>();
  if (inFrom) {
    for (const p of PLATFORM_ARGS) scope.set(p.name, { name: p.name, value: null, kind: 'platform', declaration: null });
    for (const [name, v] of globals) scope.set(name, v);
    return scope;
  }
  for (const name of PROXY_ARGS) scope.set(name, { name, value: null, kind: 'proxy', declaration: null });
  for (const p of PLATFORM_ARGS) scope.set(p.name, { name: p.name, value: null, kind: 'platform', declaration: null, needsDeclaration: true });
  // ENV of the stages this one is built on, then this stage's ARG and ENV in order.
  const seen = new Set<number>([stage!.index]);
  if (stage!.base.stageRef !== null && model.stages[stage!.base.stageRef]) envOf(model, model.stages[stage!.base.stageRef], Number.MAX_SAFE_INTEGER, scope, seen);
  for (const instruction of stage!.instructions) {
    if (instruction.range.end.line >= line) break;
    if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
    for (const p of propertiesOf(instruction)) {
      const name = p.name;
      if (instruction.keyword === 'ENV') {
        scope.set(name, { name, value: p.value, kind: 'env', declaration: p.nameRange });
        continue;
      }
      const global = globals.get(name);
      const platform = PLATFORM_ARGS.some((a) => a.name === name);
      // `ARG NAME` with no default takes the global's default; a platform arg's value comes from the build.
      scope.set(name, {
        name,
        value: p.value ?? global?.value ?? null,
        kind: platform && p.value === null ? 'platform' : 'arg',
        declaration: p.nameRange,
        ...(global && p.value === null ? { global: global.declaration } : {}),
      });
    }
  }
  return scope;
}

/** A variable reference (`$NAME`, `${NAME…}`) in an instruction at a position. */
export interface VariableUse {
  name: string;
  /** The name's range. */
  range: Range;
  /** The whole reference, `${NAME:-x}`. */
  whole: Range;
}

export function variableUseAt(instruction: DockerInstruction, position: Position): VariableUse | null {
  for (const v of instruction.ast.getVariables()) {
    const whole = v.getRange();
    if (within(whole, position)) return { name: v.getName(), range: v.getNameRange(), whole };
  }
  return null;
}

export function within(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
