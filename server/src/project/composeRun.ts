import { pathToFileURL } from 'node:url';
import { isMap, isScalar, isSeq } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCompose } from '../compose/parse';
import { splitVolume } from '../compose/mounts';
import type { FileAccess } from '../rules/types';

/**
 * How a Compose service runs the image it builds, as far as it changes what the image must allow:
 * the host folders it bind-mounts (they keep the host's owner, whatever the image's user), and a
 * command or entrypoint of its own (which may need what a slimmer image leaves out).
 */
export interface ComposeRun {
  service: string;
  /** Bind mounts of host folders: source as written, target in the container. */
  binds: { source: string; target: string }[];
  /** The `command` or `entrypoint` the service sets, as written; null when it keeps the image's. */
  command: string | null;
  /** The `user` the service sets; null when it keeps the image's. */
  user: string | null;
}

/** The services of a Compose file, by name, as they run; an unreadable file gives none. */
export function composeRuns(composeFile: string, services: string[], files: FileAccess): ComposeRun[] {
  const text = files.read(composeFile);
  if (text === null) return [];
  let compose: ReturnType<typeof parseCompose>;
  try {
    compose = parseCompose(TextDocument.create(pathToFileURL(composeFile).href, 'dockercompose', 0, text));
  } catch {
    return [];
  }
  const out: ComposeRun[] = [];
  for (const service of compose.services) {
    if (!services.includes(service.name) || !service.node) continue;
    const binds: ComposeRun['binds'] = [];
    for (const item of compose.items(compose.resolve(compose.get(service.node, 'volumes')?.value))) {
      const entry = compose.resolve(item);
      if (isScalar(entry)) {
        const spec = splitVolume(compose.text(entry) ?? '');
        if (spec?.source && /^(?:[/.~$]|[A-Za-z]:[\\/])/.test(spec.source)) binds.push({ source: spec.source, target: spec.target });
      } else if (isMap(entry) && compose.text(compose.get(entry, 'type')?.value) === 'bind') {
        const source = compose.text(compose.get(entry, 'source')?.value);
        const target = compose.text(compose.get(entry, 'target')?.value);
        if (source && target) binds.push({ source, target });
      }
    }
    let command: string | null = null;
    for (const key of ['entrypoint', 'command']) {
      const value = compose.resolve(compose.get(service.node, key)?.value);
      if (!value) continue;
      const words = isSeq(value) ? compose.items(value).map((i) => compose.text(i) ?? '') : [compose.text(value) ?? ''];
      command = words.join(' ').trim() || command;
      if (command) break;
    }
    const user = compose.text(compose.resolve(compose.get(service.node, 'user')?.value));
    out.push({ service: service.name, binds, command, user: user ?? null });
  }
  return out;
}
