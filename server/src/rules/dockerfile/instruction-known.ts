import { dockerfileRule } from '../types';
import { closest, INSTRUCTION_NAMES, isInstruction } from '../../dockerfile/syntax';

/**
 * BuildKit stops at the first line whose keyword is no instruction ("unknown instruction: FORM"),
 * so a typo fails the build. Each one is reported, with the instruction it most likely meant.
 * https://docs.docker.com/reference/dockerfile/#overview
 */
export default dockerfileRule({
  id: 'instruction-known',
  aliases: ['dockerfile-utils:38'],
  title: 'Use only Dockerfile instructions',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      const written = dockerfile.document.getText(instruction.keywordRange);
      if (!written || isInstruction(written)) continue;
      const suggestion = closest(written, INSTRUCTION_NAMES);
      const replacement = suggestion && (written === written.toLowerCase() ? suggestion.toLowerCase() : suggestion);
      const shown = written.length > 40 ? `${written.slice(0, 37)}…` : written;
      report({
        range: instruction.keywordRange,
        message: replacement
          ? `\`${shown}\` is not a Dockerfile instruction, so the build stops with "unknown instruction"; did you mean \`${replacement}\`?`
          : `\`${shown}\` is not a Dockerfile instruction, so the build stops with "unknown instruction"; start the line with an instruction (FROM, RUN, COPY…), or with \`#\` if it is a comment.`,
        data: replacement ? { replacement } : undefined,
      });
    }
  },
  fix(finding) {
    const replacement = finding.data?.replacement;
    if (typeof replacement !== 'string') return undefined;
    // A guess at the user's intent: offered in the editor, not applied by fix-all.
    return { title: `Change to ${replacement}`, edits: [{ range: finding.range, newText: replacement }], safe: false };
  },
});
