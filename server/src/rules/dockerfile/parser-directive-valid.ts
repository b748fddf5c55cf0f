import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { closest } from '../../dockerfile/syntax';

const DIRECTIVES = ['syntax', 'escape', 'check'];
/** BuildKit's directive line, after `#` and blanks: a one-word name, `=`, a value. */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const GO_BOOL = /^(?:1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\\d+)?)';
/** An image reference as Docker parses one (the `# syntax=` frontend image). */
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

interface DirectiveLine {
  line: number;
  name: string;
  value: string;
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`) count only in the comment lines at the
 * very top of the file: BuildKit stops looking at the first instruction, blank line, other
 * comment or unknown directive, and reads a later one as a plain comment, so it silently does
 * nothing. A repeated directive or an escape other than `\` or `` ` `` stops the build.
 * https://docs.docker.com/reference/dockerfile/#parser-directives
 */
export default dockerfileRule({
  id: 'parser-directive-valid',
  aliases: ['dockerfile-utils:21', 'dockerfile-utils:52'],
  title: 'Write parser directives first, once, with valid values',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    const lines = dockerfile.document.getText().split(/\r\n|\r|\n/);
    const inInstruction = new Set<number>();
    for (const instruction of dockerfile.instructions) {
      for (let l = instruction.range.start.line; l <= instruction.range.end.line; l++) inInstruction.add(l);
    }
    let done = false;
    const seen = new Map<string, number>();
    let endedBy: string | null = null;
    for (let line = 0; line < lines.length; line++) {
      const text = line === 0 ? lines[0].replace(/^\uFEFF/, '') : lines[line];
      const directive = inInstruction.has(line) ? null : directiveLine(text, line, lines[line].length - text.length);
      if (!done) {
        if (!directive) {
          done = true;
          endedBy = `${inInstruction.has(line) ? 'an instruction' : text.trim() === '' ? 'a blank line' : 'a comment'} on line ${line + 1}`;
          continue;
        }
        if (!DIRECTIVES.includes(directive.name.toLowerCase())) {
          done = true;
          const suggestion = closest(directive.name, DIRECTIVES);
          endedBy = `the unknown directive \`# ${directive.name}=\` on line ${line + 1}`;
          if (suggestion) {
            report({
              range: directive.nameRange,
              message: `\`${directive.name}\` is not a parser directive, so BuildKit reads the line as a comment and it does nothing; did you mean \`${suggestion}\`?`,
              severity: 'warning',
              data: { replacement: suggestion },
            });
          }
          continue;
        }
        const name = directive.name.toLowerCase();
        if (seen.has(name)) {
          report({ range: directive.range, message: `\`# ${name}=\` is set a second time (first on line ${seen.get(name)! + 1}), so the build stops with "only one ${name} parser directive can be used"; keep one.` });
          continue;
        }
        seen.set(name, line);
        const problem = valueProblem(name, directive.value);
        if (problem) report({ range: directive.valueRange, message: problem });
        continue;
      }
      if (directive && DIRECTIVES.includes(directive.name.toLowerCase()) && !/^\s*#!/.test(lines[0] ?? '')) {
        const name = directive.name.toLowerCase();
        const first = seen.get(name);
        report({
          range: directive.range,
          message: `\`# ${name}=${directive.value}\` is not at the top of the file: BuildKit reads parser directives only up to the first line that is not one (${endedBy}), so this line is a plain comment and does nothing; ${first !== undefined ? `remove it (line ${first + 1} already sets ${name})` : 'move it to the first line of the file'}.`,
          severity: 'warning',
          data: { misplaced: `# ${name}=${directive.value}`, duplicate: first !== undefined },
        });
      }
    }
  },
  fix(finding) {
    const { replacement, misplaced, duplicate } = finding.data ?? {};
    if (typeof misplaced === 'string') {
      const line = finding.range.start.line;
      const remove = { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' };
      if (duplicate === true) return { title: 'Remove the ignored directive', edits: [remove], safe: false };
      // Moving `# escape=` changes how every line is read, and the file below was written for `\`
      // (BuildKit's fixture escape-after-comment breaks): no fix, the author decides.
      if (misplaced.startsWith('# escape=')) return undefined;
      return { title: 'Move the directive to the top of the file', edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${misplaced}\n` }, remove], safe: false };
    }
    if (typeof replacement !== 'string') return undefined;
    return { title: `Change to ${replacement}`, edits: [{ range: finding.range, newText: replacement }], safe: false };
  },
});

/** A `# name=value` line, or null for anything else. `shift` is the BOM's length on the first line. */
function directiveLine(text: string, line: number, shift: number): DirectiveLine | null {
  const hash = /^\s*#/.exec(text);
  if (!hash) return null;
  const rest = text.slice(hash[0].length);
  const lead = rest.length - rest.trimStart().length;
  const match = DIRECTIVE.exec(rest.trimStart());
  if (!match) return null;
  const nameStart = shift + hash[0].length + lead;
  const valueStart = nameStart + match[0].indexOf(match[2], match[1].length);
  const pos = (character: number) => ({ line, character });
  return {
    line,
    name: match[1],
    value: match[2],
    range: { start: pos(shift + hash[0].length - 1), end: pos(shift + text.trimEnd().length) },
    nameRange: { start: pos(nameStart), end: pos(nameStart + match[1].length) },
    valueRange: { start: pos(valueStart), end: pos(valueStart + match[2].length) },
  };
}

function valueProblem(name: string, value: string): string | null {
  if (name === 'escape') {
    return value === '\\' || value === '`' ? null
      : `\`# escape=${value}\` is not an escape character BuildKit accepts (only \`\\\` or \`\`\`), so the build stops before it starts; write \`# escape=\\\` or \`# escape=\`\`.`;
  }
  if (name === 'syntax') {
    const image = value.split(' ')[0];
    return REFERENCE.test(image) ? null
      : `\`${image}\` is not an image reference, so BuildKit cannot pull the frontend and the build stops; write \`# syntax=docker/dockerfile:1\`.`;
  }
  // check: up to three `;`-separated options, each `skip=`, `experimental=` or `error=<bool>`.
  for (const part of value.trim().split(';').slice(0, 3)) {
    const eq = part.indexOf('=');
    if (eq < 0) return `\`${part.trim()}\` is not a \`key=value\` check option, so the build stops before it starts; write \`# check=skip=<rules>;error=true\`.`;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 'error' && !GO_BOOL.test(v)) return `\`error=${v}\` is not a boolean, so the build stops before it starts; write \`error=true\` or \`error=false\`.`;
    if (key !== 'skip' && key !== 'experimental' && key !== 'error') {
      const suggestion = closest(key, ['skip', 'experimental', 'error']);
      return `\`${key}\` is not a check option (\`skip\`, \`experimental\`, \`error\`), so the build stops before it starts; ${suggestion ? `did you mean \`${suggestion}\`?` : 'remove it.'}`;
    }
  }
  return null;
}
