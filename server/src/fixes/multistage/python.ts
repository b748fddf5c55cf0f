import { requirementFiles } from '../../project/installInputs';
import { posix } from 'node:path';
import { hasOption } from '../../dockerfile/shell';
import { packageOperation } from '../../dockerfile/ecosystems';
import { instruction } from './plan';
import { type Converter, decline, isDeclined, slimRuntime, withCacheMounts } from './conversion';
import { applicationPaths, commandsOf } from './source';

const VENV = '/opt/venv';

/**
 * Python: pip installs into a virtualenv in the build stage (with the compilers the wheels
 * needed); the runtime stage, the same version's `-slim`, gets the virtualenv and the
 * application directory, plus the shared libraries the original installed that are not build tools.
 */
export const convertPython: Converter = (source, context) => {
  const ref = source.ref;
  if (ref.name !== 'python' || ref.registry !== null || ref.digest) return decline(`the base image \`${source.stage.base.text}\` is not the official \`python\` image, so no slim image of the same Python is known for the runtime`);
  const installs = commandsOf(source, (k) => k.ecosystem === 'python');
  if (installs.length === 0) return decline('no `pip install` of the application was found');
  const other = installs.find((c) => c.kind.tool !== 'pip');
  if (other) return decline(`the build uses ${other.kind.tool}; only pip installs are moved into a virtualenv`);
  // A pip install elsewhere than the environment, or as another user, is not moved into a virtualenv.
  if (installs.some((c) => hasOption(c.command, '--user', '--target', '-t', '--prefix', '--root'))) return decline('pip installs with `--user`, `--target`, `--prefix` or `--root`, a place the conversion does not follow');
  if (installs.some((c) => c.step.afterUser)) return decline('pip runs as a non-root user, into its home, which the conversion does not follow');
  const app = applicationPaths(source, [VENV]);
  if (!app) return decline('the application is copied into a system folder, or where it is copied is not known');

  const runtime = slimRuntime(source, 'python', context);
  if (!runtime) return decline('the build installs a `-dev` package whose runtime library is not known, and a compiled package needs it');
  if (isDeclined(runtime)) return runtime;
  const classic = context.builder === 'classic';
  const pipSteps = new Set(installs.map((c) => c.step));
  // The requirement files pip reads, relative to the directory the sources are copied to.
  const requirements = [...new Set(installs.flatMap((c) => c.kind.files.map((f) => posix.relative(app[0], posix.resolve(c.step.workdir, f)))))];
  const installOnly = new Set([...pipSteps].filter((s) => s.commands.every((c, i) => s.kinds[i]?.tool === 'pip' || packageOperation(c) !== null || /^(apt-get|apk|rm)$/.test(c.program ?? ''))));
  // The files pip reads, following `-r`/`-c`: all copied first, unless one installs from the sources.
  const read = context.dir === null ? null : requirementFiles(context.dir, requirements, context.files);
  const venvEnv = instruction('ENV', `ENV VIRTUAL_ENV=${VENV} PATH="${VENV}/bin:$PATH"`);

  return {
    label: 'Python',
    typicalSize: '~900 MB → ~180–250 MB',
    buildPlatform: null,
    buildPrelude: [instruction('RUN', `RUN python -m venv ${VENV}`, ['# pip installs into a virtualenv, the one thing the runtime stage takes besides the app.']), venvEnv],
    rewriteRun: (step) => (pipSteps.has(step) && !/--no-cache-dir/.test(step.raw) && !classic ? withCacheMounts(step.raw, ['/root/.cache/pip'], step) : step.raw),
    buildEpilogue: [],
    appFiles: { mode: 'whole' },
    assumptions: [],
    manifests: requirements.length > 0 ? {
      files: read?.files ?? requirements,
      required: requirements,
      installs: installOnly,
      prefetch: null,
      needsSources: requirements.some((f) => f.startsWith('..')) ? 'a requirements file is outside the copied folder' : read?.needs ?? null,
      buildState: [],
    } : null,
    runtime: {
      image: runtime.image,
      comment: [`Runtime: the same Python version on \`${runtime.tag}\`, without compilers and headers.`],
      ref: runtime.ref,
      distro: runtime.distro,
      setup: runtime.setup,
      env: [venvEnv],
      artifacts: [{ from: VENV, to: VENV }, ...app.map((p) => ({ from: p, to: p }))],
      shellless: false,
      start: null,
      installTool: runtime.installTool,
      probeFacts: { python: 'python3' },
    },
  };
};

