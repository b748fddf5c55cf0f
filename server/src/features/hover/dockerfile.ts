import type { Position, Range } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel, Stage } from '../../dockerfile/parse';
import { DIRECTIVES, MOUNT_TYPES, PLATFORM_ARGS, flagMarkdown, instructionDoc, instructionMarkdown } from './dockerfileReference';
import { stageAtLine, variableUseAt, variablesAt, within } from './dockerfileScope';

/*
 * The reference part of a Dockerfile hover: what the instruction or flag under the cursor does,
 * its syntax and its page in the Dockerfile reference; a variable's value where it is used; a
 * stage's FROM and its uses; a parser directive. hover/dockerfile.ts puts it in one hover with the
 * layer-cache card.
 *
 * Ours rather than rcjsuen's computeHover: the library has no text for BuildKit's flags
 * (`RUN --mount`, `COPY --chmod`, `--link`… answer null), links to the old
 * engine/reference/builder pages, and gives a variable's value as a bare string with no scope.
 */

export interface ReferenceHover {
  /** What is specific to the word under the cursor (a variable's value, a stage's uses): shown first. */
  lead: string[];
  /** The static reference text (instruction, flag, directive): shown after the cache card. */
  reference: string[];
  range: Range;
}

export function hoverDockerfileReference(model: DockerfileModel, position: Position): ReferenceHover | null {
  const directive = model.directives.find((d) => within(d.range, position));
  if (directive) {
    const doc = DIRECTIVES.find((d) => d.name === directive.name);
    if (doc) return { lead: [], reference: [`**Parser directive \`${doc.name}\`**: ${doc.what}`, '[Dockerfile reference: parser directives](https://docs.docker.com/reference/dockerfile/#parser-directives)'], range: directive.range };
  }
  const instruction = model.instructions.find((i) => within(i.range, position));
  if (!instruction) return null;
  if (within(instruction.keywordRange, position)) {
    const doc = instructionDoc(instruction.keyword);
    return doc ? { lead: [], reference: [instructionMarkdown(doc)], range: instruction.keywordRange } : null;
  }
  const stage = stageHover(model, instruction, position);
  if (stage) return stage;
  const variable = variableUseAt(instruction, position);
  if (variable) return { lead: [variableLine(model, variable.name, position)], reference: [], range: variable.whole };
  const trigger = onbuildTrigger(instruction, position);
  if (trigger) return trigger;
  const flag = instruction.flags.find((f) => within(f.range, position));
  if (flag) {
    const doc = instructionDoc(instruction.keyword)?.flags.find((f) => f.name === flag.name);
    if (!doc) return null;
    const reference = [flagMarkdown(instruction.keyword, doc)];
    if (flag.name === 'mount') {
      const type = MOUNT_TYPES.find((t) => t.type === (flag.options.get('type') ?? 'bind'));
      if (type) reference.unshift(`**\`type=${type.type}\`**: ${type.what} Options: ${type.options.map((o) => `\`${o.name}\``).join(', ')}.`);
    }
    return { lead: [], reference, range: flag.range };
  }
  return null;
}

/** ONBUILD's trigger keyword: the trigger instruction's reference. */
function onbuildTrigger(instruction: DockerInstruction, position: Position): ReferenceHover | null {
  if (instruction.keyword !== 'ONBUILD' || !instruction.argsRange || !within(instruction.argsRange, position)) return null;
  const start = instruction.argsRange.start;
  const word = /^\S+/.exec(instruction.args)?.[0];
  if (!word || position.line !== start.line || position.character > start.character + word.length) return null;
  const doc = instructionDoc(word);
  return doc ? { lead: [], reference: [instructionMarkdown(doc)], range: { start, end: { line: start.line, character: start.character + word.length } } } : null;
}

function variableLine(model: DockerfileModel, name: string, position: Position): string {
  const scope = variablesAt(model, position);
  const v = scope.get(name);
  const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;
  if (!v) {
    const global = model.globalArgs.has(name);
    return `**\`${name}\`** is not in scope here${global ? ': it is a global ARG, in scope only in FROM lines; declare `ARG ' + name + '` in this stage to use it' : ': it is empty at build time unless the base image sets it'}.`;
  }
  const at = (range: Range | null | undefined) => (range ? ` (line ${range.start.line + 1})` : '');
  switch (v.kind) {
    case 'env': return `**\`${name}\`** · ENV${at(v.declaration)} = ${code(v.value ?? '')}`;
    case 'arg': return `**\`${name}\`** · ARG${at(v.declaration)}${v.value !== null ? ` = ${code(v.value)}${v.global !== undefined ? ` (the default of the global ARG${at(v.global)})` : ''} unless the build sets it` : ': no default, set by the build (`--build-arg`)'}`;
    case 'global-arg': return `**\`${name}\`** · global ARG${at(v.declaration)}${v.value !== null ? ` = ${code(v.value)} unless the build sets it` : ': no default, set by the build (`--build-arg`)'}`;
    case 'platform': return `**\`${name}\`** · automatic platform ARG, set by the build: ${PLATFORM_ARGS.find((p) => p.name === name)?.what ?? ''}${v.needsDeclaration ? ` Not in scope in this stage until it declares \`ARG ${name}\`.` : ''}`;
    case 'proxy': return `**\`${name}\`** · predefined proxy ARG, set by the build (\`--build-arg\`); not kept in the image history.`;
  }
}

/** Where a stage is used: FROM lines built on it, COPY --from and --mount from=. */
function stageUses(model: DockerfileModel, stage: Stage): string[] {
  const uses: string[] = [];
  for (const other of model.stages) {
    if (other.base.stageRef === stage.index) uses.push(`\`FROM ${other.base.text}\` (line ${other.from.range.start.line + 1})`);
  }
  for (const instruction of model.instructions) {
    for (const flag of instruction.flags) {
      const from = flag.name === 'from' ? flag.value : flag.name === 'mount' ? flag.options.get('from') ?? null : null;
      if (from !== null && stageByName(model, from) === stage) uses.push(`\`${instruction.keyword} --${flag.name === 'from' ? `from=${from}` : `mount=…from=${from}`}\` (line ${instruction.range.start.line + 1})`);
    }
  }
  return uses;
}

function stageByName(model: DockerfileModel, name: string): Stage | undefined {
  const lower = name.toLowerCase();
  return model.stages.find((s) => !s.implicit && (s.name?.toLowerCase() === lower || (/^\d+$/.test(name) && s.index === Number(name))));
}

function stageCard(model: DockerfileModel, stage: Stage): string {
  const uses = stageUses(model, stage);
  const final = stage.index === model.stages.length - 1 ? ' — the final stage' : '';
  return `**Stage \`${stage.name ?? stage.index}\`** · \`FROM ${stage.base.text}${stage.name ? ` AS ${stage.name}` : ''}\` (line ${stage.from.range.start.line + 1})${final}\n\n${uses.length ? `Used by ${uses.slice(0, 6).join(', ')}${uses.length > 6 ? ` and ${uses.length - 6} more` : ''}.` : 'No later instruction uses it by name.'}`;
}

/** A stage name: where it is declared (AS name), or used (FROM name, --from=name, from=name). */
function stageHover(model: DockerfileModel, instruction: DockerInstruction, position: Position): ReferenceHover | null {
  if (instruction.keyword === 'FROM') {
    const stage = stageAtLine(model, instruction.range.start.line);
    if (stage?.nameRange && within(stage.nameRange, position)) return { lead: [stageCard(model, stage)], reference: [], range: stage.nameRange };
    if (stage && stage.base.stageRef !== null && within(stage.base.range, position)) {
      const base = model.stages[stage.base.stageRef];
      return { lead: [stageCard(model, base)], reference: [], range: stage.base.range };
    }
    return null;
  }
  for (const flag of instruction.flags) {
    if (!within(flag.range, position)) continue;
    const from = flag.name === 'from' ? flag.value : flag.name === 'mount' ? flag.options.get('from') ?? null : null;
    const stage = from !== null ? stageByName(model, from) : undefined;
    if (!stage || stage.from.range.start.line >= instruction.range.start.line) continue;
    const text = model.document.getText(flag.range);
    const offset = text.indexOf(`from=${from}`);
    if (offset < 0) continue;
    const start = model.document.offsetAt(flag.range.start) + offset + 5;
    const range = { start: model.document.positionAt(start), end: model.document.positionAt(start + from!.length) };
    if (!within(range, position)) continue;
    return { lead: [stageCard(model, stage)], reference: [], range };
  }
  return null;
}
