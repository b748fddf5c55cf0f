import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { ComposeModel } from '../../compose/parse';
import { occurrenceAt, SECTION, type Occurrence } from '../../compose/symbols';
import { valueDoc, knownValues } from '../../compose/values';
import { schemaAt, schemaShape } from '../../compose/schema';
import { imageOf, hasHealthcheck } from '../../compose/services';
import type { ComposeContext } from '../composeContext';
import type { ComposeProject, ProjectService } from '../../compose/project';

/**
 * Hover on Compose values: a name shows what it refers to (a service's image or build and
 * healthcheck, a volume's or secret's declaration, an anchor's value) wherever in the project it
 * is declared; `${VAR}` shows its value from `.env` or its default; a value of a key with a fixed
 * set of values explains itself.
 */
export function hoverComposeValue(context: ComposeContext, position: Position, path: string[] | null, value: Node | null): Hover | null {
  const { compose } = context;
  const offset = compose.document.offsetAt(position);
  const variable = variableHover(compose, offset);
  if (variable) return variable;
  const occurrence = occurrenceAt(compose, offset);
  if (occurrence) {
    const card = referenceCard(context, occurrence);
    if (card) return { contents: { kind: 'markdown', value: card }, range: { start: compose.document.positionAt(occurrence.start), end: compose.document.positionAt(occurrence.end) } };
  }
  if (path && value && isScalar(value)) {
    const text = (value as Scalar).value;
    if (text === null || text === undefined) return null;
    const doc = valueDoc(path, String(text));
    const key = path.filter((p) => !/^\d+$/.test(p)).pop() ?? '';
    if (doc) return { contents: { kind: 'markdown', value: `**\`${String(text)}\`** · \`${key}\`\n\n${doc.doc}` }, range: compose.rangeOf(value) };
    const enums = schemaShape(schemaAt(path)).enums;
    if (enums.includes(String(text)) && knownValues(path).length === 0) {
      return { contents: { kind: 'markdown', value: `**\`${String(text)}\`** · \`${key}\`: one of ${enums.map((e) => `\`${e}\``).join(', ')}.` }, range: compose.rangeOf(value) };
    }
  }
  return null;
}

/** A file's name and a 1-based line, for a card: `compose.yaml:12`. */
function where(compose: ComposeModel, offset: number): string {
  let name = compose.document.uri;
  try {
    name = basename(fileURLToPath(compose.document.uri.replace(/#.*$/, '')));
  } catch {
    // An untitled document keeps its URI.
  }
  return `${name}:${compose.document.positionAt(offset).line + 1}`;
}

const KIND_LABEL: Record<Occurrence['kind'], string> = { service: 'Service', volume: 'Volume', network: 'Network', secret: 'Secret', config: 'Config', anchor: 'Anchor' };

/** What a name refers to, in a few lines; null when the project does not declare it. */
export function referenceCard(context: ComposeContext, occurrence: Occurrence): string | null {
  const symbols = context.symbols();
  const related = symbols.related(occurrence);
  const declarations = related.filter((o) => o.definition);
  const uses = related.filter((o) => !o.definition);
  const title = `**${KIND_LABEL[occurrence.kind]} \`${occurrence.name}\`**`;
  if (declarations.length === 0) {
    if (occurrence.kind === 'anchor') return null;
    if (occurrence.kind === 'volume' || occurrence.kind === 'network') {
      return `${title} is not declared under top-level \`${SECTION[occurrence.kind]}:\`: Compose refuses to start the project (\`service "…" refers to undefined ${occurrence.kind}\`).`;
    }
    return `${title} is not declared in this project${occurrence.kind === 'service' ? '' : ` (top-level \`${SECTION[occurrence.kind]}:\`)`}: Compose refuses the file.`;
  }
  const lines = [`${title} · declared in ${declarations.map((d) => `\`${where(d.compose, d.start)}\``).join(', ')}`];
  if (occurrence.kind === 'service') lines.push(...serviceLines(context, occurrence, declarations));
  else if (occurrence.kind === 'anchor') lines.push(...anchorLines(declarations[0]));
  else lines.push(...declarationLines(declarations[0], occurrence.kind));
  const users = uses.filter((u) => u !== occurrence);
  if (users.length > 0) {
    const shown = users.slice(0, 5).map((u) => `\`${where(u.compose, u.start)}\``);
    lines.push(`Used ${users.length} time${users.length === 1 ? '' : 's'}${occurrence.definition ? '' : ' elsewhere'}: ${shown.join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''}.`);
  } else if (occurrence.definition && occurrence.kind !== 'service') {
    lines.push(occurrence.kind === 'anchor' ? 'No alias uses it.' : 'No service uses it.');
  }
  return lines.join('\n\n');
}

function serviceLines(context: ComposeContext, occurrence: Occurrence, declarations: Occurrence[]): string[] {
  // A service of another file's scope (`extends.file`) is described from that file.
  const project = context.project();
  const inProject = context.symbols().scopeOfOccurrence(occurrence) === context.symbols().scopeOf(context.compose);
  const target = inProject ? project.service(occurrence.name) : undefined;
  const lines: string[] = [];
  if (target) {
    const image = imageOf(project, target);
    const built = project.dockerfile(target);
    if (built) lines.push(`Built from \`${built.path ? basename(built.path) : 'an inline Dockerfile'}\`${built.target ? ` (target \`${built.target}\`)` : ''}${image ? `, tagged \`${image}\`` : ''}.`);
    else if (image) lines.push(`Image \`${image}\`.`);
    lines.push(healthcheckLine(project, target));
  } else {
    const def = declarations[0];
    const node = def.compose.services.find((s) => s.name === def.name)?.node;
    const image = def.compose.text(def.compose.get(node, 'image')?.value);
    if (image) lines.push(`Image \`${image}\`.`);
  }
  return lines;
}

/** A service's healthcheck in one line: its test, its Dockerfile's, or none (then `service_healthy` fails). */
export function healthcheckLine(project: ComposeProject, target: ProjectService): string {
  const test = project.get(target, ['healthcheck', 'test']);
  if (test) {
    const node = test.compose.resolve(test.node);
    const words = isSeq(node) ? test.compose.items(node).map((n) => test.compose.text(n) ?? '…') : [test.compose.text(node) ?? '…'];
    return `Healthcheck: \`${words.join(' ').slice(0, 80)}\``;
  }
  if (hasHealthcheck(project, target)) return 'Healthcheck: the HEALTHCHECK of its Dockerfile.';
  return 'No healthcheck: `condition: service_healthy` on it would make `docker compose up` fail.';
}

function declarationLines(declaration: Occurrence, kind: Occurrence['kind']): string[] {
  const { compose } = declaration;
  const section = compose.resolve(compose.get(compose.root, SECTION[kind as keyof typeof SECTION])?.value);
  const body = compose.resolve(compose.get(section, declaration.name)?.value);
  if (!isMap(body)) {
    return [kind === 'volume' ? 'A named volume with the default `local` driver: Docker keeps its data across `docker compose down` (not `down -v`).' : kind === 'network' ? 'A network with the default `bridge` driver, private to the project.' : ''].filter(Boolean);
  }
  const facts: string[] = [];
  for (const entry of compose.entries(body)) {
    const value = compose.text(entry.value);
    if (value !== null) facts.push(`\`${entry.key}: ${value.length > 60 ? `${value.slice(0, 59)}…` : value}\``);
    else if (isMap(compose.resolve(entry.value))) facts.push(`\`${entry.key}: {…}\``);
  }
  const lines = facts.length > 0 ? [facts.join(' · ')] : [];
  if (kind === 'secret' || kind === 'config') {
    lines.push(kind === 'secret' ? 'Mounted read-only at `/run/secrets/<name>` in the services that list it, out of the environment and of `docker inspect`.' : 'Mounted as a file (at `/<name>` unless `target` says otherwise) in the services that list it.');
  }
  return lines;
}

function anchorLines(declaration: Occurrence): string[] {
  const { compose, node } = declaration;
  const text = compose.document.getText();
  const range = node.range;
  if (!range) return [];
  const value = text.slice(range[0], compose.endOf(node)).split('\n');
  const shown = value.slice(0, 8).join('\n');
  return ['```yaml\n' + shown + (value.length > 8 ? '\n…' : '') + '\n```'];
}

/** `${NAME}`, `${NAME:-default}`, `$NAME` under the cursor: its value as Compose would substitute it. */
export function variableHover(compose: ComposeModel, offset: number): Hover | null {
  const text = compose.document.getText();
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    const start = lineStart + m.index;
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    if (m[0] === '$$') return null;
    // Only inside a value: a `#` before it makes the rest of the line a comment.
    if (/(^|\s)#/.test(line.slice(0, m.index).replace(/(["'])(?:(?!\1).)*\1/g, ''))) return null;
    const name = m[1] ?? m[4];
    const operator = m[2] ?? null;
    const fallback = m[3] ?? null;
    const value = compose.environment.get(name);
    const set = value !== undefined && value !== null;
    const lines = [`**\`${name}\`**`];
    if (set) lines.push(`From \`.env\`: \`${value === '' ? '' : value}\`${value === '' ? ' (empty)' : ''}.`);
    else lines.push('Not set in `.env`: Compose reads it from the shell that runs `docker compose`.');
    if (operator === ':-' || operator === '-') lines.push(`Default \`${fallback}\` when it is unset${operator === ':-' ? ' or empty' : ''}.`);
    else if (operator === ':?' || operator === '?') lines.push(`Required: Compose stops with \`${fallback || `${name} is missing`}\` when it is unset${operator === ':?' ? ' or empty' : ''}.`);
    else if (operator === ':+' || operator === '+') lines.push(`Replaced by \`${fallback}\` when it is set${operator === ':+' ? ' and not empty' : ''}, else empty.`);
    else if (!set) lines.push('When unset it becomes an empty string, with a warning.');
    if (set && (operator === ':-' || operator === '-')) lines.push(`So the value is \`${value === '' && operator === ':-' ? fallback : value}\`.`);
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: { start: compose.document.positionAt(start), end: compose.document.positionAt(end) } };
  }
  return null;
}
