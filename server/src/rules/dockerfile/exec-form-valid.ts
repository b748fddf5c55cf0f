import { dockerfileRule } from '../types';
import type { DockerInstruction } from '../../dockerfile/parse';
import { instructionWords, isJsonArray, jsonArrayText, looseArray, type LooseArray } from '../../dockerfile/syntax';

/** Instructions whose arguments BuildKit reads as a JSON array when they parse as one. */
const EXEC_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);

const WHY: Record<LooseArray['problem'], string> = {
  'single quotes': 'JSON needs double quotes',
  'typographic quotes': 'JSON needs straight double quotes, not typographic ones',
  'trailing comma': 'JSON allows no comma before `]`',
  backslash: 'a lone backslash is no JSON escape (write `\\\\`)',
  'text after the array': 'nothing may follow `]`',
  other: 'it is not valid JSON',
};

/**
 * `CMD ['node', 'a.js']` looks like the exec form but is not JSON, so BuildKit silently takes it
 * as the shell form: `/bin/sh -c "['node', 'a.js']"` runs a command named `['node',`, and the
 * container dies at start. COPY, ADD and VOLUME split it on blanks into paths instead. An array
 * holding something other than strings stops the build. exec-form-cmd judges only valid shell
 * forms, so the two never report the same line.
 * https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
 */
export default dockerfileRule({
  id: 'exec-form-valid',
  aliases: ['dockerfile-utils:49'],
  title: 'Write the exec form as a valid JSON array',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      const found = brokenExecForm(instruction, instructionWords(dockerfile, instruction).rest);
      if (!found || !instruction.argsRange) continue;
      const words = instructionWords(dockerfile, instruction).words;
      const start = instruction.keyword === 'HEALTHCHECK' ? words[1]?.range.start : words[0]?.range.start;
      if (!start) continue;
      const range = { start, end: instruction.argsRange.end };
      if (found.kind === 'not strings') {
        report({ range, message: `\`${instruction.keyword}\`'s JSON array holds something other than strings, so the build stops before it starts; quote every element.` });
        continue;
      }
      const { loose } = found;
      const effect = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' || instruction.keyword === 'VOLUME'
        ? 'BuildKit splits it on blanks and takes the pieces, brackets and quotes included, as paths'
        : instruction.keyword === 'SHELL'
          ? 'the build stops with "SHELL requires the arguments to be in JSON form"'
          : `BuildKit runs it in shell form, and \`/bin/sh\` tries to run a command named \`${found.text.trim().split(/\s+/)[0]}\``;
      const after = loose.trailing;
      // A trailing `# note` was meant as a comment: the fix moves it to a line of its own above.
      const fixable = after === '' || after.startsWith('#');
      const why = loose.problem === 'text after the array' && after.startsWith('#')
        ? 'a `#` after `]` is no comment (Dockerfile comments take a whole line), and nothing may follow `]`'
        : WHY[loose.problem];
      report({
        range,
        message: `\`${instruction.keyword} ${shorten(found.text.trim())}\` looks like the exec form but ${why}, so ${effect}; ${after.startsWith('#') ? `move the comment to a line of its own and write \`${shorten(jsonArrayText(loose.strings))}\`` : fixable ? `write \`${shorten(jsonArrayText(loose.strings))}\`` : 'write a JSON array of double-quoted strings with nothing after it'}.`,
        data: fixable ? { json: jsonArrayText(loose.strings), comment: after || undefined, line: instruction.range.start.line } : undefined,
      });
    }
  },
  fix(finding, dockerfile) {
    const { json, comment, line } = finding.data ?? {};
    if (typeof json !== 'string') return undefined;
    const edits = [{ range: finding.range, newText: json }];
    if (typeof comment === 'string' && typeof line === 'number') {
      const indent = /^\s*/.exec(dockerfile.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }))?.[0].replace(/\n/, '') ?? '';
      edits.unshift({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}\n` });
    }
    // The strings are what the author wrote; only the quoting changes (and a comment moves), so fix-all may apply it.
    return { title: 'Write the exec form as JSON', edits, safe: true };
  },
});

type Broken = { kind: 'not json'; text: string; loose: LooseArray } | { kind: 'not strings'; text: string };

function brokenExecForm(instruction: DockerInstruction, rest: string): Broken | null {
  if (!EXEC_FORM.has(instruction.keyword) || instruction.heredocs.length > 0) return null;
  let text = rest;
  if (instruction.keyword === 'HEALTHCHECK') {
    const m = /^\s*cmd\s+([\s\S]*)$/i.exec(text);
    if (!m) return null;
    text = m[1];
  }
  if (!text.trimStart().startsWith('[')) return null;
  if (isJsonArray(text.trim())) {
    const value = JSON.parse(text.trim()) as unknown[];
    return value.every((v) => typeof v === 'string') ? null : { kind: 'not strings', text };
  }
  const loose = looseArray(text);
  return loose ? { kind: 'not json', text, loose } : null;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 50 ? `${flat.slice(0, 47)}…` : flat;
}
