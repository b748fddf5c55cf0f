import { dockerfileRule } from '../types';
import { checkedFlags, closest, INSTRUCTION_FLAGS, instructionWords } from '../../dockerfile/syntax';

/**
 * BuildKit parses the leading `--name` words of every instruction as flags and stops the build at
 * one the instruction does not know ("unknown flag: intervl"), or at a flag given twice. Flag
 * names are case-sensitive. https://docs.docker.com/reference/dockerfile/
 */
export default dockerfileRule({
  id: 'flag-known',
  aliases: ['dockerfile-utils:14', 'dockerfile-utils:39', 'dockerfile-utils:40', 'dockerfile-utils:41', 'dockerfile-utils:42'],
  title: 'Use only the flags the instruction accepts',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      const known = checkedFlags(dockerfile, instruction);
      if (!known) continue;
      const names = Object.keys(known);
      const seen = new Set<string>();
      for (const flag of instructionWords(dockerfile, instruction).flags) {
        const kind = known[flag.name];
        if (kind === undefined) {
          const suggestion = names.includes(flag.name.toLowerCase()) ? flag.name.toLowerCase() : closest(flag.name, names);
          const elsewhere = Object.keys(INSTRUCTION_FLAGS).filter((k) => k !== instruction.keyword && flag.name in INSTRUCTION_FLAGS[k]);
          const hint = suggestion ? `did you mean \`--${suggestion}\`?`
            : elsewhere.length > 0 ? `\`--${flag.name}\` belongs to ${elsewhere.join(' and ')}; remove it here`
            : names.length === 0 ? `\`${instruction.keyword}\` takes no flags; remove it`
            : `\`${instruction.keyword}\` accepts ${names.map((n) => `\`--${n}\``).join(', ')}`;
          report({
            range: flag.nameRange,
            message: `\`--${flag.name}\` is not a flag of \`${instruction.keyword}\`, so the build stops with "unknown flag"; ${hint}${hint.endsWith('?') ? '' : '.'}`,
            data: suggestion ? { replacement: suggestion } : undefined,
          });
          continue;
        }
        if (kind !== 'strings' && seen.has(flag.name)) {
          report({ range: flag.range, message: `\`--${flag.name}\` is given twice, so the build stops with "duplicate flag specified"; keep one.` });
        }
        seen.add(flag.name);
      }
    }
  },
  fix(finding) {
    const replacement = finding.data?.replacement;
    if (typeof replacement !== 'string') return undefined;
    return { title: `Change to --${replacement}`, edits: [{ range: finding.range, newText: replacement }], safe: false };
  },
});

