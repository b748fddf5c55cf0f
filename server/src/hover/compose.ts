import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { ComposeModel } from '../compose/parse';
import type { ComposeProject } from '../compose/project';
import { composeSchema, type JsonSchema } from '../compose/schema';
import { hasHealthcheck, imageOf } from '../compose/services';
import type { LanguageService } from '../service';
import { parseImageRef } from '../text/image';
import { ignoreCommentHover } from './ignores';
import { imageSupportLines } from './support';
import { productionNote } from './composeNotes';

/** Where the cursor is in the YAML tree: the keys from the root, and the node under it. */
interface Located {
  path: string[];
  /** The key under the cursor, when hovering a key. */
  key: Node | null;
  /** The scalar value under the cursor, when hovering a value. */
  value: Node | null;
  /** The smallest node containing the cursor. */
  node: Node;
}

/**
 * Hover in a Compose file: the specification's description of the key with a production note
 * where one applies; a service named under `depends_on` shows its image and healthcheck; an
 * `image:` value shows how it is read.
 */
export function hoverCompose(model: ComposeModel, position: Position, service: LanguageService, project: () => ComposeProject): Hover | null {
  const comment = ignoreCommentHover(model.document, position, service);
  if (comment) return comment;
  const offset = model.document.offsetAt(position);
  const located = locate(model, offset);
  if (!located) return null;
  const { path } = located;

  if (path[0] === 'services' && path.length >= 3 && path[2] === 'depends_on') {
    const name = path.length === 4 && located.key ? path[3] : located.value ? model.text(located.value) : null;
    if (name && (located.key || located.value)) {
      const card = dependencyCard(project(), name);
      if (card) return { contents: { kind: 'markdown', value: card }, range: model.rangeOf((located.key ?? located.value)!) };
    }
  }
  if (path[0] === 'services' && path.length === 3 && path[2] === 'image' && located.value) {
    return imageCard(model, path[1], located.value, service.today());
  }
  if (!located.key) return null;
  const schema = schemaAt(path);
  const note = productionNote(path);
  if (!schema?.description && !note) return null;
  const lines = [`**\`${path[path.length - 1]}\`**${path.length > 1 ? ` · \`${displayPath(path)}\`` : ''}`];
  if (schema?.description) lines.push(schema.description);
  if (note) lines.push(`**In production:** ${note}`);
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: model.rangeOf(located.key) };
}

function displayPath(path: string[]): string {
  const shown = path[0] === 'services' && path.length > 1 ? ['services', '<service>', ...path.slice(2)] : path;
  return shown.map((p) => (/^\d+$/.test(p) ? '[]' : p)).join('.').replace(/\.\[\]/g, '[]');
}

function locate(model: ComposeModel, offset: number): Located | null {
  let best: Located | null = null;
  const inside = (node: Node | null | undefined) => !!node?.range && node.range[0] <= offset && offset <= model.endOf(node);
  const walk = (node: Node | null, path: string[]) => {
    if (!node || !inside(node)) return;
    best = { path, key: null, value: isScalar(node) ? node : null, node };
    if (isMap(node)) {
      for (const item of (node as YAMLMap).items) {
        const pair = item as Pair;
        const key = pair.key as Node | null;
        const name = isScalar(key) ? String(key.value) : '';
        if (inside(key)) {
          best = { path: [...path, name], key, value: null, node: key! };
          return;
        }
        if (inside(pair.value as Node)) return walk(pair.value as Node, [...path, name]);
      }
    } else if (isSeq(node)) {
      (node as YAMLSeq).items.forEach((item, i) => {
        if (inside(item as Node)) walk(item as Node, [...path, String(i)]);
      });
    }
  };
  walk(model.yaml.contents as Node | null, []);
  return best;
}

function dependencyCard(project: ComposeProject, name: string): string | null {
  const target = project.service(name);
  if (!target) return null;
  const image = imageOf(project, target);
  const built = project.dockerfile(target);
  const lines = [`**Service \`${name}\`**${image ? ` · image \`${image}\`` : built ? ` · built from \`${built.path ?? 'an inline Dockerfile'}\`${built.target ? ` (target \`${built.target}\`)` : ''}` : ''}`];
  const test = project.get(target, ['healthcheck', 'test']);
  if (test) {
    const node = test.compose.resolve(test.node);
    const words = isSeq(node) ? test.compose.items(node).map((n) => test.compose.text(n) ?? '…') : [test.compose.text(node) ?? '…'];
    lines.push(`Healthcheck: \`${words.join(' ').slice(0, 80)}\``);
  } else if (hasHealthcheck(project, target)) {
    lines.push('Healthcheck: the HEALTHCHECK of its Dockerfile.');
  } else {
    lines.push('No healthcheck: `condition: service_healthy` on it would make `docker compose up` fail.');
  }
  return lines.join('\n\n');
}

function imageCard(model: ComposeModel, serviceName: string, value: Node, today: string): Hover {
  const image = model.text(value);
  const ref = image ? parseImageRef(image) : null;
  const lines = [`**Image of \`${serviceName}\`**${image ? `: \`${image}\`` : ''}`];
  if (!image) lines.push('Built from variables with no default: the image is only known when Compose runs.');
  if (ref) lines.push(`Registry \`${ref.registry ?? 'docker.io'}\`, repository \`${ref.repository}\`, ${ref.digest ? `digest \`${ref.digest}\`` : ref.tag ? `tag \`${ref.tag}\`` : 'no tag (pulls `latest`)'}`);
  lines.push(...imageSupportLines(ref, today));
  const def = model.services.find((s) => s.name === serviceName);
  if (def && model.get(def.node, 'build')) lines.push('The service also has `build:`, so Compose builds the image and tags it with this name.');
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: model.rangeOf(value) };
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
