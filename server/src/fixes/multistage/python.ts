import { posix } from 'node:path';
import { hasOption } from '../../dockerfile/shell';
import { packageOperation } from '../../dockerfile/ecosystems';
import { instruction } from './plan';
import { type Converter, slimRuntime, withCacheMounts } from './conversion';
import { applicationPaths, commandsOf } from './source';

const VENV = '/opt/venv';

/**
 * Python: pip installs into a virtualenv in the build stage (with the compilers the wheels
 * needed); the runtime stage, the same version's `-slim`, gets the virtualenv and the
 * application directory, plus the shared libraries the original installed that are not build tools.
 */
export const convertPython: Converter = (source) => {
  const ref = source.ref;
  if (ref.name !== 'python' || ref.registry !== null || ref.digest) return null;
  const installs = commandsOf(source, (k) => k.ecosystem === 'python');
  if (installs.length === 0 || installs.some((c) => c.kind.tool !== 'pip')) return null;
  // A pip install elsewhere than the environment, or as another user, is not moved into a virtualenv.
  if (installs.some((c) => hasOption(c.command, '--user', '--target', '-t', '--prefix', '--root') || c.step.afterUser)) return null;
  const app = applicationPaths(source, [VENV]);
  if (!app) return null;

  const runtime = slimRuntime(source, 'python');
  if (!runtime) return null;
  const pipSteps = new Set(installs.map((c) => c.step));
  // The requirement files pip reads, relative to the directory the sources are copied to.
  const requirements = [...new Set(installs.flatMap((c) => c.kind.files.map((f) => posix.relative(app[0], posix.resolve(c.step.workdir, f)))))];
  const installOnly = new Set([...pipSteps].filter((s) => s.commands.every((c, i) => s.kinds[i]?.tool === 'pip' || packageOperation(c) !== null || /^(apt-get|apk|rm)$/.test(c.program ?? ''))));
  const venvEnv = instruction('ENV', `ENV VIRTUAL_ENV=${VENV} PATH="${VENV}/bin:$PATH"`);

  return {
    label: 'Python',
    typicalSize: '~900 MB → ~180–250 MB',
    buildPlatform: null,
    buildPrelude: [instruction('RUN', `RUN python -m venv ${VENV}`, ['# pip installs into a virtualenv, the one thing the runtime stage takes besides the app.']), venvEnv],
    rewriteRun: (step) => (pipSteps.has(step) && !/--no-cache-dir/.test(step.raw) ? withCacheMounts(step.raw, ['/root/.cache/pip']) : step.raw),
    buildEpilogue: [],
    manifests: requirements.length > 0 && requirements.every((f) => !f.startsWith('..')) ? { files: requirements, required: requirements, installs: installOnly, prefetch: null } : null,
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

