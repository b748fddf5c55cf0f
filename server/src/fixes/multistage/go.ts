import { posix } from 'node:path';
import { hasOption, optionValue, type ShellCommand } from '../../dockerfile/shell';
import { parseImageRef } from '../../text/image';
import { crossCompile, withCacheMounts, type Converter } from './conversion';
import { commandsOf, isBuildPackage, type Step } from './source';

/**
 * Go: the binary is built with CGO_ENABLED=0, so it needs no libc and runs on a distroless static
 * image (CA certificates, tzdata and a `nonroot` user, no shell). `go build` cross-compiles from
 * the build machine's platform for each TARGETOS/TARGETARCH; `go install` cannot install a
 * cross-compiled binary on the PATH, so it builds on the target platform instead.
 */

const RUNTIME_IMAGE = 'gcr.io/distroless/static-debian12:nonroot';
const CACHES = ['/go/pkg/mod', '/root/.cache/go-build'];

interface GoBuild {
  step: Step;
  command: ShellCommand;
  install: boolean;
  /** Absolute path of the binary, or null for `go install` (named after the package). */
  output: string | null;
}

export const convertGo: Converter = (source) => {
  const builds: GoBuild[] = [];
  for (const { step, command } of commandsOf(source, (k) => k.ecosystem === 'go' && k.builds && !k.installsPackages)) {
    // A `cd` in the same RUN moves the build somewhere this cannot follow.
    if (step.commands.some((c) => c.program === 'cd')) return null;
    const install = command.args.some((a) => a.value === 'install');
    const output = optionValue(command, '-o');
    if (!install && (output === undefined || output === null)) return null;
    builds.push({ step, command, install, output: output ? posix.resolve(step.workdir, output) : null });
  }
  if (builds.length === 0) return null;
  // cgo needs the C library at run time: a static image would not start the binary.
  const cgo = (c: ShellCommand) => c.assignments.some((a) => a.name === 'CGO_ENABLED' && a.value !== '0');
  if (builds.some((b) => cgo(b.command)) || source.stage.variables.get('CGO_ENABLED') === '1') return null;
  if (source.packages.some((p) => !isBuildPackage(p) && !/^(ca-certificates|tzdata)$/.test(p))) return null;
  if (source.stage.variables.has('GOBIN')) return null;

  // The binary the container starts: a path relative to the final WORKDIR, or a name on the PATH.
  const program = source.start.words[0];
  const onPath = !program.includes('/');
  let from: string | null = null;
  for (const b of builds) {
    if (b.output !== null) {
      if (onPath ? posix.basename(b.output) === program && /^\/(usr\/(local\/)?)?s?bin$/.test(posix.dirname(b.output)) : posix.resolve(source.workdir, program) === b.output) from = b.output;
    } else if (onPath) {
      from = `/go/bin/${program}`;
    }
  }
  if (from === null) return null;
  const to = onPath ? `/usr/local/bin/${program}` : from;
  const cross = builds.every((b) => !b.install);
  const buildSteps = new Set(builds.map((b) => b.step));
  const downloads = new Set(source.steps.filter((s) => s.commands.length > 0 && s.kinds.every((k) => k?.ecosystem === 'go' && k.installsDependencies && !k.builds)));

  return {
    label: 'Go',
    typicalSize: '~850 MB SDK image → ~10–20 MB static binary image',
    ...crossCompile(cross, 'TARGETOS TARGETARCH'),
    ...(cross ? { targetEnv: /^(GOOS|GOARCH)$/ } : {}),
    rewriteRun(step) {
      if (!step.kinds.some((k) => k?.ecosystem === 'go')) return step.raw;
      const raw = buildSteps.has(step) ? staticBuild(step, builds.filter((b) => b.step === step), cross) : step.raw;
      if (raw === null) return null;
      return step.afterUser ? raw : withCacheMounts(raw, CACHES);
    },
    buildEpilogue: [],
    manifests: {
      files: ['go.mod', 'go.sum'],
      required: ['go.mod'],
      installs: downloads,
      prefetch: withCacheMounts('RUN go mod download', CACHES),
    },
    runtime: {
      image: RUNTIME_IMAGE,
      comment: ['Runtime: the static binary on distroless (CA certificates, tzdata, a nonroot user; no shell, no package manager).'],
      ref: parseImageRef(RUNTIME_IMAGE),
      distro: 'distroless',
      setup: [],
      env: [],
      artifacts: [{ from, to }],
      shellless: true,
      start: null,
      installTool: null,
      probeFacts: {},
    },
  };
};

/** The build RUN with the flags a static, reproducible, multi-arch binary needs. */
function staticBuild(step: Step, builds: GoBuild[], cross: boolean): string | null {
  const instr = step.instruction;
  const env = (command: ShellCommand | null) => {
    const has = (name: string) => command?.assignments.some((a) => a.name === name) ?? false;
    return [
      has('CGO_ENABLED') ? null : 'CGO_ENABLED=0',
      cross && !has('GOOS') ? 'GOOS=$TARGETOS' : null,
      cross && !has('GOARCH') ? 'GOARCH=$TARGETARCH' : null,
    ].filter((x): x is string => x !== null);
  };
  const flags = (command: ShellCommand | null, words: string[]) => [
    words.some((w) => w === '-trimpath') ? null : '-trimpath',
    words.some((w) => w.startsWith('-ldflags')) ? null : '-ldflags="-s -w"',
  ].filter((x): x is string => x !== null && (command === null || !hasOption(command, x)));
  if (instr.json) {
    // `RUN ["go", "build", …]` runs without a shell: written as a shell command to take the variables.
    const [go, sub, ...rest] = instr.json;
    if (go !== 'go') return null;
    const quoted = rest.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`));
    return `RUN ${[...env(null), go, sub, ...flags(null, rest), ...quoted].join(' ')}`;
  }
  const base = offsetIn(step, instr.range.start);
  const edits: { at: number; end: number; text: string }[] = [];
  for (const b of builds) {
    const command = b.command;
    for (const a of command.assignments) {
      if (!cross) continue;
      if (a.name === 'GOOS') edits.push({ at: offsetIn(step, a.range.start) - base, end: offsetIn(step, a.range.end) - base, text: 'GOOS=$TARGETOS' });
      if (a.name === 'GOARCH') edits.push({ at: offsetIn(step, a.range.start) - base, end: offsetIn(step, a.range.end) - base, text: 'GOARCH=$TARGETARCH' });
    }
    const prefix = env(command);
    const start = offsetIn(step, command.range.start) - base;
    if (prefix.length > 0) edits.push({ at: start, end: start, text: `${prefix.join(' ')} ` });
    const sub = command.args.find((a) => a.value === 'build' || a.value === 'install');
    const added = flags(command, command.args.map((a) => a.value ?? a.text));
    if (sub && added.length > 0) {
      const end = offsetIn(step, sub.range.end) - base;
      edits.push({ at: end, end, text: ` ${added.join(' ')}` });
    }
  }
  let raw = step.raw;
  for (const edit of edits.sort((a, b) => b.at - a.at)) raw = raw.slice(0, edit.at) + edit.text + raw.slice(edit.end);
  return raw;
}

/** A position's offset in the document of the step. */
function offsetIn(step: Step, position: { line: number; character: number }): number {
  return step.document.offsetAt(position);
}
