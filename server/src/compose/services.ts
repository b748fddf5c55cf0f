import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ComposeModel } from './parse';
import type { ComposeProject, ProjectService } from './project';
import { finalStage, stageAncestry } from '../dockerfile/parse';
import { parseImageRef } from '../text/image';
import { statefulFamily } from '../text/images';

/** Facts about services that several Compose rules read, over the merged project. */

/** A healthcheck Compose will run: in the file (not `disable: true`, not `test: NONE`), or the built image's HEALTHCHECK. */
export function hasHealthcheck(project: ComposeProject, service: ProjectService | undefined): boolean {
  if (!service) return false;
  const located = project.get(service, ['healthcheck']);
  if (located) {
    const { compose } = located;
    const healthcheck = compose.resolve(located.node);
    if (isMap(healthcheck)) {
      const disable = compose.resolve(compose.get(healthcheck, 'disable')?.value);
      if (isScalar(disable) && ((disable as Scalar).value === true || compose.text(disable) === 'true')) return false;
      const test = project.get(service, ['healthcheck', 'test']);
      if (test) {
        const node = test.compose.resolve(test.node);
        const first = isSeq(node) ? test.compose.text(test.compose.items(node)[0]) : test.compose.text(node);
        return first?.toUpperCase() !== 'NONE';
      }
      // Without a test of its own, the image's HEALTHCHECK runs with the new timings.
    }
  }
  return dockerfileHealthcheck(project, service) ?? false;
}

/**
 * What the Dockerfile a service builds says about health in the built stage: a HEALTHCHECK
 * (`declared`), `HEALTHCHECK NONE` (`disabled`, a decision), or nothing (`missing`); null when
 * the Dockerfile is unknown.
 */
export function dockerfileHealthcheckState(project: ComposeProject, service: ProjectService): 'declared' | 'disabled' | 'missing' | null {
  const built = project.dockerfile(service);
  if (!built) return null;
  const stage = finalStage(built.model, built.target ?? undefined);
  if (!stage) return null;
  for (const s of stageAncestry(built.model, stage)) {
    const checks = s.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    const last = checks[checks.length - 1];
    if (last) return /^NONE\b/i.test(last.args.trim()) ? 'disabled' : 'declared';
  }
  return 'missing';
}

/** Whether the Dockerfile a service builds declares a HEALTHCHECK (not NONE) in the built stage; null when unknown. */
export function dockerfileHealthcheck(project: ComposeProject, service: ProjectService): boolean | null {
  const state = dockerfileHealthcheckState(project, service);
  return state === null ? null : state === 'declared';
}

/** The service's image text after interpolation, or null. */
export function imageOf(project: ComposeProject, service: ProjectService | undefined): string | null {
  if (!service) return null;
  const located = project.get(service, ['image']);
  return located ? located.compose.text(located.node) : null;
}

/** The family of a database, cache or broker image (`postgres`, `redis`…), or null. */
export function serviceFamily(project: ComposeProject, service: ProjectService | undefined): string | null {
  const image = imageOf(project, service);
  return image ? statefulFamily(parseImageRef(image)) : null;
}

/** One `depends_on` entry as written in one file. */
export interface Dependency {
  compose: ComposeModel;
  name: string;
  /** The list item, or the entry's key in the long form. */
  node: Node;
  /** The `condition:` value node, when written. */
  condition: Node | null;
  /** The long-form options mapping (or null). */
  options: Node | null;
  /** The `depends_on` value node (a list or a mapping) this entry is in. */
  container: Node;
}

/** Every `depends_on` entry of a service across its layers, in merge order. */
export function dependencies(project: ComposeProject, service: ProjectService): Dependency[] {
  const result: Dependency[] = [];
  for (const located of project.all(service, ['depends_on'])) {
    const { compose } = located;
    const value = compose.resolve(located.node);
    if (!value) continue;
    if (isSeq(value)) {
      for (const item of compose.items(value)) {
        const name = compose.text(item);
        if (name) result.push({ compose, name, node: item, condition: null, options: null, container: value });
      }
    } else if (isMap(value)) {
      for (const e of compose.entries(value)) {
        result.push({ compose, name: e.key, node: e.keyNode, condition: compose.get(e.value, 'condition')?.value ?? null, options: compose.resolve(e.value), container: value });
      }
    }
  }
  return result;
}

/** The condition Compose waits for on a dependency: the last one written wins; `service_started` by default. */
export function effectiveCondition(deps: Dependency[], name: string): string {
  let condition = 'service_started';
  for (const d of deps) if (d.name === name && d.condition) condition = d.compose.text(d.condition) ?? condition;
  return condition;
}
