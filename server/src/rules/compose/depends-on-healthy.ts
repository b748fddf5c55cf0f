import { isMap, isScalar, isSeq, visit, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject } from '../../compose/project';
import { dependencies, effectiveCondition, hasHealthcheck, serviceFamily, type Dependency } from '../../compose/services';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { childColumn, columnAt, eol, indentUnit, isBlockMap } from '../../compose/layout';

/**
 * `depends_on` alone waits only for the dependency's container to start, not for it to accept
 * connections, so the app's first queries fail while the database initialises. Judged on the
 * merged project: an override file that adds the healthcheck or the condition clears the finding.
 */
export default composeRule({
  id: 'depends-on-healthy',
  aliases: [],
  title: 'Wait for dependencies to be healthy',
  category: 'reliability',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const deps = dependencies(project, service);
      const reported = new Set<string>();
      // The last entry written for a dependency is where its condition is decided.
      for (const dep of [...deps].reverse()) {
        if (reported.has(dep.name)) continue;
        reported.add(dep.name);
        if (dep.compose !== compose) continue;
        const target = project.service(dep.name);
        if (!target || effectiveCondition(deps, dep.name) !== 'service_started') continue;
        const healthy = hasHealthcheck(project, target);
        const family = serviceFamily(project, target);
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
  fix(finding, compose, context) {
    const { service: serviceName, dependency } = finding.data as { service: string; dependency: string };
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(serviceName);
    const target = project.service(dependency);
    if (!service || !target || service === target) return undefined;
    const edits: TextEdit[] = [];
    if (!hasHealthcheck(project, target)) {
      // The healthcheck goes into this file's definition of the dependency.
      const template = healthcheckFor(serviceFamily(project, target));
      const own = [...target.layers].reverse().find((l) => l.compose === compose)?.node ?? null;
      if (!template || !isBlockMap(own) || !own.range) return undefined;
      // A `healthcheck` key whose value cannot be read (an alias to a missing anchor) is not
      // written twice: a duplicate key is invalid YAML.
      if (compose.get(own, 'healthcheck')) return undefined;
      const indent = ' '.repeat(childColumn(compose, own));
      const lines = healthcheckYaml(template, indent, indentUnit(compose));
      edits.push(insertAt(compose, compose.endOf(own), eol(compose) + lines.join(eol(compose))));
    }
    const deps = dependencies(project, service).filter((d) => d.compose === compose);
    const conditionEdit = dependsOnEdit(compose, deps, dependency);
    if (!conditionEdit) return undefined;
    edits.push(conditionEdit);
    // With a healthcheck added, the dependency's configuration changes too, on purpose.
    return { title: `Wait for \`${dependency}\` to be healthy`, edits, safe: true, ...(edits.length > 1 ? { services: [dependency] } : {}) };
  },
});

function insertAt(compose: ComposeModel, offset: number, newText: string): TextEdit {
  const position = compose.document.positionAt(offset);
  return { range: { start: position, end: position }, newText };
}

function replace(compose: ComposeModel, start: number, end: number, newText: string): TextEdit {
  return { range: { start: compose.document.positionAt(start), end: compose.document.positionAt(end) }, newText };
}

/** Rewrites one dependency's condition in this file, turning a list into the long form when needed. */
function dependsOnEdit(compose: ComposeModel, deps: Dependency[], dependency: string): TextEdit | undefined {
  const dep = [...deps].reverse().find((d) => d.name === dependency);
  if (!dep) return undefined;
  const list = isSeq(dep.container) ? dep.container : null;
  const siblings = deps.filter((d) => d.container === dep.container);
  const nl = eol(compose);
  const unit = indentUnit(compose);
  const text = compose.document.getText();

  // A condition merged in from an anchor (`<<: *started`) is shared: an own key overrides it below.
  if (dep.condition?.range && ownsValue(dep.options, dep.condition)) {
    return replace(compose, dep.condition.range[0], dep.condition.range[1], 'service_healthy');
  }

  if (list) {
    const key = keyOf(compose, list);
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
    // A name listed twice is one dependency to Compose (the list becomes a map): written once.
    const unique = siblings.filter((d, i) => siblings.findIndex((s) => s.name === d.name) === i);
    const lines = unique.flatMap((d) => [
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
  if (!list && dep.node.range && (options === null || (isScalar(options) && (options as Scalar).value === null))) {
    const keyColumn = columnAt(compose, dep.node.range[0]);
    return insertAt(compose, text.indexOf(':', dep.node.range[1]) + 1, `${nl}${' '.repeat(keyColumn + unit.length)}condition: service_healthy`);
  }
  return undefined;
}

/** True when `value` is written in the mapping itself, not merged into it through `<<`. */
function ownsValue(map: Node | null, value: Node): boolean {
  return isMap(map) && (map as YAMLMap).items.some((pair) => pair.value === value);
}

/** The key a value is written under (the `depends_on` of a list), found by walking the file. */
function keyOf(compose: ComposeModel, value: Node): Node | null {
  let found: Node | null = null;
  visit(compose.yaml, {
    Pair(_, pair) {
      if (pair.value === value) {
        found = pair.key as Node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
