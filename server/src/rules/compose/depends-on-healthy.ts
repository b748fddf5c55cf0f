import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel, ComposeService } from '../../compose/parse';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { childColumn, columnAt, eol, indentUnit, isBlockMap } from '../../compose/layout';
import { parseImageRef } from '../../text/image';
import { statefulFamily } from '../../text/images';

/** A healthcheck that Compose will run: present, not `disable: true`, and not `test: NONE`. */
export function hasHealthcheck(compose: ComposeModel, service: ComposeService | undefined): boolean {
  const healthcheck = compose.resolve(compose.get(service?.node, 'healthcheck')?.value);
  if (!isMap(healthcheck)) return false;
  const disable = compose.resolve(compose.get(healthcheck, 'disable')?.value);
  if (isScalar(disable) && (disable as Scalar).value === true) return false;
  const test = compose.get(healthcheck, 'test')?.value;
  const first = isSeq(compose.resolve(test)) ? compose.text(compose.items(test)[0]) : compose.text(test);
  return first?.toUpperCase() !== 'NONE';
}

export function serviceFamily(compose: ComposeModel, service: ComposeService | undefined): string | null {
  const image = compose.text(compose.get(service?.node, 'image')?.value);
  return image ? statefulFamily(parseImageRef(image)) : null;
}

interface Dependency {
  /** The node the finding points at: the list item, or the entry's key. */
  node: Node;
  name: string;
  condition: Node | null;
  /** The long-form entry's value (a mapping of options) when there is one. */
  options: Node | null;
  entryKey: Node | null;
}

function dependencies(compose: ComposeModel, service: ComposeService): { list: Node | null; deps: Dependency[] } {
  const entry = compose.get(service.node, 'depends_on');
  const value = compose.resolve(entry?.value);
  if (isSeq(value)) {
    const deps = compose.items(value).flatMap((item) => {
      const name = compose.text(item);
      return name ? [{ node: item, name, condition: null, options: null, entryKey: null }] : [];
    });
    return { list: value, deps };
  }
  if (isMap(value)) {
    const deps = compose.entries(value).map((e) => ({
      node: e.keyNode,
      name: e.key,
      condition: compose.get(e.value, 'condition')?.value ?? null,
      options: compose.resolve(e.value),
      entryKey: e.keyNode,
    }));
    return { list: null, deps };
  }
  return { list: null, deps: [] };
}

/**
 * `depends_on` alone waits only for the dependency's container to start, not for it to accept
 * connections, so the app's first queries fail while the database initialises.
 */
export default composeRule({
  id: 'depends-on-healthy',
  aliases: [],
  title: 'Wait for dependencies to be healthy',
  category: 'reliability',
  severity: 'warning',
  check({ compose, report }) {
    const byName = new Map(compose.services.map((s) => [s.name, s]));
    for (const service of compose.services) {
      for (const dep of dependencies(compose, service).deps) {
        const target = byName.get(dep.name);
        if (!target) continue;
        const condition = dep.condition ? compose.text(dep.condition) : 'service_started';
        if (condition !== 'service_started') continue;
        const healthy = hasHealthcheck(compose, target);
        const family = serviceFamily(compose, target);
        if (!healthy && !family) continue;
        const what = family ? `\`${dep.name}\` (${family})` : `\`${dep.name}\``;
        report({
          range: compose.rangeOf(dep.condition ?? dep.node),
          message: `\`${service.name}\` starts as soon as ${what} has started, not when it is ready to accept connections, so its first requests can fail; use \`condition: service_healthy\`${healthy ? '' : ` and give \`${dep.name}\` a healthcheck`}.`,
          data: { service: service.name, dependency: dep.name },
        });
      }
    }
  },
  fix(finding, compose) {
    const { service: serviceName, dependency } = finding.data as { service: string; dependency: string };
    const service = compose.services.find((s) => s.name === serviceName);
    const target = compose.services.find((s) => s.name === dependency);
    if (!service || !target || service === target) return undefined;
    const edits: TextEdit[] = [];
    if (!hasHealthcheck(compose, target)) {
      const template = healthcheckFor(serviceFamily(compose, target));
      if (!template || !isBlockMap(target.node) || !target.node.range) return undefined;
      const indent = ' '.repeat(childColumn(compose, target.node));
      const lines = healthcheckYaml(template, indent, indentUnit(compose));
      edits.push(insertAt(compose, compose.endOf(target.node), eol(compose) + lines.join(eol(compose))));
    }
    const conditionEdit = dependsOnEdit(compose, service, dependency);
    if (!conditionEdit) return undefined;
    edits.push(conditionEdit);
    return { title: `Wait for \`${dependency}\` to be healthy`, edits, safe: true };
  },
});

function insertAt(compose: ComposeModel, offset: number, newText: string): TextEdit {
  const position = compose.document.positionAt(offset);
  return { range: { start: position, end: position }, newText };
}

function replace(compose: ComposeModel, start: number, end: number, newText: string): TextEdit {
  return { range: { start: compose.document.positionAt(start), end: compose.document.positionAt(end) }, newText };
}

/** Rewrites one dependency's condition, turning a list into the long form when needed. */
function dependsOnEdit(compose: ComposeModel, service: ComposeService, dependency: string): TextEdit | undefined {
  const { list, deps } = dependencies(compose, service);
  const dep = deps.find((d) => d.name === dependency);
  if (!dep) return undefined;
  const nl = eol(compose);
  const unit = indentUnit(compose);
  const text = compose.document.getText();

  if (dep.condition?.range) {
    return replace(compose, dep.condition.range[0], dep.condition.range[1], 'service_healthy');
  }

  if (list) {
    const key = compose.get(service.node, 'depends_on')?.keyNode;
    if (!key?.range || !list.range) return undefined;
    const keyColumn = columnAt(compose, key.range[0]);
    const indent = ' '.repeat(keyColumn + unit.length);
    // A comment after a list item stays with its entry.
    const comment = (node: Node) => {
      const end = compose.endOf(node);
      const lineEnd = text.slice(end).search(/\r?\n|$/);
      const tail = text.slice(end, end + lineEnd).trim();
      return tail.startsWith('#') ? ` ${tail}` : '';
    };
    const lines = deps.flatMap((d) => [
      `${indent}${d.name}:${list && !(list as { flow?: boolean }).flow ? comment(d.node) : ''}`,
      `${indent}${unit}condition: ${d.name === dependency ? 'service_healthy' : 'service_started'}`,
    ]);
    // Keep a comment written after `depends_on:` on its own line.
    const between = text.slice(key.range[1], list.range[0]).split(/\r?\n/)[0].trimEnd();
    return replace(compose, key.range[1], compose.endOf(list), `${between.startsWith(':') ? between : ':'}${nl}${lines.join(nl)}`);
  }

  // Long form without a condition: add one to the entry's options.
  const options = dep.options;
  if (isBlockMap(options) && options.range) {
    const first = (options as YAMLMap).items[0].key as Node;
    if (!first.range) return undefined;
    const indent = ' '.repeat(childColumn(compose, options));
    const lineStart = first.range[0] - columnAt(compose, first.range[0]);
    return insertAt(compose, lineStart, `${indent}condition: service_healthy${nl}`);
  }
  if (isMap(options) && (options as YAMLMap).flow && options.range) {
    const empty = (options as YAMLMap).items.length === 0;
    return insertAt(compose, options.range[0] + 1, empty ? ' condition: service_healthy ' : ' condition: service_healthy,');
  }
  if (dep.entryKey?.range && (options === null || (isScalar(options) && (options as Scalar).value === null))) {
    const keyColumn = columnAt(compose, dep.entryKey.range[0]);
    return insertAt(compose, text.indexOf(':', dep.entryKey.range[1]) + 1, `${nl}${' '.repeat(keyColumn + unit.length)}condition: service_healthy`);
  }
  return undefined;
}
