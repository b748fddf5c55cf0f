import type { EcosystemId } from '../../dockerfile/ecosystems';
import type { Assumption, Builder } from './conversion';

/**
 * A multi-stage Dockerfile as data: what the converter decided, before any text exists. The
 * renderer turns it into a file; tests read it directly.
 */

/** One instruction of the new file, with the comments that belong to it. */
export interface PlannedInstruction {
  /** Upper-case keyword, for tests and ordering. */
  keyword: string;
  /** The whole instruction as it is written out (may span lines, with the file's escape character). */
  text: string;
  /** Comment lines to put right above it, `#` included. */
  comments: string[];
}

export interface PlannedStage {
  /** Comment lines above its FROM (`#` included): why the stage exists. */
  comment: string[];
  /** The image, as written (ARG references kept). */
  image: string;
  platform: string | null;
  name: string | null;
  instructions: PlannedInstruction[];
}

export interface Plan {
  ecosystem: EcosystemId;
  /** How people name the ecosystem, for the title (`Go`, `Node.js`). */
  label: string;
  /** The typical size effect, labelled as typical in the title. */
  typicalSize: string;
  /** Parser directive lines (`# syntax=…`, `# escape=…`), in order. */
  directives: string[];
  /** Comment lines that head the file. */
  header: string[];
  /** Global ARGs before the first FROM, with their comments. */
  preamble: PlannedInstruction[];
  stages: PlannedStage[];
  /** Comments after the last instruction of the original file. */
  trailer: string[];
  /** What the conversion rests on (also written as comments above the runtime stage). */
  assumptions: Assumption[];
  builder: Builder;
}

export function instruction(keyword: string, text: string, comments: string[] = []): PlannedInstruction {
  return { keyword, text, comments };
}

/** The Dockerfile a plan describes: directives, preamble, then each stage after a blank line. */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [...plan.directives];
  const block = (items: PlannedInstruction[]) => {
    for (const item of items) lines.push(...item.comments, item.text);
  };
  if (plan.header.length > 0) lines.push(...(lines.length > 0 ? [''] : []), ...plan.header);
  if (plan.preamble.length > 0) {
    lines.push('');
    block(plan.preamble);
  }
  for (const stage of plan.stages) {
    lines.push('');
    lines.push(...stage.comment);
    const platform = stage.platform ? `--platform=${stage.platform} ` : '';
    lines.push(`FROM ${platform}${stage.image}${stage.name ? ` AS ${stage.name}` : ''}`);
    block(stage.instructions);
  }
  if (plan.trailer.length > 0) lines.push('', ...plan.trailer);
  return `${lines.join('\n')}\n`;
}

/** The fix title: the ecosystem (and the classic builder, when the result is for it), and the size effect it typically has. */
export function planTitle(plan: Plan): string {
  return `Convert to multi-stage build (${plan.label}${plan.builder === 'classic' ? ', classic builder' : ''}) — typical: ${plan.typicalSize}`;
}

/** A sentence as comment lines of at most `width` columns, the first marked with `label`. */
export function commentLines(label: string, text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = label ? `# ${label}` : '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > width && line.trim() !== '#') {
      lines.push(line);
      line = '#  ';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}
