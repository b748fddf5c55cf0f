import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type Node as SyntaxNode } from 'web-tree-sitter';
import type { Range } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel } from './parse';

/**
 * RUN commands parsed by tree-sitter-bash, a real shell grammar (see docs/architecture.md for why:
 * it is error-tolerant, so a half-typed RUN still yields its commands, it parses synchronously
 * once loaded, and it measured 4× faster than mvdan/sh's GopherJS build on the corpus).
 *
 * Docker removes line continuations before the shell sees the command; here they are blanked
 * with spaces of the same length instead, so every offset in the shell source is an offset in
 * the Dockerfile and every word has its exact range.
 */

export interface ShellWord {
  /** The word as written, quotes included. */
  text: string;
  /** The word's value after quote removal, or null when it depends on an expansion. */
  value: string | null;
  range: Range;
}

export interface ShellCommand {
  /** The command name's value as written (`/usr/bin/apt-get`), or null when it is an expansion. */
  name: string | null;
  /** The base name of the command (`apt-get`). */
  program: string | null;
  /** The name and its arguments. */
  words: ShellWord[];
  /** The arguments after the name. */
  args: ShellWord[];
  /** `VAR=value` prefixes of this command. */
  assignments: { name: string; value: string | null; range: Range }[];
  range: Range;
  text: string;
  /** The pipeline this command is part of (length > 1 when piped), shared between its members. */
  pipeline: ShellCommand[];
  /** True inside `sh -c '…'`/`bash -c "…"`, parsed from the string. */
  nested: boolean;
  /**
   * True when the command may not run, or may fail without failing the RUN: in an `if`, `case`
   * or loop condition or body, a function, after `||`, or after `&&` behind a test (`[ -f … ] &&`,
   * `command -v apk &&`). Scripts that serve several distributions choose their commands so.
   */
  conditional: boolean;
  /**
   * Where the command's output goes when it runs inside a command substitution: `assignment` when
   * the substitution is the value of a bare `VAR=$(…)` statement, whose status is the
   * substitution's; `word` when it is (part of) another command's argument, a `for` list, a test
   * operand or an `export`/`local` value, whose status the substitution's failure never reaches;
   * null outside substitutions.
   */
  substitution: 'assignment' | 'word' | null;
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Pipelines of more than one command. */
  pipelines: ShellCommand[][];
  /** The grammar could not parse part of the text. */
  hasErrors: boolean;
}

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

function wasm(file: string, pkg: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : require.resolve(`${pkg}/${file}`);
}

/** Loads the grammar once; everything after it is synchronous. Call before the first lint. */
export function initShellParser(): Promise<void> {
  loading ??= (async () => {
    // V8 compiles WebAssembly twice: quickly (Liftoff), then optimised (TurboFan) in the
    // background. For the 1.3 MB bash grammar the second compile costs more CPU than all the
    // parsing a session does (a CLI run over the corpus: 4.9 s of CPU with it, 3.0 s without; one
    // file: 1.2 s against 0.4 s) and 35 MB of memory, so the grammar stays on the baseline code.
    setFlagsFromString('--liftoff-only');
    await Parser.init({ locateFile: () => wasm('tree-sitter.wasm', 'web-tree-sitter') });
    const bash = await Language.load(wasm('tree-sitter-bash.wasm', 'tree-sitter-bash'));
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })();
  return loading;
}

export function shellParserReady(): boolean {
  return parser !== null;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
const cache = new WeakMap<DockerInstruction, ShellScript>();

/**
 * How many instructions of one document get their shell parsed. A real Dockerfile has tens; a
 * pathological one (a 5 MB file of RUN lines) would otherwise hold the server for many seconds,
 * so its later commands are left unanalysed (reported as not parsed).
 */
export const SHELL_ANALYSIS_LIMIT = 5000;
const counts = new WeakMap<DockerfileModel, number>();
const unanalysed: ShellScript = Object.freeze({ commands: [], pipelines: [], hasErrors: true }) as ShellScript;

/** The commands a RUN (or a HEALTHCHECK CMD, or a shell-form CMD/ENTRYPOINT) executes. */
export function shellOf(model: DockerfileModel, instruction: DockerInstruction): ShellScript {
  let script = cache.get(instruction);
  if (!script) {
    const count = counts.get(model) ?? 0;
    if (count >= SHELL_ANALYSIS_LIMIT) return unanalysed;
    counts.set(model, count + 1);
    script = parseInstruction(model, instruction);
    cache.set(instruction, script);
  }
  return script;
}

/**
 * The commands of a shell script that is not part of the Dockerfile (an entrypoint script read
 * from the build context), with ranges in the script's own text; empty before the parser loads.
 */
export function shellOfText(text: string): ShellScript {
  if (!parser) return { commands: [], pipelines: [], hasErrors: true };
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const at = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - starts[low] };
  };
  return parseShared(text, (from, to) => ({ start: at(from), end: at(to) }));
}

/** Every command of every RUN in a stage, in order. */
export function stageCommands(model: DockerfileModel, stageIndex: number): { instruction: DockerInstruction; command: ShellCommand }[] {
  const stage = model.stages[stageIndex];
  if (!stage) return [];
  return stage.instructions
    .filter((i) => i.keyword === 'RUN')
    .flatMap((instruction) => shellOf(model, instruction).commands.map((command) => ({ instruction, command })));
}

function parseInstruction(model: DockerfileModel, instruction: DockerInstruction): ShellScript {
  const empty: ShellScript = { commands: [], pipelines: [], hasErrors: false };
  const document = model.document;
  if (instruction.execForm && instruction.json && instruction.argsRange) {
    // Exec form runs no shell: the JSON strings are the words, unless they call a shell with -c.
    const range = instruction.argsRange;
    const words = instruction.json.map((value) => ({ text: JSON.stringify(value), value, range }));
    const command = makeCommand(words, [], range, instruction.args, false, false);
    const inner = shellCArgument(command);
    if (inner !== null) return withNested(parseSource(inner, () => range, true, false), command);
    return { commands: [command], pipelines: [], hasErrors: false };
  }
  const first = firstArgumentOffset(model, instruction);
  if (first === null) return empty;
  const end = document.offsetAt(instruction.range.end);
  const full = document.getText();
  let start = first;
  // HEALTHCHECK CMD <command>: the shell command follows the CMD keyword.
  if (instruction.keyword === 'HEALTHCHECK') {
    const m = /^CMD\s+/i.exec(full.slice(start, end));
    if (!m) return empty;
    start += m[0].length;
  }
  let source = blankInlineComments(blankContinuations(full.slice(start, end), model.escape));
  let base = start;
  // `RUN <<EOF` with no command runs the here-document itself as the script.
  const heredoc = /^<<(-?)\s*(["']?)([A-Za-z_][\w-]*)\2[ \t]*\r?\n/.exec(source);
  if (heredoc) {
    const bodyStart = heredoc[0].length;
    const close = new RegExp(`^${heredoc[1] ? '\\t*' : ''}${heredoc[3]}\\s*$`, 'm');
    const rest = source.slice(bodyStart);
    const m = close.exec(rest);
    source = rest.slice(0, m ? m.index : rest.length);
    base = start + bodyStart;
  }
  const toRange = (from: number, to: number): Range => ({ start: document.positionAt(base + from), end: document.positionAt(base + to) });
  return parseShared(source, toRange);
}

/** A range by offsets into a script's own text, before it is placed in a document. */
class RelativeRange {
  constructor(readonly from: number, readonly to: number) {}
}

/**
 * Parsed scripts by their text, with ranges relative to it. Typing changes one instruction at a
 * time, so every other RUN of the next version finds its script here and is only placed (its
 * ranges mapped into the document), not parsed again; across files, common lines (`RUN npm ci`)
 * are shared too. Bounded, oldest first out.
 */
const scripts = new Map<string, ShellScript>();
const SCRIPT_CACHE_SIZE = 4096;

/** Forgets every cached script: benchmarks use it to measure a first lint, with nothing cached. */
export function clearShellCache(): void {
  scripts.clear();
}

function parseShared(source: string, toRange: (from: number, to: number) => Range): ShellScript {
  let relative = scripts.get(source);
  if (relative) {
    scripts.delete(source);
  } else {
    relative = parseSource(source, (from, to) => new RelativeRange(from, to) as unknown as Range, false, false);
    if (scripts.size >= SCRIPT_CACHE_SIZE) scripts.delete(scripts.keys().next().value!);
  }
  scripts.set(source, relative);
  return place(relative, toRange);
}

/** A copy of a cached script with its ranges in the document; shared objects stay shared. */
function place(relative: ShellScript, toRange: (from: number, to: number) => Range): ShellScript {
  const copies = new Map<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (value instanceof RelativeRange) {
      const range = toRange(value.from, value.to);
      copies.set(value, range);
      return range;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      copies.set(value, out);
      for (const item of value) out.push(copy(item));
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(value, out);
    for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
    return out;
  };
  return copy(relative) as ShellScript;
}

function withNested(script: ShellScript, outer: ShellCommand): ShellScript {
  return { ...script, commands: [outer, ...script.commands] };
}

function firstArgumentOffset(model: DockerfileModel, instruction: DockerInstruction): number | null {
  const args = instruction.ast.getArguments();
  if (args.length === 0) return null;
  return model.document.offsetAt(args[0].getRange().start);
}

/**
 * Blanks the `` `# comment` `` idiom (a command substitution holding only a comment, which the
 * shell runs as nothing) so that the comment does not swallow the rest of the line.
 */
function blankInlineComments(text: string): string {
  return text.replace(/`#[^`\n]*`/g, (m) => ' '.repeat(m.length));
}

/** Replaces each escaped newline (and comment lines inside a continuation) with spaces. */
function blankContinuations(text: string, escape: string): string {
  const chars = text.split('');
  const escaped = escape === '`' ? '`' : '\\\\';
  const pattern = new RegExp(`${escaped}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n|[ \\t]*\\r?\\n)*`, 'g');
  for (const m of text.matchAll(pattern)) {
    for (let i = m.index!; i < m.index! + m[0].length; i++) chars[i] = ' ';
  }
  return chars.join('');
}

/** Node types whose commands run only on a condition (see ShellCommand.conditional). */
const CONDITIONAL_NODES = new Set(['if_statement', 'case_statement', 'while_statement', 'function_definition']);
/** Commands that test something, so that `test && cmd` runs cmd only when the test passes. */
const PROBES = new Set(['test', '[', '[[', 'command', 'which', 'type', 'hash', 'grep', 'egrep', 'fgrep', 'getent', 'id', 'uname', 'stat', 'ls', 'find', 'false']);

/** True when a node holds a test (`[ … ]`, `command -v …`, `grep -q …`). */
function holdsProbe(node: SyntaxNode): boolean {
  if (node.type === 'test_command') return true;
  if (node.type === 'command') {
    const name = node.childForFieldName('name')?.text ?? '';
    return PROBES.has(name.slice(name.lastIndexOf('/') + 1));
  }
  return node.namedChildren.some((child) => child !== null && holdsProbe(child));
}

/** True when a substitution is (in) the value of a `VAR=…` statement of its own, not a command's prefix or an `export`. */
function assignedAlone(node: SyntaxNode): boolean {
  let parent = node.parent;
  while (parent && (parent.type === 'string' || parent.type === 'concatenation')) parent = parent.parent;
  if (parent?.type !== 'variable_assignment') return false;
  let owner = parent.parent;
  if (owner?.type === 'variable_assignments') owner = owner.parent;
  return owner?.type !== 'command' && owner?.type !== 'declaration_command';
}

function parseSource(source: string, toRange: (from: number, to: number) => Range, nested: boolean, conditional: boolean, depth = 0): ShellScript {
  if (!parser) throw new Error('shell parser not loaded: await initShellParser() first');
  const tree = parser.parse(source);
  if (!tree) return { commands: [], pipelines: [], hasErrors: true };
  const commands: ShellCommand[] = [];
  const pipelines: ShellCommand[][] = [];
  let hasErrors = false;
  try {
    const root = tree.rootNode;
    hasErrors = root.hasError;
    const visit = (node: SyntaxNode, pipeline: ShellCommand[] | null, onCondition: boolean, sub: ShellCommand['substitution'] = null) => {
      if (node.type === 'pipeline') {
        const members: ShellCommand[] = [];
        const after: { node: SyntaxNode; operator: string | null }[] = [];
        visitPipeline(node, members, after, onCondition, sub);
        if (members.length > 1) pipelines.push(members);
        for (const rest of after) visit(rest.node, null, onCondition || rest.operator === '||' || (rest.operator === '&&' && holdsProbe(node)), sub);
        return;
      }
      if (node.type === 'command_substitution' || node.type === 'process_substitution') {
        // Only a bare assignment's status is its substitution's (`VAR=$(a | b) && …`).
        for (const child of node.namedChildren) if (child) visit(child, null, onCondition, node.type === 'command_substitution' && assignedAlone(node) ? 'assignment' : 'word');
        return;
      }
      if (node.type === 'list') {
        // `a && b`, `a || b`: lists nest to the left, so the last operand follows the operator.
        let operator: string | null = null;
        let left: SyntaxNode | null = null;
        for (const child of node.children) {
          if (!child) continue;
          if (child.type === '&&' || child.type === '||') operator = child.type;
          if (!child.isNamed) continue;
          if (operator === null) left ??= child.type === 'comment' ? null : child;
          const guarded = operator === '||' || (operator === '&&' && left !== null && holdsProbe(left));
          visit(child, null, onCondition || guarded, sub);
        }
        return;
      }
      if (node.type === 'command' || node.type === 'declaration_command') {
        const command = toCommand(node, source, toRange, nested, onCondition);
        command.substitution = sub;
        const members = pipeline ?? [];
        command.pipeline = members;
        members.push(command);
        commands.push(command);
        // `sh -c '…'`: the string is a script of its own.
        const inner = shellCArgument(command);
        if (inner !== null && depth < 3) {
          const word = command.args[command.args.findIndex((a) => a.value !== null && /^(?:-[a-z]*c[a-z]*|--command)$/.test(a.value)) + 1] ?? command.args[0];
          const offset = source.indexOf(word.text, node.startIndex);
          const quoted = /^['"]/.test(word.text) ? 1 : 0;
          const exact = word.text.slice(quoted, word.text.length - quoted) === inner;
          const innerRange = exact ? (a: number, b: number) => toRange(offset + quoted + a, offset + quoted + b) : () => word.range;
          const script = parseSource(inner, innerRange, true, onCondition, depth + 1);
          commands.push(...script.commands);
          pipelines.push(...script.pipelines);
          hasErrors ||= script.hasErrors;
        }
        // Command substitutions inside the arguments run too.
        for (const child of node.namedChildren) if (child && child.type !== 'command_name') visitNested(child, onCondition);
        return;
      }
      const inside = onCondition || CONDITIONAL_NODES.has(node.type);
      for (const child of node.namedChildren) if (child) visit(child, pipeline && node.type === 'redirected_statement' ? pipeline : null, inside, sub);
    };
    /**
     * tree-sitter-bash 0.25 reads `a | b | c && d` as `a | (b | c && d)`, a `list` inside the
     * pipeline, where the shell reads `(a | b | c) && d`: the first operand of such a list (its
     * leftmost, when lists nest) continues the pipeline, and the other operands follow it, each with
     * the operator before it (an operand after `||` runs only on a condition).
     */
    const visitPipeline = (node: SyntaxNode, members: ShellCommand[], after: { node: SyntaxNode; operator: string | null }[], onCondition: boolean, sub: ShellCommand['substitution']) => {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type !== 'list') {
          visit(child, members, onCondition, sub);
          continue;
        }
        let first: SyntaxNode = child;
        const rest: { node: SyntaxNode; operator: string | null }[] = [];
        while (first.type === 'list' && first.namedChildren[0]) {
          const operands: { node: SyntaxNode; operator: string | null }[] = [];
          let operator: string | null = null;
          let seenFirst = false;
          for (const c of first.children) {
            if (!c) continue;
            if (c.type === '&&' || c.type === '||') operator = c.type;
            if (!c.isNamed) continue;
            if (!seenFirst) {
              seenFirst = true;
              continue;
            }
            operands.push({ node: c, operator });
          }
          rest.unshift(...operands);
          first = first.namedChildren[0];
        }
        if (first.type === 'pipeline') visitPipeline(first, members, after, onCondition, sub);
        else visit(first, members, onCondition, sub);
        after.push(...rest);
      }
    };
    const visitNested = (node: SyntaxNode, onCondition: boolean) => {
      if (node.type === 'command_substitution' || node.type === 'process_substitution') {
        // In a command's words (its arguments, or an `A=$(…) cmd` prefix), the command's status wins.
        for (const child of node.namedChildren) if (child) visit(child, null, onCondition, 'word');
        return;
      }
      for (const child of node.namedChildren) if (child) visitNested(child, onCondition);
    };
    visit(root, null, conditional);
  } finally {
    tree.delete();
  }
  return { commands, pipelines, hasErrors };
}

function toCommand(node: SyntaxNode, source: string, toRange: (a: number, b: number) => Range, nested: boolean, conditional: boolean): ShellCommand {
  const words: ShellWord[] = [];
  const assignments: ShellCommand['assignments'] = [];
  // `export A=1 B=2` (also declare, readonly, local…): the keyword is the program, the
  // assignments are its own, as for `A=1 cmd`.
  const keyword = node.type === 'declaration_command' ? node.child(0) : null;
  if (keyword) words.push({ text: keyword.text, value: keyword.text, range: toRange(keyword.startIndex, keyword.endIndex) });
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      const name = child.childForFieldName('name')?.text ?? child.text.split('=')[0];
      const valueNode = child.childForFieldName('value');
      assignments.push({ name, value: valueNode ? staticValue(valueNode) : '', range: toRange(child.startIndex, child.endIndex) });
    } else if (child.type === 'command_name') {
      const inner = child.namedChildren[0] ?? child;
      words.push({ text: child.text, value: staticValue(inner), range: toRange(child.startIndex, child.endIndex) });
    } else if (child.type !== 'file_redirect' && child.type !== 'herestring_redirect' && child.type !== 'heredoc_redirect' && child.type !== 'comment') {
      words.push({ text: child.text, value: staticValue(child), range: toRange(child.startIndex, child.endIndex) });
    }
  }
  return makeCommand(words, assignments, toRange(node.startIndex, node.endIndex), source.slice(node.startIndex, node.endIndex), nested, conditional);
}

function makeCommand(words: ShellWord[], assignments: ShellCommand['assignments'], range: Range, text: string, nested: boolean, conditional: boolean): ShellCommand {
  const name = words[0]?.value ?? null;
  return {
    name,
    program: name === null ? null : name.slice(name.lastIndexOf('/') + 1),
    words,
    args: words.slice(1),
    assignments,
    range,
    text,
    pipeline: [],
    nested,
    conditional,
    substitution: null,
  };
}

/** The script of `sh -c '…'` (also `bash -lc`, `sh -ec`, `su -c '…' user`, `runuser -u app -- sh -c`), or null. */
function shellCArgument(command: ShellCommand): string | null {
  if (command.program === 'su' || command.program === 'runuser') {
    const index = command.args.findIndex((a) => a.value === '-c' || a.value === '--command');
    if (index >= 0 && index + 1 < command.args.length) return command.args[index + 1].value;
    const joined = command.args.find((a) => a.value?.startsWith('--command='));
    return joined?.value ? joined.value.slice('--command='.length) : null;
  }
  if (!command.program || !SHELLS.has(command.program)) return null;
  const args = command.program === 'busybox' ? command.args.slice(1) : command.args;
  const index = args.findIndex((a) => a.value !== null && /^-[a-z]*c[a-z]*$/.test(a.value));
  if (index < 0 || index + 1 >= args.length) return null;
  return args[index + 1].value;
}

/** A word's value after quote removal; null when it contains an expansion or a substitution. */
export function staticValue(node: SyntaxNode): string | null {
  switch (node.type) {
    case 'word':
    case 'number':
      return node.text.replace(/\\(.)/g, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return node.text.slice(2, -1);
    case 'string':
      if (node.namedChildren.some((child) => child && child.type !== 'string_content')) return null;
      return node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1');
    case 'concatenation': {
      let out = '';
      for (const child of node.children) {
        if (!child) continue;
        const value = child.isNamed ? staticValue(child) : child.text;
        if (value === null) return null;
        out += value;
      }
      return out;
    }
    default:
      return null;
  }
}

/** Helpers rules use to read options, the way the tools themselves read them. */
export function hasOption(command: ShellCommand, ...options: string[]): boolean {
  return command.args.some((a) => {
    const v = a.value;
    if (v === null) return false;
    if (options.includes(v)) return true;
    const eq = v.indexOf('=');
    if (v.startsWith('--') && eq > 0 && options.includes(v.slice(0, eq))) return true;
    // Clustered short options: `-yq` has `-y`.
    if (/^-[A-Za-z]{2,}$/.test(v)) return options.some((o) => /^-[A-Za-z]$/.test(o) && v.includes(o[1]));
    return false;
  });
}

/** The value of `--name=value` or `--name value` (also short `-n value`). */
export function optionValue(command: ShellCommand, ...options: string[]): string | null | undefined {
  for (let i = 0; i < command.args.length; i++) {
    const v = command.args[i].value;
    if (v === null) continue;
    for (const o of options) {
      if (v === o) return command.args[i + 1]?.value ?? null;
      if (v.startsWith(`${o}=`)) return v.slice(o.length + 1);
    }
  }
  return undefined;
}

/** Arguments that are not options, in order (`apt-get install -y curl` → `install`, `curl`). */
export function positionals(command: ShellCommand): ShellWord[] {
  return command.args.filter((a) => a.value === null || !a.value.startsWith('-'));
}
