import type { DockerfileModel, Stage } from './parse';
import { shellOf, shellParserReady } from './shell';
import { developmentStageName, runsChecks } from './ecosystems';

/**
 * A stage that only runs tests or checks: it starts nothing of its own (no CMD, ENTRYPOINT,
 * EXPOSE, HEALTHCHECK, USER or VOLUME) and every RUN of it runs a test or a check (`go test`,
 * `npm test`, `pytest`, `mvn test`, `make lint`).
 */
function onlyRunsChecks(model: DockerfileModel, stage: Stage): boolean {
  if (!shellParserReady()) return false;
  const runs = stage.instructions.filter((i) => i.keyword === 'RUN');
  if (runs.length === 0) return false;
  if (stage.instructions.some((i) => IMAGE_SETTINGS.has(i.keyword))) return false;
  return runs.every((run) => shellOf(model, run).commands.some((command) => runsChecks(command)));
}

const IMAGE_SETTINGS = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK', 'USER', 'VOLUME']);

/** Whether a stage is built to test, check or develop the application rather than to ship it. */
export function isCheckStage(model: DockerfileModel, stage: Stage): boolean {
  return developmentStageName(stage.name) || onlyRunsChecks(model, stage);
}

/** Words of a stage name that mark a build stage, whose output other stages copy. */
const BUILD_STAGE_WORDS = new Set(['build', 'builder', 'building', 'compile', 'compiler', 'deps', 'dependencies']);

/** Whether a stage builds for others: named so, or copied from by a later stage. */
function isBuildStage(model: DockerfileModel, stage: Stage): boolean {
  if (stage.name !== null && stage.name.toLowerCase().split(/[._-]+/).some((word) => BUILD_STAGE_WORDS.has(word))) return true;
  const names = new Set([String(stage.index), stage.name?.toLowerCase()]);
  return model.instructions.some((i) => i.stage > stage.index && i.flags.some((f) => f.name === 'from' && f.value !== null && names.has(f.value.toLowerCase())));
}

/**
 * The stage `docker build` without `--target` ends in is the last one, but a file whose last
 * stages test, lint or develop the application (`FROM build AS test`, `FROM prod AS dev`) ships
 * an earlier stage: CI builds the last stages to run them and releases the other with `--target`.
 * This is that release stage: the last stage that is not a check stage. When there is none, or
 * it is a build stage (`FROM builder AS dev-envs`: the file has no release stage, the checks run
 * on the build), the last stage stays.
 */
export function releaseStage(model: DockerfileModel): Stage | undefined {
  const last = model.stages[model.stages.length - 1];
  if (!last || !isCheckStage(model, last)) return last;
  for (let i = model.stages.length - 2; i >= 0; i--) {
    const stage = model.stages[i];
    if (!isCheckStage(model, stage)) return isBuildStage(model, stage) ? last : stage;
  }
  return last;
}

/** How a message names the stage that ships: the final stage, or the earlier one that ships instead. */
export function shippedStageLabel(model: DockerfileModel, stage: Stage): string {
  if (stage.index === model.stages.length - 1) return 'The final stage';
  return `The stage that ships (${stage.name ? `\`${stage.name}\`` : `stage ${stage.index}`})`;
}
