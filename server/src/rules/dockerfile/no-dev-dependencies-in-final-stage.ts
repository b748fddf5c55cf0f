import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { hasOption, optionValue, positionals, shellOf, type ShellCommand, type ShellWord } from '../../dockerfile/shell';
import { isDevelopmentImage, startWords } from '../../dockerfile/healthchecks';
import { expandVariables } from '../../text/variables';
import { dirname, join, posix } from 'node:path';
import { buildContextOf } from '../../project/buildContext';
import { contextCopy, contextPath } from '../../dockerfile/dockerignore';

/** Python packages that only serve tests, debugging, linting or live reload. */
const PYTHON_TOOLS = new Set([
  'pytest', 'debugpy', 'ipdb', 'pdbpp', 'ipython', 'watchfiles', 'black', 'ruff', 'mypy', 'pylint', 'flake8', 'isort',
  'coverage', 'tox', 'nox', 'pre-commit', 'bandit', 'pyright',
]);

/** npm packages that only serve tests, linting or live reload. */
const NODE_TOOLS = new Set(['nodemon', 'ts-node', 'ts-node-dev', 'node-dev', 'jest', 'mocha', 'eslint', 'prettier']);

/** A requirements file or extra named for development: `requirements-dev.txt`, `test.txt`, `.[dev]`. */
const DEV_NAME = /(?:^|[-_.])(?:dev|develop|development|test|tests|testing|lint|ci)(?:[-_.]|$)/i;

/** Scripts that are a development server: a final image starting them is a development image. */
const DEV_SCRIPT = /^(?:dev|develop|watch|serve|serve:dev|start:dev)$/;

type Kind = 'node-project' | 'node-tool' | 'python-tool' | 'python-requirements' | 'python-extra' | 'poetry' | 'uv' | 'pipenv';

interface Install {
  instruction: DockerInstruction;
  command: ShellCommand;
  kind: Kind;
  range: Range;
  /** The offending value: the command (`npm ci`) or the package (`pytest`). */
  value: string;
  /** Where `--omit=dev` / `--prod` goes, for a project install by npm or pnpm. */
  verb?: ShellWord;
}

/** The package name of an install argument: `pytest==8.2` → `pytest`, `nodemon@3` → `nodemon`, `Black[jupyter]` → `black`. */
function packageName(word: string, ecosystem: 'python' | 'node'): string {
  if (ecosystem === 'node') return word.replace(/(?!^)@.*$/, '').toLowerCase();
  return word.replace(/\[.*$/, '').replace(/[<>=!~;@ ].*$/, '').toLowerCase().replace(/_/g, '-');
}

function isPythonTool(name: string): boolean {
  return PYTHON_TOOLS.has(name) || name.startsWith('pytest-');
}

/** `pip install`, `pip3 install`, `python -m pip install`, `uv pip install`: the words after `install`, or null. */
function pipInstallArgs(command: ShellCommand): ShellWord[] | null {
  const words = command.words;
  const program = command.program ?? '';
  let at = -1;
  if (/^pip[\d.]*$/.test(program)) at = 1;
  else if (/^python[\d.]*$/.test(program) && words[1]?.value === '-m' && /^pip[\d.]*$/.test(words[2]?.value ?? '')) at = 3;
  else if (program === 'uv' && words[1]?.value === 'pip') at = 2;
  if (at < 0) return null;
  const rest = words.slice(at);
  const install = rest.findIndex((w) => w.value === 'install');
  if (install < 0 || rest.slice(0, install).some((w) => w.value !== null && !w.value.startsWith('-'))) return null;
  return rest.slice(install + 1);
}

/** True when the environment of a command makes npm, yarn and pnpm skip devDependencies. */
/** Reads a variable as a command sees it: its own prefix, then the RUN's exports, then ENV and ARG. */
type Lookup = (name: string) => string | null | undefined;

function productionEnv(env: Lookup): boolean {
  const value = (name: string) => env(name)?.toLowerCase();
  return value('NODE_ENV') === 'production' || value('NPM_CONFIG_PRODUCTION') === 'true' || value('npm_config_production') === 'true'
    || value('NPM_CONFIG_OMIT') === 'dev' || value('npm_config_omit') === 'dev' || value('YARN_PRODUCTION') === 'true';
}

/** `export NAME=value` declarations of a RUN (shell.ts lists commands, not declarations). */
function exportsOf(instruction: DockerInstruction): [string, string][] {
  const out: [string, string][] = [];
  for (const m of instruction.args.matchAll(/\bexport\s+((?:[A-Za-z_]\w*=(?:"[^"]*"|'[^']*'|[^\s;&|]*)\s*)+)/g)) {
    for (const a of m[1].matchAll(/([A-Za-z_]\w*)=("([^"]*)"|'([^']*)'|([^\s;&|]*))/g)) out.push([a[1], a[3] ?? a[4] ?? a[5] ?? '']);
  }
  return out;
}

/** The project install of npm, yarn or pnpm (`npm ci`, `yarn`, `pnpm i`), with its verb; null for anything else. */
function nodeProjectInstall(command: ShellCommand): { verb: ShellWord | undefined; manager: string } | null {
  const program = command.program ?? '';
  const words = positionals(command);
  const verb = words[0];
  if (program === 'npm') {
    if (!verb || !['ci', 'install', 'i', 'add', 'clean-install'].includes(verb.value ?? '')) return null;
    if (words.length > 1 || hasOption(command, '-g', '--global')) return null;
    return { verb, manager: 'npm' };
  }
  if (program === 'yarn') {
    if (verb && verb.value !== 'install') return null;
    // `yarn --version` and `yarn --help` install nothing.
    if (!verb && hasOption(command, '--version', '-v', '-V', '--help', '-h')) return null;
    return { verb, manager: 'yarn' };
  }
  if (program === 'pnpm') {
    if (!verb || !['install', 'i'].includes(verb.value ?? '') || words.length > 1 || hasOption(command, '-g', '--global')) return null;
    return { verb, manager: 'pnpm' };
  }
  return null;
}

/** The install already leaves devDependencies out. */
function skipsDevDependencies(command: ShellCommand, manager: string): boolean {
  const omit = optionValue(command, '--omit');
  if (omit && omit.split(',').includes('dev')) return true;
  const only = optionValue(command, '--only');
  if (only && /^prod/.test(only)) return true;
  if (manager === 'pnpm' && hasOption(command, '-P')) return true;
  return command.args.some((a) => a.value !== null && /^--(?:prod|production)(?:=true)?$/.test(a.value));
}

/** Commands that need devDependencies (a build, tests, a compiler): the install has to keep them. */
function needsDevDependencies(command: ShellCommand): boolean {
  const program = command.program ?? '';
  const words = positionals(command).map((w) => w.value ?? '');
  if (program === 'npm') return ['run', 'run-script', 'rum', 'urn', 'test', 't', 'exec', 'x'].includes(words[0]);
  if (program === 'yarn' || program === 'pnpm') return words.length > 0 && !['install', 'i', 'add', 'cache', 'config', 'global', 'set', 'prune', 'remove', 'fetch'].includes(words[0]);
  return ['npx', 'tsc', 'nest', 'ng', 'vite', 'next', 'webpack', 'rollup', 'esbuild', 'turbo', 'nx', 'gulp', 'grunt'].includes(program);
}

/** Removes devDependencies after they were used: `npm prune --omit=dev`, `pnpm prune --prod`, `rm -rf node_modules`. */
function prunesDevDependencies(command: ShellCommand): boolean {
  const program = command.program ?? '';
  const words = positionals(command).map((w) => w.value ?? '');
  if ((program === 'npm' || program === 'pnpm') && words[0] === 'prune') return true;
  if (program === 'yarn' && (words[0] === 'install' || words.length === 0) && skipsDevDependencies(command, 'yarn')) return true;
  return program === 'rm' && words.some((w) => /(?:^|\/)node_modules\/?$/.test(w));
}

function poetryIncludesDev(command: ShellCommand): boolean {
  if (hasOption(command, '--no-dev', '--only-root')) return false;
  const only = optionValue(command, '--only');
  if (only) return only.split(',').includes('dev');
  const without = optionValue(command, '--without');
  return !(without && without.split(',').includes('dev'));
}

function uvIncludesDev(command: ShellCommand, env: Lookup): boolean {
  if (hasOption(command, '--no-dev', '--no-default-groups', '--only-group')) return false;
  if (optionValue(command, '--no-group') === 'dev') return false;
  return !['1', 'true'].includes(env('UV_NO_DEV')?.toLowerCase() ?? '');
}

/** What the start command runs, so an image that is the tool itself (`ENTRYPOINT ["ruff"]`) is left alone. */
function startedTools(words: string[]): Set<string> {
  return new Set(words.flatMap((w) => [w.split('/').pop() ?? '', w]).map((w) => w.toLowerCase()));
}

function span(command: ShellCommand, until: ShellWord | undefined): Range {
  return { start: command.words[0].range.start, end: (until ?? command.words[0]).range.end };
}

/** Walks the final image's stages in build order and collects the installs that bring in development packages. */
function findInstalls(dockerfile: DockerfileModel, chain: Stage[]): Install[] {
  const started = startedTools(startWords(dockerfile, chain));
  const env = new Map<string, string | null>();
  const found: Install[] = [];
  const pendingNode: Install[] = [];
  for (const stage of [...chain].reverse()) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
        // Build args are in the environment of the RUNs that follow, as ENV values are.
        const node = instruction.ast as unknown as { getProperties?(): { getName(): string; getValue(): string | null }[] };
        for (const p of node.getProperties?.() ?? []) {
          const raw = p.getValue();
          if (raw !== null) env.set(p.getName(), expandVariables(raw, env));
          else if (!env.has(p.getName())) env.set(p.getName(), null);
        }
        continue;
      }
      if (instruction.keyword !== 'RUN') continue;
      // Layered lookups instead of copies: a long Dockerfile has many RUNs and many variables.
      const exported = new Map(exportsOf(instruction));
      for (const command of shellOf(dockerfile, instruction).commands) {
        if (!command.words[0]) continue;
        const cmdEnv: Lookup = (name) => {
          const assigned = command.assignments.find((a) => a.name === name);
          return assigned ? assigned.value : exported.has(name) ? exported.get(name) : env.get(name);
        };
        // A later build step or prune settles the earlier node installs: they are needed, or removed.
        if (needsDevDependencies(command) || prunesDevDependencies(command)) pendingNode.length = 0;
        const program = command.program ?? '';
        const project = nodeProjectInstall(command);
        if (project) {
          if (!skipsDevDependencies(command, project.manager) && !productionEnv(cmdEnv)) {
            pendingNode.push({ instruction, command, kind: 'node-project', range: span(command, project.verb), value: [command.words[0].value, project.verb?.value].filter(Boolean).join(' '), verb: project.verb });
          }
          continue;
        }
        if (program === 'npm' || program === 'yarn' || program === 'pnpm') {
          for (const word of positionals(command).slice(1)) {
            const name = word.value === null ? '' : packageName(word.value, 'node');
            if (NODE_TOOLS.has(name) && !started.has(name)) found.push({ instruction, command, kind: 'node-tool', range: word.range, value: name });
          }
          continue;
        }
        const pipArgs = pipInstallArgs(command);
        if (pipArgs) {
          for (let i = 0; i < pipArgs.length; i++) {
            const word = pipArgs[i];
            const value = word.value;
            if (value === null) continue;
            if (value === '-r' || value === '--requirement') {
              const file = pipArgs[i + 1];
              if (file?.value && DEV_NAME.test(file.value.split('/').pop()!.replace(/\.(?:txt|in)$/, ''))) found.push({ instruction, command, kind: 'python-requirements', range: file.range, value: file.value });
              i++;
              continue;
            }
            if (value.startsWith('-')) {
              if (['-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root'].includes(value)) {
                const next = pipArgs[i + 1]?.value;
                if ((value === '-e' || value === '--editable') && next && devExtra(next)) found.push({ instruction, command, kind: 'python-extra', range: pipArgs[i + 1].range, value: next });
                i++;
              }
              continue;
            }
            if (devExtra(value)) {
              found.push({ instruction, command, kind: 'python-extra', range: word.range, value });
              continue;
            }
            const name = packageName(value, 'python');
            if (isPythonTool(name) && !started.has(name)) found.push({ instruction, command, kind: 'python-tool', range: word.range, value: name });
          }
          continue;
        }
        const verb = positionals(command)[0];
        if (program === 'poetry' && verb?.value === 'install' && poetryIncludesDev(command)) {
          found.push({ instruction, command, kind: 'poetry', range: span(command, verb), value: 'poetry install' });
        } else if (program === 'uv' && verb?.value === 'sync' && uvIncludesDev(command, cmdEnv)) {
          found.push({ instruction, command, kind: 'uv', range: span(command, verb), value: 'uv sync' });
        } else if (program === 'pipenv' && verb?.value === 'install' && hasOption(command, '--dev', '-d')) {
          found.push({ instruction, command, kind: 'pipenv', range: span(command, verb), value: 'pipenv install --dev' });
        }
      }
    }
  }
  return [...found, ...pendingNode].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `.[dev]`, `mypkg[test,docs]`: extras that pull in development packages. */
function devExtra(value: string): boolean {
  const m = /\[([^\]]+)\]/.exec(value);
  return m !== null && m[1].split(',').some((extra) => DEV_NAME.test(extra.trim()));
}

/**
 * Whether the project's manifest has development dependencies: read where the build gets it (the
 * COPY that brings `package.json` or `pyproject.toml` into the image, from the build context),
 * else beside the Dockerfile. When no manifest can be read (an unsaved file, a context not on
 * this disk) the rule cannot know there is anything to leave out, and stays quiet.
 */
function hasDevDependencies(model: DockerfileModel, kind: Kind, path: string | null, files: FileAccess): boolean {
  if (kind !== 'node-project' && kind !== 'poetry' && kind !== 'uv') return true;
  if (!path) return false;
  const name = kind === 'node-project' ? 'package.json' : 'pyproject.toml';
  const text = manifestText(model, name, path, files);
  if (text === null) return false;
  if (kind === 'node-project') {
    try {
      const manifest = JSON.parse(text) as { devDependencies?: Record<string, string> };
      return Object.keys(manifest.devDependencies ?? {}).length > 0;
    } catch {
      return true;
    }
  }
  return kind === 'poetry'
    ? /^\[tool\.poetry\.(?:dev-dependencies|group\.dev\.dependencies)\]/m.test(text)
    : /^\[dependency-groups\][^[]*^dev\s*=|^\[tool\.uv\][^[]*^dev-dependencies\s*=/ms.test(text);
}

/** The manifest's text: from the context folder a COPY names it in (`COPY frontend/package*.json ./`), else beside the Dockerfile. */
function manifestText(model: DockerfileModel, name: string, path: string, files: FileAccess): string | null {
  const contextDir = buildContextOf(path, model, files).dir;
  const candidates: string[] = [];
  for (const instruction of model.instructions) {
    for (const source of contextCopy(model, instruction)?.sources ?? []) {
      const rel = source.value === null ? null : contextPath(source.value);
      if (rel === null) continue;
      const folder = rel === '.' ? '' : /[*?[]/.test(posix.basename(rel)) || posix.basename(rel) === name ? posix.dirname(rel) : rel;
      if (/[*?[]/.test(folder)) continue;
      candidates.push(join(contextDir, folder === '.' ? '' : folder, name));
    }
  }
  candidates.push(join(dirname(path), name), join(contextDir, name));
  for (const candidate of candidates) {
    const text = files.read(candidate);
    if (text !== null) return text;
  }
  return null;
}

function analyse(dockerfile: DockerfileModel, path: string | null, files: FileAccess): Install[] {
  const final = shippedStage({ dockerfile, path, files });
  if (!final || isDevelopmentImage(path, final)) return [];
  const chain = stageAncestry(dockerfile, final);
  // A final image that starts a development server (`npm run dev`) is a development image.
  const words = startWords(dockerfile, chain);
  if (words.some((w, i) => i > 0 && DEV_SCRIPT.test(w) && /^(?:npm|yarn|pnpm|run)$/.test(words[i - 1]))) return [];
  return findInstalls(dockerfile, chain).filter((install) => hasDevDependencies(dockerfile, install.kind, path, files));
}

function describe(install: Install): string {
  switch (install.kind) {
    case 'node-project':
      return `\`${install.value}\` installs devDependencies too, because nothing (\`--omit=dev\`, \`NODE_ENV=production\`) leaves them out`;
    case 'node-tool':
    case 'python-tool':
      return `\`${install.value}\` is a development tool`;
    case 'python-requirements':
      return `\`${install.value}\` lists development requirements`;
    case 'python-extra':
      return `\`${install.value}\` asks for a development extra`;
    case 'poetry':
      return '`poetry install` installs the dev group too, unless `--only main` or `--without dev` is given';
    case 'uv':
      return '`uv sync` installs the dev group too, unless `--no-dev` is given';
    case 'pipenv':
      return '`pipenv install --dev` installs the development packages';
  }
}

function omitOption(dockerfile: DockerfileModel, chain: Stage[], manager: string): string | null {
  if (manager === 'pnpm') return '--prod';
  if (manager !== 'npm') return null;
  // npm 6 (Node.js 14 and older) does not know --omit; --production works there.
  const root = chain[chain.length - 1].base.ref;
  const major = root?.name === 'node' ? /^(\d+)/.exec(root.tag ?? '') : null;
  return major && Number(major[1]) <= 14 ? '--production' : '--omit=dev';
}

/**
 * Test runners, debuggers, linters and devDependencies in the final image make it bigger and give
 * an attacker more to work with (a debugger listening on a port, a compiler); they belong in a
 * build or test stage. Build stages may keep them: only the final stage and its chain are read.
 */
export default dockerfileRule({
  id: 'no-dev-dependencies-in-final-stage',
  aliases: [],
  title: 'Keep development dependencies out of the final stage',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    for (const install of analyse(dockerfile, path, files)) {
      report({
        range: install.range,
        message: `${describe(install)}, so the production image carries test, debug or build tooling it never runs (more size and more attack surface); install only runtime dependencies in the final stage and keep the rest in a build or test stage.`,
        data: { kind: install.kind },
      });
    }
  },
  fix(finding, dockerfile, context) {
    const install = analyse(dockerfile, context.path, context.files).find((i) => i.range.start.line === finding.range.start.line && i.range.start.character === finding.range.start.character);
    if (!install || install.kind !== 'node-project' || !install.verb || install.instruction.execForm) return undefined;
    const final = shippedStage({ dockerfile, ...context })!;
    const option = omitOption(dockerfile, stageAncestry(dockerfile, final), install.command.program ?? '');
    if (!option) return undefined;
    return {
      title: `Install without devDependencies (\`${option}\`)`,
      edits: [{ range: { start: install.verb.range.end, end: install.verb.range.end }, newText: ` ${option}` }],
      // A package the app needs at run time may be listed under devDependencies by mistake.
      safe: false,
    };
  },
});
