import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { deleteInstructionEdit } from './no-duplicate-instructions';

const AUTHORS = 'org.opencontainers.image.authors';

/**
 * The maintainer as Docker records it: the text after the keyword as written, with no quote or
 * escape processing; continuations are folded, comment lines dropped and spacing collapsed.
 */
function maintainerOf(instruction: DockerInstruction): string {
  return instruction.args
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A double-quoted LABEL value: LABEL expands variables and escapes, MAINTAINER took the text as is. */
function labelValue(text: string, escape: string): string {
  const escaped = text.replace(new RegExp(`[${escape === '`' ? '`' : '\\\\'}"$]`, 'g'), (c) => `${escape}${c}`);
  return `"${escaped}"`;
}

function hasAuthorsLabel(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const stage = model.stages[instruction.stage];
  return !!stage?.instructions.some((i) => i.keyword === 'LABEL' && i.args.includes(AUTHORS));
}

/**
 * MAINTAINER is deprecated: it fills the image's legacy `Author` field, which tools no longer
 * read. The OCI label carries the same information where registries and scanners look. See
 * https://docs.docker.com/reference/dockerfile/#maintainer-deprecated.
 */
export default dockerfileRule({
  id: 'no-maintainer',
  aliases: ['DL4000', 'MaintainerDeprecated', '99614418-f82b-4852-a9ae-5051402b741c'],
  title: 'Use the authors label instead of MAINTAINER',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'MAINTAINER') continue;
      const who = maintainerOf(instruction);
      report({
        range: instruction.keywordRange,
        message: `\`MAINTAINER\` is deprecated and only fills the legacy Author field that registries and scanners no longer read, so \`${who.length > 50 ? `${who.slice(0, 47)}…` : who}\` is effectively lost; use \`LABEL ${AUTHORS}="…"\` instead.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find(
      (i) => i.keyword === 'MAINTAINER' && i.keywordRange.start.line === finding.range.start.line && i.keywordRange.start.character === finding.range.start.character,
    );
    if (!instruction) return undefined;
    if (hasAuthorsLabel(dockerfile, instruction)) {
      return { title: `Delete MAINTAINER (the stage already sets ${AUTHORS})`, edits: [deleteInstructionEdit(dockerfile, instruction)], safe: true };
    }
    const who = maintainerOf(instruction);
    if (!who) return undefined;
    return {
      title: `Replace with LABEL ${AUTHORS}`,
      edits: [{ range: instruction.range, newText: `LABEL ${AUTHORS}=${labelValue(who, dockerfile.escape)}` }],
      safe: true,
    };
  },
});
