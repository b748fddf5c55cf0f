import type { Hover, Position, Range } from 'vscode-languageserver-types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../dockerfile/parse';
import { shellOf } from '../dockerfile/shell';
import type { LanguageService } from '../service';
import { ignoreCommentHover } from './ignores';
import { imageSupportLines } from './support';
import { cacheModel, isExpensive, SCAN_LIMIT, stageLabel, type Step } from './layerCache';
import { referencedVariables } from '../text/variables';
import { hoverDockerfileReference, type ReferenceHover } from '../features/hover/dockerfile';

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
  // What the word under the cursor is (instruction, flag, variable, stage): see features/hover/dockerfile.ts.
  const reference = hoverDockerfileReference(model, position);
  const instruction = model.instructions.find((i) => contains(i.range, position));
  if (!instruction) return reference ? withReference([], reference, reference.range) : null;
  const lines = instruction.keyword === 'FROM' ? baseImageLines(model, instruction) : [];
  if (instruction.keyword === 'FROM') lines.push(...imageSupportLines(model.stages[instruction.stage]?.base.ref ?? null, service.today()));
  const step = instruction.stage >= 0 ? cacheModel(model).stepOf(instruction) : undefined;
  if (step) lines.push(...cacheLines(model, step, service));
  else if (instruction.keyword === 'ARG') lines.push(...globalArgLines(model, instruction));
  if (lines.length === 0 && !reference) return null;
  // On the FROM image the card is anchored to the image; elsewhere to the whole instruction.
  const stage = model.stages[instruction.stage];
  const range = instruction.keyword === 'FROM' && stage && contains(stage.base.range, position) ? stage.base.range : instruction.range;
  return reference ? withReference(lines, reference, reference.range) : { contents: { kind: 'markdown', value: lines.join('\n\n') }, range };
}

/**
 * One hover: what is specific to the word (a variable's value, a stage's uses) first, then the
 * layer-cache card, then the reference text. The card comes before the reference because it is
 * about this line and changes as the file does, while the reference is the same text every time
 * (read once, then skipped): a tall hover must not push the live part below the fold.
 */
function withReference(card: string[], reference: ReferenceHover, range: Range): Hover {
  const parts = [...reference.lead, ...card];
  if (reference.reference.length > 0) parts.push(...(parts.length > 0 ? ['---'] : []), ...reference.reference);
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range };
}

/**
 * An ARG before the first FROM is in scope only for FROM lines (a stage must declare it again to
 * use it): a new value changes the base image of the stages whose FROM names it.
 */
function globalArgLines(model: DockerfileModel, instruction: DockerInstruction): string[] {
  const names = instruction.args.split(/\s+/).filter(Boolean).map((a) => a.split('=')[0]);
  const users = model.stages.filter((s) => referencedVariables(s.base.text).some((v) => names.includes(v)));
  const shown = users.slice(0, 3).map((s) => `stage ${stageLabel(s)} (line ${s.from.range.start.line + 1})`);
  const used = users.length === 0
    ? 'No FROM uses it; a stage that needs its value must declare `ARG` again inside the stage.'
    : `A new value (\`--build-arg\`) changes the base image of ${shown.join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''}, and so re-runs ${users.length === 1 ? 'that stage and every stage built on it' : 'those stages and every stage built on them'}.`;
  return ['**Global build arg** (before the first FROM): in scope only in FROM lines.', used];
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

export function describeStep(model: DockerfileModel, step: Step): string {
  const instruction = step.instruction;
  const expensive = instruction.keyword === 'RUN' ? shellOf(model, instruction).commands.find(isExpensive) : undefined;
  // `COPY --from=…` says where the files come from: keep the flag that names it.
  const from = instruction.flags.find((f) => f.name === 'from');
  const text = expensive ? expensive.text : `${instruction.keyword}${from ? ` --from=${from.value}` : ''} ${instruction.args}`;
  const flat = text.replace(/\s+/g, ' ').trim();
  return `\`${(flat.length > 40 ? `${flat.slice(0, 39)}…` : flat).replace(/`/g, "'")}\` (line ${instruction.range.start.line + 1})`;
}

/** Who triggers the re-run, in the user's terms: an edit of a copied file, a new base image, or the line itself. */
function rerunLabel(step: Step): string {
  const { instruction } = step;
  const fromContext = (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && instruction.heredocs.length === 0 && !instruction.flags.some((f) => f.name === 'from');
  if (fromContext && step.volatile) return 'Editing a copied file re-runs';
  if (instruction.keyword === 'FROM' && step.volatile) return 'A new base image re-runs';
  return 'A change here re-runs';
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
    const others = [...new Set(reruns.filter((s) => s.stage !== step.stage).map((s) => s.stage))];
    const builtOn = (s: Stage) => stageAncestry(model, s).includes(step.stage);
    const stages = others.filter(builtOn).map(stageLabel);
    const copying = others.filter((s) => !builtOn(s)).map(stageLabel);
    const named = costly.slice(0, 3).map((s) => describeStep(model, s));
    const more = costly.length > 3 ? ` and ${costly.length - 3} more` : '';
    const builds = (stages.length === 1 ? `; stage ${stages[0]} builds on it` : stages.length > 1 ? `; stages ${stages.join(', ')} build on it` : '')
      + (copying.length === 1 ? `; stage ${copying[0]} copies from it` : copying.length > 1 ? `; stages ${copying.join(', ')} copy from it` : '');
    lines.push(`**${rerunLabel(step)}** ${reruns.length} later step${reruns.length === 1 ? '' : 's'}${named.length ? `, including ${named.join(', ')}${more}` : ''}${builds}.`);
  }
  for (const tip of details.tips.slice(0, 2)) {
    lines.push(`💡 ${tip.text}${tip.rule ? ` ([${tip.rule}](${service.docsUrl(tip.rule)}))` : ''}`);
  }
  return lines;
}
