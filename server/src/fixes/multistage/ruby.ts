import { type Converter, decline, isDeclined, slimRuntime } from './conversion';
import { applicationPaths, commandsOf } from './source';

/** Where the official `ruby` images install gems, for `gem install` and `bundle install` alike. */
const GEM_HOME = '/usr/local/bundle';

/**
 * Ruby: gems with native extensions compile in the build stage (with the compiler the original
 * installed); the runtime stage, the same Ruby on `-slim` (or the original `-alpine`/`-slim`),
 * gets the installed gems and the application directory, plus the libraries that are not build tools.
 */
export const convertRuby: Converter = (source, context) => {
  const ref = source.ref;
  if (ref.name !== 'ruby' || ref.registry !== null || ref.digest) return decline(`the base image \`${source.stage.base.text}\` is not the official \`ruby\` image, so no slim image of the same Ruby is known for the runtime`);
  const installs = commandsOf(source, (k) => k.ecosystem === 'ruby');
  if (installs.length === 0) return decline('no `gem install` or `bundle install` of the application was found');
  if (installs.some((c) => c.step.afterUser)) return decline('gems are installed as a non-root user, into its home, which the conversion does not follow');
  // A gem home elsewhere (`GEM_HOME`, `bundle config path`) is not followed.
  if (source.stage.variables.has('GEM_HOME') || source.stage.variables.has('BUNDLE_PATH')) return decline('GEM_HOME or BUNDLE_PATH moves where gems are installed, which is not followed');
  const app = applicationPaths(source, [GEM_HOME]);
  if (!app) return decline('the application is copied into a system folder, or where it is copied is not known');
  const runtime = slimRuntime(source, 'ruby', context);
  if (!runtime) return decline('the build installs a `-dev` package whose runtime library is not known, and a gem\'s native extension needs it');
  if (isDeclined(runtime)) return runtime;
  return {
    label: 'Ruby',
    typicalSize: '~1 GB → ~100–200 MB',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun: (step) => step.raw,
    buildEpilogue: [],
    appFiles: { mode: 'whole' },
    assumptions: [],
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
