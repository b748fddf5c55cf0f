import { isScalar, type Node, type Scalar } from 'yaml';
import { composeRule } from '../types';

/**
 * The top-level `version` chose a schema in Compose v1. Compose v2 ignores it, always applies the
 * current Compose Specification, and warns on every command that the attribute is obsolete
 * (https://docs.docker.com/reference/compose-file/version-and-name/). Keeping it suggests that
 * features newer than the written version are unavailable, which is no longer true.
 */
export default composeRule({
  id: 'no-version-field',
  aliases: ['no-version-field'],
  title: 'Remove the obsolete `version` field',
  category: 'style',
  severity: 'info',
  check({ compose, report }) {
    const root = compose.root;
    // Only a key written at the top level counts; one merged in from an anchor is not this file's line.
    const pair = root?.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'version');
    const key = pair?.key as Node | undefined;
    if (!pair || !key?.range) return;
    const value = pair.value as Node | null;
    const written = value?.range ? compose.document.getText().slice(value.range[0], compose.endOf(value)) : '';
    report({
      range: { start: compose.rangeOf(key).start, end: compose.rangeOf(value?.range ? value : key).end },
      message: `The top-level \`version${written ? `: ${written}` : ''}\` is obsolete: Compose ignores it, always applies the current Compose Specification and warns about it on every run; remove the line.`,
    });
  },
  fix(_finding, compose) {
    const root = compose.root;
    const pair = root?.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'version');
    const key = pair?.key as Node | undefined;
    if (!root || !pair || !key?.range || root.flow) return undefined;
    const text = compose.document.getText();
    const start = key.range[0];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (text.slice(lineStart, start).trim() !== '') return undefined;
    const value = pair.value as Node | null;
    const end = value?.range ? compose.endOf(value) : key.range[1];
    let lineEnd = text.indexOf('\n', end);
    lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
    // A blank line that only separated `version` from the rest goes with it.
    const blank = /^[ \t]*\r?\n/.exec(text.slice(lineEnd));
    if (blank) lineEnd += blank[0].length;
    return {
      title: 'Remove the `version` field',
      edits: [{ range: { start: compose.document.positionAt(lineStart), end: compose.document.positionAt(lineEnd) }, newText: '' }],
      safe: true,
    };
  },
});
