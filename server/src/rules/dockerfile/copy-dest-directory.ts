import { dockerfileRule } from '../types';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { argumentWords, destinationOf } from '../../dockerfile/copyArguments';

/** The number of sources of a COPY/ADD (flags left out), or null when it cannot be told. */
function sourceCount(dockerfile: DockerfileModel, instruction: DockerInstruction): number | null {
  if (instruction.json) return instruction.json.length - 1;
  if (!instruction.argsRange) return null;
  const words = argumentWords(dockerfile.document, instruction.argsRange, dockerfile.escape, instruction.heredocs.length > 0);
  const args = words.filter((w, i) => !(w.text.startsWith('--') && words.slice(0, i).every((p) => p.text.startsWith('--'))));
  return args.length - 1;
}

/**
 * With several sources, Docker copies each into the destination, which must therefore be a
 * directory written with a trailing slash: the classic builder stops with "When using COPY with
 * more than one source file, the destination must be a directory and end with a /", and a reader
 * cannot tell a directory from a file name without it. `.` and `..` are directories already.
 */
export default dockerfileRule({
  id: 'copy-dest-directory',
  aliases: ['DL3021', '6db6e0c2-32a3-4a2e-93b5-72c35f4119db'],
  title: 'End a COPY destination with / when there are several sources',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
      const count = sourceCount(dockerfile, instruction);
      if (count === null || count < 2) continue;
      const destination = destinationOf(dockerfile, instruction);
      if (!destination || /[/\\]$/.test(destination.text) || /(?:^|[/\\])\.{1,2}$/.test(destination.text) || destination.text.startsWith('$')) continue;
      report({
        range: destination.range,
        message: `\`${instruction.keyword}\` has ${count} sources, so its destination \`${destination.text}\` must be a directory ending in \`/\`; Docker stops the build otherwise. Write \`${destination.text}/\`.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const text = dockerfile.document.getText(finding.range);
    // Inside the closing quote of a quoted or JSON destination, after the last character otherwise.
    const quoted = /^(["']).*\1$/.test(text);
    const at = quoted ? { line: finding.range.end.line, character: finding.range.end.character - 1 } : finding.range.end;
    return { title: 'Add the trailing `/`', edits: [{ range: { start: at, end: at }, newText: '/' }], safe: true };
  },
});
