import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { DockerInstruction, DockerfileModel } from '../dockerfile/parse';
import { shellOf } from '../dockerfile/shell';
import type { LanguageService } from '../service';
import { ignoreCommentHover } from './ignores';
import { cacheModel, isExpensive, SCAN_LIMIT, stageLabel, type Step } from './layerCache';

export function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/**
 * Hover on an instruction: its layer-cache card (what invalidates it, what a change re-runs), and
 * for FROM what the base image resolves to. On rule ids in ignore comments: the rule.
 */
export function hoverDockerfile(model: DockerfileModel, position: Position, service: LanguageService): Hover | null {
  const comment = ignoreCommentHover(model.document, position, service, model.comments.map((c) => c.range));
  if (comment) return comment;
  const instruction = model.instructions.find((i) => contains(i.range, position));
  if (!instruction) return null;
  const lines = instruction.keyword === 'FROM' ? baseImageLines(model, instruction) : [];
  const step = instruction.stage >= 0 ? cacheModel(model).stepOf(instruction) : undefined;
  if (step) lines.push(...cacheLines(model, step, service));
  else if (instruction.keyword === 'ARG') lines.push('**Global build arg** (before the first FROM): usable only in FROM lines. A new value (`--build-arg`) changes which base image is used, and so re-runs every stage that uses it.');
  if (lines.length === 0) return null;
  // On the FROM image the card is anchored to the image; elsewhere to the whole instruction.
  const stage = model.stages[instruction.stage];
  const range = instruction.keyword === 'FROM' && stage && contains(stage.base.range, position) ? stage.base.range : instruction.range;
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range };
}

function baseImageLines(model: DockerfileModel, from: DockerInstruction): string[] {
  const stage = model.stages[from.stage];
  if (!stage) return [];
  const { base } = stage;
  const lines = [`**Stage ${stage.index}${stage.name ? ` \`${stage.name}\`` : ''}** starts from ${base.stageRef !== null ? `stage ${stageLabel(model.stages[base.stageRef])}` : `\`${base.text}\``}${stage.index === model.stages.length - 1 ? ' — the final stage: what it contains ships' : ' — a build stage: it ships only what a later stage copies from it'}.`];
  const details: string[] = [];
  if (base.resolved !== null && base.resolved !== base.text) details.push(`with the build args' defaults: \`${base.resolved}\``);
  if (base.resolved === null) details.push('depends on a build arg with no default: known only at build time');
  if (base.ref) details.push(`registry \`${base.ref.registry ?? 'docker.io'}\`, repository \`${base.ref.repository}\`, ${base.ref.digest ? `digest \`${base.ref.digest}\`` : base.ref.tag ? `tag \`${base.ref.tag}\`` : 'no tag (pulls `latest`)'}`);
  if (base.platform) details.push(`platform \`${base.platform}\``);
  if (details.length > 0) lines.push(details.join('; '));
  return lines;
}

function where(step: Step): string {
  return `step ${step.number} of stage ${stageLabel(step.stage)}`;
}

function describeStep(model: DockerfileModel, step: Step): string {
  const instruction = step.instruction;
  const expensive = instruction.keyword === 'RUN' ? shellOf(model, instruction).commands.find(isExpensive) : undefined;
  const text = expensive ? expensive.text : `${instruction.keyword} ${instruction.args}`;
  const flat = text.replace(/\s+/g, ' ').trim();
  return `\`${(flat.length > 40 ? `${flat.slice(0, 39)}…` : flat).replace(/`/g, "'")}\` (line ${instruction.range.start.line + 1})`;
}

function cacheLines(model: DockerfileModel, step: Step, service: LanguageService): string[] {
  const cache = cacheModel(model);
  const kind = step.kind === 'layer' ? 'writes a filesystem layer' : step.kind === 'base' ? 'the base of the stage' : 'metadata only, no filesystem layer';
  const lines = [`**Layer cache** · ${where(step)} · ${kind}`];
  const details = cache.details(step);
  const inputs = [...details.inputs];
  // The nearest volatile step above is what usually invalidates this one; the earliest is where
  // the chain starts.
  const volatile = step.kind === 'base' ? [] : cache.volatileAbove(step);
  const nearest = volatile[volatile.length - 1];
  if (nearest) {
    const earliest = volatile[0];
    inputs.push(`and whatever invalidates ${describeStep(model, nearest)} above it${earliest !== nearest ? `, or anything from ${describeStep(model, earliest)} on` : ''}`);
  }
  lines.push(`**Invalidated by** ${inputs.join('; ')}.`);
  const reruns = cache.rerunsAfter(step);
  if (reruns.length === 0) {
    lines.push('**A change here re-runs** nothing after it.');
  } else {
    // Name the first costly steps; a huge file is only scanned so far.
    const scanned = reruns.filter((s) => s.instruction.keyword === 'RUN').slice(0, SCAN_LIMIT);
    const costly = scanned.filter((s) => shellOf(model, s.instruction).commands.some(isExpensive));
    const stages = [...new Set(reruns.filter((s) => s.stage !== step.stage).map((s) => stageLabel(s.stage)))];
    const named = costly.slice(0, 3).map((s) => describeStep(model, s));
    const more = costly.length > 3 ? ` and ${costly.length - 3} more` : '';
    const builds = stages.length === 1 ? `; stage ${stages[0]} builds on it` : stages.length > 1 ? `; stages ${stages.join(', ')} build on it` : '';
    lines.push(`**A change here re-runs** ${reruns.length} later step${reruns.length === 1 ? '' : 's'}${named.length ? `, including ${named.join(', ')}${more}` : ''}${builds}.`);
  }
  for (const tip of details.tips.slice(0, 2)) {
    lines.push(`💡 ${tip.text}${tip.rule ? ` ([${tip.rule}](${service.docsUrl(tip.rule)}))` : ''}`);
  }
  return lines;
}
