import type { Position, Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel } from '../../dockerfile/parse';
import { propertiesOf, type PropertyView } from '../../dockerfile/references';

/**
 * `ENV key value` takes the whole rest of the line as one value, so `ENV A b C=d` sets A to
 * "b C=d" rather than two variables. Docker deprecates the form; `key=value` says what it means.
 * https://docs.docker.com/reference/build-checks/legacy-key-value-format/
 */
export default dockerfileRule({
  id: 'legacy-key-value',
  aliases: ['LegacyKeyValueFormat'],
  title: 'Write ENV and LABEL as key=value',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ENV' && instruction.keyword !== 'LABEL') continue;
      const property = legacyProperty(propertiesOf(instruction));
      if (!property) continue;
      const raw = dockerfile.document.getText(property.valueRange!);
      const value = assignedValue(dockerfile, property);
      const rewrite = value !== null && value.length <= 60 ? `\`${instruction.keyword} ${property.name}=${value}\`` : `\`${instruction.keyword} ${property.name}=…\``;
      const consequence = hasBlankOutsideQuotes(raw, dockerfile.escape)
        ? `so all the words after \`${property.name}\` become its single value, easy to misread as several settings`
        : `which BuildKit flags as deprecated on every build and which cannot set a second ${instruction.keyword === 'ENV' ? 'variable' : 'label'} on the line`;
      report({
        range: property.range,
        message: `\`${instruction.keyword} ${property.name} ${shorten(raw)}\` uses the deprecated space-separated form, ${consequence}; write ${rewrite}.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find((i) => (i.keyword === 'ENV' || i.keyword === 'LABEL') && contains(i.range, finding.range.start));
    if (!instruction) return undefined;
    const property = legacyProperty(propertiesOf(instruction));
    if (!property?.valueRange) return undefined;
    const value = assignedValue(dockerfile, property);
    if (value === null) return undefined;
    const name = dockerfile.document.getText(property.nameRange);
    return {
      title: `Rewrite as \`${instruction.keyword} ${property.name}=…\``,
      edits: [{ range: { start: property.nameRange.start, end: property.valueRange.end }, newText: `${name}=${value}` }],
      safe: true,
    };
  },
});

/** The one `key value` pair of a legacy ENV/LABEL (the form allows only one), or null. */
function legacyProperty(properties: PropertyView[]): PropertyView | null {
  if (properties.length !== 1) return null;
  const [property] = properties;
  return property.operator === null && property.value !== null && property.valueRange !== null ? property : null;
}

/**
 * The value written so that `key=value` means what the legacy form meant: as is when it has no
 * blank outside quotes, in double quotes when it is plain text; null when that needs more care
 * (quotes or escapes mixed with blanks, or a value over several lines).
 */
function assignedValue(dockerfile: DockerfileModel, property: PropertyView): string | null {
  const raw = dockerfile.document.getText(property.valueRange!);
  if (raw.includes('\n')) return null;
  if (!hasBlankOutsideQuotes(raw, dockerfile.escape)) return raw;
  if (/["']/.test(raw) || raw.includes(dockerfile.escape)) return null;
  return `"${raw}"`;
}

function hasBlankOutsideQuotes(text: string, escape: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === escape && quote !== "'") i++;
    else if (quote === null && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = null;
    else if (quote === null && /\s/.test(ch)) return true;
  }
  return false;
}

export function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

function shorten(text: string): string {
  const line = text.replace(/\s*\\?\r?\n\s*/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}…` : line;
}
