import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { ComposeModel } from '../compose/parse';
import type { ComposeProject } from '../compose/project';
import { schemaAt } from '../compose/schema';
import { imageOf } from '../compose/services';
import type { LanguageService } from '../service';
import { parseImageRef } from '../text/image';
import { ignoreCommentHover } from './ignores';
import { imageSupportLines } from './support';
import { productionNote } from './composeNotes';
import type { ComposeContext } from '../features/composeContext';
import { healthcheckLine, hoverComposeValue, variableHover } from '../features/hover/compose';
import { buildCard } from '../features/hover/composeBuild';

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
export function hoverCompose(model: ComposeModel, position: Position, service: LanguageService, context: ComposeContext, schemaDescriptions = true): Hover | null {
  const project = () => context.project();
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
  // Names (services, volumes, anchors…), `${VAR}` and values with a meaning of their own.
  const variable = variableHover(model, offset);
  if (variable) return variable;
  const value = hoverComposeValue(context, position, path, located.value);
  // A build setting: its layer-cache card from the Dockerfile the service builds (with what a name
  // in it refers to, for a build secret), then the schema's description.
  const card = buildCard(context, path, located.value, (rule) => service.docsUrl(rule));
  if (card && card.length > 0) {
    const keyPath = /^\d+$/.test(path[path.length - 1]) ? path.slice(0, -1) : path;
    const description = schemaDescriptions ? schemaAt(keyPath)?.description : undefined;
    const note = productionNote(keyPath);
    const lines = [...card, ...(value ? [hoverText(value)] : []), ...(note ? [`**In production:** ${note}`] : []), ...(description ? [`---\n\n\`${keyPath[keyPath.length - 1]}\`: ${description}`] : [])];
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: model.rangeOf((located.key ?? located.value)!) };
  }
  if (value) return value;
  if (path[0] === 'services' && path.length === 3 && path[2] === 'image' && located.value) {
    return imageCard(model, path[1], located.value, service.today());
  }
  if (!located.key) return null;
  const schema = schemaDescriptions ? schemaAt(path) : null;
  const note = productionNote(path);
  if (!schema?.description && !note) return null;
  const lines = [`**\`${path[path.length - 1]}\`**${path.length > 1 ? ` · \`${displayPath(path)}\`` : ''}`];
  if (schema?.description) lines.push(schema.description);
  if (note) lines.push(`**In production:** ${note}`);
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: model.rangeOf(located.key) };
}

function hoverText(hover: Hover): string {
  return typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
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
  lines.push(healthcheckLine(project, target));
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

export { schemaAt } from '../compose/schema';
