import { dockerfileRule, type Fix } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { looseArray } from '../../dockerfile/syntax';
import { binShOf, commandLine, shellHandsOver, type BinSh, type CommandLine } from '../../dockerfile/pid1';

/** Characters that make a command line need a shell: expansions, operators, globs, escapes. */
const SHELL_SYNTAX = /[$`|&;<>(){}*?~\\\n]|\[\[/;

/**
 * Splits a shell-form command into words when that needs no shell at all; null otherwise.
 * Quotes are honoured only when they hold plain text.
 */
export function plainWords(command: string): string[] | null {
  if (SHELL_SYNTAX.test(command)) return null;
  const words: string[] = [];
  const pattern = /\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/y;
  let index = 0;
  const text = command.trim();
  while (index < text.length) {
    pattern.lastIndex = index;
    const m = pattern.exec(text);
    if (!m) return null;
    // A word glued to a quote (`a"b"`) is shell syntax we do not rewrite.
    const next = text[pattern.lastIndex];
    if (next !== undefined && !/\s/.test(next)) return null;
    words.push(m[1] ?? m[2] ?? m[3]);
    index = pattern.lastIndex;
  }
  return words.length > 0 ? words : null;
}

/** `CMD ['a', 'b']` is meant as exec form but is not JSON: returns the strings it meant, or null. */
export function singleQuotedArray(args: string): string[] | null {
  const text = args.trim();
  if (!text.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(text.replace(/'/g, '"'));
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  } catch {
    return null;
  }
}

/**
 * In shell form the command runs as a child of `/bin/sh -c`. Where that shell stays PID 1 (dash,
 * the /bin/sh of Debian and Ubuntu, or any shell in front of a pipeline) it does not forward
 * SIGTERM: `docker stop` waits out its timeout and then kills the process without a clean
 * shutdown. Where the shell execs the command itself (BusyBox on Alpine, bash for one simple
 * command; see dockerfile/pid1.ts) the claim would be false, and nothing is reported.
 */
export default dockerfileRule({
  id: 'exec-form-cmd',
  aliases: ['JSONArgsRecommended', 'DL3025', 'b86987e1-6397-4619-81d5-8807f2387c79'],
  title: 'Use the exec (JSON) form for CMD and ENTRYPOINT',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if ((instruction.keyword !== 'CMD' && instruction.keyword !== 'ENTRYPOINT') || instruction.execForm) continue;
      // A stage that chose its shell with SHELL (PowerShell, bash -o pipefail…) wants shell form.
      const stage = dockerfile.stages[instruction.stage];
      if (stage && stageAncestry(dockerfile, stage).some((s) => s.instructions.some((i) => i.keyword === 'SHELL'))) continue;
      if (!instruction.argsRange || instruction.heredocs.length > 0) continue;
      const args = instruction.args.trim();
      // `sh -c "exec app"` replaces the shell with the app, which then receives signals itself.
      if (!args || /^exec\s/.test(args)) continue;
      const looksLikeJson = args.startsWith('[');
      // A list of quoted strings that is not JSON (`['node', 'a.js']`) is exec-form-valid's error.
      if (looksLikeJson && looseArray(args)) continue;
      // Where the image's /bin/sh execs the command itself, the command gets SIGTERM (Windows has none).
      if (!looksLikeJson && handsOver(dockerfile, instruction)) continue;
      const shown = args.length > 60 ? `${args.slice(0, 57)}…` : args;
      report({
        range: instruction.argsRange,
        message: looksLikeJson
          ? `\`${instruction.keyword} ${shown}\` is not a valid JSON array (double quotes only, nothing after \`]\`), so Docker runs it through \`/bin/sh -c\` and the process misses SIGTERM; write a JSON array of double-quoted strings.`
          : shellFormMessage(dockerfile, instruction, shown),
        data: { keyword: instruction.keyword },
      });
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find(
      (i) => i.argsRange && i.argsRange.start.line === finding.range.start.line && i.argsRange.start.character === finding.range.start.character,
    );
    if (!instruction?.argsRange) return undefined;
    const words = instruction.args.trim().startsWith('[') ? singleQuotedArray(instruction.args) : plainWords(instruction.args);
    if (!words) return execFix(dockerfile, instruction);
    return {
      title: `Rewrite ${instruction.keyword} in exec form`,
      edits: [{ range: instruction.argsRange, newText: JSON.stringify(words).replace(/","/g, '", "') }],
      safe: safeToRewrite(instruction, dockerfile.stages[instruction.stage]?.instructions ?? []),
    };
  },
});

/**
 * A line that needs the shell (expansions, globs, `&&`) keeps it: `exec` before its last command
 * hands PID 1 to that command. Null for a pipeline, a compound command or a JSON-looking line.
 */
function execFix(model: DockerfileModel, instruction: DockerInstruction): Fix | undefined {
  if (instruction.args.trim().startsWith('[')) return undefined;
  const line = commandLine(model, instruction);
  const first = line.last?.words[0];
  if (!line.last || !first || line.last.assignments.length > 0 || line.last.nested || model.document.getText(first.range) !== first.text) return undefined;
  const only = line.top.length === 1;
  return {
    title: only ? 'Start the command with `exec`' : 'Start the last command with `exec`',
    edits: [{ range: { start: first.range.start, end: first.range.start }, newText: 'exec ' }],
    // Nothing else runs in a one-command line; in a list the shell runs other steps first (a trap, a `cd`), so look before applying.
    safe: only,
  };
}

/**
 * True when no shell stays in front of the command: the image's /bin/sh execs it, or it is
 * Windows' cmd. A line the grammar cannot read under a shell that may exec it is left alone too.
 */
function handsOver(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const stage = model.stages[instruction.stage];
  const sh = stage ? binShOf(model, stage) : null;
  const line = commandLine(model, instruction);
  return sh === 'cmd' || shellHandsOver(sh, line) || ((sh === 'ash' || sh === 'bash') && line.blocker === 'unreadable line');
}

function shellFormMessage(model: DockerfileModel, instruction: DockerInstruction, shown: string): string {
  const stage = model.stages[instruction.stage];
  const sh = stage ? binShOf(model, stage) : null;
  const line = commandLine(model, instruction);
  return `\`${instruction.keyword} ${shown}\` runs under \`/bin/sh -c\`, ${claim(sh, line)}, so the container cannot shut down cleanly; ${advice(instruction, line)}${initNote(model, instruction, line)}.`;
}

/** Why the shell in front of the command keeps the signal from it. */
function claim(sh: BinSh | null, line: CommandLine): string {
  if (sh === 'dash') return 'and dash, the `/bin/sh` of Debian and Ubuntu, stays PID 1 and does not pass SIGTERM on';
  if (sh === null) return 'which does not pass SIGTERM on where `/bin/sh` is dash (Debian, Ubuntu)';
  const why = line.blocker ? `a ${line.blocker}`
    : line.top.length > 1 ? 'a line of several commands'
    : 'a command with redirections';
  return `which stays PID 1 for ${why} and does not pass SIGTERM on`;
}

/** What to write instead: the exec form for plain words, else `exec` in the shell form, which keeps expansions and globs. */
function advice(instruction: DockerInstruction, line: CommandLine): string {
  const words = plainWords(instruction.args);
  if (words) {
    const json = JSON.stringify(words).replace(/","/g, '", "');
    return `use the exec form \`${instruction.keyword} ${json.length > 60 ? '["…"]' : json}\``;
  }
  if (line.last && line.top.length === 1) {
    const written = `${instruction.keyword} exec ${instruction.args.trim()}`;
    return `it needs the shell, so write \`exec\` before it (\`${written.length > 60 ? `${written.slice(0, 57)}…` : written}\`) to hand PID 1 to it`;
  }
  if (line.last) return `put \`exec\` before its last command (\`${line.last.words[0]?.text ?? line.last.text}\`) to hand PID 1 to it`;
  return 'start it from a script that ends in `exec`, and run that in the exec form';
}

/** Runtimes that ignore SIGTERM as PID 1 unless the program handles it (npm and yarn forward it to their script). */
const NO_DEFAULT_HANDLER = /^(?:node|nodejs|python[\d.]*)$/;

/** node and python as PID 1 ignore SIGTERM unless the app handles it: an init forwards it and reaps children. */
function initNote(model: DockerfileModel, instruction: DockerInstruction, line: CommandLine): string {
  const program = (plainWords(instruction.args)?.[0] ?? line.last?.program ?? '').split('/').pop() ?? '';
  if (!NO_DEFAULT_HANDLER.test(program)) return '';
  const stage = model.stages[instruction.stage];
  const hasInit = stage && stageAncestry(model, stage).some((s) => s.instructions.some((i) => i.keyword === 'ENTRYPOINT' && /\b(?:tini|dumb-init|catatonit)\b/.test(i.args)));
  return hasInit ? '' : ` (${program} as PID 1 also needs a SIGTERM handler in the app, or \`docker run --init\`)`;
}

/**
 * A shell-form ENTRYPOINT ignores CMD; in exec form CMD's words become its arguments. The rewrite
 * keeps behaviour only when the stage sets no CMD of its own (ENTRYPOINT resets an inherited one).
 */
function safeToRewrite(instruction: DockerInstruction, stageInstructions: DockerInstruction[]): boolean {
  if (instruction.keyword !== 'ENTRYPOINT') return true;
  return !stageInstructions.some((i) => i.keyword === 'CMD');
}
