import { isMap, type Node, type YAMLMap } from 'yaml';
import type { ComposeModel } from './parse';

/**
 * Facts about how a Compose file is laid out, so that edits write YAML in the file's own style
 * (its indentation step, block vs flow) rather than re-serialising the document.
 */

export function columnAt(compose: ComposeModel, offset: number): number {
  return compose.document.positionAt(offset).character;
}

/** True for a mapping written in block style (one key per line), which text edits can extend. */
export function isBlockMap(node: Node | null): node is YAMLMap {
  return isMap(node) && !(node as YAMLMap).flow && (node as YAMLMap).items.length > 0;
}

/** The column of a block mapping's keys. */
export function childColumn(compose: ComposeModel, map: YAMLMap): number {
  const first = map.items[0]?.key as Node | undefined;
  if (!first?.range) return 0;
  const start = first.range[0];
  const text = compose.document.getText();
  const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
  // A tag or anchor written before the first key (`!override image: …`) is not indentation.
  const props = /(?:[!&]\S*[ \t]+)+$/.exec(before);
  return columnAt(compose, props ? start - props[0].length : start);
}

/** The file's indentation step: how far a service's keys sit right of its name. */
export function indentUnit(compose: ComposeModel): string {
  for (const service of compose.services) {
    if (!isBlockMap(service.node) || !service.keyNode.range) continue;
    const step = childColumn(compose, service.node) - columnAt(compose, service.keyNode.range[0]);
    if (step > 0) return ' '.repeat(step);
  }
  return '  ';
}

/** The line break the file uses. */
export function eol(compose: ComposeModel): string {
  return compose.document.getText().includes('\r\n') ? '\r\n' : '\n';
}
