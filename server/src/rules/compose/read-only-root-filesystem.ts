import { isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { booleanValue, buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { appendToMap, replaceNode } from '../../compose/edit';
import { addSequenceItem, definitionOf, hardeningTarget, ownPair } from '../../compose/hardening';
import { splitVolume } from '../../compose/mounts';

/** Whether any file already gives the service something at `/tmp` (a tmpfs or a volume): a second mount there is an error. */
function hasTmp(project: ComposeProject, service: ProjectService): boolean {
  const isTmp = (path: string | null) => path !== null && path.trim().replace(/\/+$/, '') === '/tmp';
  for (const { compose, node } of project.all(service, ['tmpfs'])) {
    const value = compose.resolve(node);
    const mounts = isSeq(value) ? compose.items(value).map((i) => compose.text(i)) : [compose.text(value)];
    if (mounts.some((m) => m !== null && isTmp(m.split(':')[0]))) return true;
  }
  for (const { compose, node } of project.all(service, ['volumes'])) {
    for (const item of compose.items(node)) {
      const entry = compose.resolve(item);
      const target = isScalar(entry) ? splitVolume(compose.text(entry) ?? '')?.target ?? null : compose.text(compose.get(entry, 'target')?.value);
      if (isTmp(target)) return true;
    }
  }
  return false;
}

/** Adds `/tmp` to the service's `tmpfs` (list or single path), or writes `tmpfs: [/tmp]`. */
function tmpfsEdit(compose: ComposeModel, service: YAMLMap): TextEdit | undefined | null {
  const pair = ownPair(service, 'tmpfs');
  if (!pair) {
    if (compose.get(service, 'tmpfs')) return undefined;
    return appendToMap(compose, service, ['tmpfs: [/tmp]']);
  }
  const value = pair.value;
  if (isSeq(value)) return addSequenceItem(compose, service, 'tmpfs', '/tmp');
  if (isScalar(value) && typeof (value as Scalar).value === 'string' && value.range) {
    return replaceNode(compose, value, `[${JSON.stringify((value as Scalar).value)}, /tmp]`);
  }
  return undefined;
}

/**
 * With a read-only root filesystem, a compromised process cannot replace the service's binaries,
 * drop tools or persist anything outside the volumes it was given.
 * https://docs.docker.com/reference/compose-file/services/#read_only
 */
export default composeRule({
  id: 'read-only-root-filesystem',
  aliases: [],
  title: 'Run services with a read-only root filesystem',
  category: 'security',
  severity: 'info',
  enabledByDefault: false,
  check({ compose, project, report }) {
    for (const service of project.services) {
      const located = project.get(service, ['read_only']);
      if (located && booleanValue(located.compose, located.node) === true) continue;
      if (located && located.compose === compose && located.node) {
        report({
          range: { start: compose.rangeOf(located.keyNode).start, end: compose.rangeOf(located.node).end },
          message: `\`${service.name}\` sets \`read_only: ${compose.text(located.node) ?? 'false'}\`, so a compromised process can rewrite its binaries and leave tools behind; set \`read_only: true\` and give it \`tmpfs\` or volumes for the paths it writes.`,
          data: { service: service.name },
        });
        continue;
      }
      if (located) continue;
      const target = hardeningTarget(project, compose, service);
      if (!target) continue;
      report({
        range: compose.rangeOf(target.keyNode),
        message: `\`${service.name}\` has a writable root filesystem, so a compromised process can rewrite its binaries and leave tools behind; add \`read_only: true\` and give it \`tmpfs\` or volumes for the paths it writes.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const name = finding.data?.service as string | undefined;
    const project = buildProject(compose, context.path, context.files);
    const service = name ? project.service(name) : undefined;
    const own = name ? definitionOf(compose, name)?.node : undefined;
    if (!service || !own) return undefined;
    const edits: TextEdit[] = [];
    const pair = ownPair(own, 'read_only');
    if (pair?.value) {
      const edit = replaceNode(compose, pair.value, 'true');
      if (!edit) return undefined;
      edits.push(edit);
    } else {
      if (compose.get(own, 'read_only') || !hardeningTarget(project, compose, service)) return undefined;
      const edit = appendToMap(compose, own, ['read_only: true']);
      if (!edit) return undefined;
      edits.push(edit);
    }
    // Already there (`/tmp`, `/tmp:size=64m`, a volume at `/tmp`, in any file): nothing to add.
    const tmpfs = hasTmp(project, service) ? null : tmpfsEdit(compose, own);
    if (tmpfs === undefined) return undefined;
    if (tmpfs) {
      // Both lines go to the end of the service: one insertion keeps them in order.
      const last = edits[edits.length - 1];
      if (tmpfs.range.start.line === last.range.start.line && tmpfs.range.start.character === last.range.start.character && !pair?.value) {
        last.newText += tmpfs.newText;
      } else {
        edits.push(tmpfs);
      }
    }
    return { title: 'Add `read_only: true` with a `tmpfs` for `/tmp`', edits, safe: false };
  },
});
