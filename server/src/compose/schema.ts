import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { ComposeModel } from './parse';
import { editDistance } from '../text/distance';

/**
 * The Compose Specification's JSON schema, as the dclint package (a devDependency) ships it: the
 * build copies it into dist/; from the sources it is read from node_modules.
 */
function findSchema(): string {
  const bundled = join(__dirname, 'compose.schema.json');
  if (existsSync(bundled)) return bundled;
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'dclint', 'schemas', 'compose.schema.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('compose.schema.json not found: run the build');
}

let loaded: JsonSchema | null = null;

/** The schema, for validation and for hovers that show a key's description. */
export function composeSchema(): JsonSchema {
  loaded ??= JSON.parse(readFileSync(findSchema(), 'utf8')) as JsonSchema;
  return loaded;
}

export interface SchemaProblem {
  node: Node;
  message: string;
  /** For an unknown key with a close known one: the key, the known one, and the mapping they are in. */
  rename?: { key: string; suggestion: string; parent: Node | null; service: string | null };
}

let validator: ValidateFunction | null = null;

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  description?: string;
  enum?: unknown[];
  definitions?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
}

/**
 * The validator esbuild.mjs compiled at build time and bundled, so that the shipped server never
 * generates code at run time; null when running from the tsc output (tests), which compiles it.
 */
function precompiled(): ValidateFunction | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('./validate.generated.js') as ValidateFunction | { default: ValidateFunction };
    return typeof loaded === 'function' ? loaded : loaded.default;
  } catch {
    return null;
  }
}

function validate(): ValidateFunction {
  validator ??= precompiled();
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, verbose: true });
    const { $schema: _ignored, ...rest } = composeSchema() as Record<string, unknown>;
    void _ignored;
    validator = ajv.compile(rest);
  }
  return validator;
}

/** A plain value of the document for the validator, plus where each path was written. */
interface Converted {
  value: unknown;
  nodes: Map<string, Node>;
  /** Paths whose value comes from interpolation or a `!reset`/`!override` tag: never a type error. */
  dynamic: Set<string>;
}

const MAX_NODES = 200_000;

function convert(model: ComposeModel): Converted | null {
  const nodes = new Map<string, Node>();
  const dynamic = new Set<string>();
  let budget = MAX_NODES;
  const walk = (raw: Node | null, path: string, depth: number): unknown => {
    if (--budget < 0 || depth > 64) throw new RangeError('too large');
    const node = model.resolve(raw);
    if (raw) nodes.set(path, raw);
    if (node === null) return null;
    const tag = (raw as { tag?: string } | null)?.tag ?? (node as { tag?: string }).tag;
    if (tag === '!reset' || tag === '!override') dynamic.add(path);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const entry of model.entries(node)) {
        const childPath = `${path}/${entry.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        nodes.set(`${childPath}#key`, entry.keyNode);
        out[entry.key] = walk(entry.value, childPath, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) return model.items(node).map((item, i) => walk(item, `${path}/${i}`, depth + 1));
    if (isScalar(node)) {
      const value = (node as Scalar).value;
      if (typeof value === 'string' && value.includes('$')) dynamic.add(path);
      return value;
    }
    return null;
  };
  try {
    return { value: walk(model.root, '', 0), nodes, dynamic };
  } catch {
    return null;
  }
}

/** Validates the file against the Compose Specification and words the errors for people. */
export function schemaProblems(model: ComposeModel): SchemaProblem[] {
  if (!model.root || model.problems.length > 0) return [];
  const converted = convert(model);
  if (!converted) return [];
  const valid = validate()(converted.value);
  if (valid) return [];
  return summarize(validate().errors ?? [], converted);
}

const typeWords: Record<string, string> = {
  object: 'a mapping (`key: value` lines)',
  array: 'a list (`- item` lines, or `[a, b]`)',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: '`true` or `false`',
  null: 'empty',
};

function describeTypes(types: Set<string>): string {
  const words = [...types].filter((t) => t !== 'null').map((t) => typeWords[t] ?? t);
  return words.length === 0 ? 'empty' : words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function label(path: string): string {
  const parts = path.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) return 'the top level';
  if (parts[0] === 'services' && parts.length >= 2) {
    const rest = parts.slice(2).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    return rest ? `\`${rest}\` of service \`${parts[1]}\`` : `service \`${parts[1]}\``;
  }
  return `\`${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}\``;
}

export function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const max = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    const distance = editDistance(word.toLowerCase(), c.toLowerCase(), max);
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= max ? best : null;
}

/**
 * One problem per place, in words: ajv reports every branch of every oneOf; what a person needs is
 * the unknown key (with a suggestion), or the forms the value may take.
 */
function summarize(errors: ErrorObject[], converted: Converted): SchemaProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const problems: SchemaProblem[] = [];
  const paths = [...byPath.keys()].sort();
  for (const path of paths) {
    const list = byPath.get(path)!;
    // A deeper error explains this one (a oneOf that failed because of a nested key).
    const deeper = paths.some((p) => p !== path && p.startsWith(`${path}/`));
    for (const e of list.filter((x) => x.keyword === 'additionalProperties')) {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const keyPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const node = converted.nodes.get(`${keyPath}#key`) ?? converted.nodes.get(path);
      if (!node) continue;
      const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      const suggestion = closest(key, allowed);
      const parts = path.split('/').filter(Boolean);
      problems.push({
        node,
        message: `Unknown key \`${key}\` in ${label(path)}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}: Compose rejects the file (custom keys must start with \`x-\`).`,
        ...(suggestion && converted.nodes.has(`${keyPath}#key`) ? { rename: { key, suggestion, parent: converted.nodes.get(path) ?? null, service: parts[0] === 'services' && parts.length >= 2 ? parts[1].replace(/~1/g, '/').replace(/~0/g, '~') : null } } : {}),
      });
    }
    if (list.some((x) => x.keyword === 'additionalProperties') || deeper || converted.dynamic.has(path)) continue;
    const node = converted.nodes.get(path);
    if (!node) continue;
    // An empty value is an unset one to Compose (`web:` with nothing under it is an empty service).
    const resolved = node as Node;
    if (isScalar(resolved) && (resolved as Scalar).value === null && list.every((x) => ['type', 'oneOf', 'anyOf'].includes(x.keyword))) continue;
    const types = new Set(list.filter((x) => x.keyword === 'type').flatMap((x) => String((x.params as { type: string }).type).split(',')));
    const enums = list.filter((x) => x.keyword === 'enum').flatMap((x) => (x.params as { allowedValues: unknown[] }).allowedValues);
    const required = list.filter((x) => x.keyword === 'required').map((x) => (x.params as { missingProperty: string }).missingProperty);
    if (required.length > 0) {
      problems.push({ node, message: `${label(path)} needs \`${required[0]}\`; Compose rejects the file without it.` });
    } else if (enums.length > 0) {
      problems.push({ node, message: `${label(path)} must be one of ${enums.map((v) => `\`${String(v)}\``).join(', ')}.` });
    } else if (types.size > 0) {
      problems.push({ node, message: `${label(path)} must be ${describeTypes(types)}, not ${describeValue(node)}.` });
    } else {
      const first = list.find((x) => !['oneOf', 'anyOf', 'if'].includes(x.keyword)) ?? list[0];
      problems.push({ node, message: `${label(path)} ${first.message ?? 'is not valid'}.` });
    }
  }
  return problems;
}

function describeValue(node: Node): string {
  if (isMap(node)) return (node as YAMLMap).items.length === 0 ? 'an empty mapping' : 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (v === null) return 'empty';
    return `\`${String(v).slice(0, 40)}\``;
  }
  return 'this value';
}

/** The schema of the key at `path`, following `$ref`, `oneOf` and pattern properties. */
export function schemaAt(path: string[]): JsonSchema | null {
  const root = composeSchema();
  const deref = (s: JsonSchema | undefined): JsonSchema | undefined => {
    let current = s;
    for (let i = 0; current?.$ref && i < 10; i++) {
      const name = current.$ref.replace('#/definitions/', '');
      current = { ...root.definitions?.[name], description: current.description ?? root.definitions?.[name]?.description };
    }
    return current;
  };
  const child = (s: JsonSchema | undefined, key: string): JsonSchema | undefined => {
    const d = deref(s);
    if (!d) return undefined;
    if (/^\d+$/.test(key) && d.items) return deref(d.items);
    if (d.properties?.[key]) return deref(d.properties[key]);
    for (const [pattern, value] of Object.entries(d.patternProperties ?? {})) if (new RegExp(pattern).test(key)) return deref(value);
    for (const variant of [...(d.oneOf ?? []), ...(d.anyOf ?? [])]) {
      const found = child(variant, key);
      if (found) return found;
    }
    if (typeof d.additionalProperties === 'object') return deref(d.additionalProperties);
    return undefined;
  };
  let current: JsonSchema | undefined = root;
  for (const key of path) {
    current = child(current, key);
    if (!current) return null;
  }
  return current ?? null;
}

/** Follows `$ref`s; the referring schema's own description wins. */
export function derefSchema(s: JsonSchema | undefined): JsonSchema | undefined {
  const root = composeSchema();
  let current = s;
  for (let i = 0; current?.$ref && i < 10; i++) {
    const name = current.$ref.replace('#/definitions/', '');
    current = { ...root.definitions?.[name], description: current.description ?? root.definitions?.[name]?.description };
  }
  return current;
}

/** Every form a value may take: the schema itself, or each branch of its `oneOf`/`anyOf`, dereferenced. */
export function schemaVariants(s: JsonSchema | null | undefined, depth = 0): JsonSchema[] {
  const d = derefSchema(s ?? undefined);
  if (!d || depth > 6) return [];
  const branches = [...(d.oneOf ?? []), ...(d.anyOf ?? [])];
  if (branches.length === 0) return [d];
  return [d, ...branches.flatMap((b) => schemaVariants(b, depth + 1))];
}

function typesOf(s: JsonSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

/** The keys a mapping may have at a schema, with their schemas, over every form it may take. */
export function schemaProperties(s: JsonSchema | null | undefined): Map<string, JsonSchema> {
  const keys = new Map<string, JsonSchema>();
  for (const variant of schemaVariants(s)) {
    for (const [key, value] of Object.entries(variant.properties ?? {})) if (!keys.has(key)) keys.set(key, derefSchema(value) ?? value);
  }
  return keys;
}

/** What a value may be, for completion: its enum values and JSON types over every form. */
export function schemaShape(s: JsonSchema | null | undefined): { enums: string[]; types: Set<string>; required: string[] } {
  const enums: string[] = [];
  const types = new Set<string>();
  const required: string[] = [];
  for (const variant of schemaVariants(s)) {
    for (const value of variant.enum ?? []) if (!enums.includes(String(value))) enums.push(String(value));
    for (const type of typesOf(variant)) types.add(type);
    if (variant.properties || variant.patternProperties) types.add('object');
    if (variant.items) types.add('array');
    for (const key of variant.required ?? []) if (!required.includes(key)) required.push(key);
  }
  return { enums, types, required };
}
