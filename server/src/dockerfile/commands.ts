import type { Range, TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../fixes/apply';
import { parseDockerfile, stageAncestry, type DockerInstruction, type DockerfileModel } from './parse';
import { shellOf, type ShellCommand } from './shell';
import { runsPosixShell, shellProgram } from './shells';
import { packageCommand } from './packages';
import { packageOperation } from './ecosystems';
import { copiesBinary, foldChains, rootStage } from './healthchecks';
import { PROVIDERS, baseSystem, busyboxOnlyOption, describeFamily, missingCommand, type BaseSystem } from './system';

/**
 * The commands of RUN (and SHELL) that the base image of their stage does not have, as far as its
 * distribution is certain (see system.ts): the run-command-available rule reports them, and fixes
 * that change a base image or write commands check they add none.
 */

export interface CommandProblem {
  instruction: DockerInstruction;
  range: Range;
  /** The command as the user wrote it (`apk`, `adduser -S`). */
  written: string;
  message: string;
}

/** A heredoc run by an interpreter of its own (`#!/usr/bin/env python3`) is no shell script. */
function runsOtherInterpreter(model: DockerfileModel, instruction: DockerInstruction): boolean {
  if (instruction.heredocs.length === 0) return false;
  const text = model.document.getText(instruction.range);
  const shebang = /^[^\n]*<<[^\n]*\n\s*#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(text);
  if (!shebang) return false;
  const program = (shebang[1].endsWith('/env') ? shebang[2] ?? '' : shebang[1]).split('/').pop() ?? '';
  return !['sh', 'bash', 'ash', 'dash'].includes(program);
}

/** True when an installed package name (`shadow`, `shadow=4.13-r0`, `shadow-utils-4.9`) is one of the providers. */
function provides(installed: Set<string>, providers: string[]): boolean {
  return [...installed].some((name) => providers.some((p) => name === p || new RegExp(`^${p.replace(/[.+]/g, '\\$&')}(?:[=~<>:]|-\\d)`).test(name)));
}

interface Walk {
  installed: Set<string>;
  /** A package list that is an expansion (`apk add $DEPS`): anything may have been installed. */
  dynamic: boolean;
}

function describe(image: string, system: BaseSystem): string {
  return `\`${image}\` is ${describeFamily(system)}`;
}

function checkCommand(command: ShellCommand, system: BaseSystem, image: string, walk: Walk, copied: (name: string) => boolean): Omit<CommandProblem, 'instruction'> | null {
  const program = packageCommand(command)?.program ?? command.program;
  if (!program) return null;
  const word = command.words[0];
  if (program === 'adduser' || program === 'addgroup') {
    const option = system.family === 'debian' ? busyboxOnlyOption(command.args.map((a) => a.value)) : null;
    if (option) {
      return {
        range: command.range,
        written: `${program} ${option}`,
        message: `\`${program} ${option}\` is BusyBox's (Alpine's) syntax, and ${describe(image, system)}, whose Perl \`${program}\` rejects \`${option}\`, so this RUN fails; use \`${program === 'adduser' ? 'useradd --system' : 'groupadd --system'}\` there (or write the options of Debian's \`${program}\`).`,
      };
    }
  }
  const missing = missingCommand(system, program);
  if (!missing || copied(program)) return null;
  if (missing.providers.length > 0 && (walk.dynamic || provides(walk.installed, missing.providers))) return null;
  return {
    range: word.range,
    written: program,
    message: `\`${program}\` is not in \`${image}\` (${describeFamily(system)}), so this RUN fails with "${program}: not found"; ${missing.instead}.`,
  };
}

const cache = new WeakMap<DockerfileModel, CommandProblem[]>();

/**
 * Commands that the base image of their stage does not have: for each stage whose chain starts on
 * an image of known distribution, its RUNs (and SHELL) in build order, past what earlier steps of
 * the chain install (`apk add shadow` brings `useradd`) or copy in. Commands that run on a
 * condition (`if`, `||`, `[ -f /etc/alpine-release ] &&`) are how scripts serve several
 * distributions, and are left alone; one problem per RUN, since the build stops there.
 */
export function commandProblems(model: DockerfileModel): CommandProblem[] {
  let found = cache.get(model);
  if (found) return found;
  const problems: CommandProblem[] = [];
  // One pass per stage, from what the stage it is built FROM ends with: long FROM chains stay linear.
  foldChains<Walk>(model, 'run-commands', { installed: new Set(), dynamic: false }, (inherited, stage) => {
    const walk: Walk = { installed: new Set(inherited.installed), dynamic: inherited.dynamic };
    const root = rootStage(model, stage);
    const system = baseSystem(root.base);
    const image = root.base.resolved ?? root.base.text;
    const copied = (name: string) => copiesBinary(stageAncestry(model, stage), name);
    for (const instruction of stage.instructions) {
      if (system && instruction.keyword === 'SHELL' && instruction.json && instruction.argsRange) {
        const program = shellProgram(instruction);
        const missing = missingCommand(system, program);
        if (missing && !walk.dynamic && !provides(walk.installed, missing.providers) && !copied(program)) {
          problems.push({
            instruction,
            range: instruction.argsRange,
            written: program,
            message: `\`${program}\` is not in \`${image}\` (${describeFamily(system)}), so every RUN after this SHELL fails with "${instruction.json[0]}: not found"; ${missing.instead}.`,
          });
        }
      }
      if (instruction.keyword !== 'RUN' || !runsPosixShell(model, instruction) || runsOtherInterpreter(model, instruction)) continue;
      let reported = false;
      for (const command of shellOf(model, instruction).commands) {
        if (system && !reported && !command.conditional) {
          const problem = checkCommand(command, system, image, walk, copied);
          if (problem) {
            problems.push({ instruction, ...problem });
            reported = true;
          }
        }
        const operation = packageOperation(command);
        if (operation?.action === 'install') {
          // Only the packages that bring a command judged here are remembered.
          for (const name of operation.packages) if (PROVIDERS.has(name.replace(/(?:[=~<>:]|-\d).*$/, ''))) walk.installed.add(name);
          walk.dynamic ||= operation.dynamic;
        }
      }
    }
    return walk;
  });
  found = problems;
  cache.set(model, found);
  return found;
}


/** True when applying the edits would add a command the base image lacks (a fix that switches to `-slim` while a RUN uses curl). */
export function addsMissingCommand(model: DockerfileModel, edits: TextEdit[]): boolean {
  const text = applyEdits(model.document, edits);
  const edited = parseDockerfile(TextDocument.create(`${model.document.uri}#edited`, 'dockerfile', model.document.version + 1, text));
  return commandProblems(edited).length > commandProblems(model).length;
}
