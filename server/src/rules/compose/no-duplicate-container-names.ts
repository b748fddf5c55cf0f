import { composeRule } from '../types';
import type { ProjectService } from '../../compose/project';
import { canRunTogether } from '../../compose/ports';

/**
 * Container names are unique per Docker host: when two services ask for the same
 * `container_name`, creating the second one fails with "Conflict. The container name … is already
 * in use", and `docker compose up` stops. Judged on the merged project.
 */
export default composeRule({
  id: 'no-duplicate-container-names',
  aliases: ['no-duplicate-container-names'],
  title: 'Give each service its own container name',
  category: 'correctness',
  severity: 'error',
  check({ compose, project, report }) {
    const seen: { service: ProjectService; name: string }[] = [];
    for (const service of project.services) {
      const located = project.get(service, ['container_name']);
      if (!located || !located.node) continue;
      // `${PREFIX}-db` with an unknown variable has no known name.
      const name = located.compose.text(located.node);
      if (!name) continue;
      const earlier = seen.find((s) => s.name === name && canRunTogether(project, s.service, service));
      seen.push({ service, name });
      if (!earlier || located.compose !== compose) continue;
      report({
        range: compose.rangeOf(located.node),
        message: `\`${service.name}\` asks for the container name \`${name}\`, which \`${earlier.service.name}\` already uses, so creating the second container fails with "the container name is already in use"; rename one of them or remove \`container_name\` and let Compose name the containers.`,
        data: { service: service.name, name },
      });
    }
  },
});
