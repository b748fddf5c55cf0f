import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { shellOf, positionals, type ShellCommand } from '../../dockerfile/shell';
import { expandVariables } from '../../text/variables';
import { posixRuns } from '../../dockerfile/shells';
import { escapeRegExp } from '../../text/regexp';

/** Where a `cd` sits in its RUN, which decides what it means. */
type Position = 'first' | 'last' | 'only';

interface CdFinding {
  instruction: DockerInstruction;
  command: ShellCommand;
  position: Position;
  /** The directory as written. */
  target: string;
}

/** Directories a RUN uses as scratch space: making them the working directory of later steps is wrong. */
const SCRATCH = /^\/(?:var\/)?tmp(?:\/|$)/;

function textBetween(model: DockerfileModel, from: Range['start'], to: Range['start']): string {
  return model.document.getText({ start: from, end: to });
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * True when only separators (`;`, `&&`, blank space, line continuations, comment lines) stand
 * between two points of a RUN: the commands on either side run one after the other in the same
 * shell, not inside a subshell, a group, a condition or a loop.
 */
function onlySeparators(text: string, escape: string): boolean {
  const continuation = escape === '`' ? /`\r?\n/g : /\\\r?\n/g;
  const rest = text.replace(continuation, ' ').replace(/^[ \t]*#.*$/gm, '');
  return /^[\s;]*(?:&&)?[\s;]*$/.test(rest);
}

function normalize(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Finds the `cd` this rule is about in one RUN, if any. */
function findCd(model: DockerfileModel, instruction: DockerInstruction): CdFinding | null {
  const script = shellOf(model, instruction);
  if (script.hasErrors) return null;
  // Commands inside `sh -c '…'` change directory in that shell only.
  const commands = script.commands.filter((c) => !c.nested);
  if (commands.length === 0) return null;
  const args = instruction.ast.getArguments();
  if (args.length === 0) return null;
  let start = args[0].getRange().start;
  let lead = 0;
  // `set -eux` before the `cd` changes no directory: look past it.
  while (commands[lead] && commands[lead].program === 'set' && onlySeparators(textBetween(model, start, commands[lead].range.start), model.escape)) {
    start = commands[lead].range.end;
    lead++;
  }
  const heredoc = instruction.heredocs.length > 0 && /^<<-?\s*["']?[\w-]+["']?[ \t]*\r?\n/.exec(textBetween(model, args[0].getRange().start, commands[0].range.start));
  const isFirst = (c: ShellCommand, i: number) => {
    if (i !== lead) return false;
    let prefix = textBetween(model, start, c.range.start);
    if (lead === 0 && heredoc) prefix = prefix.slice(heredoc[0].length).replace(/^#!.*$/m, '');
    return onlySeparators(prefix, model.escape);
  };
  const isLast = (c: ShellCommand) => {
    if (commands.some((other) => other !== c && !before(other.range.start, c.range.end))) return false;
    let suffix = textBetween(model, c.range.end, instruction.range.end);
    for (const name of instruction.heredocs) suffix = suffix.replace(new RegExp(`\\n[ \\t]*${escapeRegExp(name)}[ \\t]*$`), '');
    return /^[\s;]*$/.test(suffix.replace(model.escape === '`' ? /`\r?\n/g : /\\\r?\n/g, ' '));
  };
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    if (c.program !== 'cd') continue;
    const first = isFirst(c, i);
    const last = isLast(c);
    if (!first && !last) continue;
    const words = positionals(c);
    if (words.length !== 1 || c.args.length !== 1) return null;
    const word = words[0];
    // `cd -`, `cd "$(mktemp -d)"`: nothing WORKDIR could say.
    if (word.value === '-' || /\$\(|`/.test(word.text)) return null;
    const stage = model.stages[instruction.stage];
    const resolved = word.value ?? expandVariables(word.text.replace(/^"|"$/g, ''), stage.variables);
    if (resolved === null) return null;
    if (SCRATCH.test(resolved)) return null;
    const position: Position = first && last ? 'only' : first ? 'first' : 'last';
    // A directory the same RUN deletes again is scratch space, not a working directory.
    if (position === 'first' && removedLater(commands.slice(i + 1), normalize(resolved))) return null;
    return { instruction, command: c, position, target: word.value ?? word.text };
  }
  return null;
}

function removedLater(commands: ShellCommand[], target: string): boolean {
  return commands.some((c) => c.program === 'rm' && positionals(c).some((w) => {
    if (w.value === null) return false;
    const path = normalize(w.value);
    return path === target || (path !== '/' && target.startsWith(`${path}/`));
  }));
}

/**
 * `cd` in a RUN lasts until that RUN ends: a RUN that starts by changing directory hides the
 * working directory from the reader and from the next instructions, and a RUN that ends with `cd`
 * changes nothing at all. `WORKDIR` sets it for every instruction after it, visibly.
 */
export default dockerfileRule({
  id: 'workdir-not-cd',
  aliases: ['DL3003', 'f4a6bcd3-e231-4acf-993c-aa027be50d2e'],
  title: 'Use WORKDIR to change the working directory',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index, true)) {
        const found = findCd(dockerfile, instruction);
        if (!found) continue;
        const { command, target, position } = found;
        const message = position === 'first'
          ? `This RUN starts with \`cd ${target}\`, which lasts only until the RUN ends and leaves the working directory of later instructions unsaid; set it with \`WORKDIR ${target}\` instead.`
          : position === 'only'
            ? `\`RUN cd ${target}\` changes nothing, because every RUN starts again in the WORKDIR; use \`WORKDIR ${target}\` to change the directory of the instructions that follow.`
            : `\`cd ${target}\` is the last command of this RUN, so it changes nothing: the next instruction starts again in the WORKDIR; drop it, or use \`WORKDIR ${target}\` if later instructions need that directory.`;
        report({ range: command.range, message, data: { position } });
      }
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find((i) => i.keyword === 'RUN' && i.range.start.line <= finding.range.start.line && i.range.end.line >= finding.range.end.line);
    if (!instruction) return undefined;
    const found = findCd(dockerfile, instruction);
    if (!found || found.position === 'last') return undefined;
    const target = found.command.args[0].value;
    // WORKDIR takes a path, not shell words: only a plain absolute path moves over unchanged.
    if (target === null || !/^\/[\w./@+-]*$/.test(target)) return undefined;
    const indent = dockerfile.document.getText({ start: { line: instruction.range.start.line, character: 0 }, end: instruction.range.start }).match(/^\s*/)?.[0] ?? '';
    const lineStart = { line: instruction.range.start.line, character: 0 };
    if (found.position === 'only') {
      if (instruction.flags.length > 0) return undefined;
      return {
        title: `Replace the RUN with WORKDIR ${target}`,
        edits: [{ range: { start: instruction.range.start, end: instruction.range.end }, newText: `WORKDIR ${target}` }],
        safe: false,
      };
    }
    const script = shellOf(dockerfile, instruction).commands.filter((c) => !c.nested);
    const next = script.find((c) => c !== found.command && !before(c.range.start, found.command.range.end));
    if (!next) return undefined;
    // Only `cd dir && rest` or `cd dir; rest`: a `cd dir || exit` guards what follows and stays.
    if (!onlySeparators(dockerfile.document.getText({ start: found.command.range.end, end: next.range.start }), dockerfile.escape)) return undefined;
    const edits: TextEdit[] = [
      { range: { start: lineStart, end: lineStart }, newText: `${indent}WORKDIR ${target}\n` },
      { range: { start: found.command.range.start, end: next.range.start }, newText: '' },
    ];
    return { title: `Move \`cd ${target}\` into a WORKDIR instruction`, edits, safe: false };
  },
});
