import { dockerfileRule } from '../types';
import type { DockerfileModel } from '../../dockerfile/parse';
import { propertiesOf, type PropertyView } from '../../dockerfile/references';
import { contains } from './legacy-key-value';

/** Namespaces Docker keeps for itself. https://docs.docker.com/engine/manage-resources/labels/#label-keys-and-values */
const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** What is wrong with a label key, or null when it follows Docker's guidelines. */
export function labelKeyProblem(key: string): string | null {
  const reserved = RESERVED.find((prefix) => key.startsWith(prefix));
  if (reserved) return `is in the \`${reserved}*\` namespace Docker reserves for its own labels`;
  if (/[^a-z0-9.-]/.test(key)) {
    const bad = [...new Set(key.replace(/[a-z0-9.-]/g, ''))].join('');
    return `contains ${/[A-Z]/.test(bad) && !/[^A-Z]/.test(bad) ? 'upper-case letters' : `\`${bad}\``}, where only lower-case letters, digits, \`.\` and \`-\` belong`;
  }
  if (!/^[a-z]/.test(key)) return 'does not start with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'does not end with a letter or digit';
  if (/\.\.|--/.test(key)) return 'has consecutive `.` or `-`';
  return null;
}

/**
 * Label keys are case-sensitive strings that tools match exactly (`docker ps --filter label=…`,
 * registries, scanners reading `org.opencontainers.image.*`); Docker's guidelines keep them
 * lower-case reverse-DNS so that keys from different authors neither clash nor near-miss.
 */
export default dockerfileRule({
  id: 'label-key-valid',
  aliases: ['DL3048'],
  title: 'Use lower-case reverse-DNS label keys outside Docker\'s namespaces',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'LABEL') continue;
      for (const property of propertiesOf(instruction)) {
        const key = keyOf(dockerfile, property);
        // A key computed from a variable is only known at build time.
        if (key === null) continue;
        const problem = labelKeyProblem(key);
        if (!problem) continue;
        const lower = labelKeyProblem(key.toLowerCase()) === null;
        report({
          range: property.nameRange,
          message: `Label key \`${key}\` ${problem}, so tools that match labels exactly can miss or misread it; ${lower ? `write \`${key.toLowerCase()}\`` : 'use a lower-case reverse-DNS key of your own such as `com.example.name`'}.`,
          data: lower ? { key } : undefined,
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const key = finding.data?.key;
    if (typeof key !== 'string') return undefined;
    const instruction = dockerfile.instructions.find((i) => i.keyword === 'LABEL' && contains(i.range, finding.range.start));
    const property = instruction && propertiesOf(instruction).find((p) => contains(p.nameRange, finding.range.start));
    if (!property || keyOf(dockerfile, property) !== key) return undefined;
    return {
      title: `Lower-case the label key to \`${key.toLowerCase()}\``,
      // Lower-casing the written text keeps its quotes; keys have no escapes that case could change.
      edits: [{ range: property.nameRange, newText: dockerfile.document.getText(property.nameRange).toLowerCase() }],
      // Whatever reads the old key (a filter, a deployment script) no longer finds it.
      safe: false,
    };
  },
});

/** The key as Docker stores it (quotes removed), or null when it uses a variable or an escape. */
function keyOf(dockerfile: DockerfileModel, property: PropertyView): string | null {
  const written = dockerfile.document.getText(property.nameRange);
  if (written.includes('$') || written.includes(dockerfile.escape)) return null;
  return written.replace(/^(["'])(.*)\1$/, '$2');
}
