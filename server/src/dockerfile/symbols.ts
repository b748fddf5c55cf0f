import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Flag, Heredoc } from 'dockerfile-ast';
import type { DockerfileModel, DockerInstruction } from './parse';
import { propertiesOf, variableReferences, type VariableReference } from './references';

/*
 * The names a Dockerfile declares and uses, resolved once per model the way BuildKit resolves
 * them, so that definition, references, highlight and rename answer the same question the same way.
 *
 * Stages: `FROM … AS name` declares; `FROM name`, `COPY --from=name` and `RUN --mount=…,from=name`
 * use. BuildKit lower-cases stage names (`AS Build` and `--from=build` are one stage). A FROM only
 * builds on an earlier stage (BuildKit resolves a FROM while it adds the stages in order); a
 * `--from` may name any other stage (it is resolved once every stage is known).
 * https://docs.docker.com/reference/dockerfile/#from
 *
 * Variables (https://docs.docker.com/reference/dockerfile/#scope):
 * - an ARG before the first FROM is global: FROM lines see it, and a stage only after it declares
 *   it again (`ARG NAME`); that re-declaration is the same build argument, so it is the same symbol;
 * - a stage's ARG and ENV are visible after their declaration, in that stage; ENV (not ARG) is
 *   inherited by the stages built FROM it;
 * - ENV wins over an ARG of the same name ("Environment variables defined using the ENV
 *   instruction always override an ARG instruction of the same name"), so `ARG V` then `ENV V=$V`
 *   makes a new variable whose value reads the ARG; ENV after ENV (or ARG after ARG) reassigns the
 *   same one.
 * Uses are `$NAME`, `${NAME}` and `${NAME:-word}` in every instruction's arguments and flags, in RUN
 * lines (the shell sees ARG and ENV as environment variables) and in here-documents (see
 * expansionRanges for quoting).
 */

export type SymbolKind = 'stage' | 'variable';

export interface DockerSymbol {
  kind: SymbolKind;
  /** As first declared (a stage's name as written in its FROM). */
  name: string;
  /** Every declaration (a stage's AS, a variable's ARG/ENV, a global ARG declared again) and use, in document order. */
  occurrences: SymbolOccurrence[];
  /** For a stage: its index. */
  stage?: number;
  /** For a variable: where it was first declared (-1 global, else the stage index) and how. */
  scope?: number;
  declaredBy?: 'ARG' | 'ENV';
}

export interface SymbolOccurrence {
  symbol: DockerSymbol;
  /** The name as written here. */
  name: string;
  /** The name only. */
  range: Range;
  declaration: boolean;
  /** The declaration in effect here (itself for a declaration that starts or reassigns the symbol). */
  definition: SymbolOccurrence | null;
  /** The stage the occurrence is in (-1 before the first FROM). */
  stage: number;
  /** A stage named by its index (`--from=0`): found, but a rename leaves it alone. */
  byIndex?: true;
}

/** A `$NAME` that no ARG or ENV declares (`$HOME`, `$PATH`, a build's automatic args…). */
export interface FreeUse {
  name: string;
  range: Range;
  stage: number;
}

export interface DockerfileSymbols {
  symbols: DockerSymbol[];
  /** In document order. */
  occurrences: SymbolOccurrence[];
  free: FreeUse[];
  /** The occurrence whose name contains the position (its end included), or null. */
  at(position: Position): SymbolOccurrence | null;
}

const cache = new WeakMap<DockerfileModel, DockerfileSymbols>();

export function dockerfileSymbols(model: DockerfileModel): DockerfileSymbols {
  let symbols = cache.get(model);
  if (!symbols) {
    symbols = build(model);
    cache.set(model, symbols);
  }
  return symbols;
}

/** What a stage's scope holds while its instructions are walked. */
interface Scope {
  env: Map<string, SymbolOccurrence>;
  arg: Map<string, SymbolOccurrence>;
}

function build(model: DockerfileModel): DockerfileSymbols {
  const symbols: DockerSymbol[] = [];
  const occurrences: SymbolOccurrence[] = [];
  const free: FreeUse[] = [];
  const doc = model.document;

  // Stages first: a `--from` may name a later one.
  const stageSymbols = new Map<number, DockerSymbol>();
  const byName = new Map<string, number>();
  for (const stage of model.stages) {
    if (!stage.name || !stage.nameRange || stage.implicit) continue;
    const symbol: DockerSymbol = { kind: 'stage', name: stage.name, occurrences: [], stage: stage.index };
    const declaration: SymbolOccurrence = { symbol, name: stage.name, range: stage.nameRange, declaration: true, definition: null, stage: stage.index };
    declaration.definition = declaration;
    symbol.occurrences.push(declaration);
    occurrences.push(declaration);
    symbols.push(symbol);
    stageSymbols.set(stage.index, symbol);
    // A later stage of the same name does not take it over: BuildKit rejects duplicates, and the
    // first is the one an earlier reader would mean.
    if (!byName.has(stage.name.toLowerCase())) byName.set(stage.name.toLowerCase(), stage.index);
  }
  const stageUse = (name: string, range: Range, stage: number, earlierOnly: boolean) => {
    const index = /^\d+$/.test(name) ? Number(name) : byName.get(name.toLowerCase());
    if (index === undefined || index === stage || (earlierOnly && index > stage)) return;
    const symbol = stageSymbols.get(index);
    if (!symbol) return;
    const occurrence: SymbolOccurrence = { symbol, name, range, declaration: false, definition: symbol.occurrences[0], stage, ...(/^\d+$/.test(name) ? { byIndex: true as const } : {}) };
    occurrences.push(occurrence);
  };

  const globals: Scope = { env: new Map(), arg: new Map() };
  const finalEnv = new Map<number, Map<string, SymbolOccurrence>>();
  let scope: Scope = globals;
  let stageIndex = -1;

  const use = (ref: VariableReference, current: Scope, stage: number) => {
    const definition = current.env.get(ref.name) ?? current.arg.get(ref.name);
    if (!definition) {
      free.push({ name: ref.name, range: ref.nameRange, stage });
      return;
    }
    occurrences.push({ symbol: definition.symbol, name: ref.name, range: ref.nameRange, declaration: false, definition, stage });
  };
  const usesIn = (range: Range | null, current: Scope, stage: number) => {
    if (!range) return;
    for (const ref of variableReferences(doc, range, model.escape)) use(ref, current, stage);
  };

  for (const instruction of model.instructions) {
    if (instruction.keyword === 'FROM') {
      const stage = model.stages[instruction.stage];
      finishStage(stageIndex, scope, finalEnv);
      stageIndex = instruction.stage;
      // The FROM line reads the global ARGs only.
      usesIn({ start: instruction.keywordRange.end, end: instruction.range.end }, globals, stageIndex);
      if (stage && stage.base.stageRef !== null && !stage.base.text.includes('$')) stageUse(stage.base.text, stage.base.range, stage.index, true);
      const parentEnv = stage && stage.base.stageRef !== null ? finalEnv.get(stage.base.stageRef) : undefined;
      scope = { env: new Map(parentEnv ?? []), arg: new Map() };
      continue;
    }
    const stage = instruction.stage;
    const current = stage < 0 ? globals : scope;
    for (const flag of flagsOf(instruction)) stageUsesInFlag(instruction, flag, stage, stageUse);
    if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
      declare(instruction, current, stage, stage < 0 ? null : globals, symbols, occurrences, usesIn);
      continue;
    }
    for (const { range, shell } of expansionRanges(instruction)) {
      if (shell) for (const ref of shellReferences(doc, range)) use(ref, current, stage);
      else usesIn(range, current, stage);
    }
  }
  occurrences.sort((a, b) => compare(a.range.start, b.range.start));
  for (const o of occurrences) {
    if (!o.declaration) o.symbol.occurrences.push(o);
  }
  for (const s of symbols) s.occurrences.sort((a, b) => compare(a.range.start, b.range.start));
  return {
    symbols,
    occurrences,
    free,
    at(position) {
      // Occurrences are few per line; a binary search finds the first one that may contain it.
      let lo = 0;
      let hi = occurrences.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(occurrences[mid].range.end, position) < 0) lo = mid + 1;
        else hi = mid;
      }
      const o = occurrences[lo];
      return o && compare(o.range.start, position) <= 0 && compare(position, o.range.end) <= 0 ? o : null;
    },
  };
}

function finishStage(index: number, scope: Scope, finalEnv: Map<number, Map<string, SymbolOccurrence>>): void {
  if (index >= 0) finalEnv.set(index, scope.env);
}

/**
 * ARG and ENV: each value is read with the scope as it was before the instruction (`ENV A=2 B=$A`
 * gives B the old A), then the names are declared.
 */
function declare(
  instruction: DockerInstruction,
  current: Scope,
  stage: number,
  globals: Scope | null,
  symbols: DockerSymbol[],
  occurrences: SymbolOccurrence[],
  usesIn: (range: Range | null, scope: Scope, stage: number) => void,
): void {
  const properties = propertiesOf(instruction);
  for (const p of properties) usesIn(p.valueRange, current, stage);
  const keyword = instruction.keyword as 'ARG' | 'ENV';
  for (const p of properties) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name)) continue;
    const map = keyword === 'ARG' ? current.arg : current.env;
    // The same build argument (a global ARG declared again in a stage), or the same variable
    // assigned again: one symbol. Otherwise (ENV over an ARG, a new name) a new one.
    const previous = map.get(p.name) ?? (keyword === 'ARG' && globals ? globals.arg.get(p.name) : undefined);
    let symbol: DockerSymbol;
    if (previous) {
      symbol = previous.symbol;
    } else {
      symbol = { kind: 'variable', name: p.name, occurrences: [], scope: stage, declaredBy: keyword };
      symbols.push(symbol);
    }
    const declaration: SymbolOccurrence = { symbol, name: p.name, range: p.nameRange, declaration: true, definition: null, stage };
    // A bare `ARG NAME` re-declaring a global one takes the global's value: its definition is the global ARG.
    declaration.definition = previous && keyword === 'ARG' && p.value === null && previous.stage !== stage ? previous : declaration;
    symbol.occurrences.push(declaration);
    occurrences.push(declaration);
    map.set(p.name, declaration);
  }
}

/**
 * Where an instruction's variables are read, and by whom. Docker expands the arguments of most
 * instructions itself, and leaves single-quoted text alone. The arguments of RUN, CMD, ENTRYPOINT
 * and HEALTHCHECK, and every here-document body, are read later by a shell or a program: there
 * every `$NAME` counts, in single quotes and quoted-delimiter here-documents too, since
 * `sh -c 'echo $PORT'`, a start script written with `<<'EOF'` or an ini file with
 * `memory_limit=${PHP_MEMORY_LIMIT}` read the container's environment when they run (renaming the
 * ENV without them would break them). ONBUILD triggers are read in another build: none.
 */
function expansionRanges(instruction: DockerInstruction): { range: Range; shell: boolean }[] {
  if (instruction.keyword === 'ONBUILD') return [];
  const shell = SHELL_READ.has(instruction.keyword);
  const start = instruction.keywordRange.end;
  const heredocs = heredocsOf(instruction);
  if (heredocs.length === 0) return [{ range: { start, end: instruction.range.end }, shell }];
  // The instruction's own line(s): up to the first here-document's body.
  const body = heredocs[0].getContentRange();
  const ranges = [{ range: { start, end: body ? { line: body.start.line, character: 0 } : { line: heredocs[0].getNameRange().end.line + 1, character: 0 } }, shell }];
  for (const heredoc of heredocs) {
    const content = heredoc.getContentRange();
    if (content) ranges.push({ range: content, shell: true });
  }
  return ranges;
}

const SHELL_READ = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/** Every `$NAME` and `${NAME…}` not escaped with a backslash, whatever the quoting. */
function shellReferences(doc: TextDocument, range: Range): VariableReference[] {
  const text = doc.getText(range);
  const base = doc.offsetAt(range.start);
  const out: VariableReference[] = [];
  for (const match of text.matchAll(/(\\*)\$(\{?)([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (match[1].length % 2 === 1) continue;
    const at = match.index + match[1].length;
    const nameStart = at + 1 + match[2].length;
    const nameEnd = nameStart + match[3].length;
    out.push({
      name: match[3],
      range: { start: doc.positionAt(base + at), end: doc.positionAt(base + nameEnd) },
      nameRange: { start: doc.positionAt(base + nameStart), end: doc.positionAt(base + nameEnd) },
      modifier: null,
    });
  }
  return out;
}

export function heredocsOf(instruction: DockerInstruction): Heredoc[] {
  if (instruction.keyword !== 'RUN' && instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return [];
  return (instruction.ast as unknown as { getHeredocs(): Heredoc[] }).getHeredocs();
}

function flagsOf(instruction: DockerInstruction): Flag[] {
  const node = instruction.ast as unknown as { getFlags?(): Flag[] };
  return typeof node.getFlags === 'function' ? node.getFlags() : [];
}

/** `COPY --from=stage` and `RUN --mount=…,from=stage`. */
function stageUsesInFlag(instruction: DockerInstruction, flag: Flag, stage: number, stageUse: (name: string, range: Range, stage: number, earlierOnly: boolean) => void): void {
  const name = flag.getName().toLowerCase();
  if (name === 'from' && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) {
    const value = flag.getValue();
    const range = flag.getValueRange();
    if (value && range && !value.includes('$')) stageUse(value, range, stage, false);
  } else if (name === 'mount' && instruction.keyword === 'RUN') {
    const from = flag.getOption('from');
    const value = from?.getValue();
    const range = from?.getValueRange();
    if (value && range && !value.includes('$')) stageUse(value, range, stage, false);
  }
}

export function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
