import { composeRule, type ComposeRuleParts } from '../types';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dockerfileHealthcheck } from '../../compose/services';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { appendToMap, unitOf } from '../../compose/edit';
import { parseImageRef } from '../../text/image';
import { describeEvidence, ownLayer, serverEvidence, type ServerEvidence } from './restart-policy';

/** Images of a known family or server that declare a HEALTHCHECK of their own. */
const SHIPS_HEALTHCHECK = new Set(['dragonfly']);

/**
 * A server without a healthcheck anywhere: none in the merged Compose files (not even a
 * disabled one, which is a decision), none in the Dockerfile it builds, and an image known to
 * declare none. Null when the service is no server or may have one.
 */
function missingHealthcheck(project: ComposeProject, service: ProjectService): ServerEvidence | null {
  if (project.all(service, ['healthcheck']).length > 0) return null;
  const evidence = serverEvidence(project, service, false);
  if (!evidence) return null;
  if (evidence.kind === 'expose') return dockerfileHealthcheck(project, service) === false ? evidence : null;
  const image = evidence.located.compose.text(evidence.located.node);
  const ref = image ? parseImageRef(image) : null;
  return ref && !SHIPS_HEALTHCHECK.has(ref.name) ? evidence : null;
}

/**
 * The Compose half of `healthcheck-present`: a long-running service with no healthcheck. Docker
 * only knows whether its process lives, so a server that hangs or lost its database stays
 * "running", `depends_on: condition: service_healthy` cannot wait for it, and `docker compose up
 * --wait` returns before it is ready.
 */
export const composeParts: ComposeRuleParts = {
  check({ compose, project, report }) {
    for (const service of project.services) {
      const evidence = missingHealthcheck(project, service);
      if (!evidence || evidence.located.compose !== compose) continue;
      const layer = ownLayer(service, compose);
      if (!layer) continue;
      const template = evidence.kind === 'family' ? healthcheckFor(evidence.what) : null;
      report({
        range: compose.rangeOf(layer.keyNode),
        message: `\`${service.name}\` ${describeEvidence(evidence)} but has no healthcheck, so Docker reports it up as long as its process lives, even when it no longer answers, and other services cannot wait for it with \`condition: service_healthy\`; add a \`healthcheck\`${template ? ` that runs \`${template.test[1].split(' ')[0]}\`` : ' that probes it'}.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    const evidence = service ? missingHealthcheck(project, service) : null;
    const layer = service && ownLayer(service, compose);
    const template = evidence?.kind === 'family' ? healthcheckFor(evidence.what) : null;
    if (!service || !layer || !template) return undefined;
    const edit = appendToMap(compose, layer.node, healthcheckYaml(template, '', unitOf(compose)));
    return edit ? { title: `Add a ${evidence!.what} healthcheck`, edits: [edit], safe: true } : undefined;
  },
};

/** Standalone for tests; the catalogue merges these parts with the Dockerfile half under one id. */
export default composeRule({
  id: 'healthcheck-present',
  aliases: ['698ed579-b239-4f8f-a388-baa4bcb13ef8'],
  title: 'Add a healthcheck to services that serve traffic',
  category: 'reliability',
  severity: 'info',
  ...composeParts,
});
