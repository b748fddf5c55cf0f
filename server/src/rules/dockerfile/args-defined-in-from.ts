import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { PLATFORM_ARGS, closestName, propertiesOf, variableReferences, type VariableReference } from '../../dockerfile/references';

/**
 * Values the platform ARGs take on a typical build, to see whether a FROM is valid; any real
 * platform gives the same verdict, since these only ever fill a tag or a `--platform`.
 */
const PLATFORM_SAMPLE = new Map([
  ['TARGETPLATFORM', 'linux/amd64'], ['TARGETOS', 'linux'], ['TARGETARCH', 'amd64'], ['TARGETVARIANT', ''],
  ['BUILDPLATFORM', 'linux/amd64'], ['BUILDOS', 'linux'], ['BUILDARCH', 'amd64'], ['BUILDVARIANT', ''],
]);

/** A variable name, matched where a `$` is (sticky: no copy of the rest of the text). */
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * A FROM can only use ARGs declared before the first FROM: anything else expands to nothing and
 * cannot be set with `--build-arg`. And the defaults alone must give a valid image, or a plain
 * `docker build` fails.
 */
export default dockerfileRule({
  id: 'args-defined-in-from',
  aliases: ['UndefinedArgInFrom', 'InvalidDefaultArgInFrom'],
  title: 'Declare the ARGs a FROM uses, with defaults that make a valid image',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    const { document, escape } = dockerfile;
    const declared = globalArgNames(dockerfile);
    const defaults = globalDefaults(dockerfile);
    const stageNames = new Set(dockerfile.stages.map((s) => s.name?.toLowerCase()).filter((n): n is string => !!n));
    for (const stage of dockerfile.stages) {
      const from = stage.from;
      const platform = from.flags.find((f) => f.name === 'platform');
      const references = [
        ...variableReferences(document, stage.base.range, escape),
        ...(platform ? variableReferences(document, platform.range, escape) : []),
      ];
      let undeclared = false;
      for (const reference of references) {
        if (declared.has(reference.name) || PLATFORM_ARGS.has(reference.name)) continue;
        undeclared = true;
        const suggestion = closestName(reference.name, [...declared, ...PLATFORM_ARGS]);
        const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
        report({
          range: reference.nameRange,
          message: `\`${reference.name}\` is not declared by an ARG before the first FROM${hint}, so it always expands to an empty string and \`--build-arg\` cannot set it; ${suggestion ? `write \`${suggestion}\`` : `add \`ARG ${reference.name}=<default>\` at the top of the file`}.`,
          data: suggestion && suggestion.toLowerCase() === reference.name.toLowerCase() ? { name: reference.name, suggestion } : { name: reference.name },
        });
      }
      // Only a variable can make a written image invalid by default; a literal typo is another matter.
      if (undeclared || !references.some((r) => isInside(r, stage.base.range))) continue;
      const image = expandForBuild(document.getText(stage.base.range), defaults);
      if (image === null || stageNames.has(image.toLowerCase()) || isValidReference(image)) continue;
      const written = document.getText(stage.base.range);
      report({
        range: stage.base.range,
        message: `With only the ARG defaults, \`${written}\` becomes ${image ? `\`${image}\`, which is not a valid image reference` : 'an empty image name'}, so a build without \`--build-arg\` fails; give the ARG a default that makes a valid image, or use \`\${NAME:-default}\`.`,
        data: { invalidDefault: true },
      });
    }
  },
  fix(finding, dockerfile) {
    const { name, suggestion } = finding.data ?? {};
    if (typeof name !== 'string' || typeof suggestion !== 'string') return undefined;
    if (dockerfile.document.getText(finding.range) !== name) return undefined;
    return {
      title: `Change \`${name}\` to the declared \`${suggestion}\``,
      edits: [{ range: finding.range, newText: suggestion }],
      // ARG names are case-sensitive: the declared one is the only one that can have a value.
      safe: true,
    };
  },
});

function isInside(reference: VariableReference, range: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, reference.range.start) && before(reference.range.end, range.end);
}

/** Names declared by the ARGs before the first FROM. */
function globalArgNames(dockerfile: DockerfileModel): Set<string> {
  const names = new Set<string>();
  for (const instruction of globalArgInstructions(dockerfile)) for (const p of propertiesOf(instruction)) names.add(p.name);
  return names;
}

function globalArgInstructions(dockerfile: DockerfileModel): DockerInstruction[] {
  return dockerfile.instructions.filter((i) => i.stage < 0 && i.keyword === 'ARG');
}

/**
 * The global ARGs as a build with no `--build-arg` sees them: each default expanded against the
 * ARGs before it, an ARG without default left unset.
 */
function globalDefaults(dockerfile: DockerfileModel): Map<string, string> {
  const values = new Map(PLATFORM_SAMPLE);
  for (const instruction of globalArgInstructions(dockerfile)) {
    for (const property of propertiesOf(instruction)) {
      if (property.value === null) continue;
      const value = expandForBuild(property.value, values);
      if (value !== null) values.set(property.name, value);
      else values.delete(property.name);
    }
  }
  return values;
}

/**
 * Expands `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}` and `${X+a}` the way BuildKit does with
 * only defaults: an unset variable is empty. Returns null for what cannot be worked out here.
 */
export function expandForBuild(text: string, values: Map<string, string>): string | null {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return null;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])(.*))?$/.exec(text.slice(i + 2, close));
      if (!m) return null;
      const [, name, colon, operator, operand = ''] = m;
      const value = values.get(name);
      const set = value !== undefined && (colon !== ':' || value !== '');
      if (operator === undefined) out += value ?? '';
      else if (operator === '-') out += set ? value : operand;
      else out += set ? operand : '';
      i = close + 1;
      continue;
    }
    NAME.lastIndex = i + 1;
    const m = NAME.exec(text);
    if (!m) {
      out += ch;
      i++;
      continue;
    }
    out += values.get(m[0]) ?? '';
    i += 1 + m[0].length;
  }
  return out;
}

/**
 * Whether Docker accepts the text as an image reference: `[host[:port]/]path[:tag][@digest]`, with
 * a lower-case path, as in the distribution reference grammar.
 */
export function isValidReference(text: string): boolean {
  if (!text || text.length > 255 + 130) return false;
  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/.test(digest)) return false;
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let name = rest;
  if (colon > lastSlash) {
    const tag = rest.slice(colon + 1);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return false;
    name = rest.slice(0, colon);
  }
  const parts = name.split('/');
  const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
  const domain = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
  let start = 0;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    if (!domain.test(parts[0])) return false;
    start = 1;
  }
  if (name.length > 255) return false;
  return parts.slice(start).length > 0 && parts.slice(start).every((p) => component.test(p));
}
