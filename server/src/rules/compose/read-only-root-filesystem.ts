import { isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { booleanValue, buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { appendToMap, replaceNode } from '../../compose/edit';
import { addSequenceItem, definitionOf, hardeningTarget, ownPair, runtimeImage } from '../../compose/hardening';
import { ownPrivilegeDrop } from '../../text/images';
import type { ImageRef } from '../../text/image';
import { splitVolume } from '../../compose/mounts';

/** The paths of `wanted` that no file gives the service already (a tmpfs or a volume there): a second mount is an error. */
function unmounted(project: ComposeProject, service: ProjectService, wanted: string[]): string[] {
  const clean = (path: string | null) => path?.trim().replace(/\/+$/, '') ?? null;
  const mounted = new Set<string>();
  for (const { compose, node } of project.all(service, ['tmpfs'])) {
    const value = compose.resolve(node);
    const mounts = isSeq(value) ? compose.items(value).map((i) => compose.text(i)) : [compose.text(value)];
    for (const m of mounts) if (m !== null) mounted.add(clean(m.split(':')[0])!);
  }
  for (const { compose, node } of project.all(service, ['volumes'])) {
    for (const item of compose.items(node)) {
      const entry = compose.resolve(item);
      const target = isScalar(entry) ? splitVolume(compose.text(entry) ?? '')?.target ?? null : compose.text(compose.get(entry, 'target')?.value);
      const path = clean(target);
      if (path) mounted.add(path);
    }
  }
  return wanted.filter((w) => !mounted.has(w));
}

/** Adds the paths to the service's `tmpfs` (list or single path), or writes `tmpfs: [...]`. */
function tmpfsEdit(compose: ComposeModel, service: YAMLMap, paths: string[]): TextEdit | undefined | null {
  const pair = ownPair(service, 'tmpfs');
  if (!pair) {
    if (compose.get(service, 'tmpfs')) return undefined;
    return appendToMap(compose, service, [`tmpfs: [${paths.join(', ')}]`]);
  }
  const value = pair.value;
  if (isSeq(value)) {
    if (paths.length !== 1) return replaceNode(compose, value, `[${[...compose.items(value).map((i) => compose.document.getText(compose.rangeOf(i))), ...paths].join(', ')}]`) ?? undefined;
    return addSequenceItem(compose, service, 'tmpfs', paths[0]);
  }
  if (isScalar(value) && typeof (value as Scalar).value === 'string' && value.range) {
    return replaceNode(compose, value, `[${JSON.stringify((value as Scalar).value)}, ${paths.join(', ')}]`);
  }
  return undefined;
}

/**
 * Where a stock server image writes at start besides `/tmp`: nginx its cache and pid file, httpd
 * its pid file under `logs/`. Images whose entrypoint prepares the data directory, the run
 * directory and the app's files as root (the databases, WordPress…) write in places that depend on
 * their configuration: the fix is not offered for them.
 */
function writablePaths(ref: ImageRef | null): { paths: string[] } | { declined: string } {
  const repo = ref && (ref.registry === null || ref.registry === 'docker.io') ? ref.repository.toLowerCase().replace(/^library\//, '') : null;
  if (repo === 'nginx') return { paths: ['/tmp', '/var/cache/nginx', '/var/run'] };
  if (repo === 'httpd') return { paths: ['/tmp', '/usr/local/apache2/logs'] };
  const drop = ref ? ownPrivilegeDrop(ref) : null;
  if (drop) return { declined: `the ${drop.server} image writes at start where its configuration says (its data, run and lock folders${drop.how === 'workers' ? ', the app\'s files' : ''}), as root, and a tmpfs there would lose data; mount volumes and tmpfs for those paths by hand, then set read_only` };
  return { paths: ['/tmp'] };
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
    const writable = writablePaths(runtimeImage(project, service));
    const title = 'paths' in writable ? `Add \`read_only: true\` with a \`tmpfs\` for ${writable.paths.map((p) => `\`${p}\``).join(', ')}` : 'Add `read_only: true`';
    if ('declined' in writable) return { title, edits: [], safe: false, declined: { summary: 'not fixed', reason: writable.declined } };
    // Already there (`/tmp`, `/tmp:size=64m`, a volume at `/tmp`, in any file): nothing to add.
    const missing = unmounted(project, service, writable.paths);
    const tmpfs = missing.length === 0 ? null : tmpfsEdit(compose, own, missing);
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
    return { title, edits, safe: false };
  },
});
