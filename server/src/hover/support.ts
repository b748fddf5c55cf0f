import type { ImageRef } from '../text/image';
import { DATA_AS_OF, discontinued, isLts, lifecycleOf, lineName, onDate, type LineStatus } from '../text/lifecycle';

function describe(status: LineStatus, today: string): string {
  const lts = isLts(status.line, today) ? ' (LTS)' : '';
  const name = `${lineName(status)}${lts}`;
  if (!status.eol) return `${name}: no end-of-life date published (data as of ${DATA_AS_OF})`;
  const end = status.product.ends ?? 'end of life';
  if (status.ended) return `${name} reached ${end} ${onDate(status.eol)}: ${status.product.after ?? 'no security fixes since'}`;
  return `${name}: supported until ${status.eol}`;
}

/**
 * What the hover on a FROM image or a Compose `image:` says about support: the line the tag
 * names and until when it gets security fixes, the distribution release below it, a deprecated
 * repository. Nothing for an image the data does not know (see data/endOfLife.ts).
 */
export function imageSupportLines(ref: ImageRef | null, today: string): string[] {
  if (!ref) return [];
  const lifecycle = lifecycleOf(ref, today);
  const lines: string[] = [];
  if (lifecycle?.deprecated) lines.push(`**Deprecated** · ${lifecycle.deprecated.why}.`);
  const own = lifecycle?.own ?? discontinued(ref, today);
  if (own) lines.push(`**Support** · ${describe(own, today)}${own.floating ? ` (the tag follows the newest ${own.line.cycle.split('.')[0]}.x line)` : ''}.`);
  if (lifecycle?.base) lines.push(`**Base** · ${describe(lifecycle.base, today)}.`);
  return lines;
}
