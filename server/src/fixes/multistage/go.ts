import { goNeedsSources } from '../../project/installInputs';
import { join, posix } from 'node:path';
import { hasOption, optionValue, type ShellCommand } from '../../dockerfile/shell';
import { parseImageRef } from '../../text/image';
import { crossCompile, decline, packageInstall, withCacheMounts, type Assumption, type ConversionContext, type Converter } from './conversion';
import { codeAccess } from './appFiles';
import { GO, copiedSources, scanSources, type SourceScan } from './sourceScan';
import { commandsOf, isBuildPackage, simpleShellWords, type Source, type Step } from './source';
import { runtimeLibraries } from './libraries';

/**
 * Go: the build stage keeps the toolchain; the runtime stage gets the binary and the files the
 * program reads. A binary built without cgo needs no C library and runs on distroless `static`
 * (CA certificates, tzdata and a `nonroot` user, no shell). cgo stays on unless the module graph
 * shows no package needs it; then the runtime is the build's own distribution, whose C library
 * the binary was linked against. `go build` cross-compiles from the build machine's platform for
 * each TARGETOS/TARGETARCH; `go install` cannot install a cross-compiled binary on the PATH, so it
 * builds on the target platform instead.
 */

const DISTROLESS = 'gcr.io/distroless/static-debian12:nonroot';
const CACHES = ['/go/pkg/mod', '/root/.cache/go-build'];

/**
 * Modules that use cgo: with CGO_ENABLED=0 they fail to build or build a stub that fails at run
 * time (go-sqlite3: "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work").
 */
const CGO_MODULES = [
  'github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go', 'github.com/DataDog/zstd', 'github.com/valyala/gozstd',
  'github.com/google/gopacket', 'github.com/tecbot/gorocksdb', 'github.com/linxGnu/grocksdb', 'github.com/libgit2/git2go', 'github.com/h2non/bimg',
  'github.com/davidbyttow/govips', 'gopkg.in/gographics/imagick', 'github.com/go-gl/', 'github.com/mattn/go-oci8', 'github.com/godror/godror',
  'github.com/ibmdb/go_ibm_db', 'github.com/miekg/pkcs11', 'github.com/karalabe/hid', 'github.com/ethereum/go-ethereum', 'github.com/supranational/blst',
  'github.com/herumi/', 'fyne.io/fyne', 'gioui.org', 'github.com/go-vgo/robotgo', 'github.com/mattn/go-gtk', 'github.com/gotk3/gotk3',
  'github.com/veandco/go-sdl2', 'github.com/wasmerio/wasmer-go', 'github.com/bytecodealliance/wasmtime-go', 'github.com/pebbe/zmq4',
  'github.com/zeromq/goczmq', 'github.com/seccomp/libseccomp-golang', 'github.com/tensorflow/tensorflow', 'github.com/rakyll/portmidi',
  'github.com/gordonklaus/portaudio', 'github.com/xeodou/go-sqlcipher', 'github.com/mutecomm/go-sqlcipher', 'github.com/cockroachdb/c-', 'github.com/keybase/go-keychain',
  'github.com/marcboeker/go-duckdb', 'github.com/duckdb/duckdb-go', 'github.com/benbjohnson/clock/cgo', 'modernc.org/libc/cgo',
];

/** Frameworks that read folders by convention (`conf/app.conf`, `views/`): what they open is not in the code. */
const CONVENTION_FRAMEWORKS = ['github.com/beego/beego', 'github.com/astaxie/beego', 'github.com/revel/revel', 'github.com/gobuffalo/buffalo', 'github.com/gogf/gf', 'github.com/spf13/viper'];

/** What the Go build's own input is: sources, module files, tests, cgo and assembly sources. */
function goBuildInput(path: string): boolean {
  return /\.(?:go|c|h|s|S|proto)$/.test(path) || /(?:^|\/)(?:go\.(?:mod|sum|work|work\.sum)|\.golangci\.ya?ml)$/.test(path) || /(?:^|\/)(?:vendor|testdata)\//.test(path);
}

interface GoBuild {
  step: Step;
  command: ShellCommand;
  install: boolean;
  /** Absolute path of the binary, or null for `go install` (named after the package). */
  output: string | null;
}

/** The module path in go.mod (`module example.com/shop/api`), or null. */
function modulePath(goMod: string | null): string | null {
  return goMod ? /^\s*module\s+"?([^\s"]+)"?/m.exec(goMod)?.[1] ?? null : null;
}

/** How cgo is set for the build: by the build command, an ENV, or the toolchain's default. */
function cgoSetting(source: Source, builds: GoBuild[]): 'on' | 'off' | 'default' {
  const values = builds.map((b) => b.command.assignments.find((a) => a.name === 'CGO_ENABLED')?.value ?? source.stage.variables.get('CGO_ENABLED') ?? null);
  if (values.every((v) => v === '0')) return 'off';
  if (values.some((v) => v !== null && v !== '0')) return 'on';
  // The Alpine images have no C compiler: Go turns cgo off by default without one (Go 1.20+).
  if (source.ref.tag?.includes('alpine') && !source.packages.some((p) => /^(gcc|build-base|clang|musl-dev)(?:[=<>].*)?$/.test(p))) return 'off';
  return 'default';
}

/** Whether the program needs cgo, from its imports and its module graph; null when neither can be read. */
function needsCgo(context: ConversionContext): { needs: boolean; why: string } | null {
  const project = context.project;
  if (!project) return null;
  const goMods = project.tree.files.filter((f) => /(?:^|\/)go\.(?:mod|sum)$/.test(f));
  if (goMods.length === 0) return null;
  const graph = goMods.map((f) => context.files.read(join(project.tree.root, f)) ?? '').join('\n');
  const module = CGO_MODULES.find((m) => graph.includes(m));
  if (module) return { needs: true, why: `the module graph has \`${module.replace(/\/$/, '')}\`, which needs cgo` };
  const scan = scanSources(project.tree, context.files, GO, copiedSources(project));
  const cFile = [...scan.texts].find(([, text]) => /^\s*import\s+"C"\s*$/m.test(text) || /\bimport\s*\([^)]*"C"[^)]*\)/.test(text));
  if (cFile) return { needs: true, why: `${cFile[0]} imports "C"` };
  return { needs: false, why: 'no module in go.mod/go.sum is known to need cgo and no source file imports "C"' };
}

/** The Debian release or Alpine version a `golang` tag builds on, for a runtime with the same C library. */
function buildDistribution(tag: string): { distro: 'debian' | 'alpine'; image: string; named: boolean } {
  const alpine = /alpine(\d+\.\d+)?/.exec(tag);
  if (alpine) return { distro: 'alpine', image: `alpine:${alpine[1] ?? '3'}`, named: alpine[1] !== undefined };
  // A binary linked against an older glibc runs on a newer one: the newest release is safe when
  // the tag does not name its own.
  const named = /(bookworm|bullseye|buster|trixie)/.exec(tag)?.[1];
  return { distro: 'debian', image: `debian:${named ?? 'trixie'}-slim`, named: named !== undefined };
}

export const convertGo: Converter = (source, context) => {
  const builds: GoBuild[] = [];
  const classic = context.builder === 'classic';
  const goMod = context.project ? context.files.read(join(context.project.tree.root, 'go.mod')) : null;
  for (const { step, command } of commandsOf(source, (k) => k.ecosystem === 'go' && k.builds && !k.installsPackages)) {
    // A `cd` in the same RUN moves the build somewhere this cannot follow.
    if (step.commands.some((c) => c.program === 'cd')) return decline('the `go build` runs after a `cd` in the same RUN, so where its binary lands is not followed');
    const install = command.args.some((a) => a.value === 'install');
    let output = optionValue(command, '-o');
    if (!install && (output === undefined || output === null)) {
      // `go build` without `-o` names the binary after the package's folder (the module's last element at its root).
      const packages = command.args.filter((a) => a.value !== null && !a.value.startsWith('-') && a.value !== 'build');
      const module = packages.length === 0 || (packages.length === 1 && packages[0].value === '.') ? modulePath(goMod) : null;
      if (!module || step.workdir !== source.workdir) return decline('`go build` has no `-o`, and without the go.mod beside the Dockerfile the name of the binary it writes is not known');
      output = posix.basename(module);
    }
    builds.push({ step, command, install, output: output ? posix.resolve(step.workdir, output) : null });
  }
  if (builds.length === 0) return decline('no `go build` or `go install` of the application was found');
  if (source.stage.variables.has('GOBIN')) return decline('GOBIN moves where `go install` writes the binary, which is not followed');

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
  if (from === null) return decline(`the start command runs \`${program}\`, which is not the binary \`go build\` writes`);
  const to = onPath ? `/usr/local/bin/${program}` : from;

  // cgo: kept unless the original turned it off, or nothing in the program needs it.
  const assumptions: Assumption[] = [];
  const setting = cgoSetting(source, builds);
  const cgo = setting === 'off' ? { needs: false, why: '' } : setting === 'on' ? { needs: true, why: 'the build sets CGO_ENABLED' } : needsCgo(context);
  const distribution = buildDistribution(source.ref.tag ?? 'latest');
  // Packages the program may run (not compilers or headers), and the libraries its `-dev` packages were for.
  const runtimePackages = source.packages.filter((p) => !isBuildPackage(p) && !/^(ca-certificates|tzdata)$/.test(p));
  const libraries = cgo?.needs ? runtimeLibraries(source.packages, distribution.distro, 'go') : [];
  if (libraries === null) return decline('the build installs a `-dev` package whose runtime library is not known, and the cgo binary needs it');
  const needsShell = [source.start.entrypoint, source.start.cmd].some((i) => i && !i.json && simpleShellWords(source.model, i) === null) ||
    source.steps.some((s) => s.instruction.keyword === 'HEALTHCHECK' && /\bCMD\s+(?!\[)/i.test(s.instruction.args) && !/^\s*NONE\b/i.test(s.instruction.args));
  // distroless static when nothing needs a C library, a shell or packages; else the build's distribution.
  const static_ = cgo !== null && !cgo.needs && runtimePackages.length === 0 && !needsShell && !classic;
  if (cgo === null) assumptions.push({ text: 'cgo stays on as in the original: the project\'s go.mod could not be read to show that no package needs it, so the runtime has the C library the binary was linked against.', confirm: false });
  else if (cgo.needs && setting !== 'on') assumptions.push({ text: `cgo stays on: ${cgo.why}; the runtime is the build's distribution, for its C library.`, confirm: false });
  else if (!cgo.needs && setting === 'default') assumptions.push({ text: `CGO_ENABLED=0: ${cgo.why}, so the binary is static (the pure-Go DNS resolver and user lookup replace libc's).`, confirm: true });
  const cgoOff = cgo !== null && !cgo.needs;

  // Cross-compiling cgo needs a C cross-compiler: a cgo build runs on the target platform instead.
  const cross = builds.every((b) => !b.install) && !classic && cgoOff;
  const buildSteps = new Set(builds.map((b) => b.step));
  if (cross) {
    // A GOOS/GOARCH the original wrote out now follows the platform the image is built for.
    const fixed = [...new Set([
      ...builds.flatMap((b) => b.command.assignments.filter((a) => (a.name === 'GOOS' || a.name === 'GOARCH') && a.value !== null && !a.value.includes('$')).map((a) => `${a.name}=${a.value}`)),
      ...['GOOS', 'GOARCH'].flatMap((n) => {
        const value = source.stage.variables.get(n);
        return value !== undefined && value !== null && !value.includes('$') ? [`${n}=${value}`] : [];
      }),
    ])];
    // GOOS=linux alone changes nothing: every image this builds is a Linux one.
    if (fixed.some((f) => f !== 'GOOS=linux')) {
      assumptions.push({ text: `The original builds for ${fixed.map((f) => `\`${f}\``).join(' ')} whatever the image's platform; the build now targets the platform the image is built for (\`$TARGETOS\`/\`$TARGETARCH\`): the same binary where the image is for that platform, a native one for others, where the original's would not run.`, confirm: false });
    }
  }
  const downloads = new Set(source.steps.filter((s) => s.commands.length > 0 && s.kinds.every((k) => k?.ecosystem === 'go' && k.installsDependencies && !k.builds)));
  const scan = context.project ? scanSources(context.project.tree, context.files, GO, copiedSources(context.project)) : null;
  // `import _ "github.com/joho/godotenv/autoload"` loads `.env` from the working directory at start.
  if (scan && [...scan.imports].some((i) => i.startsWith('github.com/joho/godotenv/autoload'))) scan.literals.add('.env');
  const framework = CONVENTION_FRAMEWORKS.find((f) => goMod?.includes(f) || [...(scan?.imports ?? [])].some((i) => i.startsWith(f)));
  const image = static_ ? DISTROLESS : distribution.image;
  const ref = parseImageRef(image);
  const install = packageInstall(distribution.distro, [...runtimePackages, ...(libraries ?? []), ...(static_ ? [] : ['ca-certificates', 'tzdata'])]);

  return {
    label: 'Go',
    typicalSize: static_ ? '~850 MB SDK image → ~10–20 MB static binary image' : '~850 MB SDK image → ~30–100 MB',
    ...crossCompile(cross, 'TARGETOS TARGETARCH'),
    ...(cross ? { targetEnv: /^(GOOS|GOARCH)$/ } : {}),
    rewriteRun(step) {
      if (!step.kinds.some((k) => k?.ecosystem === 'go')) return step.raw;
      const raw = buildSteps.has(step) ? goBuild(step, builds.filter((b) => b.step === step), cross, cgoOff) : step.raw;
      if (raw === null) return null;
      return step.afterUser || classic ? raw : withCacheMounts(raw, CACHES, step);
    },
    buildEpilogue: [],
    manifests: {
      files: ['go.mod', 'go.sum'],
      required: ['go.mod'],
      installs: downloads,
      prefetch: classic ? 'RUN go mod download' : withCacheMounts('RUN go mod download', CACHES),
      needsSources: context.dir === null ? null : goNeedsSources(context.dir, context.files),
      buildState: [],
    },
    appFiles: { mode: 'select', buildInput: goBuildInput, compiledIn: { test: embedded(scan), how: '`//go:embed`' }, access: codeAccess(scan, framework ? `the program uses ${framework}, which reads its files by convention` : null) },
    assumptions,
    runtime: {
      image,
      comment: static_
        ? ['Runtime: the static binary on distroless (CA certificates, tzdata, a nonroot user; no shell, no package manager).']
        : [`Runtime: ${distribution.named ? `the build's own distribution (${image})` : `${image}, as new as the build's distribution or newer`}, for ${cgo?.needs !== false ? 'the C library the binary links against' : needsShell ? 'the shell the start command needs' : classic ? 'a shell that prepares folders for the non-root user' : 'the packages the program runs'}; no toolchain.`],
      ref,
      distro: static_ ? 'distroless' : distribution.distro,
      setup: install ? [install] : [],
      env: [],
      artifacts: [{ from, to, file: true }],
      shellless: static_,
      start: null,
      installTool: static_ ? null : (tool) => packageInstall(distribution.distro, [tool])!,
      probeFacts: {},
    },
  };
};

/**
 * The files `//go:embed` compiles into the binary (`//go:embed templates/*` in main.go): the
 * program reads them from itself, not from the disk, so they need not cross over.
 */
function embedded(scan: SourceScan | null): (path: string) => boolean {
  const patterns: RegExp[] = [];
  for (const [file, text] of scan?.texts ?? []) {
    const dir = posix.dirname(file);
    for (const m of text.matchAll(/^\s*\/\/go:embed\s+(.+)$/gm)) {
      for (const word of m[1].match(/"[^"]*"|`[^`]*`|\S+/g) ?? []) {
        const pattern = posix.join(dir, word.replace(/^["`]|["`]$/g, '').replace(/^all:/, ''));
        // A folder embeds everything below it; a pattern matches per path segment.
        patterns.push(new RegExp(`^${pattern.split('/').map((p) => p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('/')}(?:/|$)`));
      }
    }
  }
  return (path) => patterns.some((p) => p.test(path));
}

/** The build RUN with the flags a reproducible (and, when cgo is off, static and multi-arch) binary needs. */
function goBuild(step: Step, builds: GoBuild[], cross: boolean, cgoOff: boolean): string | null {
  const instr = step.instruction;
  const env = (command: ShellCommand | null) => {
    const has = (name: string) => command?.assignments.some((a) => a.name === name) ?? false;
    return [
      cgoOff && !has('CGO_ENABLED') ? 'CGO_ENABLED=0' : null,
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

