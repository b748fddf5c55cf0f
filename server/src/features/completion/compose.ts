import { dirname, resolve } from 'node:path';
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, InsertTextMode, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { isMap } from 'yaml';
import { cursorAt, type Cursor } from '../../compose/cursor';
import { schemaAt, schemaProperties, schemaShape, type JsonSchema } from '../../compose/schema';
import { knownValues } from '../../compose/values';
import { productionNote } from '../../hover/composeNotes';
import { completeComposeHealthcheck } from '../../completion/healthcheck';
import { documentLines } from '../../text/lines';
import { parseImageRef } from '../../text/image';
import type { SymbolKind } from '../../compose/symbols';
import { pathOf } from '../../compose/project';
import type { ComposeContext } from '../composeContext';
import { KNOWN_IMAGES } from './images';

/**
 * Completion in a Compose file, driven by the Compose Specification's schema and by the project:
 * the keys valid where the cursor is (as snippets with the sub-keys they require), the values a
 * key takes, the names the project declares where a name is expected (services in `depends_on`,
 * volumes, networks, secrets, configs), the stages of the Dockerfile a service builds for
 * `build.target`, the variables of `.env` inside `${…}`, images and tags known offline, and the
 * image-fitted `healthcheck:` block.
 */
export function completeCompose(context: ComposeContext, text: string, position: Position): CompletionItem[] {
  const lines = documentLines(text);
  const cursor = cursorAt(lines, position.line, position.character);
  if (!cursor) return [];
  const range: Range = { start: { line: position.line, character: cursor.start }, end: position };
  if (cursor.variable) return variableItems(context, lines[position.line] ?? '', position, cursor.variable);
  // The image-fitted `healthcheck:` block, at a key under a service (also right after `healthcheck:`).
  const healthchecks = cursor.siblings.has('healthcheck') ? [] : completeComposeHealthcheck(text, position, () => context.project());
  const items: CompletionItem[] = [...healthchecks];
  if (cursor.at === 'value' || cursor.at === 'item') items.push(...valueItems(context, cursor, range));
  // `- |` may also start a mapping item (`- type: bind`), unless the list holds names of the project.
  if (cursor.at === 'key' || (cursor.at === 'item' && !items.some((i) => i.kind === CompletionItemKind.Reference))) {
    items.push(...keyItems(context, cursor, range).filter((i) => !(i.label === 'healthcheck' && healthchecks.length > 0)));
  }
  return items;
}

/** The service a path is under (`services.<name>…`). */
function serviceOf(path: string[]): string | null {
  return path[0] === 'services' && path.length >= 2 ? path[1] : null;
}

function keyItems(context: ComposeContext, cursor: Cursor, range: Range): CompletionItem[] {
  const { path } = cursor;
  const self = serviceOf(path);
  // Mappings keyed by a name the project declares.
  if (path.length === 3 && self && path[2] === 'depends_on' && cursor.at === 'key') {
    return names(context, 'service').filter((n) => n !== self && !cursor.siblings.has(n)).map((name, i) => ({
      label: name,
      kind: CompletionItemKind.Reference,
      detail: 'service of the project',
      sortText: `0${String(i).padStart(4, '0')}`,
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range, newText: `${name}:\n${cursor.unit}condition: \${1|service_healthy,service_started,service_completed_successfully|}` },
    }));
  }
  if (path.length === 3 && self && path[2] === 'networks' && cursor.at === 'key') {
    return names(context, 'network').filter((n) => !cursor.siblings.has(n)).map((name) => ({ label: name, kind: CompletionItemKind.Reference, detail: 'network of the project', textEdit: { range, newText: `${name}:` } }));
  }
  if (path.length === 1 && ['services', 'volumes', 'networks', 'secrets', 'configs'].includes(path[0])) return [];
  const schema = schemaAt(path);
  const properties = schemaProperties(schema);
  if (properties.size === 0) return [];
  const items: CompletionItem[] = [];
  for (const [key, child] of properties) {
    if (cursor.siblings.has(key)) continue;
    const note = productionNote([...path, key]);
    const description = [child.description, note ? `**In production:** ${note}` : ''].filter(Boolean).join('\n\n');
    // `version` is ignored by Compose ("declared for backward compatibility"): shown struck through, last.
    const obsolete = /ignored|backward compatibility|deprecated/i.test(child.description ?? '');
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      documentation: description ? { kind: 'markdown', value: description } : undefined,
      sortText: `${obsolete ? 9 : 1}${key}`,
      ...(obsolete ? { tags: [CompletionItemTag.Deprecated] } : {}),
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range, newText: keySnippet(key, child, [...path, key], cursor.unit) },
    });
  }
  return items;
}

/** Escapes a choice for a `${1|a,b|}` snippet placeholder. */
function choice(value: string): string {
  return value.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** The text a key inserts: its value's form, with required sub-keys or the value's choices. */
export function keySnippet(key: string, schema: JsonSchema, path: string[], unit: string): string {
  const shape = schemaShape(schema);
  const values = [...shape.enums, ...knownValues(path).map((v) => v.value).filter((v) => !v.endsWith(':'))];
  const types = shape.types;
  const scalar = types.has('string') || types.has('number') || types.has('integer') || types.has('boolean');
  if (values.length > 0 && !types.has('object')) return `${key}: \${1|${[...new Set(values)].map(choice).join(',')}|}`;
  if (types.has('boolean') && !types.has('object') && !types.has('array')) return `${key}: \${1|true,false|}`;
  if (types.has('object') && shape.required.length > 0) {
    return `${key}:\n${shape.required.map((r, i) => `${unit}${r}: $${i + 1}`).join('\n')}`;
  }
  if (scalar) return `${key}: $0`;
  if (types.has('array') && !types.has('object')) return `${key}:\n${unit}- $0`;
  if (types.has('object') || types.has('array')) return `${key}:\n${unit}$0`;
  return `${key}: $0`;
}

function names(context: ComposeContext, kind: Exclude<SymbolKind, 'anchor'>): string[] {
  return context.symbols().names(kind);
}

function reference(label: string, detail: string, range: Range, sort: number, insert = label): CompletionItem {
  return { label, kind: CompletionItemKind.Reference, detail, sortText: `0${String(sort).padStart(4, '0')}`, textEdit: { range, newText: insert } };
}

function valueItems(context: ComposeContext, cursor: Cursor, range: Range): CompletionItem[] {
  const path = cursor.path;
  const self = serviceOf(path);
  const tail = path.slice(2).join('.');
  const items: CompletionItem[] = [];
  const serviceNames = () => names(context, 'service').filter((n) => n !== self);
  if (self) {
    if (['depends_on.0', 'links.0', 'volumes_from.0', 'extends'].includes(tail)) {
      serviceNames().forEach((n, i) => items.push(reference(n, 'service of the project', range, i)));
    } else if (tail === 'extends.service') {
      extendsTargets(context, self).forEach((n, i) => items.push(reference(n, 'service', range, i)));
    } else if (['network_mode', 'ipc', 'pid'].includes(tail)) {
      serviceNames().forEach((n, i) => items.push(reference(`service:${n}`, `share the namespace of service ${n}`, range, i)));
    } else if (tail === 'networks.0') {
      names(context, 'network').forEach((n, i) => items.push(reference(n, 'network of the project', range, i)));
    } else if (['secrets.0', 'secrets.0.source', 'build.secrets.0', 'build.secrets.0.source'].includes(tail)) {
      names(context, 'secret').forEach((n, i) => items.push(reference(n, 'secret of the project', range, i)));
    } else if (['configs.0', 'configs.0.source'].includes(tail)) {
      names(context, 'config').forEach((n, i) => items.push(reference(n, 'config of the project', range, i)));
    } else if (tail === 'volumes.0' && cursor.at === 'item') {
      names(context, 'volume').forEach((n, i) => items.push(reference(`${n}:`, 'named volume of the project', range, i)));
    } else if (tail === 'volumes.0.source') {
      names(context, 'volume').forEach((n, i) => items.push(reference(n, 'named volume of the project', range, i)));
    } else if (tail === 'build.target') {
      items.push(...stageItems(context, self, range));
    } else if (tail === 'image') {
      items.push(...imageItems(context, cursor.prefix, range));
    }
  }
  const schema = schemaAt(path);
  const shape = schemaShape(schema);
  const known = knownValues(path);
  const seen = new Set(items.map((i) => i.label));
  let order = 0;
  for (const value of known) {
    order++;
    if (seen.has(value.value)) continue;
    seen.add(value.value);
    items.push({ label: value.value, kind: CompletionItemKind.EnumMember, documentation: { kind: 'markdown', value: value.doc }, sortText: `1${String(order).padStart(4, '0')}`, textEdit: { range, newText: value.value } });
  }
  for (const value of shape.enums) {
    order++;
    if (seen.has(value)) continue;
    seen.add(value);
    items.push({ label: value, kind: CompletionItemKind.EnumMember, sortText: `1${String(order).padStart(4, '0')}`, textEdit: { range, newText: value } });
  }
  if (shape.types.has('boolean') && items.length === 0) {
    for (const value of ['true', 'false']) items.push({ label: value, kind: CompletionItemKind.Value, textEdit: { range, newText: value } });
  }
  return items;
}

/** The services an `extends` may name: those of the file it names, else of this project. */
function extendsTargets(context: ComposeContext, self: string): string[] {
  const { compose, path } = context;
  const service = compose.services.find((s) => s.name === self);
  const ext = compose.resolve(compose.get(service?.node, 'extends')?.value);
  const file = isMap(ext) ? compose.text(compose.get(ext, 'file')?.value) : null;
  if (file && path) {
    const symbols = context.symbols();
    const wanted = resolve(dirname(path), file);
    const target = symbols.files.find((f) => pathOf(f) === wanted);
    return symbols.names('service', target ? symbols.scopeOf(target) : `file:${wanted}`);
  }
  return names(context, 'service').filter((n) => n !== self);
}

function stageItems(context: ComposeContext, self: string, range: Range): CompletionItem[] {
  const project = context.project();
  const service = project.service(self);
  const built = service ? project.dockerfile(service) : null;
  if (!built) return [];
  const stages = built.model.stages.filter((s) => s.name);
  return stages.map((stage, i) => ({
    label: stage.name!,
    kind: CompletionItemKind.Reference,
    detail: `stage ${stage.index} of ${built.path ? built.path.split('/').pop() : 'the inline Dockerfile'} (line ${stage.from.range.start.line + 1})`,
    documentation: { kind: 'markdown', value: `\`FROM ${stage.base.text}\`${stage.index === built.model.stages.length - 1 ? ' — the last stage, built when no target is set' : ''}` },
    sortText: `0${String(i).padStart(4, '0')}`,
    textEdit: { range, newText: stage.name! },
  }));
}

/** Image names, then tags once a `:` is typed: the table's, and those the project's files already use. */
function imageItems(context: ComposeContext, prefix: string, range: Range): CompletionItem[] {
  const used = new Map<string, Set<string>>();
  for (const compose of context.symbols().files) {
    for (const service of compose.services) {
      const image = compose.text(compose.get(service.node, 'image')?.value);
      const ref = image ? parseImageRef(image) : null;
      if (!ref) continue;
      const name = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
      const tags = used.get(name) ?? new Set<string>();
      if (ref.tag) tags.add(ref.tag);
      used.set(name, tags);
    }
  }
  const colon = prefix.lastIndexOf(':');
  if (colon > 0 && !prefix.slice(colon).includes('/')) {
    const name = prefix.slice(0, colon);
    const known = KNOWN_IMAGES.find((i) => i.name === name);
    const tags = [...(used.get(name) ?? []), ...(known?.tags ?? [])];
    return [...new Set(tags)].map((tag, i) => ({
      label: `${name}:${tag}`,
      kind: CompletionItemKind.Value,
      detail: used.get(name)?.has(tag) ? 'used in this project' : known?.what,
      sortText: `0${String(i).padStart(4, '0')}`,
      textEdit: { range, newText: `${name}:${tag}` },
    }));
  }
  const items: CompletionItem[] = [];
  for (const [name, tags] of used) items.push({ label: name, kind: CompletionItemKind.Value, detail: `used in this project${tags.size ? ` (${[...tags].join(', ')})` : ''}`, sortText: `0${name}`, textEdit: { range, newText: name } });
  for (const image of KNOWN_IMAGES) {
    if (used.has(image.name)) continue;
    items.push({ label: image.name, kind: CompletionItemKind.Value, detail: image.what, sortText: `1${image.name}`, textEdit: { range, newText: image.name } });
  }
  return items;
}

/** Variable names inside `${…}`: those of `.env`, with their values. */
function variableItems(context: ComposeContext, line: string, position: Position, variable: { start: number; prefix: string }): CompletionItem[] {
  const closed = line[position.character] === '}';
  const range: Range = { start: { line: position.line, character: variable.start }, end: position };
  return [...context.compose.environment.entries()].map(([name, value]) => ({
    label: name,
    kind: CompletionItemKind.Variable,
    detail: value === null ? '.env' : `= ${value.length > 40 ? `${value.slice(0, 39)}…` : value}`,
    documentation: { kind: 'markdown', value: `From \`.env\` beside the project${value !== null ? `: \`${name}=${value}\`` : ''}.` },
    textEdit: { range, newText: closed ? name : `${name}}` },
  }));
}
