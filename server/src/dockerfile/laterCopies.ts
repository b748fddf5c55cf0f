import { posix } from 'node:path';
import { copySourceStage, stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from './parse';

/**
 * What later stages read out of a stage: `COPY --from=<stage>` (and `ADD --from`) sources, and
 * `RUN --mount=type=bind,from=<stage>,source=…`. A fix that deletes a directory, or keeps it out
 * of the layer with a cache mount, must leave these alone: `COPY --from=build /root/.m2/repository`
 * fails with "not found" once `/root/.m2` is a cache mount of the build stage.
 */

/** Sources are read from the root of the stage's filesystem; a glob is read up to its first wildcard. */
function sourcePath(text: string): string | null {
  if (text.includes('$')) return null;
  const wildcard = text.search(/[*?[]/);
  const literal = wildcard < 0 ? text : posix.dirname(text.slice(0, wildcard + 1));
  const path = posix.normalize(posix.join('/', literal));
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The paths later stages read from `stage` (or from a stage built on it), each with the instruction that reads it. */
export function pathsReadLater(model: DockerfileModel, stage: Stage): { path: string; instruction: DockerInstruction }[] {
  // The stages whose filesystem holds this stage's: it and every stage built FROM it, directly or not.
  const holders = new Set(model.stages.filter((s) => stageAncestry(model, s).includes(stage)).map((s) => s.index));
  const reads: { path: string; instruction: DockerInstruction }[] = [];
  for (const instruction of model.instructions) {
    if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && instruction.flags.some((f) => f.name === 'from')) {
      const source = copySourceStage(model, instruction);
      if (!source || !holders.has(source.index)) continue;
      const args = instruction.json ?? instruction.ast.getArguments().map((a) => a.getValue());
      for (const arg of args.slice(0, -1)) {
        const path = sourcePath(arg);
        if (path !== null) reads.push({ path, instruction });
      }
    } else if (instruction.keyword === 'RUN') {
      for (const flag of instruction.flags) {
        const from = flag.name === 'mount' ? flag.options.get('from') : undefined;
        if (!from) continue;
        const index = /^\d+$/.test(from) ? Number(from) : model.stages.findIndex((s) => s.name?.toLowerCase() === from.toLowerCase());
        if (index < 0 || index >= instruction.stage || !holders.has(index)) continue;
        const path = sourcePath(flag.options.get('source') ?? flag.options.get('src') ?? '/');
        if (path !== null) reads.push({ path, instruction });
      }
    }
  }
  return reads;
}

/**
 * The first instruction of a later stage that reads something under one of `dirs` (absolute, or
 * `~/…` below `home`) out of `stage`; null when none does.
 */
export function laterStageReads(model: DockerfileModel, stage: Stage, dirs: string[], home: string | null): DockerInstruction | null {
  const absolute = dirs.map((d) => (d === '~' || d.startsWith('~/') ? (home ? `${home}${d.slice(1)}` : d) : d)).map((d) => (d.length > 1 ? d.replace(/\/+$/, '') : d));
  for (const { path, instruction } of pathsReadLater(model, stage)) {
    for (const dir of absolute) {
      // An unknown home: any path ending in the part below it (`/root/.npm` for `~/.npm`).
      const hit = dir.startsWith('~/') ? path.endsWith(dir.slice(1)) || path.includes(`${dir.slice(1)}/`) : path === dir || path.startsWith(`${dir}/`) || dir === '/';
      if (hit) return instruction;
    }
  }
  return null;
}
