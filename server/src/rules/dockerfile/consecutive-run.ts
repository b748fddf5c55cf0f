import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shellOf } from '../../dockerfile/shell';
import { runsPosixShell } from '../../dockerfile/shells';

/** RUNs that chain more commands than this are steps of their own, kept apart on purpose. */
const MAX_COMMANDS = 2;

function commandCount(model: DockerfileModel, run: DockerInstruction): number {
  return shellOf(model, run).commands.filter((c) => !c.nested && c.program !== 'set').length;
}

function flagsText(model: DockerfileModel, run: DockerInstruction): string {
  return run.flags.map((f) => model.document.getText(f.range)).sort().join(' ');
}

/** A comment line between two RUNs: the author labelled them as separate steps. */
function commentBetween(commentLines: number[], a: DockerInstruction, b: DockerInstruction): boolean {
  // The first comment line after `a` (binary search over the sorted lines), if it comes before `b`.
  let lo = 0;
  let hi = commentLines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (commentLines[mid] <= a.range.end.line) lo = mid + 1;
    else hi = mid;
  }
  return lo < commentLines.length && commentLines[lo] < b.range.start.line;
}

/** The pairs of RUNs this rule reports: the second RUN of each, with the one before it. */
function pairs(model: DockerfileModel, final: Stage | undefined): { previous: DockerInstruction; run: DockerInstruction }[] {
  if (!final) return [];
  const out: { previous: DockerInstruction; run: DockerInstruction }[] = [];
  const commentLines = model.comments.map((c) => c.line).sort((x, y) => x - y);
  // Layers of build and test stages are thrown away; only the shipped image's count.
  for (const stage of stageAncestry(model, final)) {
    const instructions = stage.instructions;
    for (let i = 1; i < instructions.length; i++) {
      const previous = instructions[i - 1];
      const run = instructions[i];
      if (run.keyword !== 'RUN' || previous.keyword !== 'RUN') continue;
      if ([previous, run].some((r) => r.execForm || r.heredocs.length > 0 || !runsPosixShell(model, r) || shellOf(model, r).hasErrors)) continue;
      // Different mounts, network or security modes cannot share one RUN.
      if (flagsText(model, previous) !== flagsText(model, run)) continue;
      if (commentBetween(commentLines, previous, run)) continue;
      if (commandCount(model, previous) > MAX_COMMANDS || commandCount(model, run) > MAX_COMMANDS) continue;
      out.push({ previous, run });
    }
  }
  return out;
}

function argsStart(run: DockerInstruction): Range['start'] | null {
  const args = run.ast.getArguments();
  return args.length > 0 ? args[0].getRange().start : null;
}

/**
 * Each RUN adds a layer and a cache entry; short RUNs in a row with the same flags are one step
 * split in pieces, and joining them gives fewer layers and one place to read the step.
 */
export default dockerfileRule({
  id: 'consecutive-run',
  aliases: ['DL3059', '0008c003-79aa-42d8-95b8-1c2fe37dbfe6'],
  title: 'Join consecutive short RUN instructions',
  category: 'size',
  severity: 'info',
  enabledByDefault: false,
  check({ dockerfile, report, path, files }) {
    for (const { previous, run } of pairs(dockerfile, shippedStage({ dockerfile, path, files }))) {
      report({
        range: run.keywordRange,
        message: `This RUN directly follows the RUN on line ${previous.range.start.line + 1} with the same flags, so the step takes two layers where one would do; join them with \`&&\` if they belong together.`,
      });
    }
  },
  fix(finding, dockerfile, context) {
    const pair = pairs(dockerfile, shippedStage({ dockerfile, ...context })).find((p) => p.run.keywordRange.start.line === finding.range.start.line);
    if (!pair) return undefined;
    const { previous, run } = pair;
    const document = dockerfile.document;
    const start = argsStart(run);
    if (!start) return undefined;
    const previousText = document.getText(previous.range);
    const escape = dockerfile.escape;
    const folded = (text: string) => text.split(`${escape}\n`).join(' ').split(`${escape}\r\n`).join(' ');
    const runText = folded(document.getText({ start, end: run.range.end }));
    // `a; b`, `a || b`, `a &` or a comment after `&&` would no longer mean the same: no fix then.
    if (/[;#\n]|\|\||(^|[^&])&($|[^&])/.test(runText)) return undefined;
    if (/[;&|\\`#]\s*$/.test(previousText) || previousText.includes('#')) return undefined;
    const indent = /^\s*/.exec(document.getText({ start: { line: previous.range.start.line, character: 0 }, end: previous.range.start }))?.[0] ?? '';
    return {
      title: 'Join this RUN with the one before it',
      edits: [{ range: { start: previous.range.end, end: start }, newText: ` && ${escape}\n${indent}    ` }],
      // Joining keeps what is built, but the shell state (cd, exported variables) of the first
      // RUN now reaches the second, and the cache splits differently: a quick fix only.
      safe: false,
    };
  },
});
