import { posix } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DockerInstruction, DockerfileModel, Stage } from '../../dockerfile/parse';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { classifyCommand, packageOperation, isCompilerPackage, toolchainPackage, type EcosystemCommand } from '../../dockerfile/ecosystems';
import { contextCopy } from '../../dockerfile/dockerignore';
import { expandVariables } from '../../text/variables';
import type { ImageRef } from '../../text/image';
import type { SdkBuild } from '../../rules/dockerfile/prefer-multi-stage';
import { decline, type Declined } from './conversion';

/**
 * The original single-stage Dockerfile, read once for every ecosystem: each instruction with the
 * working directory and user in effect there, the comments above it, and what its commands do.
 */

export interface Step {
  instruction: DockerInstruction;
  /** The instruction exactly as written (continuations and heredoc bodies included). */
  raw: string;
  comments: string[];
  /** Absolute working directory in effect for this instruction (after it, for WORKDIR). */
  workdir: string;
  /** True when a USER other than root is in effect before this instruction. */
  afterUser: boolean;
  commands: ShellCommand[];
  kinds: (EcosystemCommand | null)[];
  /** The original document, for offsets of command ranges in `raw`. */
  document: TextDocument;
}

export interface Source {
  model: DockerfileModel;
  stage: Stage;
  build: SdkBuild;
  ref: ImageRef;
  steps: Step[];
  /** The working directory at the end of the file. */
  workdir: string;
  /** Comment lines after the directives and before FROM, and after the last instruction. */
  header: string[];
  /** Comment lines right above FROM when global ARGs come first. */
  fromComments: string[];
  trailer: string[];
  /** The command the container starts, and the instructions that set it. */
  start: { words: string[]; entrypoint: DockerInstruction | null; cmd: DockerInstruction | null };
  /** Distribution packages installed by RUNs, in order. */
  packages: string[];
  /** ARGs before FROM, as written, with their comments. */
  globalArgs: { raw: string; comments: string[] }[];
}

/** Base images whose WORKDIR is not `/`: relative paths before the first WORKDIR resolve there. */
const IMAGE_WORKDIRS: Record<string, string> = { golang: '/go' };

/** Keywords that describe how the container runs: they go to the runtime stage only. */
export const RUNTIME_KEYWORDS = new Set(['EXPOSE', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT', 'MAINTAINER']);

function lineOf(model: DockerfileModel, line: number): string {
  return model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
}

/** Reads a single-stage file, or says why it is not one the converter can follow with confidence. */
export function readSource(model: DockerfileModel, build: SdkBuild): Source | Declined {
  if (model.stages.length !== 1) return decline('the build runs in a chain of stages (FROM another stage of this file), which the converter does not rewrite');
  const stage = model.stages[0];
  const ref = stage.base.ref;
  if (!ref || stage.base.resolved === null) return decline(`the base image \`${stage.base.text}\` depends on a build argument without a default, so the runtime image cannot be chosen`);
  // ONBUILD triggers and SHELL changes would have to be replayed in both stages: not attempted.
  const odd = stage.instructions.find((i) => i.keyword === 'ONBUILD' || i.keyword === 'SHELL');
  if (odd) return decline(`the Dockerfile uses ${odd.keyword}, which would have to be repeated in both stages`);

  const commentLines = new Map(model.comments.map((c) => [c.line, c] as const));
  const insideInstruction = new Set<number>();
  for (const i of model.instructions) for (let l = i.range.start.line + 1; l <= i.range.end.line; l++) insideInstruction.add(l);
  const commentsBetween = (from: number, to: number) => {
    const out: string[] = [];
    for (let l = from; l < to; l++) if (commentLines.has(l) && !insideInstruction.has(l)) out.push(lineOf(model, l).trim());
    return out;
  };
  const directivesEnd = model.directives.reduce((max, d) => Math.max(max, d.range.end.line + 1), 0);
  const firstLine = model.instructions[0].range.start.line;
  // With global ARGs, the comments above the first one head the file; those above FROM stay with it.
  const header = commentsBetween(directivesEnd, firstLine);

  const globalArgs: Source['globalArgs'] = [];
  let before = directivesEnd;
  for (const i of model.instructions.filter((x) => x.stage < 0)) {
    globalArgs.push({ raw: model.document.getText(i.range), comments: before === directivesEnd ? [] : commentsBetween(before, i.range.start.line) });
    before = i.range.end.line + 1;
  }
  const fromComments = globalArgs.length > 0 ? commentsBetween(before, stage.from.range.start.line) : [];
  const steps: Step[] = [];
  let workdir = IMAGE_WORKDIRS[ref.name] && ref.registry === null ? IMAGE_WORKDIRS[ref.name] : '/';
  let user = false;
  let previousEnd = stage.from.range.end.line + 1;
  const packages: string[] = [];
  for (const instruction of stage.instructions.slice(1)) {
    const comments = commentsBetween(previousEnd, instruction.range.start.line);
    previousEnd = instruction.range.end.line + 1;
    if (instruction.keyword === 'WORKDIR') {
      const value = expandVariables(instruction.args.trim().replace(/^["']|["']$/g, ''), stage.variables);
      if (value === null || value === '') return decline(`the WORKDIR \`${instruction.args.trim()}\` depends on a build argument without a default`);
      workdir = posix.resolve(workdir, value);
    }
    const afterUser = user;
    if (instruction.keyword === 'USER') user = !/^(root|0)(:.*)?$/.test(instruction.args.trim());
    const commands = instruction.keyword === 'RUN' ? shellOf(model, instruction).commands : [];
    for (const command of commands) {
      const op = packageOperation(command);
      if (op?.action === 'install') packages.push(...op.packages);
    }
    steps.push({
      instruction,
      raw: model.document.getText(instruction.range),
      comments,
      workdir,
      afterUser,
      commands,
      kinds: commands.map(classifyCommand),
      document: model.document,
    });
  }
  const trailer = commentsBetween(previousEnd, model.document.lineCount);
  const last = (keyword: string) => [...stage.instructions].reverse().find((i) => i.keyword === keyword) ?? null;
  const entrypoint = last('ENTRYPOINT');
  const cmd = last('CMD');
  const words = [...(entrypoint ? startWordsOf(model, entrypoint) : []), ...(cmd ? startWordsOf(model, cmd) : [])];
  if (words.length === 0) return decline('the image sets no CMD or ENTRYPOINT, so what runs in it is decided elsewhere (a Compose file, `docker run`) and may need the toolchain');
  return { model, stage, build, ref, steps, workdir, header, fromComments, trailer, start: { words, entrypoint, cmd }, packages, globalArgs };
}

/** The words of a CMD or ENTRYPOINT; a shell form counts only when it is one plain command. */
function startWordsOf(model: DockerfileModel, instruction: DockerInstruction): string[] {
  if (instruction.json) return instruction.json;
  const simple = simpleShellWords(model, instruction);
  return simple ?? instruction.args.trim().split(/\s+/);
}

/**
 * The words of a shell-form CMD/ENTRYPOINT that is a single plain command (no expansion, glob,
 * redirection or list), so that it can become an exec form; null otherwise.
 */
export function simpleShellWords(model: DockerfileModel, instruction: DockerInstruction): string[] | null {
  if (instruction.json) return instruction.json;
  if (/[$`*?|;&<>(){}]/.test(instruction.args)) return null;
  const script = shellOf(model, instruction);
  if (script.hasErrors || script.commands.length !== 1) return null;
  const [command] = script.commands;
  if (command.assignments.length > 0 || command.words.some((w) => w.value === null)) return null;
  return command.words.map((w) => w.value!);
}

/** A JSON exec form, written the way Docker's documentation writes it. */
export function execForm(words: string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** The steps whose commands an ecosystem classifies, with the matching command. */
export function commandsOf(source: Source, test: (kind: EcosystemCommand, command: ShellCommand) => boolean): { step: Step; command: ShellCommand; kind: EcosystemCommand }[] {
  const out: { step: Step; command: ShellCommand; kind: EcosystemCommand }[] = [];
  for (const step of source.steps) {
    step.commands.forEach((command, i) => {
      const kind = step.kinds[i];
      if (kind && test(kind, command)) out.push({ step, command, kind });
    });
  }
  return out;
}

/**
 * Packages only a build needs: compilers, headers, build systems, version control. `curl` and
 * `wget` count as build tools unless `keepHttpClients` (an image with a shell may be probed with
 * them from outside the Dockerfile, by a Compose healthcheck).
 */
export function isBuildPackage(name: string, keepHttpClients = false): boolean {
  const bare = name.replace(/[=:].*$/, '');
  if (keepHttpClients && (bare === 'curl' || bare === 'wget')) return false;
  return isCompilerPackage(bare) || toolchainPackage(bare) !== null || /-dev$|-devel$|-headers$/.test(bare) ||
    /^(make|cmake|ninja-build|pkg-config|pkgconf|pkgconfig|autoconf|automake|libtool|git|gnupg|curl|wget|unzip|xz-utils|software-properties-common|python3-dev|binutils|bison|flex|patch|file|sudo|apt-transport-https|gnupg2|lsb-release)$/.test(bare) ||
    bare.startsWith('.') || /^linux-headers/.test(bare);
}

/**
 * Where COPY/ADD put sources from the build context: absolute paths, a directory when the
 * destination is one (`.`, a trailing `/`, several sources, a directory source). Null when a
 * path depends on a variable.
 */
export function contextDestinations(source: Source): { path: string; directory: boolean }[] | null {
  const out: { path: string; directory: boolean }[] = [];
  for (const step of source.steps) {
    const copy = contextCopy(source.model, step.instruction);
    if (!copy) {
      if ((step.instruction.keyword === 'COPY' || step.instruction.keyword === 'ADD') && !step.instruction.flags.some((f) => f.name === 'from')) return null;
      continue;
    }
    const dest = copy.dest.value;
    if (dest === null || copy.sources.some((s) => s.value === null)) return null;
    const sources = copy.sources.map((s) => s.value!);
    const directory = dest.endsWith('/') || dest === '.' || sources.length > 1 || sources.some((s) => s === '.' || s === './' || s.endsWith('/') || /[*?]/.test(s) || !/\.[A-Za-z0-9]+$/.test(s));
    out.push({ path: posix.resolve(step.workdir, dest), directory });
  }
  return out;
}

/** Paths that are the image's own system: copying them from the build stage would copy the SDK. */
const SYSTEM = /^\/$|^\/usr(\/local)?\/?$|^\/(etc|bin|sbin|lib\w*|proc|sys|tmp|var\/lib|usr\/(local\/)?(bin|sbin|lib\w*|share|include))(\/|$)/;

/**
 * The application of an interpreted language: every place the build context was copied to,
 * outermost first, nested ones left out; null when a copy lands in the system (or in `own`,
 * where the converter puts the dependencies) or none is known.
 */
export function applicationPaths(source: Source, own: string[]): string[] | null {
  const destinations = contextDestinations(source);
  if (!destinations || destinations.length === 0) return null;
  if (destinations.some((d) => SYSTEM.test(d.path) || own.some((o) => d.path === o || d.path.startsWith(`${o}/`)))) return null;
  const paths = [...new Set(destinations.map((d) => d.path))].sort((a, b) => a.length - b.length);
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(`${q}/`)));
}
