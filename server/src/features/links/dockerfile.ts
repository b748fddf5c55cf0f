import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver-types';
import { contextCopy, contextPath } from '../../dockerfile/dockerignore';
import { buildContextOf } from '../../project/buildContext';
import type { DockerfileContext } from '../../service';
import { registryPage } from './compose';

/**
 * Document links in a Dockerfile: each FROM image to its registry's page (the registries whose
 * page address is known, the same table as Compose's `image:` links; none for a stage, `scratch`,
 * a variable or a private registry), and each COPY/ADD source that is a file of the build context
 * (found as the lint rules find it: project/buildContext.ts). Globs, folders, sources outside the
 * context and sources that do not exist get none.
 */
export function linksDockerfile(context: DockerfileContext): DocumentLink[] {
  const { model, path, files } = context;
  const links: DocumentLink[] = [];
  for (const stage of model.stages) {
    const { base } = stage;
    if (stage.implicit || base.stageRef !== null || base.scratch || !base.text || base.text.includes('$')) continue;
    const url = registryPage(base.text);
    if (url) links.push({ range: base.range, target: url, tooltip: 'Open the image\'s registry page' });
  }
  if (!path) return links;
  let dir: string | null = null;
  for (const instruction of model.instructions) {
    const copy = contextCopy(model, instruction);
    if (!copy) continue;
    dir ??= buildContextOf(path, model, files).dir;
    for (const source of copy.sources) {
      if (source.value === null || /[*?[]/.test(source.value)) continue;
      const relative = contextPath(source.value);
      if (relative === null || relative === '.') continue;
      const target = join(dir, relative);
      if (!isFile(context, target)) continue;
      links.push({ range: source.range, target: pathToFileURL(target).href, tooltip: 'Open the file in the build context' });
    }
  }
  return links;
}

/** A file, not a folder: a folder link opens nothing useful in the editor. */
function isFile(context: DockerfileContext, path: string): boolean {
  const { files } = context;
  if (!files.exists(path)) return false;
  return files.list ? files.list(path) === null : files.read(path) !== null;
}
