import type { ImageRef } from '../text/image';
import { hasOption, optionValue, type ShellCommand, type ShellWord } from './shell';
import type { DockerfileModel, Stage } from './parse';

/**
 * Language ecosystems as data: the commands that install a project's dependencies or build it,
 * the manifest files those commands read, the images that carry each toolchain, and the images
 * that run the result. Rules about layer caching, multi-stage builds and runtime images read
 * these tables, and so does the multi-stage converter: nothing here knows about findings.
 */

export type EcosystemId = 'node' | 'python' | 'go' | 'rust' | 'java-maven' | 'java-gradle' | 'dotnet' | 'ruby' | 'php' | 'haskell' | 'native';

/** The files one dependency tool reads, relative to the project root. */
export interface ManifestSet {
  tool: string;
  /** Everything the install reads when present; a trailing `/` marks a directory, `*` a glob. */
  files: string[];
  /** Of `files`, those that must exist for the install to work. */
  required: string[];
  /**
   * COPY sources that work without looking at the disk: globs match files that may be absent
   * (Docker fails a COPY only when none of its sources matches anything).
   */
  fallback: string[];
  /**
   * The command that only downloads what the manifests declare, for a cache layer before the
   * sources arrive; absent when the install command itself is that command (`npm ci`).
   */
  prefetch?: string;
}

export interface Ecosystem {
  id: EcosystemId;
  /** How people name it, for messages. */
  name: string;
  manifests: ManifestSet[];
  /** Directories a dependency install creates in the project; an image re-creates them. */
  dependencyDirs: string[];
  /** What a build writes into the project (directories end with `/`). */
  buildOutputs: string[];
  /** Caches and by-products that never belong in an image, whatever the Dockerfile does. */
  junk: string[];
  /**
   * Images to build and to run on; `<version>` stands for the version line the Dockerfile uses.
   * `sdkImage()` below maps a concrete SDK reference to its runtime image.
   */
  images: { sdk: string[]; runtime: string[] };
}

export const ecosystems: Record<EcosystemId, Ecosystem> = {
  node: {
    id: 'node',
    name: 'Node.js',
    manifests: [
      { tool: 'npm', files: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'], required: ['package.json'], fallback: ['package*.json'] },
      { tool: 'yarn', files: ['package.json', 'yarn.lock', '.yarnrc', '.yarnrc.yml', '.yarn/'], required: ['package.json'], fallback: ['package.json', 'yarn.lock*'] },
      { tool: 'pnpm', files: ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc'], required: ['package.json'], fallback: ['package.json', 'pnpm-lock.yaml*'] },
      { tool: 'bun', files: ['package.json', 'bun.lock', 'bun.lockb'], required: ['package.json'], fallback: ['package.json', 'bun.lock*'] },
    ],
    dependencyDirs: ['node_modules/'],
    // `build/` and `out/` are outputs for some tools and source folders for others: not listed.
    buildOutputs: ['dist/', '.next/'],
    junk: ['npm-debug.log*', 'yarn-error.log*', 'coverage/', '.nyc_output/'],
    images: { sdk: ['node:<version>'], runtime: ['node:<version>-slim', 'node:<version>-alpine', 'gcr.io/distroless/nodejs<major>-debian12'] },
  },
  python: {
    id: 'python',
    name: 'Python',
    manifests: [
      { tool: 'pip', files: ['requirements.txt'], required: ['requirements.txt'], fallback: ['requirements*.txt'] },
      { tool: 'poetry', files: ['pyproject.toml', 'poetry.lock'], required: ['pyproject.toml'], fallback: ['pyproject.toml', 'poetry.lock*'] },
      { tool: 'uv', files: ['pyproject.toml', 'uv.lock', '.python-version'], required: ['pyproject.toml'], fallback: ['pyproject.toml', 'uv.lock*'] },
      { tool: 'pipenv', files: ['Pipfile', 'Pipfile.lock'], required: ['Pipfile'], fallback: ['Pipfile', 'Pipfile.lock*'] },
    ],
    dependencyDirs: ['.venv/', 'venv/'],
    buildOutputs: ['dist/', '*.egg-info/'],
    junk: ['__pycache__/', '*.py[cod]', '.pytest_cache/', '.mypy_cache/', '.ruff_cache/', '.tox/', '.coverage', 'htmlcov/'],
    images: { sdk: ['python:<version>'], runtime: ['python:<version>-slim', 'gcr.io/distroless/python3-debian12'] },
  },
  go: {
    id: 'go',
    name: 'Go',
    manifests: [{ tool: 'go', files: ['go.mod', 'go.sum'], required: ['go.mod'], fallback: ['go.mod', 'go.sum*'], prefetch: 'go mod download' }],
    dependencyDirs: [],
    buildOutputs: [],
    junk: ['*.test', 'coverage.out'],
    images: { sdk: ['golang:<version>', 'golang:<version>-alpine'], runtime: ['gcr.io/distroless/static-debian12', 'scratch', 'alpine:<version>'] },
  },
  rust: {
    id: 'rust',
    name: 'Rust',
    manifests: [{ tool: 'cargo', files: ['Cargo.toml', 'Cargo.lock'], required: ['Cargo.toml'], fallback: ['Cargo.toml', 'Cargo.lock*'], prefetch: 'cargo fetch' }],
    dependencyDirs: [],
    buildOutputs: ['target/'],
    junk: [],
    images: { sdk: ['rust:<version>', 'rust:<version>-alpine'], runtime: ['gcr.io/distroless/cc-debian12', 'debian:bookworm-slim', 'alpine:<version>'] },
  },
  'java-maven': {
    id: 'java-maven',
    name: 'Maven',
    manifests: [{ tool: 'maven', files: ['pom.xml', '.mvn/', 'mvnw'], required: ['pom.xml'], fallback: ['pom.xml'], prefetch: 'mvn dependency:go-offline' }],
    dependencyDirs: [],
    buildOutputs: ['target/'],
    junk: [],
    images: { sdk: ['maven:<version>-eclipse-temurin-<java>', 'eclipse-temurin:<java>-jdk'], runtime: ['eclipse-temurin:<java>-jre', 'gcr.io/distroless/java<java>-debian12'] },
  },
  'java-gradle': {
    id: 'java-gradle',
    name: 'Gradle',
    manifests: [{
      tool: 'gradle',
      files: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties', 'gradle/', 'gradlew'],
      required: [],
      fallback: ['*.gradle*', 'gradle.properties*'],
      prefetch: 'gradle dependencies',
    }],
    dependencyDirs: [],
    buildOutputs: ['build/', '.gradle/'],
    junk: [],
    images: { sdk: ['gradle:<version>-jdk<java>', 'eclipse-temurin:<java>-jdk'], runtime: ['eclipse-temurin:<java>-jre', 'gcr.io/distroless/java<java>-debian12'] },
  },
  dotnet: {
    id: 'dotnet',
    name: '.NET',
    manifests: [{
      tool: 'dotnet',
      files: ['*.sln', '*.csproj', '*.fsproj', '*.vbproj', 'NuGet.config', 'nuget.config', 'Directory.Build.props', 'Directory.Packages.props', 'global.json'],
      required: [],
      fallback: ['*.sln*', '*.csproj', 'NuGet.config*'],
      prefetch: 'dotnet restore',
    }],
    dependencyDirs: [],
    buildOutputs: ['bin/', 'obj/'],
    junk: [],
    images: { sdk: ['mcr.microsoft.com/dotnet/sdk:<version>'], runtime: ['mcr.microsoft.com/dotnet/aspnet:<version>', 'mcr.microsoft.com/dotnet/runtime:<version>', 'mcr.microsoft.com/dotnet/runtime-deps:<version>'] },
  },
  ruby: {
    id: 'ruby',
    name: 'Ruby',
    manifests: [{ tool: 'bundler', files: ['Gemfile', 'Gemfile.lock', '.ruby-version'], required: ['Gemfile'], fallback: ['Gemfile', 'Gemfile.lock*'] }],
    dependencyDirs: ['vendor/bundle/', '.bundle/'],
    buildOutputs: [],
    junk: [],
    images: { sdk: ['ruby:<version>'], runtime: ['ruby:<version>-slim', 'ruby:<version>-alpine'] },
  },
  php: {
    id: 'php',
    name: 'PHP',
    manifests: [{ tool: 'composer', files: ['composer.json', 'composer.lock'], required: ['composer.json'], fallback: ['composer.json', 'composer.lock*'] }],
    dependencyDirs: ['vendor/'],
    buildOutputs: [],
    junk: [],
    images: { sdk: ['php:<version>-cli', 'composer:<version>'], runtime: ['php:<version>-fpm', 'php:<version>-apache'] },
  },
  haskell: {
    id: 'haskell',
    name: 'Haskell',
    manifests: [
      { tool: 'stack', files: ['stack.yaml', 'stack.yaml.lock', 'package.yaml', '*.cabal'], required: ['stack.yaml'], fallback: ['stack.yaml*', 'package.yaml*', '*.cabal'], prefetch: 'stack build --only-dependencies' },
      { tool: 'cabal', files: ['cabal.project', 'cabal.project.freeze', '*.cabal'], required: [], fallback: ['cabal.project*', '*.cabal'], prefetch: 'cabal build --only-dependencies' },
    ],
    dependencyDirs: [],
    buildOutputs: ['.stack-work/', 'dist-newstyle/'],
    junk: [],
    images: { sdk: ['haskell:<version>'], runtime: ['debian:bookworm-slim'] },
  },
  native: {
    id: 'native',
    name: 'C/C++',
    manifests: [],
    dependencyDirs: [],
    buildOutputs: [],
    junk: ['*.o'],
    images: { sdk: ['gcc:<version>', 'buildpack-deps:<suite>'], runtime: ['debian:<suite>-slim', 'gcr.io/distroless/cc-debian12'] },
  },
};

/** The manifests of one tool (`npm`, `pip`, `go`…). */
export function manifestsOf(tool: string): ManifestSet | undefined {
  for (const ecosystem of Object.values(ecosystems)) {
    const set = ecosystem.manifests.find((m) => m.tool === tool);
    if (set) return set;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Commands

/** What one shell command does for a project. */
export interface EcosystemCommand {
  ecosystem: EcosystemId;
  /** The tool as the manifests table names it (`npm`, `pip`, `maven`, `gcc`…). */
  tool: string;
  /** Downloads or installs the dependencies the project's manifests declare. */
  installsDependencies: boolean;
  /** Installs packages named on the command line (`pip install flask`, `gem install thin`). */
  installsPackages: boolean;
  /** Compiles, bundles or packages the project: needs its sources and the toolchain. */
  builds: boolean;
  /** Requirement files named on the command line (`pip install -r requirements.txt`). */
  files: string[];
  /**
   * Runs the build tool on the manifests in a way that may download dependencies, though not
   * one known to (a custom Gradle task, another Maven goal): done before the sources, it is
   * taken for the project's own dependency step.
   */
  resolvesDependencies: boolean;
}

/** A command with wrappers (`sudo`, `env A=b`, `python -m`, `npx`…) taken off. */
interface Invocation {
  program: string;
  command: ShellCommand;
}

const WRAPPERS = new Set(['sudo', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'corepack']);
const USER_WRAPPERS = new Set(['gosu', 'su-exec', 's6-setuidgid', 'setuser', 'chpst']);

function unwrap(command: ShellCommand): Invocation | null {
  let args = command.words;
  for (let guard = 0; guard < 4 && args.length > 0; guard++) {
    const program = baseName(args[0].value);
    if (program === null) return null;
    if (WRAPPERS.has(program)) {
      // `env A=b cmd`, `sudo -E cmd`: skip options and assignments.
      let i = 1;
      while (i < args.length && args[i].value !== null && (args[i].value!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i].value!))) i++;
      args = args.slice(i);
      continue;
    }
    if (USER_WRAPPERS.has(program)) {
      args = args.slice(2);
      continue;
    }
    // `python -m pip`, `python3 -m poetry`: the module is the tool.
    if (/^python[\d.]*$/.test(program) && args[1]?.value === '-m' && args[2]?.value) {
      args = args.slice(2);
      continue;
    }
    // `npx tsc`, `npx --yes webpack`, `pnpm exec vite build`, `uv pip install`.
    if (program === 'npx' || program === 'bunx' || ((program === 'pnpm' || program === 'yarn') && args[1]?.value === 'exec')) {
      let i = program === 'npx' || program === 'bunx' ? 1 : 2;
      while (i < args.length && args[i].value?.startsWith('-')) i++;
      args = args.slice(i);
      continue;
    }
    if (program === 'uv' && args[1]?.value === 'pip') {
      args = args.slice(1);
      continue;
    }
    return { program, command: asCommand(command, args) };
  }
  return null;
}

function baseName(name: string | null): string | null {
  if (name === null) return null;
  return name.slice(name.lastIndexOf('/') + 1);
}

function asCommand(command: ShellCommand, words: ShellWord[]): ShellCommand {
  if (words === command.words) return command;
  const name = words[0]?.value ?? null;
  return { ...command, name, program: baseName(name), words, args: words.slice(1) };
}

/** Words that are neither options nor the values of the given value-taking options. */
function operands(command: ShellCommand, valueOptions: string[] = []): string[] {
  const out: string[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) {
      out.push('$');
      continue;
    }
    if (valueOptions.includes(v)) {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    out.push(v);
  }
  return out;
}

/** npm scripts that build rather than start or test. */
const BUILD_SCRIPT = /^(build|compile|bundle|dist|prod|production|release|tsc|webpack)(:[\w:-]+)?$|^[\w-]+:build$/;
const NPM_VALUE_OPTIONS = ['--prefix', '--cache', '--registry', '--loglevel', '--workspace', '-w', '--filter', '-F', '--cwd', '--dir', '-C'];
const NODE_BUILD_TOOLS = new Set(['tsc', 'webpack', 'rollup', 'esbuild', 'parcel', 'babel']);
const NODE_BUILD_SUBCOMMAND_TOOLS = new Set(['vite', 'next', 'ng', 'nest', 'nuxt', 'nx', 'turbo', 'astro', 'remix', 'svelte-kit', 'react-scripts', 'vue-cli-service']);
const MAVEN_VALUE_OPTIONS = ['-f', '--file', '-s', '--settings', '-gs', '--global-settings', '-pl', '--projects', '-rf', '--resume-from', '-T', '--threads', '-t', '--toolchains', '-l', '--log-file'];
const MAVEN_BUILD_GOALS = /^(compile|test-compile|package|verify|install|deploy|spring-boot:repackage|spring-boot:build-image|quarkus:build|assembly:single|jib:\w+|native:compile)$/;
const GRADLE_VALUE_OPTIONS = ['-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-x', '--exclude-task', '-g', '--gradle-user-home', '-I', '--init-script'];
const GRADLE_BUILD_TASKS = /^(:?[\w-]+:)*(build|assemble|jar|bootJar|shadowJar|war|bootWar|installDist|distTar|distZip|compileJava|compileKotlin|classes|nativeCompile|buildFatJar|quarkusBuild|fatJar)$/;
const NATIVE_BUILDERS = new Set(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'cmake', 'make', 'gmake', 'ninja', 'meson', 'configure', 'scons', 'bazel', 'bazelisk']);

/** What a shell command does for a project, or null when it is nothing a rule here cares about. */
export function classifyCommand(raw: ShellCommand): EcosystemCommand | null {
  const invocation = unwrap(raw);
  if (!invocation) return null;
  const { program, command } = invocation;
  const result = (ecosystem: EcosystemId, tool: string, parts: Partial<EcosystemCommand>): EcosystemCommand => ({
    ecosystem, tool, installsDependencies: false, installsPackages: false, builds: false, resolvesDependencies: false, files: [], ...parts,
  });
  const ops = () => operands(command, NPM_VALUE_OPTIONS);
  switch (program) {
    case 'npm': {
      const [sub, ...rest] = ops();
      if (sub === 'ci' || sub === 'clean-install' || sub === 'install-clean') return result('node', 'npm', { installsDependencies: true });
      if (sub === 'install' || sub === 'i' || sub === 'add' || sub === 'isntall') {
        if (hasOption(command, '-g', '--global')) return result('node', 'npm', { installsPackages: true });
        return rest.length === 0 ? result('node', 'npm', { installsDependencies: true }) : result('node', 'npm', { installsPackages: true });
      }
      if ((sub === 'run' || sub === 'run-script') && rest[0] && BUILD_SCRIPT.test(rest[0])) return result('node', 'npm', { builds: true });
      return null;
    }
    case 'yarn':
    case 'pnpm':
    case 'bun': {
      const [sub, ...rest] = ops();
      const tool = program;
      if (sub === undefined || sub === 'install' || sub === 'i') {
        if (sub === undefined && command.args.length > 0 && !command.args.every((a) => a.value?.startsWith('-'))) return null;
        return result('node', tool, { installsDependencies: true });
      }
      if (sub === 'fetch' && tool === 'pnpm') return result('node', tool, { installsDependencies: true });
      if (sub === 'add' || (sub === 'global' && rest[0] === 'add')) return result('node', tool, { installsPackages: true });
      if (sub === 'run' && rest[0] && BUILD_SCRIPT.test(rest[0])) return result('node', tool, { builds: true });
      if (tool === 'bun' && sub === 'build') return result('node', tool, { builds: true });
      if (BUILD_SCRIPT.test(sub)) return result('node', tool, { builds: true });
      return null;
    }
    default:
      break;
  }
  if (NODE_BUILD_TOOLS.has(program)) {
    if (hasOption(command, '--version', '-v', '--help', '-h')) return null;
    return result('node', program, { builds: true });
  }
  if (NODE_BUILD_SUBCOMMAND_TOOLS.has(program)) {
    return operands(command).includes('build') ? result('node', program, { builds: true }) : null;
  }
  if (/^pip[\d.]*$/.test(program)) {
    const [sub, ...rest] = operands(command, ['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--target', '-t', '--prefix', '--root', '--platform', '--python-version', '--trusted-host', '--cache-dir', '--src']);
    if (sub !== 'install' && sub !== 'wheel' && sub !== 'sync') return null;
    const files = requirementFiles(command);
    const project = rest.some((r) => r === '.' || r.startsWith('./') || r.startsWith('.[') || r === '$') || hasOption(command, '-e', '--editable');
    return result('python', 'pip', {
      installsDependencies: files.length > 0,
      installsPackages: rest.length > 0 && !project,
      builds: project,
      files,
    });
  }
  if (program === 'poetry') {
    const [sub] = operands(command);
    if (sub === 'install' || sub === 'sync') return result('python', 'poetry', { installsDependencies: true });
    if (sub === 'build') return result('python', 'poetry', { builds: true });
    return null;
  }
  if (program === 'uv') {
    const [sub] = operands(command);
    if (sub === 'sync') return result('python', 'uv', { installsDependencies: true });
    if (sub === 'build') return result('python', 'uv', { builds: true });
    return null;
  }
  if (program === 'pipenv') {
    const [sub, ...rest] = operands(command);
    if (sub === 'install' || sub === 'sync') return result('python', 'pipenv', rest.length === 0 ? { installsDependencies: true } : { installsPackages: true });
    return null;
  }
  if (program === 'go') {
    const [sub, arg] = operands(command, ['-o', '-C', '-ldflags', '-gcflags', '-tags', '-mod', '-modfile', '-p', '-pkgdir', '-asmflags', '-buildmode', '-compiler', '-overlay', '-pgo']);
    if (sub === 'mod' && arg === 'download') return result('go', 'go', { installsDependencies: true });
    // `go install tool@v1` builds a tool from the module proxy, not the project in the context.
    if (sub === 'install' && operands(command).some((o) => o.includes('@'))) return result('go', 'go', { builds: true, installsPackages: true });
    if (sub === 'build' || sub === 'install') return result('go', 'go', { builds: true, installsDependencies: true });
    return null;
  }
  if (program === 'cargo') {
    const [sub] = operands(command, ['--target', '--bin', '-p', '--package', '--features', '-F', '--manifest-path', '-j', '--jobs', '--profile', '--target-dir', '--root', '--path', '--version', '--git', '--branch', '--tag', '--rev']);
    if (sub === 'fetch' || sub === 'vendor') return result('rust', 'cargo', { installsDependencies: true });
    // cargo-chef: `cargo chef cook` builds the dependencies from a recipe, before the sources.
    if (sub === 'chef') return operands(command).includes('cook') ? result('rust', 'cargo', { installsDependencies: true }) : null;
    if (sub === 'install' && !hasOption(command, '--path')) return result('rust', 'cargo', { builds: true, installsPackages: true });
    if (sub === 'build' || sub === 'install' || sub === 'b') return result('rust', 'cargo', { builds: true, installsDependencies: true });
    return null;
  }
  if (program === 'mvn' || program === 'mvnw' || program === 'mvnd') {
    const goals = operands(command, MAVEN_VALUE_OPTIONS);
    if (goals.some((g) => MAVEN_BUILD_GOALS.test(g))) return result('java-maven', 'maven', { builds: true, installsDependencies: true });
    if (goals.some((g) => /^(dependency:(go-offline|resolve|resolve-plugins|copy-dependencies)|de\.qaware\.maven:go-offline-maven-plugin:resolve-dependencies)$/.test(g))) {
      return result('java-maven', 'maven', { installsDependencies: true });
    }
    // Any other goal (`mvn validate`, a custom plugin) still resolves plugins and dependencies.
    return goals.length > 0 ? result('java-maven', 'maven', { resolvesDependencies: true }) : null;
  }
  if (program === 'gradle' || program === 'gradlew') {
    const tasks = operands(command, GRADLE_VALUE_OPTIONS);
    if (tasks.some((t) => GRADLE_BUILD_TASKS.test(t))) return result('java-gradle', 'gradle', { builds: true, installsDependencies: true });
    if (tasks.some((t) => /^(dependencies|androidDependencies|downloadDependencies|resolveDependencies)$/.test(t)) || hasOption(command, '--refresh-dependencies')) {
      return result('java-gradle', 'gradle', { installsDependencies: true });
    }
    // A custom task (`./gradlew downloadRepos`) resolves the build script's dependencies too.
    return tasks.length > 0 ? result('java-gradle', 'gradle', { resolvesDependencies: true }) : null;
  }
  if (program === 'dotnet') {
    const [sub] = operands(command, ['-c', '--configuration', '-o', '--output', '-r', '--runtime', '-f', '--framework', '-s', '--source', '-a', '--arch', '--os', '-p', '-v', '--verbosity']);
    if (sub === 'restore') return result('dotnet', 'dotnet', { installsDependencies: true });
    if (sub === 'build' || sub === 'publish' || sub === 'pack') {
      return result('dotnet', 'dotnet', { builds: true, installsDependencies: !hasOption(command, '--no-restore') });
    }
    return null;
  }
  if (program === 'bundle' || program === 'bundler') {
    const [sub] = operands(command, ['--gemfile', '--jobs', '-j', '--retry', '--path', '--without', '--with']);
    if (sub === undefined || sub === 'install') return result('ruby', 'bundler', { installsDependencies: true });
    return null;
  }
  if (program === 'gem') {
    const [sub] = operands(command);
    return sub === 'install' ? result('ruby', 'gem', { installsPackages: true }) : null;
  }
  if (program === 'composer' || program === 'composer.phar') {
    const [sub] = operands(command, ['-d', '--working-dir']);
    if (sub === 'install' || sub === 'i') return result('php', 'composer', { installsDependencies: true });
    return null;
  }
  if (program === 'stack' || program === 'cabal') {
    const [sub] = operands(command, ['--stack-yaml', '--resolver', '-j', '--jobs']);
    if ((sub === 'build' || sub === 'v2-build') && hasOption(command, '--only-dependencies', '--dependencies-only')) return result('haskell', program, { installsDependencies: true });
    if (sub === 'build' || sub === 'install' || sub === 'v2-build' || sub === 'v2-install') return result('haskell', program, { builds: true, installsDependencies: true });
    return null;
  }
  if (NATIVE_BUILDERS.has(program)) {
    if (hasOption(command, '--version', '-v', '--help', '-dumpversion')) return null;
    // `make install` after a configure is a build too; `make -C docs html` is not a compiler run,
    // but nothing here can tell, and the rule that reads this looks for a compiler as well.
    return result('native', program, { builds: true });
  }
  return null;
}

/** `-r a.txt --requirement=b.txt -c constraints.txt` → the files, as written. */
function requirementFiles(command: ShellCommand): string[] {
  const files: string[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) continue;
    for (const option of ['-r', '--requirement', '-c', '--constraint']) {
      if (v === option) {
        const next = args[i + 1]?.value;
        if (next) files.push(next);
      } else if (v.startsWith(`${option}=`)) {
        files.push(v.slice(option.length + 1));
      } else if (option.length === 2 && v.startsWith(option) && v.length > 2 && !v.startsWith('--')) {
        files.push(v.slice(2));
      }
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Packages: compilers and their removal

/** Distribution packages that put a C compiler in the image. */
const COMPILER_PACKAGES = new Set([
  'build-essential', 'build-base', 'gcc', 'g++', 'gcc-c++', 'clang', 'cpp', 'alpine-sdk', 'gcc-gfortran', 'gfortran', 'musl-dev', 'libc-dev', 'libc6-dev',
]);
/** Language toolchains installed from a distribution's packages. */
const TOOLCHAIN_PACKAGES = new Map<string, EcosystemId>([
  ['go', 'go'], ['golang', 'go'], ['golang-go', 'go'], ['rust', 'rust'], ['cargo', 'rust'], ['rustc', 'rust'],
  ['maven', 'java-maven'], ['gradle', 'java-gradle'], ['nodejs', 'node'], ['npm', 'node'],
]);

export interface PackageOperation {
  action: 'install' | 'remove';
  packages: string[];
  /** The package manager removes everything installed only as a dependency (`--auto-remove`). */
  autoRemove: boolean;
  /** Some package names are expansions (`$buildDeps`), unknown here. */
  dynamic: boolean;
}

/** apt-get / apk / yum / dnf / microdnf package installs and removals, or null. */
export function packageOperation(raw: ShellCommand): PackageOperation | null {
  const invocation = unwrap(raw);
  if (!invocation) return null;
  const { program, command } = invocation;
  const words = operands(command, ['-o', '--option', '-t', '--target-release', '-X', '--repository', '--virtual', '-t', '--root', '-p', '--installroot', '--setopt']);
  const [sub, ...packages] = words;
  const named = packages.filter((p) => p !== '$');
  const dynamic = named.length < packages.length;
  const op = (action: PackageOperation['action'], names: string[], autoRemove: boolean): PackageOperation => ({ action, packages: names, autoRemove, dynamic });
  if (program === 'apt-get' || program === 'apt' || program === 'aptitude') {
    if (sub === 'install') return op('install', named, false);
    if (sub === 'purge' || sub === 'remove' || sub === 'autoremove') return op('remove', named, sub === 'autoremove' || hasOption(command, '--auto-remove', '--autoremove'));
    return null;
  }
  if (program === 'apk') {
    if (sub === 'add') {
      const virtual = optionValue(command, '--virtual', '-t');
      return op('install', virtual ? [...named, virtual] : named, false);
    }
    if (sub === 'del') return op('remove', named, true);
    return null;
  }
  if (program === 'yum' || program === 'dnf' || program === 'microdnf' || program === 'zypper' || program === 'tdnf') {
    if (sub === 'install' || sub === 'in') return op('install', named, false);
    if (sub === 'remove' || sub === 'erase' || sub === 'autoremove' || sub === 'rm') return op('remove', named, true);
    if (sub === 'groupinstall' && packages.some((p) => /development/i.test(p))) return op('install', ['gcc'], false);
    return null;
  }
  return null;
}

export function isCompilerPackage(name: string): boolean {
  return COMPILER_PACKAGES.has(name.replace(/[=:].*$/, '')) || /^gcc-\d+$|^g\+\+-\d+$|^clang-\d+$/.test(name);
}

export function toolchainPackage(name: string): EcosystemId | null {
  return TOOLCHAIN_PACKAGES.get(name.replace(/[=:].*$/, '')) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Images

/** A build toolchain image and the runtime image of the same version line. */
export interface SdkImage {
  ecosystem: EcosystemId;
  /** The SDK family (`golang`, `maven`, `node`…) for messages and data. */
  family: string;
  /** The image that runs the built application instead. */
  runtime: string;
  /**
   * True when the runtime image is the same one minus its build tools (same distribution, same
   * language runtime): the swap is a one-word edit, though it still loses compilers and git.
   */
  sameRuntime: boolean;
  /** What kind of image it is, for messages (`Go SDK image`, `full Node.js image`). */
  kind: string;
  /** What it carries that a running application does not need, for messages. */
  tools: string;
  /** What to keep in mind when switching, for messages. */
  note?: string;
}

const DEBIAN_SUITE = /(bookworm|bullseye|buster|trixie|stretch)/;
const UBUNTU_SUITE = /(noble|jammy|focal|bionic)/;

function hubName(ref: ImageRef): string | null {
  if (ref.registry !== null && ref.registry !== 'docker.io' && ref.registry !== 'index.docker.io') return null;
  const repo = ref.repository.replace(/^library\//, '');
  return repo.includes('/') ? null : repo.toLowerCase();
}

function alpineVersion(tag: string): string | null {
  const m = /alpine(\d+\.\d+)?/.exec(tag);
  if (!m) return null;
  return m[1] ?? '3.20';
}

/** The Java major version a tag names (`3.9-eclipse-temurin-21` → 21, `jdk17` → 17). */
function javaVersion(tag: string): string | null {
  const m = /(?:temurin|openjdk|corretto|jdk|sapmachine|semeru|graalvm|zulu|liberica)-?(\d{1,2})(?!\d|\.\d+\.)/.exec(tag);
  return m ? m[1] : null;
}

/** The Eclipse Temurin JRE of a Java major, on the distribution the build image's tag names. */
export function temurinJre(version: string | null, tag: string): string {
  if (version === null) return 'eclipse-temurin:<version>-jre';
  const alpine = tag.includes('alpine') ? '-alpine' : '';
  const suite = UBUNTU_SUITE.exec(tag)?.[1];
  return `eclipse-temurin:${version}-jre${alpine || (suite ? `-${suite}` : '')}`;
}

/**
 * The SDK an image carries, with the image to run on instead; null for runtime images and for
 * images not known here. Only Docker Hub's official images and Microsoft's .NET images are known.
 */
export function sdkImage(ref: ImageRef | null): SdkImage | null {
  if (!ref) return null;
  const tag = (ref.tag ?? 'latest').toLowerCase();
  if (/windows|nanoserver|servercore|ltsc/.test(tag)) return null;
  if (ref.registry === 'mcr.microsoft.com') {
    const m = /^dotnet\/(core\/)?sdk$/.exec(ref.repository.toLowerCase());
    if (!m) return null;
    // SDK tags carry the SDK's own version (8.0.204); runtime images are tagged by major.minor.
    const version = /^(\d+\.\d+)/.exec(tag)?.[1];
    const suffix = tag.replace(/^\d+(\.\d+)*/, '');
    const runtimeTag = version ? `${version}${suffix}` : tag;
    return {
      ecosystem: 'dotnet', family: 'dotnet/sdk', sameRuntime: false, kind: '.NET SDK image', tools: 'the SDK, its compilers and NuGet caches',
      runtime: `mcr.microsoft.com/dotnet/${m[1] ?? ''}aspnet:${runtimeTag}`,
      note: 'use `runtime` instead of `aspnet` for a console app',
    };
  }
  const name = hubName(ref);
  if (!name) return null;
  switch (name) {
    case 'golang':
      return { ecosystem: 'go', family: 'golang', runtime: 'gcr.io/distroless/static-debian12', sameRuntime: false, kind: 'Go SDK image', tools: 'the Go toolchain, a C compiler and the module cache', note: 'for a binary built with CGO_ENABLED=0' };
    case 'rust': {
      const alpine = alpineVersion(tag);
      return { ecosystem: 'rust', family: 'rust', runtime: alpine ? `alpine:${alpine}` : 'gcr.io/distroless/cc-debian12', sameRuntime: false, kind: 'Rust toolchain image', tools: 'rustc, cargo and a C toolchain' };
    }
    case 'maven':
      return { ecosystem: 'java-maven', family: 'maven', runtime: temurinJre(javaVersion(tag), tag), sameRuntime: false, kind: 'Maven build image', tools: 'Maven and a full JDK' };
    case 'gradle':
      return { ecosystem: 'java-gradle', family: 'gradle', runtime: temurinJre(javaVersion(tag), tag), sameRuntime: false, kind: 'Gradle build image', tools: 'Gradle and a full JDK' };
    case 'openjdk':
    case 'eclipse-temurin':
    case 'sapmachine':
    case 'ibm-semeru-runtimes': {
      if (tag.includes('jre')) return null;
      if (name === 'ibm-semeru-runtimes' && !tag.includes('jdk')) return null;
      const version = /^(\d{1,2})(?![\d])/.exec(tag)?.[1] ?? javaVersion(tag);
      return { ecosystem: 'java-maven', family: name, runtime: temurinJre(version ?? null, tag), sameRuntime: false, kind: 'JDK image', tools: 'the compiler and development tools of a full JDK' };
    }
    case 'node': {
      if (/slim|alpine|onbuild/.test(tag)) return null;
      return { ecosystem: 'node', family: 'node', runtime: `node:${slimTag(tag, 'node')}`, sameRuntime: true, kind: 'full Node.js image', tools: 'compilers, headers and build tools', note: 'add build tools in a build stage if a dependency compiles native code' };
    }
    case 'python': {
      if (/slim|alpine|onbuild/.test(tag)) return null;
      return { ecosystem: 'python', family: 'python', runtime: `python:${slimTag(tag, 'python')}`, sameRuntime: true, kind: 'full Python image', tools: 'compilers, headers and build tools', note: 'add build tools in a build stage if a dependency compiles native code' };
    }
    case 'buildpack-deps': {
      // Only the full variant carries compilers; `-curl` and `-scm` are small bases.
      if (/-(curl|scm)$/.test(tag) || tag === 'curl' || tag === 'scm') return null;
      const ubuntu = UBUNTU_SUITE.exec(tag)?.[1] ?? (/^\d\d\.\d\d$/.test(tag) ? tag : null);
      const suite = DEBIAN_SUITE.exec(tag)?.[1];
      return { ecosystem: 'native', family: 'buildpack-deps', runtime: ubuntu ? `ubuntu:${ubuntu}` : `debian:${suite ?? 'bookworm'}-slim`, sameRuntime: false, kind: 'build image', tools: 'compilers, headers and version control tools' };
    }
    case 'gcc':
      return { ecosystem: 'native', family: 'gcc', runtime: 'debian:bookworm-slim', sameRuntime: false, kind: 'compiler image', tools: 'GCC and its headers' };
    case 'haskell':
      return { ecosystem: 'haskell', family: 'haskell', runtime: `debian:${DEBIAN_SUITE.exec(tag)?.[1] ?? 'bookworm'}-slim`, sameRuntime: false, kind: 'Haskell toolchain image', tools: 'GHC, Cabal and Stack' };
    default:
      return null;
  }
}

/**
 * The slim tag of a full node or python tag: `20` → `20-slim`, `20-bookworm` → `20-bookworm-slim`
 * (node) or `3.12-slim-bookworm` (python, which puts the suite last).
 */
export function slimTag(tag: string, family: 'node' | 'python'): string {
  if (tag === 'latest') return 'slim';
  const suite = DEBIAN_SUITE.exec(tag)?.[1];
  if (!suite) return `${tag}-slim`;
  if (tag === suite) return family === 'node' ? `${suite}-slim` : `slim-${suite}`;
  const version = tag.slice(0, tag.indexOf(suite)).replace(/-$/, '');
  return family === 'node' ? `${version}-${suite}-slim` : `${version}-slim-${suite}`;
}

// ---------------------------------------------------------------------------------------------
// Images that are products rather than applications

/** A final command that is only a shell or a language REPL marks a base or toolbox image. */
const INTERACTIVE = /^(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:bash|sh|ash|zsh|python\d*(?:\.\d+)?|node|irb|ghci|iex|erl|jshell|pwsh|powershell|cmd|php|ruby|go|dotnet|java)$/i;

/**
 * Whether the image built from a chain of stages (final stage first) starts an application:
 * `yes` when the CMD or ENTRYPOINT in effect is more than a shell or a REPL, `no` for base,
 * toolbox and template images (a shell or REPL as command, an ONBUILD trigger), `unknown` when
 * the chain sets neither and inherits whatever the base image runs.
 */
export function startsApplication(model: DockerfileModel, chain: Stage[]): 'yes' | 'no' | 'unknown' {
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD'))) return 'no';
  const words = startCommand(chain);
  if (words === null) return 'unknown';
  if (words.length === 0) return 'no';
  // `php -a`, `python3`, `node`: a REPL. `dotnet watch`, `npm run dev`, `go test`: development.
  const [first, second] = words;
  if (INTERACTIVE.test(first) && (words.length === 1 || /^-[ai]$/.test(second) || second === 'watch')) return 'no';
  if (DEVELOPMENT_COMMAND.test(words.map((w) => w.slice(w.lastIndexOf('/') + 1)).join(' '))) return 'no';
  return 'yes';
}

/** Test runners and development servers: an image that starts one is not a production image. */
const DEVELOPMENT_COMMAND = /^(?:(?:go|dotnet|cargo|mvn|mvnw|gradle|gradlew|mix|stack|cabal) (?:test|watch|vet)\b|(?:pytest|jest|vitest|mocha|tox|nox|nodemon|air)\b|(?:npm|yarn|pnpm|bun) (?:run )?(?:test|dev|watch)\b)/;

/** Test runners, linters and checkers that only read a project and report on it. */
const CHECK_PROGRAMS = new Set([
  'pytest', 'py.test', 'tox', 'nox', 'jest', 'vitest', 'mocha', 'ava', 'playwright', 'cypress', 'rspec', 'phpunit', 'pest',
  'golangci-lint', 'staticcheck', 'eslint', 'tslint', 'prettier', 'stylelint', 'flake8', 'pylint', 'mypy', 'pyright', 'black',
  'ruff', 'isort', 'bandit', 'rubocop', 'phpstan', 'psalm', 'shellcheck', 'hadolint', 'gotestsum',
]);
/** Subcommands (`go test`, `npm run lint`, `make check`) that run tests or checks. */
const CHECK_SUBCOMMAND = /^(test|tests|spec|check|checks|lint|vet|verify|clippy|nextest|e2e|coverage|cover|(test|lint|check|e2e)[:-][\w:-]+)$/;

/**
 * Whether a command runs tests or checks (`go test ./...`, `npm test`, `pytest`, `mvn test`,
 * `make lint`) rather than building, installing or starting something.
 */
export function runsChecks(raw: ShellCommand): boolean {
  const invocation = unwrap(raw);
  if (!invocation) return false;
  const { program, command } = invocation;
  if (CHECK_PROGRAMS.has(program)) return true;
  if (/^python[\d.]*$/.test(program)) return command.args[0]?.value === '-m' && command.args[1]?.value === 'unittest';
  const [sub, next] = operands(command, [...NPM_VALUE_OPTIONS, ...MAVEN_VALUE_OPTIONS, ...GRADLE_VALUE_OPTIONS]);
  switch (program) {
    case 'go':
    case 'cargo':
    case 'dotnet':
    case 'make':
    case 'gmake':
    case 'rake':
    case 'mix':
      return sub !== undefined && CHECK_SUBCOMMAND.test(sub);
    case 'npm':
    case 'yarn':
    case 'pnpm':
    case 'bun':
      return sub === 't' || (sub !== undefined && CHECK_SUBCOMMAND.test(sub)) || ((sub === 'run' || sub === 'run-script') && next !== undefined && CHECK_SUBCOMMAND.test(next));
    case 'bundle':
      return sub === 'exec' && next !== undefined && (CHECK_PROGRAMS.has(next) || (next === 'rake' && command.args.some((a) => a.value !== null && CHECK_SUBCOMMAND.test(a.value))));
    case 'mvn':
    case 'mvnw':
    case 'mvnd':
    case 'gradle':
    case 'gradlew': {
      // `mvn verify` and `gradle check` also package the application: only test goals count.
      const goals = operands(command, [...MAVEN_VALUE_OPTIONS, ...GRADLE_VALUE_OPTIONS]);
      return goals.length > 0 && goals.every((g) => /^(test|check|:?([\w-]+:)*test|surefire:test|failsafe:integration-test|checkstyle:check|spotbugs:check|spotless(Check|:check))$/.test(g));
    }
    default:
      return false;
  }
}

/** The command the container starts with: the ENTRYPOINT in effect, else the CMD; null when neither is set. */
export function startCommand(chain: Stage[]): string[] | null {
  const entrypoint = effective(chain, 'ENTRYPOINT');
  if (entrypoint && entrypoint.length > 0) return entrypoint;
  return effective(chain, 'CMD') ?? entrypoint;
}

/** Programs that start an application of each ecosystem (or files they run). */
const RUNTIME_PROGRAMS: Partial<Record<EcosystemId, RegExp>> = {
  python: /^(python[\d.]*|gunicorn|uvicorn|hypercorn|daphne|uwsgi|flask|django-admin|celery|streamlit|fastapi|granian|waitress-serve|.+\.py)$/,
  ruby: /^(ruby|bundle|bundler|rails|puma|unicorn|rackup|thin|sidekiq|passenger|.+\.rb)$/,
  node: /^(node|nodejs|npm|yarn|pnpm|npx|bun|pm2|pm2-runtime|next|nuxt|.+\.[cm]?js)$/,
};

/** True when the start command runs the ecosystem's runtime (`gunicorn app:app` for Python). */
export function startsWith(chain: Stage[], ecosystem: EcosystemId): boolean {
  const pattern = RUNTIME_PROGRAMS[ecosystem];
  const words = startCommand(chain);
  if (!pattern || !words || words.length === 0) return false;
  let rest = words;
  // `sh -c "exec gunicorn …"` and `exec`/`dumb-init`/`tini --` wrappers.
  for (let guard = 0; guard < 3; guard++) {
    const program = rest[0]?.slice(rest[0].lastIndexOf('/') + 1) ?? '';
    if (/^(sh|bash|ash|dash)$/.test(program) && rest[1] === '-c' && rest[2]) rest = rest[2].trim().split(/\s+/);
    else if (/^(exec|dumb-init|tini|tini-static|gosu|su-exec)$/.test(program)) rest = rest.slice(program === 'gosu' || program === 'su-exec' ? 2 : 1).filter((w) => w !== '--');
    else break;
  }
  return rest.slice(0, 2).some((w) => pattern.test(w.slice(w.lastIndexOf('/') + 1)));
}

/** The words of the CMD or ENTRYPOINT in effect at the end of the chain (nearest stage first). */
function effective(chain: Stage[], keyword: 'CMD' | 'ENTRYPOINT'): string[] | null {
  for (const stage of chain) {
    const last = [...stage.instructions].reverse().find((i) => i.keyword === keyword);
    if (last) return (last.json ?? last.args.trim().split(/\s+/)).filter((w) => w.trim() !== '');
  }
  return null;
}

/** Words of stage names that mark a development, test or CI target (`dev-envs`, `unit-test`). */
const DEVELOPMENT_STAGES = new Set([
  'dev', 'devel', 'develop', 'development', 'debug', 'test', 'tests', 'testing', 'unittest', 'unittests', 'e2e', 'ci',
  'devcontainer', 'lint', 'linter', 'linting', 'coverage',
]);
/** Words in a Dockerfile's name or folder that mark an image for development, tests, CI or building. */
const DEVELOPMENT_PATH_WORDS = new Set([...DEVELOPMENT_STAGES, 'builder', 'toolchain', 'sdk']);

/** Whether a stage's name says it tests, checks or develops the application (by whole words: not `latest`). */
export function developmentStageName(name: string | null): boolean {
  return name !== null && name.toLowerCase().split(/[._-]+/).some((word) => DEVELOPMENT_STAGES.has(word));
}

/**
 * True when the Dockerfile's file name, its folder or the final stage's name says the image is
 * for development, tests or CI (`Dockerfile.dev`, `ci/Dockerfile`, `FROM … AS test`): such an
 * image keeps its toolchain on purpose.
 */
export function meantForDevelopment(path: string | null, stage: Stage | undefined): boolean {
  if (developmentStageName(stage?.name ?? null)) return true;
  if (!path) return false;
  const parts = path.split(/[\\/]/).slice(-2);
  return parts.some((part) => part.split(/[._\-\s]+/).some((word) => DEVELOPMENT_PATH_WORDS.has(word.toLowerCase())));
}
