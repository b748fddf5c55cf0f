import { npmNeedsSources } from '../../project/installInputs';
import { join, posix } from 'node:path';
import { contextCopy } from '../../dockerfile/dockerignore';
import { instruction } from './plan';
import { type Conversion, type ConversionContext, type Converter, decline, isDeclined, slimRuntime, withCacheMounts } from './conversion';
import { serveStatic, staticServer } from './static';
import { commandsOf, type Source } from './source';
import type { ShellCommand } from '../../dockerfile/shell';
import { escapeRegExp } from '../../text/regexp';
import { codeAccess } from './appFiles';
import { NODE, copiedSources, scanSources, type SourceScan } from './sourceScan';

/**
 * Node.js: npm installs every dependency and builds in the build stage, then prunes the
 * devDependencies; the runtime stage (the same major's `-slim`, or `-alpine` when the original
 * was) gets `package.json`, the pruned `node_modules`, the build output the CMD runs, and the
 * files of the app folder the code may read (views, public assets, config, data).
 */

/** What only the build reads: TypeScript sources, tool configs, lock files, tests. */
function nodeBuildInput(path: string): boolean {
  const name = posix.basename(path);
  return /\.(?:ts|tsx|mts|cts)$/.test(name) ||
    /^(?:tsconfig.*\.json|\.eslintrc.*|eslint\.config\.\w+|\.prettierrc.*|prettier\.config\.\w+|jest\.config\.\w+|vitest\.config\.\w+|vite\.config\.\w+|webpack\.config\.\w+|rollup\.config\.\w+|babel\.config\.\w+|\.babelrc|\.swcrc|nodemon\.json|\.npmrc|\.nvmrc|\.node-version|yarn\.lock|pnpm-lock\.yaml|\.yarnrc.*|\.mocharc.*)$/.test(name) ||
    /(?:^|\/)(?:test|tests|__tests__|coverage|\.husky)\//.test(path);
}

export const convertNode: Converter = (source, context) => {
  const ref = source.ref;
  if (ref.name !== 'node' || ref.registry !== null || ref.digest) return decline(`the base image \`${source.stage.base.text}\` is not the official \`node\` image, so no slim image of the same Node.js is known for the runtime`);
  const installs = commandsOf(source, (k) => k.ecosystem === 'node' && k.installsDependencies);
  const builds = commandsOf(source, (k) => k.ecosystem === 'node' && k.builds);
  if (installs.length === 0) return decline('no `npm install` or `npm ci` of the application was found, so node_modules cannot be pruned for the runtime');
  if (builds.length === 0) return decline('no build step (`npm run build`, `tsc`…) was found: only the dependency install would move, which a production install does in one stage');
  // yarn, pnpm and bun prune differently: only npm is converted.
  const other = [...installs, ...builds].find((c) => ['yarn', 'pnpm', 'bun'].includes(c.kind.tool));
  if (other) return decline(`the build uses ${other.kind.tool}; only npm builds are converted (its production-only install differs)`);
  const steps = [...installs, ...builds].map((c) => c.step);
  if (steps.some((s) => s.commands.some((c) => c.program === 'cd'))) return decline('the install or build runs after a `cd` in the same RUN, which is not followed');
  const appDir = source.workdir;
  const elsewhere = steps.find((s) => s.workdir !== appDir);
  if (elsewhere) return decline(`the install and build run in \`${elsewhere.workdir}\`, not in the app's working directory \`${appDir}\``);

  // `node dist/server.js`: the first directory of the script is the build output.
  const words = npmScript(source, context, appDir) ?? source.start.words;
  const installSteps = new Set(installs.map((c) => c.step));
  const classic = context.builder === 'classic';
  const rewriteRun: Conversion['rewriteRun'] = (step) => (installSteps.has(step) && !step.afterUser && !classic ? withCacheMounts(step.raw, ['/root/.npm'], step) : step.raw);
  const site = staticServer(words, appDir);
  if (site) return serveStatic(site, rewriteRun, context.builder);
  const [program, ...args] = words;
  if (program.replace(/^.*\//, '') !== 'node') return decline(`the start command \`${words.join(' ')}\` does not run a file with node, so what it needs at run time is not known`);
  const script = args.find((a) => !a.startsWith('-'));
  if (!script) return decline('the start command runs node without a script file');
  const relative = posix.relative(appDir, posix.resolve(appDir, script));
  if (relative.startsWith('..')) return decline(`the start script \`${script}\` is outside the app folder \`${appDir}\``);
  const output = relative.includes('/') ? relative.split('/')[0] : null;
  if (output === 'node_modules') return decline('the start script runs from node_modules, which the prune step rewrites');

  const runtime = slimRuntime(source, 'node', context);
  if (!runtime) return decline('the build installs a `-dev` package whose runtime library is not known, and a native module needs it');
  if (isDeclined(runtime)) return runtime;
  const major = Number(/^(\d+)/.exec(ref.tag ?? '')?.[1] ?? '99');
  const prune = major < 15 ? 'npm prune --production' : 'npm prune --omit=dev';
  const scanned = context.project ? scanSources(context.project.tree, context.files, NODE, copiedSources(context.project)) : null;
  // A package the code imports but package.json lists only under devDependencies would be pruned
  // away: then node_modules keeps them, as the original image had it.
  const devImports = devDependenciesImported(context, scanned);
  const assumptions = devImports.length > 0
    ? [{ text: `The code imports ${devImports.map((d) => `\`${d}\``).join(', ')}, listed only under devDependencies: node_modules keeps the devDependencies, as the original had them (move ${devImports.length === 1 ? 'it' : 'them'} to dependencies to prune the rest).`, confirm: false }]
    : [];
  const path = (name: string) => posix.join(appDir, name);
  // The build may write anywhere in the app folder (a front-end bundle a server.js serves): then
  // the folder crosses over as the build left it, not only the start script's folder.
  const unknown = unknownOutputs(builds, output, source, context, appDir);
  if (unknown && appDir === '/') return decline(`the build (\`${unknown.slice(0, 60)}\`) may write anywhere in the app folder, and the app folder is \`/\`, which cannot cross over whole`);
  if (unknown) assumptions.push({ text: `The whole app folder crosses over as the build left it: \`${unknown.length > 60 ? `${unknown.slice(0, 57)}…` : unknown}\` may write files outside the start script's folder, which the app may serve or read.`, confirm: false });
  const installOnly = new Set([...installSteps].filter((s) => s.kinds.every((k) => k?.ecosystem === 'node' && k.installsDependencies)));
  const scan = scanned;

  return {
    label: 'Node.js',
    typicalSize: '~1.1 GB → ~150–250 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun,
    manifests: {
      files: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'],
      required: ['package.json'],
      installs: installOnly,
      prefetch: null,
      needsSources: context.dir === null ? null : npmNeedsSources(context.dir, context.files)?.reason ?? null,
      buildState: ['node_modules'],
    },
    buildEpilogue: devImports.length > 0 ? [] : [instruction('RUN', `RUN ${prune}`, ['# The runtime stage takes node_modules from here: production dependencies only.'])],
    // Node.js libraries read files from the working directory by convention (TypeORM's
    // ormconfig.json, node-config's config/, Express's views/, dotenv's .env), which no call in the
    // app's code shows: every file of the app folder that is not build input crosses over.
    appFiles: unknown ? { mode: 'whole' } : { mode: 'select', buildInput: nodeBuildInput, access: codeAccess(scan, 'Node.js libraries read files from the working directory by convention (ormconfig.json, config/, views/, .env)') },
    assumptions,
    runtime: {
      image: runtime.image,
      comment: [`Runtime: the same Node.js line on \`${runtime.tag}\`, without compilers${devImports.length > 0 ? '' : ' and devDependencies'}.`],
      ref: runtime.ref,
      distro: runtime.distro,
      setup: runtime.setup,
      // NODE_ENV is left as the original had it: production changes what Express and others do.
      env: [],
      artifacts: unknown ? [{ from: appDir, to: appDir }] : [
        { from: path('package*.json'), to: `${appDir.replace(/\/$/, '')}/`, file: true },
        { from: path('node_modules'), to: path('node_modules') },
        { from: path(output ?? relative), to: path(output ?? relative) },
      ],
      shellless: false,
      start: null,
      installTool: runtime.installTool,
      probeFacts: { node: 'node' },
    },
  };
};

/**
 * The command behind `npm start` or `npm run <script>`, read from the package.json the Dockerfile
 * copies into the app directory, when it is a plain `node <file>`; null otherwise.
 */
function npmScript(source: Source, context: ConversionContext, appDir: string): string[] | null {
  const [program, sub, name] = source.start.words;
  if (program !== 'npm' || context.dir === null) return null;
  const scriptName = sub === 'start' ? 'start' : (sub === 'run' || sub === 'run-script') && name ? name : null;
  if (!scriptName || source.start.words.length > (sub === 'start' ? 2 : 3)) return null;
  const scripts = appPackage(source, context, appDir)?.pkg.scripts ?? null;
  if (!scripts || scripts[`pre${scriptName}`] !== undefined) return null;
  const command = scripts[scriptName];
  if (typeof command !== 'string' || !/^node\s+[\w./@-]+(\s+[\w./=@-]+)*$/.test(command.trim())) return null;
  return command.trim().split(/\s+/);
}

/** The package.json the Dockerfile copies into the app directory, read from the context, with its folder there. */
function appPackage(source: Source, context: ConversionContext, appDir: string): { folder: string; pkg: { scripts?: Record<string, unknown> } } | null {
  if (context.dir === null) return null;
  let folder: string | null = null;
  for (const step of source.steps) {
    const copy = contextCopy(source.model, step.instruction);
    if (!copy || copy.dest.value === null || posix.resolve(step.workdir, copy.dest.value) !== appDir) continue;
    for (const s of copy.sources) {
      const value = s.value?.replace(/^\.\//, '') ?? '';
      if (value === 'package.json' || value === 'package*.json') folder = '.';
      else if (/^(.+\/)?package(\*)?\.json$/.test(value)) folder = posix.dirname(value);
      else if (value === '.' || value === '') folder ??= '.';
    }
  }
  if (folder === null) return null;
  try {
    const pkg = JSON.parse(context.files.read(join(context.dir, folder, 'package.json')) ?? '') as { scripts?: Record<string, unknown> };
    return pkg && typeof pkg === 'object' ? { folder, pkg } : null;
  } catch {
    return null;
  }
}

/** Compilers that write only compiled files, into the folder given (or tsconfig's outDir). */
const COMPILER = /^(?:npx\s+)?(?:tsc|nest\s+build|babel|swc)\b/;

/**
 * Whether the build writes only into `output`, the folder the start script is in, so that the
 * runtime needs that folder and no other build output: every build command is `tsc` with an
 * `outDir` there, `nest build`, or babel/swc with `-d`/`--out-dir` there (after an optional
 * `rimraf`/`rm -rf` of it); `npm run <script>` is read from package.json. Null when known;
 * otherwise the command whose outputs are not known.
 */
function unknownOutputs(builds: { command: ShellCommand }[], output: string | null, source: Source, context: ConversionContext, appDir: string): string | null {
  const app = appPackage(source, context, appDir);
  const scripts = app?.pkg.scripts ?? {};
  for (const { command } of builds) {
    const words = [command.program ?? '', ...command.args.map((a) => a.value ?? a.text)];
    let text = words.join(' ');
    if (words[0] === 'npm' && (words[1] === 'run' || words[1] === 'run-script') && words[2]) {
      const script = scripts[words[2]];
      if (typeof script !== 'string' || scripts[`pre${words[2]}`] !== undefined || scripts[`post${words[2]}`] !== undefined) return text;
      text = script;
    }
    for (const part of text.split(/\s*&&\s*/)) {
      const p = part.trim();
      if (output && new RegExp(`^(?:npx\\s+)?(?:rimraf|rm\\s+-r?f?r?)\\s+\\.?/?${escapeRegExp(output)}/?$`).test(p)) continue;
      if (!output || !COMPILER.test(p)) return text;
      if (/^(?:npx\s+)?(?:babel|swc)\b/.test(p)) {
        const dir = /(?:-d|--out-dir)[\s=]+\.?\/?([\w.@-]+)/.exec(p)?.[1];
        if (dir !== output) return text;
      } else if (/^(?:npx\s+)?tsc\b/.test(p)) {
        if (/--outDir|--outFile|-w\b|--watch/.test(p) && !new RegExp(`--outDir[\\s=]+\\.?/?${escapeRegExp(output)}\\b`).test(p)) return text;
        const config = /(?:-p|--project)[\s=]+(\S+)/.exec(p)?.[1] ?? 'tsconfig.json';
        const file = config === '.' || config.endsWith('/') ? posix.join(config, 'tsconfig.json') : config;
        const tsconfig = context.dir && app ? context.files.read(join(context.dir, app.folder, file)) : null;
        const outDir = /"outDir"\s*:\s*"\.?\/?([^"/]+)/.exec(tsconfig ?? '')?.[1];
        if (outDir !== output && !new RegExp(`--outDir[\\s=]+\\.?/?${escapeRegExp(output)}\\b`).test(p)) return text;
      }
    }
  }
  return null;
}

/** Packages the sources import (not types only) that package.json lists only as devDependencies. */
function devDependenciesImported(context: ConversionContext, scan: SourceScan | null): string[] {
  if (!scan || context.dir === null) return [];
  let manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(context.files.read(join(context.dir, 'package.json')) ?? '{}');
  } catch {
    return [];
  }
  const dev = new Set(Object.keys(manifest.devDependencies ?? {}).filter((d) => !(d in (manifest.dependencies ?? {}))));
  const used = new Set<string>();
  for (const [file, text] of scan.texts) {
    // Build-tool configs (vite.config.ts, webpack.config.js, .eslintrc.js) and build scripts run only in the build.
    if (/(?:^|\/)(?:[\w-]+\.config\.[cm]?[jt]s|\.\w+rc\.[cm]?js|gulpfile\.[cm]?js|Gruntfile\.[cm]?js)$|(?:^|\/)scripts\//.test(file)) continue;
    for (const m of text.matchAll(/(?:^|[;\n])\s*import\s+(?!type\b)(?:[^'"\n;]*?\s+from\s+)?['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (dev.has(name) && !name.startsWith('@types/')) used.add(name);
    }
  }
  return [...used].sort();
}
