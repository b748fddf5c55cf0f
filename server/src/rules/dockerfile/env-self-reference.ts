import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerfileModel, type DockerInstruction, type Stage } from '../../dockerfile/parse';
import { propertiesOf, variableReferences, type PropertyView } from '../../dockerfile/references';
import { contains } from './legacy-key-value';

/**
 * Docker expands every value of an ENV before it sets any of them, so in `ENV A=1 B=$A` B gets
 * the value A had before the line (often nothing), not 1.
 * https://docs.docker.com/reference/dockerfile/#environment-replacement
 */
export default dockerfileRule({
  id: 'env-self-reference',
  aliases: ['DL3044'],
  title: 'Do not use a variable in the ENV that sets it',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'ENV') continue;
        const properties = propertiesOf(instruction);
        if (properties.length < 2) continue;
        for (const finding of selfReferences(dockerfile, stage, instruction, properties)) {
          const { reference, definition, previous } = finding;
          const shownNew = shorten(definition.value ?? '');
          const before = previous === undefined
            ? 'the value it had before this line (empty unless the base image sets it)'
            : previous === null ? 'the value it had before this line' : `its previous value \`${shorten(previous)}\``;
          report({
            range: reference.range,
            message: `\`${dockerfile.document.getText(reference.range)}\` is expanded before this ENV sets \`${definition.name}=${shownNew}\`, so it gets ${before}; set \`${definition.name}\` in an ENV of its own first.`,
            data: { name: definition.name },
          });
        }
      }
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find((i) => i.keyword === 'ENV' && contains(i.range, finding.range.start));
    if (!instruction) return undefined;
    const properties = propertiesOf(instruction);
    const index = properties.findIndex((p) => p.valueRange && contains(p.valueRange, finding.range.start));
    if (index < 1) return undefined;
    const { document } = dockerfile;
    const gap: Range = { start: properties[index - 1].range.end, end: properties[index].range.start };
    // A comment between the two pairs would end up inside the new line; leave that to the author.
    if (document.getText(gap).includes('#')) return undefined;
    const firstLine = document.getText({ start: { line: instruction.range.start.line, character: 0 }, end: instruction.range.start });
    const indent = /^\s*/.exec(firstLine)![0];
    const newline = document.getText().includes('\r\n') ? '\r\n' : '\n';
    return {
      title: `Split the ENV before \`${properties[index].name}\``,
      edits: [{ range: gap, newText: `${newline}${indent}${document.getText(instruction.keywordRange)} ` }],
      // This gives the value the author meant, which is not what the image got until now.
      safe: false,
    };
  },
});

interface SelfReference {
  reference: ReturnType<typeof variableReferences>[number];
  definition: PropertyView;
  /** The raw value before this line: a string, null when declared without one, undefined when unknown. */
  previous: string | null | undefined;
}

/** References to a name that an earlier pair of the same ENV sets. */
function selfReferences(dockerfile: DockerfileModel, stage: Stage, instruction: DockerInstruction, properties: PropertyView[]): SelfReference[] {
  const found: SelfReference[] = [];
  const earlier = earlierValues(dockerfile, stage, instruction);
  for (let j = 1; j < properties.length; j++) {
    const valueRange = properties[j].valueRange;
    if (!valueRange) continue;
    for (const reference of variableReferences(dockerfile.document, valueRange, dockerfile.escape)) {
      const definition = properties.slice(0, j).reverse().find((p) => p.name === reference.name);
      if (!definition) continue;
      const previous = earlier.has(reference.name) ? earlier.get(reference.name)! : undefined;
      // Setting the same literal value again changes nothing: the old value is the new one.
      if (typeof previous === 'string' && previous === definition.value && !previous.includes('$')) continue;
      found.push({ reference, definition, previous });
    }
  }
  return found;
}

/** The raw ARG/ENV values set before `instruction`, in its stage and the stages it is built FROM. */
function earlierValues(dockerfile: DockerfileModel, stage: Stage, instruction: DockerInstruction): Map<string, string | null> {
  const values = new Map<string, string | null>();
  const chain = stageAncestry(dockerfile, stage).reverse();
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) return values;
      if (i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
      for (const p of propertiesOf(i)) values.set(p.name, p.value ?? values.get(p.name) ?? null);
    }
  }
  return values;
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}…` : text;
}
