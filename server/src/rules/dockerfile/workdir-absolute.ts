import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { expandVariables, type Variables } from '../../text/variables';
import { knownDefaultWorkdir } from '../../dockerfile/workdirs';
import { finalImageStages } from '../../dockerfile/packages';
import { shippedStage } from '../../compose/target';

type PropertyNode = Instruction & {
  getProperties?(): { getName(): string; getValue(): string | null }[];
};

/** Records the ARG or ENV values an instruction sets in `scope`, as Docker would from their defaults. */
function applyVariables(model: DockerfileModel, instruction: DockerInstruction, scope: Variables): void {
  if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') return;
  const node = instruction.ast as PropertyNode;
  // Every value expands against the scope before the instruction, as in Docker and the model's
  // own stage variables: in `ENV A=2 B=$A`, B gets the earlier A.
  const values: [string, string | null][] = [];
  for (const property of node.getProperties?.() ?? []) {
    const name = property.getName();
    const raw = property.getValue();
    if (raw === null) {
      // `ARG NAME` inside a stage brings the global ARG's default into scope.
      values.push([name, instruction.keyword === 'ARG' ? model.globalArgs.get(name) ?? scope.get(name) ?? null : scope.get(name) ?? null]);
    } else {
      values.push([name, expandVariables(raw, scope, { syntax: 'dockerfile', escape: model.escape })]);
    }
  }
  for (const [name, value] of values) scope.set(name, value);
}

/**
 * Visits every instruction of every stage with the ARG and ENV values in scope just before it,
 * from the defaults written in the file, in one pass. A stage built FROM an earlier stage starts
 * with that stage's values; values the base image sets (say `$GOPATH`) stay unknown. The scope
 * is updated after each visit, so a visitor reads it right away and does not keep it.
 */
export function walkWithVariables(model: DockerfileModel, visit: (instruction: DockerInstruction, scope: Variables) => void): void {
  const ends: Variables[] = [];
  for (const stage of model.stages) {
    const scope: Variables = stage.base.stageRef !== null ? new Map(ends[stage.base.stageRef]) : new Map();
    for (const instruction of stage.instructions) {
      visit(instruction, scope);
      applyVariables(model, instruction, scope);
    }
    ends[stage.index] = scope;
  }
}

/** Expands a value written in the Dockerfile; null when it depends on a value not known here. */
export function expandIn(model: DockerfileModel, text: string, scope: Variables): string | null {
  return text.includes('$') ? expandVariables(text, scope, { syntax: 'dockerfile', escape: model.escape }) : text;
}

/** Removes one pair of matching surrounding quotes. */
export function unquote(text: string): { value: string; offset: number } {
  const m = /^(["'])([\s\S]*)\1$/.exec(text);
  return m ? { value: m[2], offset: 1 } : { value: text, offset: 0 };
}

/** Linux absolute paths, and Windows ones (`C:\app`, `C:/app`, `\app`) for Windows images. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:([\\/]|$)/.test(path);
}

/** A WORKDIR whose path is relative to a directory this file does not set. */
interface RelativeWorkdir {
  instruction: DockerInstruction;
  written: string;
  range: Range;
}

/**
 * BuildKit's semantics: only the first WORKDIR of a stage (counting the stages it is built FROM)
 * can be relative to an unknown directory; later ones are relative to a directory this file set.
 */
function relativeWorkdirs(model: DockerfileModel): RelativeWorkdir[] {
  const found: RelativeWorkdir[] = [];
  // Whether each stage (with the stages it is built FROM) has set a WORKDIR so far.
  const workdirSet: boolean[] = [];
  walkWithVariables(model, (instruction, scope) => {
    const stage = model.stages[instruction.stage];
    if (instruction === stage.from) {
      workdirSet[stage.index] = stage.base.stageRef !== null ? workdirSet[stage.base.stageRef] ?? false : false;
      return;
    }
    if (instruction.keyword !== 'WORKDIR' || !instruction.argsRange) return;
    const wasSet = workdirSet[stage.index];
    workdirSet[stage.index] = true;
    if (wasSet) return;
    const written = instruction.args.trim();
    if (!written) return;
    const { value } = unquote(written);
    if (isAbsolute(value)) return;
    const expanded = expandIn(model, value, scope);
    // A variable set outside this file (the base image's ENV, a --build-arg) could hold anything.
    if (expanded === null || isAbsolute(expanded)) return;
    found.push({ instruction, written, range: instruction.argsRange });
  });
  return found;
}

/** The text edit that makes the written path absolute under `/`, or null when that is unclear. */
function absoluteEdit(model: DockerfileModel, item: RelativeWorkdir): { range: Range; newText: string; path: string } | null {
  const { value, offset } = unquote(item.written);
  if (value.startsWith('..') || value.startsWith('~')) return null;
  const document = model.document;
  const start = document.offsetAt(item.range.start) + (document.getText(item.range).length - document.getText(item.range).trimStart().length) + offset;
  // `./app` becomes `/app`; `app` becomes `/app`.
  const dots = /^(\.\/)+/.exec(value)?.[0] ?? '';
  const rest = value.slice(dots.length);
  if (!rest || rest === '.') return null;
  return {
    range: { start: document.positionAt(start), end: document.positionAt(start + dots.length) },
    newText: '/',
    path: `/${rest}`,
  };
}

/**
 * A relative WORKDIR is resolved against the base image's working directory: when the base image
 * changes it, every path after it moves with it. See https://docs.docker.com/reference/dockerfile/#workdir
 * and BuildKit's WorkdirRelativePath check.
 */
export default dockerfileRule({
  id: 'workdir-absolute',
  aliases: ['DL3000', 'WorkdirRelativePath', '6b376af8-cfe8-49ab-a08d-f32de23661a4'],
  title: 'Use an absolute WORKDIR',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const shipped = finalImageStages(dockerfile, shippedStage({ dockerfile, path, files }));
    for (const item of relativeWorkdirs(dockerfile)) {
      const stage = dockerfile.stages[item.instruction.stage];
      const chain = stageAncestry(dockerfile, stage);
      const base = chain[chain.length - 1].base;
      const known = knownDefaultWorkdir(dockerfile, stage);
      const edit = known ? absoluteEdit(dockerfile, item) : null;
      const image = base.stageRef === null && base.resolved !== null ? `\`${base.text}\`` : 'the base image';
      report({
        range: item.range,
        message: edit
          ? `\`WORKDIR ${item.written}\` is relative to the working directory of ${image} (\`/\` today), so every path after it moves if that image ever sets another WORKDIR; write the absolute path \`${edit.path}\`.`
          : `\`WORKDIR ${item.written}\` is relative to whatever working directory ${image} sets, so the files land somewhere else when that image changes it; write an absolute path starting with \`/\`.`,
        // It works today where the base's directory is known, and a build stage's paths do not ship: style.
        ...(known !== null || (shipped.size > 0 && !shipped.has(stage.index)) ? { severity: 'info' as const } : {}),
      });
    }
  },
  fix(finding, dockerfile) {
    const item = relativeWorkdirs(dockerfile).find(
      (w) => w.range.start.line === finding.range.start.line && w.range.start.character === finding.range.start.character,
    );
    if (!item) return undefined;
    if (knownDefaultWorkdir(dockerfile, dockerfile.stages[item.instruction.stage]) !== '/') return undefined;
    const edit = absoluteEdit(dockerfile, item);
    if (!edit) return undefined;
    return { title: `Make the path absolute: ${edit.path}`, edits: [{ range: edit.range, newText: edit.newText }], safe: true };
  },
});
