import { isSeq } from 'yaml';
import { composeRule } from '../types';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { addSequenceItem, capabilityName, hardeningTarget, isPrivileged } from '../../compose/hardening';

/** Whether the merged service drops every capability (`cap_drop: [ALL]` in any file). */
function dropsAll(project: ComposeProject, service: ProjectService): boolean {
  return project.all(service, ['cap_drop']).some(({ compose, node }) => {
    const value = compose.resolve(node);
    const items = isSeq(value) ? compose.items(value) : [value];
    return items.some((item) => {
      const text = compose.text(item);
      return text !== null && capabilityName(text) === 'ALL';
    });
  });
}

/**
 * Docker starts every container with fourteen capabilities (CHOWN, DAC_OVERRIDE, SETUID, SETGID,
 * NET_RAW, …). Most services need none of them once started; dropping them all and adding back
 * the few a service uses limits what a compromised process can do as root in the container.
 * https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
 */
export default composeRule({
  id: 'cap-drop-all',
  aliases: ['ce76b7d0-9e77-464d-b86f-c5c48e03e22d'],
  title: 'Drop all capabilities and add back only the ones needed',
  category: 'security',
  severity: 'info',
  enabledByDefault: false,
  check({ compose, project, report }) {
    for (const service of project.services) {
      const target = hardeningTarget(project, compose, service);
      // A privileged container gets every capability whatever `cap_drop` says: no-privileged reports that.
      if (!target || dropsAll(project, service) || isPrivileged(project, service)) continue;
      report({
        range: compose.rangeOf(target.keyNode),
        message: `\`${service.name}\` keeps Docker's default capabilities (\`CHOWN\`, \`SETUID\`, \`NET_RAW\`…), which a compromised process can use as root in the container; add \`cap_drop: [ALL]\` and add back with \`cap_add\` only what it needs.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const name = finding.data?.service as string | undefined;
    const project = buildProject(compose, context.path, context.files);
    const service = name ? project.service(name) : undefined;
    const target = service ? hardeningTarget(project, compose, service) : undefined;
    if (!target?.node) return undefined;
    const edit = addSequenceItem(compose, target.node, 'cap_drop', 'ALL');
    if (!edit) return undefined;
    return { title: 'Add `cap_drop: [ALL]`', edits: [edit], safe: false };
  },
});
