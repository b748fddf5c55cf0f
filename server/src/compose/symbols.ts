import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, isSeq, visit, type Node, type Scalar, type YAMLMap } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAccess } from '../rules/types';
import { parseCompose, type ComposeModel } from './parse';
import { buildProject, pathOf, type ComposeProject } from './project';
import { splitVolume } from './mounts';

/**
 * The names a Compose project declares and where each is used: the one answer to "what does this
 * name refer to" that definition, references, highlight, rename, hover and completion share.
 *
 * A name lives in a scope. Services, volumes, networks, secrets and configs of the files Compose
 * merges (the file, its override file, its `compose.*.yaml` overlays, the files it `include`s)
 * share the project's scope; a file that `extends.file` names is a scope of its own, which the
 * `extends` reaches into. YAML anchors are per file.
 */

export type SymbolKind = 'service' | 'volume' | 'network' | 'secret' | 'config' | 'anchor';

/** The top-level section that declares each kind of name. */
export const SECTION: Record<Exclude<SymbolKind, 'anchor'>, string> = {
  service: 'services',
  volume: 'volumes',
  network: 'networks',
  secret: 'secrets',
  config: 'configs',
};

export interface Occurrence {
  kind: SymbolKind;
  name: string;
  compose: ComposeModel;
  /** Offsets of the name itself (not its quotes, prefix or suffix) in the file's text. */
  start: number;
  end: number;
  definition: boolean;
  /** The node the name is written in (a key, a scalar, an alias). */
  node: Node;
  /** A reference into another file's scope (`extends: {file: …, service: …}`): that file's path. */
  file?: string;
}

const SHORT_VOLUME_HOST = /^([/.~$\\]|[A-Za-z]:[\\/])/;

/** The offsets of `name` inside a scalar or key as written, `skip` characters into its value; null when escapes hide it. */
function nameSpan(compose: ComposeModel, node: Node, name: string, skip = 0): { start: number; end: number } | null {
  const range = node.range;
  if (!range || name === '') return null;
  const text = compose.document.getText();
  const type = (node as Scalar).type;
  const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
  const start = range[0] + quoted + skip;
  return text.slice(start, start + name.length) === name ? { start, end: start + name.length } : null;
}

function scalarText(compose: ComposeModel, node: Node | null | undefined): string | null {
  // References are read as written: an interpolated name (`${DB}`) is not a name Shipshape can follow.
  if (!isScalar(node)) return null;
  const value = (node as Scalar).value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

const memo = new WeakMap<ComposeModel, Occurrence[]>();

/** Every name declared or used in one file, memoised per parsed model. */
export function occurrencesIn(compose: ComposeModel): Occurrence[] {
  let found = memo.get(compose);
  if (!found) {
    found = collect(compose);
    memo.set(compose, found);
  }
  return found;
}

function collect(compose: ComposeModel): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  const add = (kind: SymbolKind, name: string, node: Node | null | undefined, definition: boolean, skip = 0, file?: string) => {
    if (!node) return;
    const span = nameSpan(compose, node, name, skip);
    if (!span) return;
    const key = `${kind}@${span.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, name, compose, ...span, definition, node, ...(file ? { file } : {}) });
  };
  const root = compose.root;
  // Declarations: the keys of the top-level sections.
  for (const [kind, section] of Object.entries(SECTION) as [Exclude<SymbolKind, 'anchor'>, string][]) {
    const entry = compose.get(root, section);
    const map = compose.resolve(entry?.value);
    if (!isMap(map)) continue;
    for (const pair of (map as YAMLMap).items) {
      const key = pair.key as Node;
      const name = scalarText(compose, key);
      if (name !== null && name !== '<<') add(kind, name, key, true);
    }
  }
  const items = (node: Node | null | undefined) => compose.items(node).map((n) => compose.resolve(n) ?? n);
  /** `- name` or `- source: name` lists (secrets, configs), and the keys of the mapping form (networks). */
  const namesIn = (kind: SymbolKind, node: Node | null | undefined, longKey: string | null) => {
    const value = compose.resolve(node);
    if (isSeq(value)) {
      for (const item of items(value)) {
        if (isScalar(item)) {
          const name = scalarText(compose, item);
          if (name) add(kind, name, item, false);
        } else if (longKey && isMap(item)) {
          const source = compose.resolve(compose.get(item, longKey)?.value);
          const name = scalarText(compose, source);
          if (name && source) add(kind, name, source, false);
        }
      }
    } else if (isMap(value)) {
      for (const entry of compose.entries(value)) add(kind, entry.key, entry.keyNode, false);
    }
  };
  for (const service of compose.services) {
    const map = service.node;
    if (!map) continue;
    // Own and merged entries (`<<: *defaults`): a name written under an anchor is found once, where it is written.
    for (const entry of compose.entries(map)) {
      const value = compose.resolve(entry.value);
      switch (entry.key) {
        case 'depends_on':
          namesIn('service', value, null);
          break;
        case 'links':
        case 'volumes_from':
          for (const item of items(value)) {
            const text = scalarText(compose, item);
            if (text && !text.startsWith('container:')) add('service', text.split(':')[0], item, false);
          }
          break;
        case 'network_mode':
        case 'ipc':
        case 'pid': {
          const text = scalarText(compose, value);
          if (text?.startsWith('service:')) add('service', text.slice('service:'.length), value, false, 'service:'.length);
          break;
        }
        case 'extends': {
          if (isScalar(value)) {
            const name = scalarText(compose, value);
            if (name) add('service', name, value, false);
          } else if (isMap(value)) {
            const target = compose.resolve(compose.get(value, 'service')?.value);
            const file = scalarText(compose, compose.resolve(compose.get(value, 'file')?.value));
            const name = scalarText(compose, target);
            if (name && target) add('service', name, target, false, 0, file ? resolveFrom(compose, file) ?? undefined : undefined);
          }
          break;
        }
        case 'networks':
          namesIn('network', value, null);
          break;
        case 'secrets':
          namesIn('secret', value, 'source');
          break;
        case 'configs':
          namesIn('config', value, 'source');
          break;
        case 'volumes':
          for (const item of items(value)) {
            if (isScalar(item)) {
              const text = scalarText(compose, item);
              const source = text ? splitVolume(text)?.source : null;
              if (source && !SHORT_VOLUME_HOST.test(source)) add('volume', source, item, false);
            } else if (isMap(item)) {
              const type = scalarText(compose, compose.resolve(compose.get(item, 'type')?.value));
              const source = compose.resolve(compose.get(item, 'source')?.value);
              const name = scalarText(compose, source);
              if ((type === 'volume' || type === null) && name && source && !SHORT_VOLUME_HOST.test(name)) add('volume', name, source, false);
            }
          }
          break;
        case 'build': {
          if (!isMap(value)) break;
          namesIn('secret', compose.get(value, 'secrets')?.value, 'source');
          // `additional_contexts: {base: service:base}` builds on another service's image.
          const contexts = compose.resolve(compose.get(value, 'additional_contexts')?.value);
          const values = isMap(contexts) ? compose.entries(contexts).map((e) => compose.resolve(e.value)) : items(contexts);
          for (const v of values) {
            const text = scalarText(compose, v);
            const m = text ? /^(?:[\w.-]+=)?service:(.+)$/.exec(text) : null;
            if (m && v) add('service', m[1], v, false, text!.length - m[1].length);
          }
          break;
        }
      }
    }
  }
  // Anchors: `&name` where a node is anchored, `*name` where it is used.
  const text = compose.document.getText();
  visit(compose.yaml, {
    Node(_, node) {
      const anchor = (node as { anchor?: string }).anchor;
      if (!anchor || !node.range) return;
      const at = text.lastIndexOf(`&${anchor}`, node.range[0]);
      if (at >= 0) {
        const start = at + 1;
        out.push({ kind: 'anchor', name: anchor, compose, start, end: start + anchor.length, definition: true, node });
      }
    },
    Alias(_, alias) {
      if (!alias.range) return;
      const start = alias.range[0] + 1;
      if (text.slice(start, start + alias.source.length) === alias.source) out.push({ kind: 'anchor', name: alias.source, compose, start, end: start + alias.source.length, definition: false, node: alias });
    },
  });
  return out.sort((a, b) => a.start - b.start);
}

function resolveFrom(compose: ComposeModel, file: string): string | null {
  const own = pathOf(compose);
  return own ? resolve(dirname(own), file) : null;
}

/** The occurrence whose name contains the offset (a name's end counts, as the cursor after its last letter). */
export function occurrenceAt(compose: ComposeModel, offset: number): Occurrence | undefined {
  return occurrencesIn(compose).find((o) => o.start <= offset && offset <= o.end);
}

export interface ComposeSymbols {
  /** Every file of the family, the primary one first. */
  files: ComposeModel[];
  /** The scope a file's own names live in. */
  scopeOf(compose: ComposeModel): string;
  /** The scope an occurrence's name refers into. */
  scopeOfOccurrence(occurrence: Occurrence): string;
  /** Every occurrence of the same name as `occurrence`: its declarations and uses, in every file of the family. */
  related(occurrence: Occurrence): Occurrence[];
  /** Where a name of a kind is declared, in a scope (the primary file's by default). */
  declarations(kind: SymbolKind, name: string, scope?: string): Occurrence[];
  /** The names of a kind declared in a scope (the primary file's by default). */
  names(kind: Exclude<SymbolKind, 'anchor'>, scope?: string): string[];
}

const COMPOSE_NAME = /^(docker-)?compose([.-].+)?\.ya?ml$/i;

/**
 * The files related to `primary`: the project Compose loads for it, the other Compose files of the
 * same folder that merge with the same base (overlays such as `compose.prod.yaml`) with theirs,
 * and the files their services `extends`. Files are read through `files`, so unsaved editor text wins.
 */
export function composeSymbols(primary: ComposeModel, path: string | null, files: FileAccess, project?: ComposeProject): ComposeSymbols {
  const scopes = new Map<ComposeModel, string>();
  const byPath = new Map<string, ComposeModel>();
  const projectScope = `project:${path ? dirname(path) : primary.document.uri}`;
  const own = project ?? buildProject(primary, path, files);
  const place = (compose: ComposeModel, scope: string) => {
    if (scopes.has(compose)) return false;
    scopes.set(compose, scope);
    const p = pathOf(compose);
    if (p) byPath.set(resolve(p), compose);
    return true;
  };
  place(primary, projectScope);
  for (const compose of own.files) place(compose, projectScope);
  // Overlays beside the primary file join the project too: `compose.prod.yaml` renames what `compose.yaml` declares.
  if (path && files.list) {
    const dir = dirname(path);
    for (const entry of files.list(dir) ?? []) {
      if (entry.directory || !COMPOSE_NAME.test(entry.name) || entry.name === basename(path)) continue;
      const other = join(dir, entry.name);
      if (byPath.has(resolve(other))) continue;
      const text = files.read(other);
      if (text === null || text.length > 2_000_000) continue;
      const model = parseCompose(TextDocument.create(pathToFileURL(other).href, 'dockercompose', 0, text), primary.environment);
      // Only a file of the same project family: one that merges with the same base file.
      const project = buildProject(model, other, files);
      const inProject = (f: ComposeModel) => {
        const known = byPath.get(resolve(pathOf(f) ?? ''));
        return known !== undefined && scopes.get(known) === projectScope;
      };
      if (!project.files.some(inProject)) continue;
      for (const compose of [model, ...project.files]) {
        const p = pathOf(compose);
        const known = p ? byPath.get(resolve(p)) : undefined;
        if (!known) place(compose, projectScope);
      }
    }
  }
  // Files that `extends.file` names: a scope each, unless they are part of the project.
  const queue = [...scopes.keys()];
  for (let i = 0; i < queue.length && i < 64; i++) {
    for (const o of occurrencesIn(queue[i])) {
      if (!o.file || byPath.has(resolve(o.file))) continue;
      const text = files.read(o.file);
      if (text === null) continue;
      const model = parseCompose(TextDocument.create(pathToFileURL(o.file).href, 'dockercompose', 0, text), primary.environment);
      if (place(model, `file:${resolve(o.file)}`)) queue.push(model);
    }
  }
  const all = [...scopes.keys()];
  const scopeOf = (compose: ComposeModel) => scopes.get(compose) ?? `file:${compose.document.uri}`;
  const scopeOfOccurrence = (o: Occurrence) => {
    if (o.kind === 'anchor') return `anchor:${o.compose.document.uri}`;
    if (o.file) {
      const target = byPath.get(resolve(o.file));
      return target ? scopeOf(target) : `file:${resolve(o.file)}`;
    }
    return scopeOf(o.compose);
  };
  const index = new Map<string, Occurrence[]>();
  for (const compose of all) {
    for (const o of occurrencesIn(compose)) {
      const key = `${o.kind}\0${scopeOfOccurrence(o)}\0${o.name}`;
      const list = index.get(key);
      if (list) list.push(o);
      else index.set(key, [o]);
    }
  }
  const lookup = (kind: SymbolKind, name: string, scope: string) => index.get(`${kind}\0${scope}\0${name}`) ?? [];
  return {
    files: all,
    scopeOf,
    scopeOfOccurrence,
    related: (o) => lookup(o.kind, o.name, scopeOfOccurrence(o)),
    declarations: (kind, name, scope = scopeOf(primary)) => lookup(kind, name, kind === 'anchor' ? `anchor:${primary.document.uri}` : scope).filter((o) => o.definition),
    names: (kind, scope = scopeOf(primary)) => {
      const names = new Set<string>();
      for (const compose of all) {
        if (scopeOf(compose) !== scope) continue;
        for (const o of occurrencesIn(compose)) if (o.kind === kind && o.definition) names.add(o.name);
      }
      return [...names].sort();
    },
  };
}

