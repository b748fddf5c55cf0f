import type { Flag } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { editDistance } from '../../text/distance';
import type { DockerInstruction, DockerfileModel, Stage } from '../../dockerfile/parse';
import { expandIn, unquote, walkWithVariables } from './workdir-absolute';

/** A place that names a stage (or an image) to take files from. */
export interface StageReference {
  instruction: DockerInstruction;
  kind: 'copy' | 'mount';
  /** The value as written, quotes removed. */
  written: string;
  /** The value with build-arg defaults expanded; null when it depends on an unknown value. */
  value: string | null;
  /** The range of the written value, without its quotes. */
  range: Range;
}

function shrink(range: Range, by: number): Range {
  if (by === 0) return range;
  return { start: { line: range.start.line, character: range.start.character + by }, end: { line: range.end.line, character: range.end.character - by } };
}

/** Every `COPY --from=…` and `RUN --mount=…,from=…` of the file, in order. */
export function stageReferences(model: DockerfileModel): StageReference[] {
  const found: StageReference[] = [];
  walkWithVariables(model, (instruction, scope) => {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'RUN') return;
    const flags = (instruction.ast as unknown as { getFlags(): Flag[] }).getFlags();
    for (const flag of flags) {
      const name = flag.getName().toLowerCase();
      let raw: string | null = null;
      let range: Range | null = null;
      let kind: StageReference['kind'];
      if (instruction.keyword === 'COPY' && name === 'from') {
        raw = flag.getValue();
        range = flag.getValueRange();
        kind = 'copy';
      } else if (instruction.keyword === 'RUN' && name === 'mount') {
        const option = flag.getOptions().find((o) => o.getName().toLowerCase() === 'from');
        raw = option?.getValue() ?? null;
        range = option?.getValueRange() ?? null;
        kind = 'mount';
      } else {
        continue;
      }
      if (!raw || !range) continue;
      const { value: written, offset } = unquote(raw);
      if (!written) continue;
      found.push({ instruction, kind, written, value: expandIn(model, written, scope), range: shrink(range, offset) });
    }
  });
  return found;
}

/** Images commonly copied from by their bare Docker Hub name; never taken for a misspelt stage. */
const HELPER_IMAGES = new Set([
  'alpine', 'bash', 'busybox', 'caddy', 'composer', 'debian', 'docker', 'golang', 'gradle', 'maven', 'nginx', 'node', 'php',
  'python', 'redis', 'registry', 'ruby', 'rust', 'traefik', 'ubuntu', 'vault',
]);

const MAX_STAGES_FOR_TYPOS = 100;

type Problem =
  | { kind: 'self' }
  | { kind: 'later'; line: number }
  | { kind: 'index'; count: number }
  | { kind: 'typo'; name: string; line: number };

/**
 * How Docker resolves the name: a number is a stage index, a name is looked up among the stages
 * (case-insensitively), and anything else is an image to pull. Only stages built before the
 * current one can be read.
 */
/** Stages by lower-case name, so a file with many stages and references stays linear. */
function stagesByName(model: DockerfileModel): Map<string, Stage[]> {
  const byName = new Map<string, Stage[]>();
  for (const stage of model.stages) {
    if (!stage.name) continue;
    const key = stage.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(stage);
    else byName.set(key, [stage]);
  }
  return byName;
}

function problemOf(model: DockerfileModel, byName: Map<string, Stage[]>, reference: StageReference): Problem | null {
  const value = reference.value;
  if (value === null) return null;
  const current = reference.instruction.stage;
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    if (index >= model.stages.length) return { kind: 'index', count: model.stages.length };
    if (index === current) return { kind: 'self' };
    if (index > current) return { kind: 'later', line: model.stages[index].from.range.start.line };
    return null;
  }
  const lower = value.toLowerCase();
  const named = byName.get(lower) ?? [];
  if (named.some((s) => s.index < current)) return null;
  if (named.some((s) => s.index === current)) return { kind: 'self' };
  if (named.length > 0) return { kind: 'later', line: named[0].from.range.start.line };
  // An image reference: with a registry, a path, a tag or a digest it cannot be a stage name.
  if (/[/:@.]/.test(lower) || HELPER_IMAGES.has(lower)) return null;
  // Guessing typos is for hand-written files; a generated one with hundreds of stages is skipped.
  if (byName.size > MAX_STAGES_FOR_TYPOS) return null;
  let best: { stage: Stage; distance: number } | null = null;
  for (const [name, stages] of byName) {
    const stage = stages[0];
    if (stage.index >= current) continue;
    const distance = editDistance(lower, name, 2);
    if (distance <= (Math.min(name.length, lower.length) <= 4 ? 1 : 2) && (!best || distance < best.distance)) best = { stage, distance };
  }
  return best ? { kind: 'typo', name: best.stage.name!, line: best.stage.from.range.start.line } : null;
}

function message(reference: StageReference, problem: Problem): string {
  const flag = reference.kind === 'copy' ? `--from=${reference.written}` : `--mount=…,from=${reference.written}`;
  switch (problem.kind) {
    case 'self':
      return `\`${flag}\` names the stage this ${reference.instruction.keyword} belongs to, and a stage cannot read from itself, so the build fails; name an earlier stage.`;
    case 'later':
      return `\`${flag}\` names the stage on line ${problem.line + 1}, which comes after this one, and Docker only reads from stages built before, so the build fails; move that stage above this one.`;
    case 'index':
      return `\`${flag}\` refers to stage index ${reference.value}, but this file has ${problem.count} stage${problem.count === 1 ? '' : 's'} (counting from 0), so the build fails; use the name or index of an earlier stage.`;
    case 'typo':
      return `\`${flag}\` matches no stage, so Docker tries to pull an image called \`${reference.value}\` and the build fails or copies from the wrong image; did you mean the stage \`${problem.name}\` (line ${problem.line + 1})?`;
  }
}

/**
 * `COPY --from` (and `RUN --mount=from=`) reads from a stage built earlier or from an image; a
 * stage defined later, the current stage or a misspelt name fails the build or pulls something
 * unintended. See https://docs.docker.com/reference/dockerfile/#copy---from.
 */
export default dockerfileRule({
  id: 'copy-from-valid',
  aliases: ['DL3022', 'DL3023', 'cdddb86f-95f6-4fc4-b5a1-483d9afceb2b'],
  title: 'Copy only from stages defined earlier',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    const byName = stagesByName(dockerfile);
    for (const reference of stageReferences(dockerfile)) {
      const problem = problemOf(dockerfile, byName, reference);
      if (problem) report({ range: reference.range, message: message(reference, problem), data: { kind: problem.kind } });
    }
  },
  fix(finding, dockerfile) {
    const reference = stageReferences(dockerfile).find(
      (r) => r.range.start.line === finding.range.start.line && r.range.start.character === finding.range.start.character,
    );
    if (!reference || reference.written !== reference.value) return undefined;
    const problem = problemOf(dockerfile, stagesByName(dockerfile), reference);
    if (problem?.kind !== 'typo') return undefined;
    // A guess at what was meant: it changes what is copied, so it is offered, never applied by fix-all.
    return { title: `Copy from the stage ${problem.name}`, edits: [{ range: reference.range, newText: problem.name }], safe: false };
  },
});
