import type { Range, TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { hasOption, shellOf, type ShellCommand } from '../../dockerfile/shell';
import { rootStage } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';

/** Architecture names as Docker (GOARCH) spells them, from the spellings found in the wild. */
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', amd64: 'amd64', x64: 'amd64', aarch64: 'arm64', arm64: 'arm64' };
const OSES = new Set(['linux', 'windows', 'darwin', 'freebsd']);
const ARCHES = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64']);

/** An architecture written in a URL: `…-linux-amd64.tar.gz`, `/x86_64/`, `_aarch64.deb`. */
const ARCH_IN_URL = /(?:^|[^a-z0-9])(x86_64|x86-64|amd64|aarch64|arm64|x64)(?=[^a-z0-9]|$)/i;

/** Docker Hub namespaces that hold one architecture's build of the official images. */
const ARCH_NAMESPACE = /^(?:amd64|arm64v8|arm32v[567]|i386|ppc64le|s390x|riscv64|mips64le)\//;
const ARCH_TAG = /(?:^|[-_.])(?:amd64|arm64v8|arm64|arm32v[567]|x86_64|aarch64)(?:$|[-_.])/i;

/** `os/arch[/variant]` or a lone os or arch, the way BuildKit's platform parser reads it; null if it is neither. */
function parsePlatform(value: string): { os: string | null; arch: string | null } | null {
  const parts = value.toLowerCase().split('/');
  if (parts.length === 1) {
    const arch = ARCH_ALIASES[parts[0]] ?? parts[0];
    if (OSES.has(parts[0])) return { os: parts[0], arch: null };
    return ARCHES.has(arch) ? { os: null, arch } : null;
  }
  if (parts.length > 3 || !OSES.has(parts[0])) return null;
  const arch = ARCH_ALIASES[parts[1]] ?? parts[1];
  return ARCHES.has(arch) ? { os: parts[0], arch } : null;
}

/** The range of the value of a `--platform=value` flag of a FROM. */
function platformValueRange(stage: Stage): Range | null {
  const from = stage.from.ast as unknown as { getFlags?(): { getName(): string; getValueRange(): Range | null }[] };
  const flag = from.getFlags?.().find((f) => f.getName().toLowerCase() === 'platform');
  return flag?.getValueRange() ?? null;
}

/**
 * A constant `--platform` BuildKit would report (FromPlatformFlagConstDisallowed): no variable in
 * it, a platform it can parse, and a stage name that does not mention its OS or architecture
 * (`FROM --platform=linux/arm64 … AS build-arm64` is one branch of a per-architecture build).
 */
function constantPlatform(stage: Stage): string | null {
  const value = stage.base.platform;
  if (!value || value.includes('$')) return null;
  const platform = parsePlatform(value);
  if (!platform) return null;
  const name = stage.name?.toLowerCase() ?? '';
  if (name && ((platform.os && name.includes(platform.os)) || (platform.arch && name.includes(platform.arch)))) return null;
  return value;
}

type Kind = 'platform' | 'buildplatform' | 'goarch' | 'url';

interface Problem {
  kind: Kind;
  stage: Stage;
  range: Range;
  value: string;
  instruction: DockerInstruction;
  /** For `GOARCH=amd64 go build`: the command, so the fix can rewrite GOOS next to it. */
  command?: ShellCommand;
  /** For `ENV GOARCH=amd64`: where the value is. */
  valueRange?: Range;
}

/** True when a RUN works out the architecture itself (uname -m, dpkg --print-architecture, TARGETARCH…). */
function detectsArch(dockerfile: DockerfileModel, instruction: DockerInstruction): boolean {
  if (/\$\{?(?:TARGET|BUILD)(?:ARCH|PLATFORM|VARIANT)\b/.test(instruction.args)) return true;
  return shellOf(dockerfile, instruction).commands.some((c) => {
    switch (c.program) {
      case 'uname':
        return hasOption(c, '-m', '-p', '-i', '--machine', '-a');
      case 'arch':
        return true;
      case 'dpkg':
        return hasOption(c, '--print-architecture');
      case 'apk':
        return hasOption(c, '--print-arch');
      case 'rpm':
        return c.args.some((a) => a.value?.includes('_arch') ?? false);
      default:
        return false;
    }
  });
}

/** Architectures named literally by the download URLs of an instruction: two or more means it picks per architecture. */
function urlArches(urls: { text: string }[]): Set<string> {
  return new Set(urls.flatMap((u) => {
    const m = ARCH_IN_URL.exec(u.text);
    return m ? [ARCH_ALIASES[m[1].toLowerCase()]] : [];
  }));
}

function isUrl(text: string): boolean {
  return /^["']?(?:https?|ftp):\/\//i.test(text);
}

/**
 * `export GOARCH=amd64` in a RUN, with the range of `GOARCH=amd64` (shell.ts lists commands, not
 * `export` declarations, so the declaration is found in the instruction's own text).
 */
function exportedGoarch(dockerfile: DockerfileModel, instruction: DockerInstruction): { value: string; range: Range } | null {
  const document = dockerfile.document;
  const text = document.getText(instruction.range);
  const m = /\bexport\s+(?:[A-Za-z_]\w*=\S*\s+)*(GOARCH=["']?([\w$]*)["']?)/.exec(text);
  if (!m) return null;
  const start = document.offsetAt(instruction.range.start) + m.index + m[0].length - m[1].length;
  return { value: m[2], range: { start: document.positionAt(start), end: document.positionAt(start + m[1].length) } };
}

/**
 * The stages whose filesystem becomes the image that runs: the stage that ships and the stages it
 * is built FROM, when the image starts a program (a stage without CMD or ENTRYPOINT that only
 * validates or exports files is not run anywhere).
 */
function runtimeChain(dockerfile: DockerfileModel, final: Stage | undefined): Stage[] {
  if (!final) return [];
  const chain = stageAncestry(dockerfile, final);
  const root = chain[chain.length - 1].base;
  if (root.scratch) return [];
  return chain.some((s) => s.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'EXPOSE')) ? chain : [];
}

function problems(dockerfile: DockerfileModel, final: Stage | undefined): Problem[] {
  const found: Problem[] = [];
  const runtime = new Set(runtimeChain(dockerfile, final));
  for (const stage of dockerfile.stages) {
    const root = rootStage(dockerfile, stage).base;
    // Windows images are built per OS version and architecture anyway.
    if (distroOf(root.ref, root.scratch) === 'windows') continue;
    const constant = constantPlatform(stage);
    // Docker Hub's per-architecture namespaces (`amd64/debian`, `arm64v8/alpine`) and
    // per-architecture tags (`aspnet:10.0-noble-amd64`) pin the platform as the flag does.
    const archImage = root.ref !== null && (ARCH_NAMESPACE.test(root.ref.repository) || ARCH_TAG.test(root.ref.tag ?? ''));
    const pinned = archImage || Boolean(stage.base.platform && !stage.base.platform.includes('$'));
    const valueRange = platformValueRange(stage);
    if (constant && valueRange) found.push({ kind: 'platform', stage, range: valueRange, value: `--platform=${constant}`, instruction: stage.from });
    // $BUILDPLATFORM is for stages that cross-compile; on the image that runs it ships the builder's binaries.
    if (valueRange && runtime.has(stage) && /\$\{?BUILDPLATFORM\b/.test(stage.base.platform ?? '')) {
      found.push({ kind: 'buildplatform', stage, range: valueRange, value: `--platform=${stage.base.platform}`, instruction: stage.from });
    }
    // A stage pinned to one platform may name that platform's binaries: the pin is what is reported.
    if (pinned) continue;

    // Several different GOARCH values in one stage is a deliberate build for each architecture.
    const goarch: Problem[] = [];
    const values = new Set<string>();
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ENV') {
        const node = instruction.ast as unknown as { getProperties?(): { getName(): string; getValue(): string | null; getNameRange(): Range; getValueRange(): Range | null }[] };
        for (const p of node.getProperties?.() ?? []) {
          const value = p.getValue();
          if (p.getName() !== 'GOARCH' || !value || value.includes('$')) continue;
          values.add(value);
          const end = p.getValueRange()?.end ?? p.getNameRange().end;
          goarch.push({ kind: 'goarch', stage, range: { start: p.getNameRange().start, end }, value: `GOARCH=${value}`, instruction, valueRange: p.getValueRange() ?? undefined });
        }
      }
      if (instruction.keyword !== 'RUN') continue;
      // A RUN that works out the architecture (`case "$(dpkg --print-architecture)" in amd64) …`) picks per architecture.
      if (detectsArch(dockerfile, instruction)) continue;
      const exported = exportedGoarch(dockerfile, instruction);
      if (exported && exported.value && !exported.value.includes('$')) {
        values.add(exported.value);
        goarch.push({ kind: 'goarch', stage, range: exported.range, value: `GOARCH=${exported.value}`, instruction });
      }
      const commands = shellOf(dockerfile, instruction).commands;
      for (const command of commands) {
        for (const a of command.assignments) {
          if (a.name !== 'GOARCH' || a.value === null || a.value === '' || a.value.includes('$')) continue;
          values.add(a.value);
          goarch.push({ kind: 'goarch', stage, range: a.range, value: `GOARCH=${a.value}`, instruction, command });
        }
      }
      const urls = commands
        .filter((c) => c.program === 'curl' || c.program === 'wget')
        .flatMap((c) => c.args.filter((a) => isUrl(a.text) && ARCH_IN_URL.test(a.text)));
      if (urlArches(urls).size === 1) {
        for (const url of urls) found.push({ kind: 'url', stage, range: url.range, value: ARCH_IN_URL.exec(url.text)![1], instruction });
      }
    }
    if (values.size === 1) found.push(...goarch);

    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'ADD') continue;
      const args = instruction.ast.getArguments();
      const sources = args.slice(0, -1).filter((a) => isUrl(a.getValue()) && ARCH_IN_URL.test(a.getValue()));
      if (urlArches(sources.map((a) => ({ text: a.getValue() }))).size !== 1 || /\$\{?(?:TARGET|BUILD)ARCH\b/.test(instruction.args)) continue;
      for (const source of sources) found.push({ kind: 'url', stage, range: source.getRange(), value: ARCH_IN_URL.exec(source.getValue())![1], instruction });
    }
  }
  return found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * `docker buildx build --platform linux/amd64,linux/arm64` builds every stage once per target.
 * A constant `--platform`, a hard-coded `GOARCH` or a download URL naming one architecture makes
 * every variant the same architecture: the arm64 image then holds amd64 binaries and fails with
 * "exec format error". See https://docs.docker.com/build/building/multi-platform/.
 */
export default dockerfileRule({
  id: 'multi-arch-ready',
  aliases: ['FromPlatformFlagConstDisallowed', 'DL3029', 'b16e8501-ef3c-44e1-a543-a093238099c9'],
  title: 'Keep the Dockerfile buildable for several platforms',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    for (const problem of problems(dockerfile, shippedStage({ dockerfile, path, files }))) {
      const message = problem.kind === 'platform'
        ? `\`${problem.value}\` pins this stage to one platform, so a multi-platform build (\`docker buildx build --platform linux/amd64,linux/arm64\`) produces it for that platform every time; drop the flag, or use \`$BUILDPLATFORM\` on a stage that cross-compiles.`
        : problem.kind === 'buildplatform'
          ? `\`${problem.value}\` builds this stage for the machine running the build, and it ends up in the final image, so every image of a multi-platform build holds the builder's binaries; remove the flag here and keep \`$BUILDPLATFORM\` for stages whose output is copied.`
          : problem.kind === 'goarch'
          ? `\`${problem.value}\` compiles for one architecture whatever platform is being built, so the other images of a multi-platform build get binaries that fail with "exec format error"; use \`GOARCH=$TARGETARCH\` after \`ARG TARGETARCH\`.`
          : `This download URL hard-codes \`${problem.value}\`, so on any other architecture the build fetches a binary that cannot run there; build the URL from \`TARGETARCH\` (after \`ARG TARGETARCH\`) or pick it per architecture.`;
      report({ range: problem.range, message, data: { kind: problem.kind } });
    }
  },
  fix(finding, dockerfile, context) {
    const final = shippedStage({ dockerfile, ...context });
    const problem = problems(dockerfile, final).find((p) => p.range.start.line === finding.range.start.line && p.range.start.character === finding.range.start.character);
    if (!problem || problem.kind === 'url') return undefined;
    if (problem.kind === 'platform') return fixPlatform(dockerfile, problem, final);
    if (problem.kind === 'buildplatform') return removePlatform(dockerfile, problem, 'Remove `--platform` from a stage of the final image');
    return fixGoarch(dockerfile, problem, final);
  },
});

/** True when a later stage copies from this one and it is not part of what the shipped image is built FROM. */
function isBuildStage(dockerfile: DockerfileModel, stage: Stage, final: Stage | undefined): boolean {
  if (!final || stageAncestry(dockerfile, final).includes(stage)) return false;
  const names = new Set([String(stage.index), stage.name?.toLowerCase()].filter(Boolean));
  return dockerfile.instructions.some((i) => i.stage > stage.index && i.flags.some((f) => f.name === 'from' && f.value !== null && names.has(f.value.toLowerCase())));
}

function fixPlatform(dockerfile: DockerfileModel, problem: Problem, final: Stage | undefined) {
  const flag = problem.stage.from.flags.find((f) => f.name === 'platform');
  if (!flag) return undefined;
  if (isBuildStage(dockerfile, problem.stage, final)) {
    return {
      title: 'Build this stage on the build platform (`$BUILDPLATFORM`)',
      edits: [{ range: problem.range, newText: '$BUILDPLATFORM' }],
      safe: false,
    };
  }
  return removePlatform(dockerfile, problem, 'Remove the constant `--platform` flag');
}

/** Removes a FROM's `--platform` flag and the blank that follows it. */
function removePlatform(dockerfile: DockerfileModel, problem: Problem, title: string) {
  const flag = problem.stage.from.flags.find((f) => f.name === 'platform');
  if (!flag) return undefined;
  const line = dockerfile.document.getText({ start: flag.range.end, end: { line: flag.range.end.line + 1, character: 0 } });
  const blanks = /^[ \t]*/.exec(line)![0].length;
  return {
    title,
    edits: [{ range: { start: flag.range.start, end: { line: flag.range.end.line, character: flag.range.end.character + blanks } }, newText: '' }],
    safe: false,
  };
}

function fixGoarch(dockerfile: DockerfileModel, problem: Problem, final: Stage | undefined) {
  const stage = problem.stage;
  const edits: TextEdit[] = [];
  if (problem.command) {
    const goarch = problem.command.assignments.find((a) => a.name === 'GOARCH')!;
    edits.push({ range: goarch.range, newText: 'GOARCH=$TARGETARCH' });
    const goos = problem.command.assignments.find((a) => a.name === 'GOOS');
    if (goos?.value === 'linux') edits.push({ range: goos.range, newText: 'GOOS=$TARGETOS' });
  } else if (problem.valueRange) {
    edits.push({ range: problem.valueRange, newText: '$TARGETARCH' });
  } else {
    return undefined;
  }
  // The automatic platform ARGs have to be declared in the stage before they can be used.
  const declared = new Set(stage.instructions.filter((i) => i.keyword === 'ARG' && dockerfile.instructions.indexOf(i) < dockerfile.instructions.indexOf(problem.instruction))
    .flatMap((i) => (i.ast as unknown as { getProperties?(): { getName(): string }[] }).getProperties?.().map((p) => p.getName()) ?? []));
  const needed = ['TARGETOS', 'TARGETARCH'].filter((n) => !declared.has(n) && (n === 'TARGETARCH' || edits.some((e) => e.newText.includes('$TARGETOS'))));
  if (needed.length > 0) {
    // The GOARCH being fixed comes after the FROM, so the line after the FROM exists.
    const at = { line: stage.from.range.end.line + 1, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: `ARG ${needed.join(' ')}\n` });
  }
  // A build stage that cross-compiles runs natively on the builder: much faster than emulation.
  const flag = stage.from.flags.find((f) => f.name === 'platform');
  if (!flag && isBuildStage(dockerfile, stage, final)) {
    const image = stage.base.range.start;
    edits.push({ range: { start: image, end: image }, newText: '--platform=$BUILDPLATFORM ' });
  }
  return { title: 'Compile for the target platform (`GOARCH=$TARGETARCH`)', edits, safe: false };
}
