import { isScalar, type Scalar } from 'yaml';
import { composeRule } from '../types';

/**
 * `privileged: true` gives the container every capability and all host devices: a process that
 * breaks out of it owns the host. Grant the one capability or device the service needs instead.
 */
export default composeRule({
  id: 'no-privileged',
  aliases: ['ae5b6871-7f45-42e0-bb4c-ab300c4d2026'],
  title: 'Do not run services privileged',
  category: 'security',
  severity: 'error',
  check({ compose, report }) {
    for (const service of compose.services) {
      const entry = compose.get(service.node, 'privileged');
      const value = compose.resolve(entry?.value);
      const enabled = isScalar(value) && ((value as Scalar).value === true || compose.text(value) === 'true');
      if (!entry || !enabled || !entry.keyNode.range || !entry.value?.range) continue;
      report({
        range: { start: compose.rangeOf(entry.keyNode).start, end: compose.rangeOf(entry.value).end },
        message: `\`${service.name}\` runs privileged, with every capability and all host devices, so a compromise of it is a compromise of the host; remove \`privileged: true\` and grant only the capabilities (\`cap_add\`) or \`devices\` it needs.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose) {
    const service = compose.services.find((s) => s.name === finding.data?.service);
    const entry = compose.get(service?.node, 'privileged');
    if (!entry?.keyNode.range || !entry.value?.range) return undefined;
    // A value merged in from an anchor is shared: removing it there would change other services.
    if (!service?.node?.items.includes(entry.pair)) return undefined;
    const text = compose.document.getText();
    const start = entry.keyNode.range[0];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    // Only a key alone on its line can go with its line; a flow mapping keeps the line.
    if (text.slice(lineStart, start).trim() !== '') return undefined;
    let lineEnd = text.indexOf('\n', entry.value.range[1]);
    lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
    return {
      title: 'Remove `privileged: true`',
      edits: [{ range: { start: compose.document.positionAt(lineStart), end: compose.document.positionAt(lineEnd) }, newText: '' }],
      safe: false,
    };
  },
});
