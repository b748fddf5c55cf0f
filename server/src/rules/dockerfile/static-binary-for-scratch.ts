import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { optionValue, positionals, shellOf, type ShellCommand } from '../../dockerfile/shell';
import { packageState, rootStage } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';
import { expandVariables } from '../../text/variables';

/** Final images with no C library: `scratch`, distroless `static` and Chainguard's `static`. */
function hasNoLibc(stage: Stage): string | null {
  const base = stage.base;
  if (base.scratch) return 'scratch';
  const repo = base.ref?.repository.toLowerCase() ?? '';
  if (/(?:^|\/)distroless\/static(?:-|$)/.test(repo) || repo === 'chainguard/static') return base.resolved ?? base.text;
  return null;
}

/** The stage a `COPY --from=` names (by name or index, earlier in the file), or null for an image. */
function sourceStage(dockerfile: DockerfileModel, copy: DockerInstruction): Stage | null {
  const from = copy.flags.find((f) => f.name === 'from')?.value;
  if (!from) return null;
  const index = /^\d+$/.test(from) ? Number(from) : dockerfile.stages.findIndex((s) => s.name?.toLowerCase() === from.toLowerCase());
  return index >= 0 && index < copy.stage ? dockerfile.stages[index] : null;
}

/** `export CGO_ENABLED=0` earlier in the RUN (shell.ts lists commands, not `export` declarations). */
function exportedInRun(instruction: DockerInstruction, name: string): string | undefined {
  const m = new RegExp(`\\bexport\\s+(?:[A-Za-z_]\\w*=\\S*\\s+)*${name}=["']?(\\w*)`).exec(instruction.args);
  return m ? m[1] : undefined;
}

/** A `go build` of a stage's chain, with what was in effect when it ran. */
interface GoBuild {
  instruction: DockerInstruction;
  command: ShellCommand;
  /** CGO_ENABLED from ENV/ARG before the RUN: undefined when unset, null when left to a build argument. */
  cgo: string | null | undefined;
  /** The `-o` output as an absolute path, or null when there is none. */
  output: string | null;
}

/**
 * The go builds of a stage and the stages it is built FROM, in build order, walking the
 * instructions once to track WORKDIR and CGO_ENABLED as they change.
 */
function goBuilds(dockerfile: DockerfileModel, stage: Stage): GoBuild[] {
  const builds: GoBuild[] = [];
  let dir = '/';
  let cgo: string | null | undefined;
  for (const s of [...stageAncestry(dockerfile, stage)].reverse()) {
    for (const instruction of s.instructions) {
      if (instruction.keyword === 'WORKDIR') {
        const value = expandVariables(instruction.args.trim(), s.variables) ?? instruction.args.trim();
        dir = absolute(dir, value);
      } else if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
        const node = instruction.ast as unknown as { getProperties?(): { getName(): string; getValue(): string | null }[] };
        for (const p of node.getProperties?.() ?? []) if (p.getName() === 'CGO_ENABLED') cgo = p.getValue();
      } else if (instruction.keyword === 'RUN') {
        for (const command of shellOf(dockerfile, instruction).commands) {
          if (command.program !== 'go' || positionals(command)[0]?.value !== 'build') continue;
          const output = optionValue(command, '-o');
          builds.push({ instruction, command, cgo, output: output ? absolute(dir, output) : null });
        }
      }
    }
  }
  return builds;
}

/** True when a go build produces a binary that needs no C library. */
function buildsStatic(build: GoBuild, compilerFree: boolean): boolean {
  const { command, instruction } = build;
  const assigned = command.assignments.find((a) => a.name === 'CGO_ENABLED');
  const cgo = assigned ? assigned.value : exportedInRun(instruction, 'CGO_ENABLED') ?? build.cgo;
  // A value only known at build time (`ARG CGO_ENABLED`, `CGO_ENABLED=$X`) is not ours to judge.
  if (cgo === '0' || cgo === null) return true;
  // Linking statically or using Go's own resolver also gives a binary that runs without libc.
  if (command.args.some((a) => /-extldflags/.test(a.text) && /-static\b/.test(a.text))) return true;
  const tags = optionValue(command, '-tags', '--tags');
  if (tags && /\bnetgo\b/.test(tags)) return true;
  if (cgo !== undefined) return false;
  return compilerFree;
}

/**
 * Since Go 1.20, cgo is off when no C compiler is installed, as in the golang Alpine images: true
 * for such an image (Go 1.20 or later, or no version in the tag) whose chain installs no compiler.
 */
function compilerFreeGo(dockerfile: DockerfileModel, stage: Stage): boolean {
  const chain = stageAncestry(dockerfile, stage);
  const root = chain[chain.length - 1].base;
  if (root.ref?.name !== 'golang' || distroOf(root.ref) !== 'alpine') return false;
  const version = /^(\d+)\.(\d+)/.exec(root.ref.tag ?? '');
  const recent = !version || Number(version[1]) > 1 || Number(version[2]) >= 20;
  return recent && !['gcc', 'build-base', 'clang', 'musl-dev'].some((p) => packageState(dockerfile, [...chain].reverse(), p) === 'installed');
}

function absolute(dir: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${dir.replace(/\/$/, '')}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The paths a final image copies from one stage; `everything` for `/`, globs and variables. */
interface Copied {
  paths: Set<string>;
  everything: boolean;
}

/** True when the output, or a directory holding it, is among the copied paths. */
function copiesOutput(copied: Copied, output: string): boolean {
  if (copied.everything) return true;
  for (let path = output; path !== '/' && path !== ''; path = path.slice(0, path.lastIndexOf('/')) || '/') {
    if (copied.paths.has(path)) return true;
  }
  return false;
}

interface Problem {
  instruction: DockerInstruction;
  command: ShellCommand;
  range: Range;
  image: string;
  builder: string;
}

function problems(dockerfile: DockerfileModel, final: Stage | undefined): Problem[] {
  if (!final) return [];
  const chain = stageAncestry(dockerfile, final);
  const image = hasNoLibc(chain[chain.length - 1]);
  if (!image) return [];
  const copies = chain.flatMap((s) => s.instructions.filter((i) => i.keyword === 'COPY'));
  // Copying a C library next to the binary is the other way to make it start.
  if (copies.some((c) => c.ast.getArguments().some((a) => /(?:^|\/)(?:lib|lib64|usr\/lib)(?:\/|$)|ld-(?:linux|musl)/.test(a.getValue())))) return [];
  const copiedFrom = new Map<Stage, Copied>();
  for (const copy of copies) {
    const source = sourceStage(dockerfile, copy);
    if (!source) continue;
    const copied = copiedFrom.get(source) ?? { paths: new Set<string>(), everything: false };
    copiedFrom.set(source, copied);
    for (const arg of copy.ast.getArguments().slice(0, -1)) {
      const path = arg.getValue();
      // Certificates, time zones and passwd files are data, not the binary.
      if (/^\/(?:etc|usr\/share)\//.test(path)) continue;
      if (/[*?[$]/.test(path)) copied.everything = true;
      else copied.paths.add(absolute('/', path));
      if (absolute('/', path) === '/') copied.everything = true;
    }
  }
  const found: Problem[] = [];
  const seen = new Set<ShellCommand>();
  for (const [source, copied] of copiedFrom) {
    if (!copied.everything && copied.paths.size === 0) continue;
    const compilerFree = compilerFreeGo(dockerfile, source);
    const root = rootStage(dockerfile, source).base;
    for (const build of goBuilds(dockerfile, source)) {
      if (seen.has(build.command) || buildsStatic(build, compilerFree)) continue;
      if (build.output ? !copiesOutput(copied, build.output) : positionals(build.command).some((w) => w.value?.includes('...'))) continue;
      seen.add(build.command);
      const verb = positionals(build.command)[0];
      found.push({
        instruction: build.instruction,
        command: build.command,
        range: { start: build.command.words[0].range.start, end: verb.range.end },
        image,
        builder: root.resolved ?? root.text,
      });
    }
  }
  return found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * With cgo enabled (Go's default wherever a C compiler is installed, as in the Debian-based golang
 * images), a Go binary that uses `net` or `os/user` links the C library dynamically. `scratch`
 * and distroless `static` have no C library, so the binary fails with "no such file or directory".
 */
export default dockerfileRule({
  id: 'static-binary-for-scratch',
  aliases: [],
  title: 'Build Go binaries for scratch images with CGO_ENABLED=0',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    for (const problem of problems(dockerfile, shippedStage({ dockerfile, path, files }))) {
      report({
        range: problem.range,
        message: `This \`go build\` keeps cgo enabled (the default in \`${problem.builder}\`), so the binary it copies into \`${problem.image}\` may need a C library that image does not have and fail to start; build it with \`CGO_ENABLED=0\`.`,
        data: { image: problem.image },
      });
    }
  },
  fix(finding, dockerfile, context) {
    const problem = problems(dockerfile, shippedStage({ dockerfile, ...context })).find((p) => p.range.start.line === finding.range.start.line && p.range.start.character === finding.range.start.character);
    if (!problem || problem.instruction.execForm || problem.command.nested) return undefined;
    // An explicit CGO_ENABLED=1 says the code needs cgo: that is for the author to resolve.
    if (problem.command.assignments.some((a) => a.name === 'CGO_ENABLED')) return undefined;
    const at = problem.command.range.start;
    return {
      title: 'Build with CGO_ENABLED=0',
      edits: [{ range: { start: at, end: at }, newText: 'CGO_ENABLED=0 ' }],
      // Code that really uses C (sqlite3, say) no longer builds without cgo.
      safe: false,
    };
  },
});
