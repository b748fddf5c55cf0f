import { posix } from 'node:path';
import { DockerfileParser, type Comment, type Instruction, type From, type Onbuild, type Run, type Copy } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import './astMemo';
import { expandVariables, type VariableLookup, type Variables } from '../text/variables';
import { parseImageRef, type ImageRef } from '../text/image';
import { releaseStage } from './shipped';

/** A `--name=value` flag of an instruction; `options` holds `key=value` pairs such as `--mount`'s. */
export interface InstructionFlag {
  name: string;
  value: string | null;
  range: Range;
  options: Map<string, string | null>;
}

export interface DockerInstruction {
  /** Upper-case keyword (`RUN`, `FROM`, …). */
  keyword: string;
  range: Range;
  keywordRange: Range;
  /** The arguments after the flags, with line continuations folded, as Docker sees them. */
  args: string;
  argsRange: Range | null;
  flags: InstructionFlag[];
  /** Index of the stage this instruction belongs to; -1 for the `ARG`s before the first `FROM`. */
  stage: number;
  /** True for the JSON (exec) form of RUN/CMD/ENTRYPOINT/SHELL; `json` holds its strings. */
  execForm: boolean;
  json: string[] | null;
  heredocs: string[];
  ast: Instruction;
}

export interface BaseImage {
  /** The image as written after FROM, variables unexpanded. */
  text: string;
  range: Range;
  /** The image with build args expanded from their defaults; null when a variable has no default. */
  resolved: string | null;
  ref: ImageRef | null;
  /** Index of the earlier stage this FROM builds on, if it names one. */
  stageRef: number | null;
  scratch: boolean;
  platform: string | null;
}

export interface Stage {
  index: number;
  name: string | null;
  nameRange: Range | null;
  /** The FROM; for an implicit stage, a zero-width stand-in at its first line that is in no instruction list. */
  from: DockerInstruction;
  base: BaseImage;
  /** Its FROM first, then the rest (an implicit stage has no FROM of its own). */
  instructions: DockerInstruction[];
  range: Range;
  /** ARG and ENV values in scope at the end of the stage (defaults only: build-time values are unknown). */
  variables: Variables;
  /**
   * True for the stage a file without any FROM is read as (a fragment, a template, a file being
   * typed), so that the rules about its lines keep checking them, as hadolint does. It has no base
   * image (nothing about it resolves) and builds no image: `finalStage` does not return it.
   */
  implicit?: true;
}

export interface ParserDirective {
  name: string;
  value: string;
  range: Range;
}

export interface DockerComment {
  text: string;
  line: number;
  range: Range;
}

export interface DockerfileModel {
  kind: 'dockerfile';
  document: TextDocument;
  directives: ParserDirective[];
  escape: string;
  comments: DockerComment[];
  instructions: DockerInstruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Variables;
  /**
   * The `RUN` triggers of `ONBUILD RUN …`, as RUN instructions of the stage that declares them
   * (their ranges point into the ONBUILD line). They run in every image built FROM this one, so
   * rules about a RUN's commands judge them too; they are not in `instructions` or a stage's list.
   */
  triggers: DockerInstruction[];
}

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/**
 * Parses once; every rule reads the same model.
 *
 * `previous`, the model of the document's last version, makes an edit cheap. Only the
 * instructions around the changed lines are parsed again (see splice), and an instruction whose
 * text, start position, stage and escape character are unchanged is the same object as before, so
 * what helpers derived from it (its shell script, package commands…, cached per instruction) is
 * reused rather than computed again. Typing changes one instruction; the rest are carried over.
 */
export function parseDockerfile(document: TextDocument, previous?: DockerfileModel | null): DockerfileModel {
  const text = document.getText();
  const { escape, directives, comments, nodes } = (previous && splice(previous, document)) ?? parseWhole(document);
  const reusable = previous && previous.escape === escape ? reusableInstructions(previous) : null;
  const instructionFor = (node: Instruction, keyword: string, stage: number): DockerInstruction => {
    if (reusable) {
      const range = node.getRange();
      const old = reusable.get(instructionKey(stage, range, text.slice(document.offsetAt(range.start), document.offsetAt(range.end))));
      if (old && old.keyword === keyword) return old;
    }
    return toInstruction(node, keyword, stage);
  };
  const instructions: DockerInstruction[] = [];
  const triggers: DockerInstruction[] = [];
  const stages: Stage[] = [];
  const globalArgs: Variables = new Map();
  const stageByName = new Map<string, number>();
  // Without any FROM, the lines after the leading ARGs form one implicit stage (see Stage.implicit).
  // With a FROM further down, the lines above it stay outside every stage: Docker rejects them.
  const fragment = !nodes.some((node) => node.getKeyword().toUpperCase() === 'FROM');

  for (const node of nodes) {
    const keyword = node.getKeyword().toUpperCase();
    if (fragment && stages.length === 0 && keyword !== 'ARG') stages.push(implicitStage(node));
    if (keyword === 'FROM') {
      const from = node as From;
      const index = stages.length;
      const instruction = instructionFor(node, keyword, index);
      const base = baseImage(from, globalArgs, stageByName);
      const name = from.getBuildStage();
      if (name) stageByName.set(name.toLowerCase(), index);
      stages.push({
        index,
        name,
        nameRange: from.getBuildStageRange(),
        from: instruction,
        base,
        instructions: [instruction],
        range: node.getRange(),
        variables: base.stageRef !== null ? new Map(stages[base.stageRef].variables) : new Map(),
      });
      instructions.push(instruction);
      continue;
    }
    const stage = stages.length - 1;
    const instruction = instructionFor(node, keyword, stage);
    instructions.push(instruction);
    if (stage < 0) {
      if (keyword === 'ARG') addVariables(instruction, globalArgs, globalArgs, document, escape);
      continue;
    }
    const current = stages[stage];
    current.instructions.push(instruction);
    if (keyword === 'ONBUILD') {
      const trigger = (node as Onbuild).getTriggerInstruction();
      if (trigger && trigger.getKeyword().toUpperCase() === 'RUN') triggers.push(toInstruction(trigger, 'RUN', stage));
    }
    current.range = { start: current.range.start, end: node.getRange().end };
    if (keyword === 'ARG' || keyword === 'ENV') {
      addVariables(instruction, current.variables, current.variables, document, escape, keyword === 'ARG' ? globalArgs : undefined);
    }
  }

  return {
    kind: 'dockerfile',
    document,
    directives,
    escape,
    comments,
    instructions,
    stages,
    globalArgs,
    triggers,
  };
}

/** The stage of a file without FROM, starting at its first instruction other than ARG. */
function implicitStage(node: Instruction): Stage {
  const start = node.getRange().start;
  const at: Range = { start, end: start };
  const from: DockerInstruction = {
    keyword: 'FROM', range: at, keywordRange: at, args: '', argsRange: null, flags: [], stage: 0,
    execForm: false, json: null, heredocs: [], ast: node,
  };
  return {
    index: 0,
    name: null,
    nameRange: null,
    from,
    base: { text: '', range: at, resolved: null, ref: null, stageRef: null, scratch: false, platform: null },
    instructions: [],
    range: node.getRange(),
    variables: new Map(),
    implicit: true,
  };
}

/** What the model is built from: the parser's instructions, comments and directives. */
interface Parsed {
  escape: string;
  directives: ParserDirective[];
  comments: DockerComment[];
  nodes: Instruction[];
}

function parseWhole(document: TextDocument): Parsed {
  const ast = DockerfileParser.parse(document.getText());
  const directives: ParserDirective[] = [];
  const comments: DockerComment[] = [];
  // dockerfile-ast takes any leading `# a b=c` for a directive; BuildKit knows only `# name=value`
  // with a one-word name, and treats the rest (say `# hadolint ignore=DL3007`) as comments.
  for (const d of ast.getDirectives()) {
    const range = d.getRange();
    const line = document.getText({ start: { line: range.start.line, character: 0 }, end: { line: range.start.line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
    const name = d.getName().toLowerCase();
    if (KNOWN_DIRECTIVES.has(name) && /^\s*#\s*[a-zA-Z][a-zA-Z0-9]*\s*=/.test(line)) {
      directives.push({ name, value: d.getValue(), range });
    } else {
      const hash = line.indexOf('#');
      comments.push({ text: line.slice(hash + 1).trim(), line: range.start.line, range: { start: { line: range.start.line, character: hash }, end: { line: range.start.line, character: line.length } } });
    }
  }
  for (const c of ast.getComments()) comments.push(toComment(c));
  return { escape: ast.getEscapeCharacter(), directives, comments, nodes: ast.getInstructions() };
}

function toComment(c: Comment): DockerComment {
  return { text: c.getContent(), line: c.getRange().start.line, range: c.getRange() };
}

/**
 * The parse of an edited document from its previous version's, re-parsing only the changed
 * lines' instructions: from the start of the last instruction at or before the first changed
 * line, to the end of the first unchanged instruction after the last changed line (to the end of
 * the file when the edit added or removed lines, since every later position moved). The window is
 * parsed on its own, padded with empty lines so that positions match the document, and is kept
 * only if its last instruction is that unchanged one, parsed as before: then nothing the edit did
 * (an escaped newline, an unterminated here-document) reaches past the window, and the parser's
 * state there is what it was. Null when the edit touches the parser directives or the lines
 * before the first instruction, or when that check fails: the caller parses the whole document.
 */
function splice(previous: DockerfileModel, document: TextDocument): Parsed | null {
  const before = previous.document.getText();
  const after = document.getText();
  if (previous.instructions.length === 0 || before === after) return null;
  // The first and last changed lines, from the common prefix and suffix.
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const firstChanged = document.positionAt(prefix).line;
  const lastChangedBefore = previous.document.positionAt(before.length - suffix).line;
  const sameLines = previous.document.lineCount === document.lineCount;

  const old = previous.instructions;
  let first = -1;
  for (let i = 0; i < old.length && old[i].range.start.line <= firstChanged; i++) first = i;
  // The directives, leading comments and first instruction are parsed as a whole (an edit there
  // can turn a line into a directive).
  if (first <= 0 || previous.directives.some((d) => d.range.start.line >= firstChanged)) return null;
  let anchor = -1;
  if (sameLines) {
    anchor = old.findIndex((i) => i.range.start.line > lastChangedBefore);
    // The window ends with the unchanged instruction after the edit; none: it runs to the end.
  }
  const startLine = old[first].range.start.line;
  const endLine = anchor >= 0 ? old[anchor].range.end.line : document.lineCount - 1;
  const windowText = document.getText({ start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } });
  // Empty lines in front keep the positions (and stop the parser from reading directives); a
  // non-default escape character is set by a directive on the first of them.
  const padding = previous.escape === '\\' ? '\n'.repeat(startLine) : `# escape=${previous.escape}` + '\n'.repeat(startLine);
  const ast = DockerfileParser.parse(padding + windowText);
  if (ast.getEscapeCharacter() !== previous.escape) return null;
  const parsed = ast.getInstructions();
  if (anchor >= 0) {
    const last = parsed[parsed.length - 1];
    const expected = old[anchor];
    if (!last || !sameRange(last.getRange(), expected.range) || last.getKeyword().toUpperCase() !== expected.keyword) return null;
  }
  const keepAfter = anchor >= 0 ? old.slice(anchor + 1) : [];
  const windowStart = startLine;
  const windowEnd = anchor >= 0 ? endLine : Infinity;
  const comments = [
    ...previous.comments.filter((c) => c.line < windowStart),
    ...ast.getComments().map(toComment),
    ...previous.comments.filter((c) => c.line > windowEnd),
  ];
  return {
    escape: previous.escape,
    directives: previous.directives,
    comments,
    nodes: [...old.slice(0, first).map((i) => i.ast), ...parsed, ...keepAfter.map((i) => i.ast)],
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function instructionKey(stage: number, range: Range, text: string): string {
  return `${stage}:${range.start.line}:${range.start.character}\u0000${text}`;
}

/** The instructions of a model by stage, start and text (see parseDockerfile). */
function reusableInstructions(model: DockerfileModel): Map<string, DockerInstruction> {
  const text = model.document.getText();
  const byKey = new Map<string, DockerInstruction>();
  for (const instruction of model.instructions) {
    const { range } = instruction;
    byKey.set(instructionKey(instruction.stage, range, text.slice(model.document.offsetAt(range.start), model.document.offsetAt(range.end))), instruction);
  }
  return byKey;
}

function toInstruction(node: Instruction, keyword: string, stage: number): DockerInstruction {
  const flagged = node as unknown as Partial<Run>;
  const flags = typeof flagged.getFlags === 'function'
    ? flagged.getFlags().map((f) => ({
        name: f.getName().toLowerCase(),
        value: f.getValue(),
        range: f.getRange(),
        options: new Map(f.getOptions().map((o) => [o.getName().toLowerCase(), o.getValue()])),
      }))
    : [];
  // Exec form is what Docker accepts: the arguments parse as a JSON array of strings.
  const json = JSON_FORM.has(keyword) ? jsonArray(node.getArgumentsContent()) : null;
  // Only RUN, COPY and ADD expose their heredocs; other instructions keep the method protected.
  const heredocs = keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' ? heredocNames(node as unknown as Copy) : [];
  return {
    keyword,
    range: node.getRange(),
    keywordRange: node.getInstructionRange(),
    args: argumentsAfterFlags(node, flags.length),
    argsRange: node.getArgumentsRange(),
    flags,
    stage,
    execForm: json !== null,
    json,
    heredocs,
    ast: node,
  };
}

const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'COPY', 'ADD', 'VOLUME']);

function jsonArray(content: string | null): string[] | null {
  if (!content || !content.trimStart().startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(content);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  } catch {
    return null;
  }
}

function argumentsAfterFlags(node: Instruction, flagCount: number): string {
  const content = node.getArgumentsContent() ?? '';
  if (flagCount === 0) return content;
  // dockerfile-ast keeps flags in the arguments content: drop the leading `--x=y` words.
  let rest = content;
  for (let i = 0; i < flagCount; i++) rest = rest.replace(/^\s*--\S*/, '');
  return rest.trimStart();
}

function baseImage(from: From, globalArgs: Variables, stageByName: Map<string, number>): BaseImage {
  const text = from.getImage() ?? '';
  const range = from.getImageRange() ?? from.getRange();
  const resolved = expandVariables(text, globalArgs);
  const stageRef = resolved !== null && stageByName.has(resolved.toLowerCase()) ? stageByName.get(resolved.toLowerCase())! : null;
  const platformFlag = from.getFlags().find((f) => f.getName().toLowerCase() === 'platform');
  return {
    text,
    range,
    resolved,
    ref: resolved !== null && stageRef === null ? parseImageRef(resolved) : null,
    stageRef,
    scratch: resolved?.toLowerCase() === 'scratch',
    platform: platformFlag?.getValue() ?? null,
  };
}

/**
 * Records `ARG a=1 b` / `ENV a=1 b=2` / legacy `ENV a 1` in `target`. Values are expanded against
 * the scope as it was before the instruction (Docker: `ENV A=2 B=$A` gives B the old A), and
 * single-quoted text is not expanded.
 */
function addVariables(instruction: DockerInstruction, target: Variables, scope: Variables, document: TextDocument, escape: string, globals?: Variables): void {
  const node = instruction.ast as Instruction & { getProperties?(): Property[]; getProperty?(): Property | null };
  const properties = typeof node.getProperties === 'function'
    ? node.getProperties()
    : typeof node.getProperty === 'function' && node.getProperty()
      ? [node.getProperty()!]
      : [];
  // The values of names this instruction reassigns, as they were before it (no full copy: files
  // with thousands of ENV lines must stay linear).
  const previous = new Map<string, string | null | undefined>();
  const before = { get: (name: string) => (previous.has(name) ? previous.get(name) : scope.get(name)) };
  for (const property of properties) {
    if (!previous.has(property.getName())) previous.set(property.getName(), scope.get(property.getName()));
  }
  for (const property of properties) {
    const name = property.getName();
    const range = property.getValueRange();
    if (property.getValue() === null || !range) {
      // `ARG NAME` inside a stage re-imports a global ARG's default.
      target.set(name, globals?.get(name) ?? target.get(name) ?? null);
    } else {
      target.set(name, expandWord(document.getText(range), before, escape));
    }
  }
}

type Property = { getName(): string; getValue(): string | null; getValueRange(): Range | null };

/** A word as Docker's shell-word processing reads it: quotes removed, `$VAR` expanded outside single quotes. */
function expandWord(raw: string, vars: VariableLookup, escape: string): string | null {
  let out = '';
  for (const part of raw.match(/'[^']*'|"(?:\\.|[^"\\])*"|[^'"]+|['"]/g) ?? []) {
    if (part.startsWith("'") && part.length > 1 && part.endsWith("'")) {
      out += part.slice(1, -1);
      continue;
    }
    const inner = part.startsWith('"') && part.length > 1 && part.endsWith('"') ? part.slice(1, -1) : part;
    const expanded = expandVariables(inner, vars, { syntax: 'dockerfile', escape });
    if (expanded === null) return null;
    out += expanded.replace(/\\(.)/g, '$1');
  }
  return out;
}

/**
 * The stage that ships: the `target` when one is named, else the release stage (the last one,
 * unless the last stages only test, lint or develop the application: see releaseStage). A file
 * without FROM builds no image: none.
 */
export function finalStage(model: DockerfileModel, target?: string): Stage | undefined {
  if (target) {
    const lower = target.toLowerCase();
    return model.stages.find((s) => s.name?.toLowerCase() === lower);
  }
  const release = releaseStage(model);
  return release?.implicit ? undefined : release;
}

/**
 * Every RUN of the file, then the `ONBUILD RUN` triggers: what the rules about a command read.
 * Computed once per model, since several rules walk it on every lint.
 */
export function runsAndTriggers(model: DockerfileModel): readonly DockerInstruction[] {
  let runs = runLists.get(model);
  if (!runs) {
    runs = [...model.instructions.filter((i) => i.keyword === 'RUN'), ...model.triggers];
    runLists.set(model, runs);
  }
  return runs;
}

const runLists = new WeakMap<DockerfileModel, readonly DockerInstruction[]>();

/** The earlier stage a `COPY --from=` names (by name or index), or null for an image or a missing flag. */
export function copySourceStage(model: DockerfileModel, copy: DockerInstruction): Stage | null {
  const from = copy.flags.find((f) => f.name === 'from')?.value;
  if (!from) return null;
  const index = /^\d+$/.test(from) ? Number(from) : model.stages.findIndex((s) => s.name?.toLowerCase() === from.toLowerCase());
  return index >= 0 && index < copy.stage ? model.stages[index] : null;
}

/** The working directory in effect before `instruction`: `<base>` stands for the image's own. */
export function workdirBefore(model: DockerfileModel, stage: Stage, instruction: DockerInstruction): string | null {
  let dir = '<base>';
  const chain = stageAncestry(model, stage).reverse();
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) return dir;
      if (i.keyword !== 'WORKDIR') continue;
      const value = expandVariables(i.args.trim(), s.variables, { syntax: 'dockerfile', escape: model.escape });
      if (value === null || value === '') return null;
      dir = value.startsWith('/') ? posix.normalize(value) : posix.join(dir, value);
    }
  }
  return null;
}

/** The stage and the stages it is built `FROM`, nearest first (the last one starts from an image). */
export function stageAncestry(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage;
  const seen = new Set<number>();
  while (current && !seen.has(current.index)) {
    seen.add(current.index);
    chain.push(current);
    current = current.base.stageRef !== null ? model.stages[current.base.stageRef] : undefined;
  }
  return chain;
}

/**
 * The names of an instruction's heredocs. dockerfile-ast can throw on unusual bodies (a `<<-`
 * body line that starts with the escape character): the instruction then counts as having none
 * rather than failing the whole file.
 */
function heredocNames(node: Copy): string[] {
  try {
    return node.getHeredocs().map((h) => h.getName());
  } catch {
    return [];
  }
}
