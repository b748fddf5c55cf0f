import type { Argument } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';

type Casing = 'upper' | 'lower';

/** Dockerfile instructions; any other word in keyword position is a syntax error, not a casing problem. */
const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN',
  'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

interface CasingFinding {
  kind: 'keyword' | 'as';
  instruction: DockerInstruction;
  written: string;
  expected: string;
  range: Range;
  casing: Casing;
}

function casingOf(word: string): Casing | null {
  if (word === word.toUpperCase()) return 'upper';
  if (word === word.toLowerCase()) return 'lower';
  return null;
}

const apply = (word: string, casing: Casing) => (casing === 'upper' ? word.toUpperCase() : word.toLowerCase());

/** The `AS` word of `FROM image AS name`, if the instruction has one. */
function asWord(instruction: DockerInstruction): Argument | null {
  if (instruction.keyword !== 'FROM') return null;
  const args = instruction.ast.getArguments() as Argument[];
  return args.length === 3 && args[1].getValue().toLowerCase() === 'as' ? args[1] : null;
}

/**
 * BuildKit's two casing checks: every keyword in the casing most keywords use (upper case on a
 * tie), and `AS` in the casing of its own `FROM`.
 */
function casingFindings(model: DockerfileModel): CasingFinding[] {
  const found: CasingFinding[] = [];
  let lower = 0;
  let upper = 0;
  const instructions = model.instructions.filter((i) => KEYWORDS.has(i.keyword));
  for (const instruction of instructions) {
    const casing = casingOf(instruction.ast.getInstruction());
    if (casing === 'lower') lower++;
    else if (casing === 'upper') upper++;
  }
  const majority: Casing = lower > upper ? 'lower' : 'upper';
  for (const instruction of instructions) {
    const written = instruction.ast.getInstruction();
    const expected = apply(written, majority);
    if (written !== expected) found.push({ kind: 'keyword', instruction, written, expected, range: instruction.keywordRange, casing: majority });
    const as = asWord(instruction);
    const fromCasing = casingOf(written);
    // A FROM reported above gets its AS re-cased by the same fix; only a FROM that is already
    // right can have an AS that disagrees with it on its own.
    if (as && fromCasing && written === expected) {
      const expectedAs = apply('as', fromCasing);
      if (as.getValue() !== expectedAs) found.push({ kind: 'as', instruction, written: as.getValue(), expected: expectedAs, range: as.getRange(), casing: fromCasing });
    }
  }
  return found;
}

function message(f: CasingFinding): string {
  if (f.kind === 'as') {
    return `\`${f.written}\` does not match the case of \`${f.instruction.ast.getInstruction()}\`, which makes stage definitions harder to scan and grep; write \`${f.expected}\`.`;
  }
  const style = f.casing === 'upper' ? 'upper case' : 'lower case';
  return casingOf(f.written)
    ? `\`${f.written}\` is not in ${style} like most instructions in this file, which makes instructions harder to scan and grep; write \`${f.expected}\`.`
    : `\`${f.written}\` mixes upper and lower case while most instructions in this file are in ${style}, which makes them harder to scan and grep; write \`${f.expected}\`.`;
}

/**
 * Docker reads keywords in any case, but one casing keeps a Dockerfile readable and searchable.
 * See https://docs.docker.com/reference/build-checks/consistent-instruction-casing/ and
 * https://docs.docker.com/reference/build-checks/from-as-casing/.
 */
export default dockerfileRule({
  id: 'keyword-casing',
  aliases: ['ConsistentInstructionCasing', 'FromAsCasing'],
  title: 'Write instruction keywords in one casing',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const f of casingFindings(dockerfile)) report({ range: f.range, message: message(f), data: { kind: f.kind } });
  },
  fix(finding, dockerfile) {
    const f = casingFindings(dockerfile).find(
      (c) => c.range.start.line === finding.range.start.line && c.range.start.character === finding.range.start.character,
    );
    if (!f) return undefined;
    const edits: TextEdit[] = [{ range: f.range, newText: f.expected }];
    // Re-casing FROM re-cases its AS too, so the stage line never ends up half fixed.
    const as = f.kind === 'keyword' ? asWord(f.instruction) : null;
    if (as && as.getValue() !== apply('as', f.casing)) edits.push({ range: as.getRange(), newText: apply('as', f.casing) });
    return { title: `Write ${f.expected}`, edits, safe: true };
  },
});
