import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction } from '../../dockerfile/parse';

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
 * In shell form the command runs as a child of `/bin/sh -c`, which does not forward SIGTERM:
 * `docker stop` waits out its timeout and then kills the process without a clean shutdown.
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
      const shown = args.length > 60 ? `${args.slice(0, 57)}…` : args;
      report({
        range: instruction.argsRange,
        message: looksLikeJson
          ? `\`${instruction.keyword} ${shown}\` is not a valid JSON array (double quotes only, nothing after \`]\`), so Docker runs it through \`/bin/sh -c\` and the process misses SIGTERM; write a JSON array of double-quoted strings.`
          : `\`${instruction.keyword} ${shown}\` runs under \`/bin/sh -c\`, which does not pass SIGTERM on, so the container cannot shut down cleanly; use the exec form \`${instruction.keyword} [\"…\"]\`.`,
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
    if (!words) return undefined;
    return {
      title: `Rewrite ${instruction.keyword} in exec form`,
      edits: [{ range: instruction.argsRange, newText: JSON.stringify(words).replace(/","/g, '", "') }],
      safe: safeToRewrite(instruction, dockerfile.stages[instruction.stage]?.instructions ?? []),
    };
  },
});

/**
 * A shell-form ENTRYPOINT ignores CMD; in exec form CMD's words become its arguments. The rewrite
 * keeps behaviour only when the stage sets no CMD of its own (ENTRYPOINT resets an inherited one).
 */
function safeToRewrite(instruction: DockerInstruction, stageInstructions: DockerInstruction[]): boolean {
  if (instruction.keyword !== 'ENTRYPOINT') return true;
  return !stageInstructions.some((i) => i.keyword === 'CMD');
}
