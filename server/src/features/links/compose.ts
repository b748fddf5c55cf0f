import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import type { ComposeModel } from '../../compose/parse';
import { isRemote } from '../../compose/builds';
import { splitVolume } from '../../compose/mounts';
import { parseImageRef } from '../../text/image';
import type { ComposeContext } from '../composeContext';
import { hubUrl } from '../completion/images';

/**
 * Document links in a Compose file: the files and folders it names (`build.context` and
 * `build.dockerfile`, `env_file`, `extends.file`, `include`, secret and config files, bind-mount
 * host paths), when they exist, and each `image:` to its registry's page. Paths are read as
 * written after interpolation with the project's `.env`; one that depends on an unknown variable
 * gets no link.
 */
export function linksCompose(context: ComposeContext): DocumentLink[] {
  const { compose, path, files } = context;
  if (!path || !compose.root) return [];
  const base = dirname(path);
  const links: DocumentLink[] = [];
  const file = (node: Node | null | undefined, from: string, tooltip: string) => {
    const value = compose.resolve(node);
    const text = compose.text(value);
    if (!value || !text || isRemote(text)) return;
    const target = isAbsolute(text) ? text : resolve(from, text.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    if (!files.exists(target)) return;
    const range = valueRange(compose, value, text);
    if (range) links.push({ range, target: pathToFileURL(target).href, tooltip });
  };
  for (const service of compose.services) {
    const map = service.node;
    if (!map) continue;
    const build = compose.resolve(compose.get(map, 'build')?.value);
    if (isScalar(build)) file(build, base, 'Open the build context');
    else if (isMap(build)) {
      const contextNode = compose.get(build, 'context')?.value;
      const contextText = contextNode ? compose.text(contextNode) : '.';
      if (contextNode) file(contextNode, base, 'Open the build context');
      const dockerfile = compose.get(build, 'dockerfile')?.value;
      if (dockerfile && contextText !== null && !isRemote(contextText)) file(dockerfile, resolve(base, contextText), 'Open the Dockerfile');
    }
    const envFile = compose.resolve(compose.get(map, 'env_file')?.value);
    for (const item of isScalar(envFile) ? [envFile] : compose.items(envFile)) {
      const resolved = compose.resolve(item);
      file(isMap(resolved) ? compose.get(resolved, 'path')?.value : resolved, base, 'Open the env file');
    }
    const ext = compose.resolve(compose.get(map, 'extends')?.value);
    if (isMap(ext)) file(compose.get(ext, 'file')?.value, base, 'Open the extended file');
    for (const item of compose.items(compose.get(map, 'volumes')?.value)) {
      const resolved = compose.resolve(item);
      if (isScalar(resolved)) {
        const text = compose.text(resolved);
        const source = text ? splitVolume(text)?.source : null;
        if (source && /^[./~]/.test(source)) mountLink(compose, resolved, source, base, files, links);
      } else if (isMap(resolved) && compose.text(compose.get(resolved, 'type')?.value) === 'bind') {
        file(compose.get(resolved, 'source')?.value, base, 'Open the mounted host path');
      }
    }
    const image = compose.resolve(compose.get(map, 'image')?.value);
    const imageText = compose.text(image);
    const url = imageText ? registryPage(imageText) : null;
    if (image && url && imageText) {
      const range = valueRange(compose, image, imageText);
      if (range) links.push({ range, target: url, tooltip: 'Open the image\'s registry page' });
    }
  }
  for (const item of compose.items(compose.get(compose.root, 'include')?.value)) {
    const resolved = compose.resolve(item);
    if (isScalar(resolved)) file(resolved, base, 'Open the included file');
    else if (isMap(resolved)) {
      const paths = compose.resolve(compose.get(resolved, 'path')?.value);
      for (const p of isScalar(paths) ? [paths] : compose.items(paths)) file(p, base, 'Open the included file');
      const env = compose.resolve(compose.get(resolved, 'env_file')?.value);
      for (const e of isScalar(env) ? [env] : compose.items(env)) file(e, base, 'Open the env file');
    }
  }
  for (const section of ['secrets', 'configs']) {
    for (const entry of compose.entries(compose.get(compose.root, section)?.value)) file(compose.get(entry.value, 'file')?.value, base, `Open the ${section.slice(0, -1)} file`);
  }
  return links;
}

/** The host path of a short-syntax bind mount (`./data:/var/lib/data:ro`), linked on its path only. */
function mountLink(compose: ComposeModel, node: Node, source: string, base: string, files: ComposeContext['files'], links: DocumentLink[]): void {
  const target = resolve(base, source.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
  if (!files.exists(target)) return;
  const range = valueRange(compose, node, source);
  if (range) links.push({ range, target: pathToFileURL(target).href, tooltip: 'Open the mounted host path' });
}

/** The range of `text` at the start of a scalar's value as written (inside its quotes); null when escapes or interpolation changed it. */
function valueRange(compose: ComposeModel, node: Node, text: string): Range | null {
  if (!node.range) return null;
  const type = (node as Scalar).type;
  const start = node.range[0] + (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0);
  const source = compose.document.getText();
  if (source.slice(start, start + text.length) !== text) return null;
  return { start: compose.document.positionAt(start), end: compose.document.positionAt(start + text.length) };
}

/** The web page of an image's repository on its registry, for the registries whose page address is known. */
export function registryPage(image: string): string | null {
  if (image.includes('$')) return null;
  const ref = parseImageRef(image);
  if (!ref) return null;
  const registry = ref.registry?.toLowerCase() ?? 'docker.io';
  const repository = ref.repository;
  switch (registry) {
    case 'docker.io':
    case 'index.docker.io':
    case 'registry-1.docker.io':
      return hubUrl(repository);
    case 'ghcr.io':
      return `https://ghcr.io/${repository}`;
    case 'quay.io':
      return `https://quay.io/repository/${repository}`;
    case 'mcr.microsoft.com':
      return `https://mcr.microsoft.com/artifact/mar/${repository}`;
    case 'public.ecr.aws':
      return `https://gallery.ecr.aws/${repository}`;
    case 'docker.elastic.co':
      return `https://www.docker.elastic.co/r/${repository}`;
    default:
      return null;
  }
}
