import { isSeq, type Node } from 'yaml';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { replaceNode } from '../../compose/edit';
import { addSequenceItem, hardeningTarget } from '../../compose/hardening';

/** `security_opt` items as Docker reads them: `no-new-privileges`, `:true`, `=true`, `=false`… */
function noNewPrivileges(text: string): boolean | null {
  const m = /^\s*no-new-privileges(?:\s*[:=]\s*(.*?))?\s*$/i.exec(text);
  if (!m) return null;
  if (m[1] === undefined || m[1] === '') return true;
  // Docker parses the value with Go's strconv.ParseBool.
  if (/^(1|t|true)$/i.test(m[1])) return true;
  if (/^(0|f|false)$/i.test(m[1])) return false;
  return null;
}

/** The `no-new-privileges` item that decides the merged service's setting (the last one), or null. */
function setting(project: ComposeProject, service: ProjectService): { compose: ComposeModel; item: Node; enabled: boolean } | null {
  let found: { compose: ComposeModel; item: Node; enabled: boolean } | null = null;
  for (const { compose, node } of project.all(service, ['security_opt'])) {
    const value = compose.resolve(node);
    if (!isSeq(value)) continue;
    for (const item of compose.items(value)) {
      const text = compose.text(item);
      const enabled = text === null ? null : noNewPrivileges(text);
      if (enabled !== null) found = { compose, item, enabled };
    }
  }
  return found;
}

/**
 * Without `no-new-privileges`, a process can still gain privileges by executing a setuid-root or
 * file-capability binary; with it, the kernel refuses the gain, whatever binaries the image ships.
 * https://docs.docker.com/reference/cli/docker/container/run/#security-opt
 */
export default composeRule({
  id: 'no-new-privileges',
  aliases: ['27fcc7d6-c49b-46e0-98f1-6c082a6a2750'],
  title: 'Forbid gaining new privileges with `no-new-privileges`',
  category: 'security',
  severity: 'info',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const current = setting(project, service);
      if (current?.enabled) continue;
      if (current && current.compose === compose) {
        report({
          range: compose.rangeOf(current.item),
          message: `\`${service.name}\` turns \`no-new-privileges\` off (\`${compose.text(current.item)}\`), so a process in it can become root again through a setuid binary; set \`no-new-privileges:true\`.`,
          data: { service: service.name },
        });
        continue;
      }
      if (current) continue;
      const target = hardeningTarget(project, compose, service);
      if (!target) continue;
      report({
        range: compose.rangeOf(target.keyNode),
        message: `\`${service.name}\` does not set \`no-new-privileges\`, so a compromised process in it can still gain root through a setuid binary such as \`su\`; add \`security_opt: ["no-new-privileges:true"]\`.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const name = finding.data?.service as string | undefined;
    const project = buildProject(compose, context.path, context.files);
    const service = name ? project.service(name) : undefined;
    if (!service) return undefined;
    const current = setting(project, service);
    if (current && current.compose === compose && !current.enabled) {
      const edit = replaceNode(compose, current.item, 'no-new-privileges:true');
      return edit ? { title: 'Set `no-new-privileges:true`', edits: [edit], safe: false } : undefined;
    }
    const target = hardeningTarget(project, compose, service);
    const edit = target?.node ? addSequenceItem(compose, target.node, 'security_opt', 'no-new-privileges:true') : undefined;
    return edit ? { title: 'Add `no-new-privileges:true` to `security_opt`', edits: [edit], safe: false } : undefined;
  },
});
