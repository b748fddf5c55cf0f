import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { occurrenceAt, occurrencesIn, SECTION, type Occurrence } from '../../compose/symbols';
import type { ComposeModel } from '../../compose/parse';
import type { ComposeContext } from '../composeContext';
import { occurrenceRange } from '../definition/compose';

/** What a new name may be, per kind (Compose's own patterns; anchors: no space or flow indicator). */
const VALID: Record<Occurrence['kind'], RegExp> = {
  service: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
  volume: /^[a-zA-Z0-9._-]+$/,
  network: /^[a-zA-Z0-9._-]+$/,
  secret: /^[a-zA-Z0-9._-]+$/,
  config: /^[a-zA-Z0-9._-]+$/,
  anchor: /^[^\s,[\]{}]+$/,
};

export class RenameError extends Error {}

/** The name under the cursor that can be renamed, with its range; null elsewhere. */
export function prepareRenameCompose(context: ComposeContext, position: Position): { range: Range; placeholder: string } | null {
  const { compose } = context;
  const occurrence = occurrenceAt(compose, compose.document.offsetAt(position));
  if (!occurrence) return null;
  // A name the project never declares (an external network named only in a service) is renamed where used, too.
  return { range: occurrenceRange(occurrence), placeholder: occurrence.name };
}

/**
 * Renames a name in every file of the project that declares or uses it. A rename that changes
 * more than the text says so through a change annotation the editor asks to confirm: a service's
 * name is also the host name other containers reach it by, and a named volume's key is part of
 * the Docker volume's name, so the data stays under the old name.
 */
export function renameCompose(context: ComposeContext, position: Position, newName: string): WorkspaceEdit | null {
  const { compose } = context;
  const occurrence = occurrenceAt(compose, compose.document.offsetAt(position));
  if (!occurrence) return null;
  if (!VALID[occurrence.kind].test(newName)) throw new RenameError(`\`${newName}\` is not a valid ${occurrence.kind} name.`);
  const symbols = context.symbols();
  const related = symbols.related(occurrence);
  const scope = symbols.scopeOfOccurrence(occurrence);
  if (occurrence.kind !== 'anchor' && symbols.declarations(occurrence.kind, newName, scope).length > 0) {
    throw new RenameError(`The project already declares a ${occurrence.kind} \`${newName}\`.`);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const o of related) (changes[o.compose.document.uri] ??= []).push({ range: occurrenceRange(o), newText: newName });
  const warnings = occurrence.kind === 'service' ? hostnameUses(symbols.files, occurrence.name, related) : [];
  const note = occurrence.kind === 'service'
    ? `Other containers reach the service by its name: ${warnings.length > 0 ? `${warnings.slice(0, 3).join(', ')}${warnings.length > 3 ? ` and ${warnings.length - 3} more` : ''} still name \`${occurrence.name}\`, and ` : ''}containers of the old name are left over until \`docker compose up --remove-orphans\`.`
    : occurrence.kind === 'volume' && !namedExplicitly(related)
      ? `Docker names the volume after its key (\`<project>_${occurrence.name}\`): after the rename the service mounts a new, empty volume \`<project>_${newName}\` and the data stays in the old one. Add \`name: <project>_${occurrence.name}\` under the volume to keep it.`
      : null;
  if (!note) return { changes };
  const id = 'shipshape.rename';
  return {
    documentChanges: Object.entries(changes).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits: edits.map((e) => ({ ...e, annotationId: id })) })),
    changeAnnotations: { [id]: { label: `Rename ${occurrence.kind} \`${occurrence.name}\``, description: note, needsConfirmation: true } },
  };
}

/** Whether the volume's declaration sets `name:`, which then names the Docker volume whatever its key. */
function namedExplicitly(related: Occurrence[]): boolean {
  return related.some((o) => {
    if (!o.definition) return false;
    const section = o.compose.resolve(o.compose.get(o.compose.root, SECTION.volume)?.value);
    const body = o.compose.resolve(o.compose.get(section, o.name)?.value);
    return isMap(body) && o.compose.get(body, 'name') !== undefined;
  });
}

/** Values that look like they reach the service by host name (`DB_HOST: db`, `redis://cache:6379`), as `file:line`. */
function hostnameUses(files: ComposeModel[], name: string, known: Occurrence[]): string[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[/@=:,\\s])${escaped}($|[:/,\\s])`);
  const found: string[] = [];
  for (const compose of files) {
    const taken = new Set(known.filter((o) => o.compose === compose).map((o) => o.node));
    const own = new Set(occurrencesIn(compose).map((o) => o.node));
    const walk = (node: Node | null | undefined, depth: number) => {
      if (!node || depth > 32 || taken.has(node) || own.has(node)) return;
      if (isScalar(node)) {
        const value = (node as Scalar).value;
        if (typeof value === 'string' && pattern.test(value) && node.range) found.push(`\`${label(compose)}:${compose.document.positionAt(node.range[0]).line + 1}\``);
      } else if (isMap(node)) {
        for (const pair of node.items) walk(pair.value as Node, depth + 1);
      } else if (isSeq(node)) {
        for (const item of node.items) walk(item as Node, depth + 1);
      }
    };
    walk(compose.root, 0);
  }
  return found;
}

function label(compose: ComposeModel): string {
  try {
    return basename(fileURLToPath(compose.document.uri));
  } catch {
    return compose.document.uri;
  }
}
