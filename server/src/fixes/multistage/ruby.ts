import { type Converter, slimRuntime } from './conversion';
import { applicationPaths, commandsOf } from './source';

/** Where the official `ruby` images install gems, for `gem install` and `bundle install` alike. */
const GEM_HOME = '/usr/local/bundle';

/**
 * Ruby: gems with native extensions compile in the build stage (with the compiler the original
 * installed); the runtime stage, the same Ruby on `-slim` (or the original `-alpine`/`-slim`),
 * gets the installed gems and the application directory, plus the libraries that are not build tools.
 */
export const convertRuby: Converter = (source) => {
  const ref = source.ref;
  if (ref.name !== 'ruby' || ref.registry !== null || ref.digest) return null;
  const installs = commandsOf(source, (k) => k.ecosystem === 'ruby');
  if (installs.length === 0 || installs.some((c) => c.step.afterUser)) return null;
  // A gem home elsewhere (`GEM_HOME`, `bundle config path`) is not followed.
  if (source.stage.variables.has('GEM_HOME') || source.stage.variables.has('BUNDLE_PATH')) return null;
  const app = applicationPaths(source, [GEM_HOME]);
  if (!app) return null;
  const runtime = slimRuntime(source, 'ruby');
  if (!runtime) return null;
  return {
    label: 'Ruby',
    typicalSize: '~1 GB → ~100–200 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun: (step) => step.raw,
    buildEpilogue: [],
    manifests: null,
    runtime: {
      image: runtime.image,
      comment: [`Runtime: the same Ruby on \`${runtime.tag}\` with the installed gems; no compiler.`],
      ref: runtime.ref,
      distro: runtime.distro,
      setup: runtime.setup,
      env: [],
      artifacts: [{ from: GEM_HOME, to: GEM_HOME }, ...app.map((p) => ({ from: p, to: p }))],
      shellless: false,
      start: null,
      installTool: runtime.installTool,
      probeFacts: {},
    },
  };
};
