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
      problems.push({
        node,
        message: `Unknown key \`${key}\` in ${label(path)}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}: Compose rejects the file (custom keys must start with \`x-\`).`,
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
