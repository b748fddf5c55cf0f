import { join, posix } from 'node:path';
import { contextCopy } from '../../dockerfile/dockerignore';
import { instruction } from './plan';
import { type Conversion, type ConversionContext, type Converter, slimRuntime, withCacheMounts } from './conversion';
import { serveStatic, staticServer } from './static';
import { commandsOf, type Source } from './source';

/**
 * Node.js: npm installs every dependency and builds in the build stage, then prunes the
 * devDependencies; the runtime stage (the same major's `-slim`, or `-alpine` when the original
 * was) gets `package.json`, the pruned `node_modules` and the build output the CMD runs.
 */
export const convertNode: Converter = (source, context) => {
  const ref = source.ref;
  if (ref.name !== 'node' || ref.registry !== null || ref.digest) return null;
  const installs = commandsOf(source, (k) => k.ecosystem === 'node' && k.installsDependencies);
  const builds = commandsOf(source, (k) => k.ecosystem === 'node' && k.builds);
  if (installs.length === 0 || builds.length === 0) return null;
  // yarn, pnpm and bun prune differently: only npm is converted.
  if ([...installs, ...builds].some((c) => ['yarn', 'pnpm', 'bun'].includes(c.kind.tool))) return null;
  const steps = [...installs, ...builds].map((c) => c.step);
  if (steps.some((s) => s.commands.some((c) => c.program === 'cd'))) return null;
  const appDir = source.workdir;
  if (steps.some((s) => s.workdir !== appDir)) return null;

  // `node dist/server.js`: the first directory of the script is the build output.
  const words = npmScript(source, context, appDir) ?? source.start.words;
  const installSteps = new Set(installs.map((c) => c.step));
  const rewriteRun: Conversion['rewriteRun'] = (step) => (installSteps.has(step) && !step.afterUser ? withCacheMounts(step.raw, ['/root/.npm']) : step.raw);
  const site = staticServer(words, appDir);
  if (site) return serveStatic(site, rewriteRun);
  const [program, ...args] = words;
  if (program.replace(/^.*\//, '') !== 'node') return null;
  const script = args.find((a) => !a.startsWith('-'));
  if (!script) return null;
  const relative = posix.relative(appDir, posix.resolve(appDir, script));
  if (relative.startsWith('..') || !relative.includes('/')) return null;
  const output = relative.split('/')[0];
  if (output === 'node_modules') return null;

  const runtime = slimRuntime(source, 'node');
  if (!runtime) return null;
  const major = Number(/^(\d+)/.exec(ref.tag ?? '')?.[1] ?? '99');
  const prune = major < 15 ? 'npm prune --production' : 'npm prune --omit=dev';
  const setsNodeEnv = source.steps.some((s) => s.instruction.keyword === 'ENV' && /\bNODE_ENV\b/.test(s.instruction.args));
  const path = (name: string) => posix.join(appDir, name);
  const installOnly = new Set([...installSteps].filter((s) => s.kinds.every((k) => k?.ecosystem === 'node' && k.installsDependencies)));

  return {
    label: 'Node.js',
    typicalSize: '~1.1 GB → ~150–250 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun,
    manifests: { files: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'], required: ['package.json'], installs: installOnly, prefetch: null },
    buildEpilogue: [instruction('RUN', `RUN ${prune}`, ['# The runtime stage takes node_modules from here: production dependencies only.'])],
    runtime: {
      image: runtime.image,
      comment: [`Runtime: the same Node.js line on \`${runtime.tag}\`, without compilers and devDependencies.`],
      ref: runtime.ref,
      distro: runtime.distro,
      setup: runtime.setup,
      env: setsNodeEnv ? [] : [instruction('ENV', 'ENV NODE_ENV=production')],
      artifacts: [
        { from: path('package*.json'), to: `${appDir.replace(/\/$/, '')}/` },
        { from: path('node_modules'), to: path('node_modules') },
        { from: path(output), to: path(output) },
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
  // The context folder whose package.json lands in the app directory.
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
  const text = context.files.read(join(context.dir, folder, 'package.json'));
  if (text === null) return null;
  let scripts: Record<string, unknown> = {};
  try {
    scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return null;
  }
  if (scripts[`pre${scriptName}`] !== undefined) return null;
  const command = scripts[scriptName];
  if (typeof command !== 'string' || !/^node\s+[\w./@-]+(\s+[\w./=@-]+)*$/.test(command.trim())) return null;
  return command.trim().split(/\s+/);
}
