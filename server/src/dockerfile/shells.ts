import { stageAncestry, type DockerInstruction, type DockerfileModel } from './parse';
import { distroOf } from '../text/images';

/** Shells that read POSIX `sh` syntax, the language every rule about RUN commands assumes. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

interface ShellTable {
  /** The SHELL in effect for each instruction of the model (null: Docker's default). */
  shells: Map<DockerInstruction, DockerInstruction | null>;
  /** Whether each stage's chain starts on a Windows image. */
  windows: boolean[];
}

/** Computed once per model: rules ask for every RUN, and a scan per question is quadratic. */
const tables = new WeakMap<DockerfileModel, ShellTable>();

function isShell(i: DockerInstruction): boolean {
  return i.keyword === 'SHELL' && i.json !== null && i.json.length > 0;
}

function table(model: DockerfileModel): ShellTable {
  let t = tables.get(model);
  if (t) return t;
  const shells = new Map<DockerInstruction, DockerInstruction | null>();
  // The shell a stage ends with, which a stage built FROM it starts with (an image keeps its shell).
  const lastOf = new Map<number, DockerInstruction | null>();
  const inherited = (index: number): DockerInstruction | null => {
    const stage = model.stages[index];
    if (!stage) return null;
    const cached = lastOf.get(index);
    if (cached !== undefined) return cached;
    lastOf.set(index, null); // a cycle in FROM references ends here
    let current = stage.base.stageRef !== null && stage.base.stageRef !== index ? inherited(stage.base.stageRef) : null;
    for (const i of stage.instructions) {
      shells.set(i, current);
      if (isShell(i)) current = i;
    }
    lastOf.set(index, current);
    return current;
  };
  for (const stage of model.stages) inherited(stage.index);
  // An ONBUILD trigger runs in the child image, which starts with this stage's last SHELL.
  for (const trigger of model.triggers) shells.set(trigger, lastOf.get(trigger.stage) ?? null);
  const windows = model.stages.map((stage) => {
    const chain = stageAncestry(model, stage);
    const root = chain[chain.length - 1].base;
    return distroOf(root.ref, root.scratch) === 'windows';
  });
  t = { shells, windows };
  tables.set(model, t);
  return t;
}

/**
 * The `SHELL` array in effect for an instruction: the last `SHELL` before it in its stage, else the
 * last one of the stages it is built `FROM`. Null means Docker's default, `["/bin/sh", "-c"]` on
 * Linux and `["cmd", "/S", "/C"]` on Windows.
 */
export function effectiveShell(model: DockerfileModel, instruction: DockerInstruction): DockerInstruction | null {
  return table(model).shells.get(instruction) ?? null;
}

/** The program of a `SHELL` array (`bash` for `["/bin/bash", "-c"]`), lower-case. */
export function shellProgram(shell: DockerInstruction): string {
  const first = shell.json?.[0] ?? '';
  return first.slice(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1).toLowerCase().replace(/\.exe$/, '');
}

/**
 * True when the instruction's commands run in a POSIX shell, so that parsing them as `sh` is
 * meaningful: not under PowerShell or cmd, and not in a Windows image using its default shell.
 */
export function runsPosixShell(model: DockerfileModel, instruction: DockerInstruction): boolean {
  const shell = effectiveShell(model, instruction);
  if (shell) return POSIX_SHELLS.has(shellProgram(shell));
  const windows = table(model).windows[instruction.stage];
  return windows === undefined ? false : !windows;
}

/**
 * The RUN instructions of a stage whose commands a POSIX shell runs; with `triggers`, also its
 * `ONBUILD RUN` triggers (for rules about a command itself, wherever it runs).
 */
export function posixRuns(model: DockerfileModel, stageIndex: number, triggers = false): DockerInstruction[] {
  const stage = model.stages[stageIndex];
  if (!stage) return [];
  const runs = stage.instructions.filter((i) => i.keyword === 'RUN' && runsPosixShell(model, i));
  if (!triggers) return runs;
  return [...runs, ...model.triggers.filter((t) => t.stage === stageIndex && runsPosixShell(model, t))];
}
