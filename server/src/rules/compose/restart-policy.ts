import { composeRule } from '../types';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { appendToMap } from '../../compose/edit';
import { describeEvidence, ownLayer, serverEvidence } from '../../compose/servers';

function hasRestartPolicy(project: ComposeProject, service: ProjectService): boolean {
  return Boolean(project.get(service, ['restart']) || project.get(service, ['deploy', 'restart_policy']));
}

/**
 * Without a restart policy a server that crashes, or that was running when the Docker daemon or
 * the host restarted, stays down until someone runs `docker compose up` again.
 */
export default composeRule({
  id: 'restart-policy',
  aliases: [],
  title: 'Give long-running services a restart policy',
  category: 'reliability',
  severity: 'info',
  check({ compose, project, report }) {
    for (const service of project.services) {
      if (hasRestartPolicy(project, service)) continue;
      const evidence = serverEvidence(project, service, true);
      if (!evidence || evidence.located.compose !== compose) continue;
      const layer = ownLayer(service, compose);
      if (!layer) continue;
      report({
        range: compose.rangeOf(layer.keyNode),
        message: `\`${service.name}\` ${describeEvidence(evidence)} but has no restart policy, so after a crash or a reboot of the Docker host it stays down until someone starts it again; add \`restart: unless-stopped\` (or \`always\`).`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    const layer = service && ownLayer(service, compose);
    if (!service || !layer || hasRestartPolicy(project, service)) return undefined;
    const edit = appendToMap(compose, layer.node, ['restart: unless-stopped']);
    return edit ? { title: 'Add `restart: unless-stopped`', edits: [edit], safe: false } : undefined;
  },
});
