/**
 * A mutation fuzzer over the corpus: each case takes a real Dockerfile or Compose file, applies a
 * few mutations (byte flips, line deletions and duplications, truncation, inserted keywords,
 * unbalanced quotes, heredocs and brackets, deep YAML nesting, huge lines) and checks the
 * properties every editor input must keep:
 *   - lint never throws, and finishes within 1 s of CPU time;
 *   - every range lies inside the document;
 *   - every fix offered yields text the parser accepts (no new YAML error; a Dockerfile that
 *     dockerfile-ast parses and Shipshape lints without throwing).
 * `npm test` runs a few hundred seeded cases (test/unit/fuzz.test.ts); `npm run fuzz -- --runs N`
 * the long run (scripts/fuzz.mjs).
 */
import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService, type LintConfig } from '../../server/src/service';
import { normalizeSettings, emptyProjectConfig } from '../../server/src/config/settings';
import { applyEdits } from '../../server/src/fixes/apply';
import type { DocumentKind } from '../../server/src/rules/types';
import { strict } from './check';

export interface Seed {
  name: string;
  kind: DocumentKind;
  text: string;
}

export type Mutation =
  | { op: 'flip'; at: number; char: number }
  | { op: 'deleteLine'; at: number }
  | { op: 'duplicateLine'; at: number; times: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'nest'; at: number; depth: number }
  | { op: 'hugeLine'; at: number; length: number };

const keywords = [
  'FROM ', 'FROM scratch AS x\n', 'RUN ', 'RUN <<EOF\n', 'RUN --mount=type=cache,target=/root ', 'CMD ["', 'ENTRYPOINT [', 'COPY --from=', 'ADD ',
  'ARG ', 'ENV A=', 'USER ', 'WORKDIR ', 'HEALTHCHECK CMD ', 'ONBUILD ', 'SHELL ["', 'EXPOSE ', 'LABEL a=', '# escape=`\n', '# syntax=docker/dockerfile:1\n',
  'services:\n', '  web:\n', '    image: ', '    build: ', '    extends: ', '    depends_on:\n      - ', '<<: *', '&a ', '*a', '!reset ', '!override ',
  '    healthcheck:\n      test: ', 'x-', '    environment:\n      - ', '${', '$(', '`', '&&', '||', '|', ';', '\\\n', '\r\n', '\t', '\ufeff', '\u2028',
  '"', "'", '<<EOF', '<<-EOF\n', 'EOF\n', '[', ']', '{', '}', '(', ')', ':', '- ', '? ', '---\n', '...\n', '#', ' # shipshape-ignore ', '# hadolint ignore=DL3008\n',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), char: fc.integer({ min: 0, max: 0x2fff }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteLine' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...keywords), fc.string({ maxLength: 8 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 10, max: 2000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('hugeLine' as const), at: fc.nat(), length: fc.integer({ min: 1000, max: 100_000 }) }) },
);

/** One case: which corpus file, and what to do to it. */
export const fuzzCase = (seeds: number) => fc.record({ seed: fc.nat({ max: seeds - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) });

/** Line starts as LSP counts lines: `\n`, `\r\n` and a lone `\r` each end one. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

function newlineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function mutate(text: string, mutations: readonly Mutation[], kind: DocumentKind): string {
  for (const m of mutations) {
    const at = text.length === 0 ? 0 : m.at % (text.length + 1);
    const starts = newlineStarts(text);
    const line = m.at % starts.length;
    const lineStart = starts[line];
    const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
    switch (m.op) {
      case 'flip':
        text = text.slice(0, at) + String.fromCharCode(m.char) + text.slice(at + 1);
        break;
      case 'deleteLine':
        text = text.slice(0, lineStart) + text.slice(lineEnd);
        break;
      case 'duplicateLine': {
        const copy = text.slice(lineStart, lineEnd);
        text = text.slice(0, lineEnd) + (copy.endsWith('\n') ? copy : copy + '\n').repeat(m.times) + text.slice(lineEnd);
        break;
      }
      case 'truncate':
        text = text.slice(0, at);
        break;
      case 'insert':
        text = text.slice(0, at) + m.text + text.slice(at);
        break;
      case 'nest': {
        const open = kind === 'compose' ? (m.depth % 2 ? '[' : '{a: ') : '[';
        text = text.slice(0, lineEnd) + `    deep: ${open.repeat(m.depth)}\n` + text.slice(lineEnd);
        break;
      }
      case 'hugeLine':
        text = text.slice(0, lineEnd) + (kind === 'compose' ? `    command: ${'x'.repeat(m.length)}\n` : `RUN echo ${'x'.repeat(m.length)}\n`) + text.slice(lineEnd);
        break;
    }
  }
  return text;
}

const all: LintConfig = { settings: normalizeSettings({ all: true }), project: emptyProjectConfig };
export const TIME_LIMIT_MS = 1000;

let counter = 0;

/** Checks one mutated text; throws (with the reason) when a property fails. */
export function checkProperties(kind: DocumentKind, text: string): void {
  const uri = `file:///fuzz/${counter++}/${kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml'}`;
  const lintTimed = () => {
    const service = new LanguageService({ docsBase: 'file:///docs/rules', onFailure: strict });
    // CPU time, not wall time: the machine is shared, and a lint is synchronous, so the
    // process's CPU time over the call is the lint's own cost.
    const started = process.cpuUsage();
    const findings = service.lint({ uri, text, kind }, all);
    const used = process.cpuUsage(started);
    return { service, findings, elapsed: (used.user + used.system) / 1000 };
  };
  let run = lintTimed();
  // A second try tells a slow input from a garbage collection or a first compilation.
  if (run.elapsed > TIME_LIMIT_MS) run = lintTimed();
  if (run.elapsed > TIME_LIMIT_MS) throw new Error(`lint took ${run.elapsed.toFixed(0)} ms (> ${TIME_LIMIT_MS} ms)`);
  const { service, findings } = run;
  const document = TextDocument.create(uri, kind, 0, text);
  const starts = lineStarts(text);
  for (const f of findings) {
    const { start, end } = f.range;
    const inside = (p: { line: number; character: number }) => {
      if (p.line < 0 || p.character < 0 || p.line >= starts.length) return false;
      // A position may sit at the end of its line's text, not past its line break.
      let lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
      if (lineEnd > starts[p.line] && (text[lineEnd - 1] === '\n' || text[lineEnd - 1] === '\r')) lineEnd--;
      if (lineEnd > starts[p.line] && text[lineEnd - 1] === '\r') lineEnd--;
      return starts[p.line] + p.character <= lineEnd;
    };
    if (!inside(start) || !inside(end) || document.offsetAt(start) > document.offsetAt(end)) {
      throw new Error(`${f.rule}: range ${JSON.stringify(f.range)} outside the document (${starts.length} lines)`);
    }
  }
  const yamlErrors = (t: string) => (kind === 'compose' ? new LanguageService({ docsBase: 'file:///docs/rules', onFailure: strict }).lint({ uri: `${uri}#check`, text: t, kind }, all).filter((f) => f.rule === 'compose-syntax').length : 0);
  const before = yamlErrors(text);
  for (const f of findings) {
    if (!f.fixable) continue;
    const fix = service.fixFor({ uri, text, kind }, f);
    if (!fix || fix.edits.length === 0) continue;
    const fixed = applyEdits(document, fix.edits);
    if (kind === 'dockerfile') {
      DockerfileParser.parse(fixed);
      new LanguageService({ docsBase: 'file:///docs/rules', onFailure: strict }).lint({ uri: `${uri}#fixed`, text: fixed, kind }, all);
    } else if (yamlErrors(fixed) > before) {
      throw new Error(`fix "${fix.title}" of ${f.rule} makes YAML the parser rejects:\n${fixed.slice(0, 2000)}`);
    }
  }
}
