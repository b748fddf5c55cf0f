import { insertBeforeStart } from '../../fixes/dockerfileEdits';
import { sharedRule, type ComposeRuleParts, type DockerfileRuleParts, type FileAccess } from '../types';
import { buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dockerfileHealthcheckState } from '../../compose/services';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { appendToMap, unitOf } from '../../compose/edit';
import { describeEvidence, ownLayer, serverEvidence, type ServerEvidence } from '../../compose/servers';
import { parseImageRef } from '../../text/image';
import { stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { healthcheckInstruction, isDevelopmentImage, probeFor } from '../../dockerfile/healthchecks';
import { imageFacts, serviceOf, type Service } from '../../dockerfile/serving';
import { distroOf } from '../../text/images';

/** The analysis both the check and the fix run: the stage that ships, its chain, and what it serves. */
function analyse(dockerfile: DockerfileModel, path: string | null, files: FileAccess): { final: Stage; chain: Stage[]; service: Service } | null {
  const final = shippedStage({ dockerfile, path, files });
  if (!final || isDevelopmentImage(path, final)) return null;
  const chain = stageAncestry(dockerfile, final);
  // Own or inherited, `HEALTHCHECK NONE` included: that is a decision already made.
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return null;
  // ONBUILD marks a template for other Dockerfiles; they add the app and its healthcheck.
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD'))) return null;
  const root = chain[chain.length - 1].base;
  if (root.stageRef !== null || root.resolved === null) return null;
  if (distroOf(root.ref, root.scratch) === 'windows') return null;
  const service = serviceOf(dockerfile, chain);
  return service ? { final, chain, service } : null;
}

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
  // `HEALTHCHECK NONE` in the Dockerfile is a decision already made, like `disable: true`.
  if (evidence.kind === 'expose') return dockerfileHealthcheckState(project, service) === 'missing' ? evidence : null;
  const image = evidence.located.compose.text(evidence.located.node);
  const ref = image ? parseImageRef(image) : null;
  return ref && !SHIPS_HEALTHCHECK.has(ref.name) ? evidence : null;
}

/**
 * The Compose half: a long-running service with no healthcheck in the merged files, in the
 * Dockerfile it builds or in its image.
 */
const composeParts: ComposeRuleParts = {
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

const dockerfileParts: DockerfileRuleParts = {
  check({ dockerfile, report, path, files }) {
    const found = analyse(dockerfile, path, files);
    if (!found) return;
    const { final, service } = found;
    report({
      range: final.base.range,
      message: `${shippedStageLabel(dockerfile, final)} ${service.reason} but declares no HEALTHCHECK, so Docker and Compose only see that the process runs, not that it still answers; add a HEALTHCHECK that probes the service (or \`HEALTHCHECK NONE\` to make the choice explicit).`,
      data: { port: service.port },
    });
  },
  fix(finding, dockerfile, context) {
    const found = analyse(dockerfile, context.path, context.files);
    const port = found?.service.port;
    if (!found || port === null || port === undefined) return undefined;
    const { final, chain } = found;
    // An HTTP probe on a port that may not speak HTTP would keep the container unhealthy for good.
    if (!found.service.http) {
      return { title: 'Add a HEALTHCHECK', edits: [], safe: false, declined: { summary: 'not fixed', reason: `nothing shows that the app answers HTTP on port ${port} (no web server Shipshape knows starts it, and web apps do not usually listen there), and an HTTP probe of a port that speaks another protocol keeps the container unhealthy for good; write a HEALTHCHECK with a command the app supports (its own status command, or a health endpoint)` } };
    }
    const root = chain[chain.length - 1].base;
    const probe = probeFor(distroOf(root.ref, root.scratch), root.ref, port, '/', imageFacts(dockerfile, chain));
    if (!probe) return undefined;
    return {
      title: `Add a HEALTHCHECK that probes ${probe.url} with ${probe.tool}`,
      edits: [insertBeforeStart(dockerfile, final, [healthcheckInstruction(probe)])],
      safe: false,
    };
  },
};

/**
 * Without a healthcheck, Docker only knows whether the process is alive: a server that hangs or
 * has lost its database stays "running", and Compose's `depends_on: condition: service_healthy`
 * and Swarm's rolling updates cannot wait for it.
 */
export default sharedRule({
  id: 'healthcheck-present',
  aliases: ['CKV_DOCKER_2', '698ed579-b239-4f8f-a388-baa4bcb13ef8', 'b03a748a-542d-44f4-bb86-9199ab4fd2d5'],
  title: 'Add a healthcheck to images and services that serve traffic',
  category: 'reliability',
  severity: 'info',
  dockerfile: dockerfileParts,
  compose: composeParts,
});
