import { isMap, isSeq } from 'yaml';
import { composeRule } from '../types';
import { booleanValue, buildProject, type ComposeProject, type ProjectService } from '../../compose/project';
import { dependencies, dockerfileHealthcheckState, imageOf, serviceFamily } from '../../compose/services';
import { healthcheckFor, healthcheckYaml } from '../../compose/healthchecks';
import { appendToMap, unitOf } from '../../compose/edit';
import { finalStage, stageAncestry } from '../../dockerfile/parse';
import { parseImageRef } from '../../text/image';
import { statefulFamily } from '../../text/images';
import { ownLayer } from '../../compose/servers';

/** Images of a known family that declare a HEALTHCHECK of their own. */
const SHIPS_HEALTHCHECK = new Set(['dragonfly']);

/** What Docker will know about a service's health, as far as the files tell. */
export type HealthState =
  | { state: 'present' }
  | { state: 'disabled'; how: string }
  | { state: 'none'; why: string; family: string | null }
  | { state: 'unknown' };

/**
 * Whether a service will have a healthcheck: one in the merged Compose files, the HEALTHCHECK of
 * the Dockerfile it builds, or none because its image is a database or broker whose official
 * image declares none. Unknown for other images, which may declare one.
 */
export function healthState(project: ComposeProject, service: ProjectService): HealthState {
  const located = project.get(service, ['healthcheck']);
  if (located && isMap(located.compose.resolve(located.node))) {
    const disable = project.get(service, ['healthcheck', 'disable']);
    if (disable && booleanValue(disable.compose, disable.node) === true) return { state: 'disabled', how: '`disable: true`' };
    const test = project.get(service, ['healthcheck', 'test']);
    if (test) {
      const node = test.compose.resolve(test.node);
      const first = isSeq(node) ? test.compose.text(test.compose.items(node)[0]) : test.compose.text(node);
      return first?.toUpperCase() === 'NONE' ? { state: 'disabled', how: '`test: ["NONE"]`' } : { state: 'present' };
    }
    // Timings without a test tune the image's own HEALTHCHECK, if it has one.
  }
  const family = serviceFamily(project, service);
  if (project.get(service, ['build'])) {
    const declared = dockerfileHealthcheckState(project, service);
    if (declared === 'declared') return { state: 'present' };
    if (declared === 'disabled') return { state: 'disabled', how: '`HEALTHCHECK NONE` in its Dockerfile' };
    if (declared === null) return { state: 'unknown' };
    // Without a HEALTHCHECK of its own the image inherits its base image's: known only for
    // official images and scratch, which declare none.
    const built = project.dockerfile(service)!;
    const stage = finalStage(built.model, built.target ?? undefined);
    const chain = stage ? stageAncestry(built.model, stage) : [];
    const root = chain[chain.length - 1]?.base;
    if (!root || !(root.scratch || (root.ref && root.ref.registry === null && !root.ref.repository.includes('/')))) return { state: 'unknown' };
    // A Dockerfile built `FROM postgres` runs Postgres: its probe fits.
    return { state: 'none', why: 'its Dockerfile declares no HEALTHCHECK', family: family ?? statefulFamily(root.ref) };
  }
  const image = imageOf(project, service);
  const ref = image ? parseImageRef(image) : null;
  if (!family || !ref || SHIPS_HEALTHCHECK.has(ref.name)) return { state: 'unknown' };
  return { state: 'none', why: `the ${family} image declares none`, family };
}

/** Dependencies Compose does not wait for: scaled to zero, or run by a provider. */
function notWaitedFor(project: ComposeProject, service: ProjectService): boolean {
  if (project.get(service, ['provider'])) return true;
  return [['scale'], ['deploy', 'replicas']].some((path) => {
    const located = project.get(service, path);
    return located !== undefined && located.compose.text(located.node) === '0';
  });
}

/**
 * `condition: service_healthy` waits for the dependency's healthcheck to pass. A dependency that
 * has none never becomes healthy: `docker compose up` fails with "dependency failed to start:
 * container … has no healthcheck configured" and the dependent service never starts.
 */
export default composeRule({
  id: 'healthcheck-for-dependency',
  aliases: [],
  title: 'Give dependencies waited on as healthy a healthcheck',
  category: 'correctness',
  severity: 'error',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const deps = dependencies(project, service);
      for (const name of new Set(deps.map((d) => d.name))) {
        // The last condition written for a dependency is the one Compose applies.
        const decisive = [...deps].reverse().find((d) => d.name === name && d.condition);
        if (!decisive?.condition || decisive.compose !== compose) continue;
        if (compose.text(decisive.condition) !== 'service_healthy') continue;
        const required = decisive.options && isMap(decisive.options) ? compose.get(decisive.options, 'required')?.value : null;
        // An optional dependency that never turns healthy only costs a warning.
        if (required && booleanValue(compose, required) === false) continue;
        const target = project.service(name);
        if (!target || target === service || notWaitedFor(project, target)) continue;
        const health = healthState(project, target);
        if (health.state === 'present' || health.state === 'unknown') continue;
        const why = health.state === 'disabled'
          ? `its healthcheck is disabled with ${health.how}`
          : `it has no healthcheck (none in the Compose files, and ${health.why})`;
        const remedy = health.state === 'disabled' ? `enable the healthcheck of \`${name}\` or wait with \`service_started\`` : `give \`${name}\` a healthcheck`;
        report({
          range: compose.rangeOf(decisive.condition),
          message: `\`${service.name}\` waits for \`${name}\` to be healthy, but ${why}, so \`docker compose up\` fails with "dependency failed to start: container has no healthcheck configured"; ${remedy}.`,
          data: { service: service.name, dependency: name },
        });
      }
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const target = project.service(String(finding.data?.dependency));
    if (!target) return undefined;
    const health = healthState(project, target);
    // A disabled healthcheck or one that only sets timings needs a person to decide.
    if (health.state !== 'none' || project.all(target, ['healthcheck']).length > 0) return undefined;
    const template = healthcheckFor(health.family);
    const layer = ownLayer(target, compose);
    if (!template || !layer) return undefined;
    const edit = appendToMap(compose, layer.node, healthcheckYaml(template, '', unitOf(compose)));
    return edit ? { title: `Add a ${health.family} healthcheck to \`${target.name}\``, edits: [edit], safe: true, services: [target.name] } : undefined;
  },
});
