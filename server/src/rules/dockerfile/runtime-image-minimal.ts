import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { stageCommands } from '../../dockerfile/shell';
import { isCompilerPackage, meantForDevelopment, packageOperation, sdkImage, startsApplication, toolchainPackage, type SdkImage } from '../../dockerfile/ecosystems';
import { sdkBuild } from './prefer-multi-stage';

/** The image the stage that ships runs on, when it is a full SDK or toolchain image. */
function finalSdk(model: DockerfileModel, path: string | null, files: FileAccess): { sdk: SdkImage; stage: number; final: Stage } | null {
  const final = shippedStage({ dockerfile: model, path, files });
  if (!final) return null;
  const chain = stageAncestry(model, final);
  const root = chain[chain.length - 1];
  if (root.base.stageRef !== null) return null;
  const sdk = sdkImage(root.base.ref);
  if (!sdk) return null;
  // Base, toolbox and development images keep their toolchain on purpose, and an image without
  // a command of its own runs whatever the SDK image runs: a shell or a REPL.
  if (startsApplication(model, chain) !== 'yes') return null;
  if (meantForDevelopment(path, final)) return null;
  if (addsTools(model, chain)) return null;
  return { sdk, stage: root.index, final };
}

/** Packages that make an image a working environment rather than a service. */
const TOOL_PACKAGES = new Set(['git', 'openssh-client', 'nodejs', 'npm', 'make', 'vim', 'less', 'subversion', 'mercurial']);

/**
 * True when the final image installs more tools on top of its SDK (git, another language, a
 * compiler): a CLI or workspace image (Hugo needs Go for its modules) that wants the SDK.
 */
function addsTools(model: DockerfileModel, chain: Stage[]): boolean {
  return chain.some((stage) => stageCommands(model, stage.index).some(({ command }) => {
    const op = packageOperation(command);
    return op?.action === 'install' && op.packages.some((p) => TOOL_PACKAGES.has(p) || isCompilerPackage(p) || toolchainPackage(p) !== null);
  }));
}

/**
 * The image that runs in production needs the language runtime, not the compilers, package
 * managers, headers and caches of an SDK image: those make it several times larger and hand an
 * attacker tools to build with. Each SDK has a runtime image of the same version line.
 */
export default dockerfileRule({
  id: 'runtime-image-minimal',
  aliases: [],
  title: 'Run the final stage on a runtime image, not an SDK',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const found = finalSdk(dockerfile, path, files);
    if (!found) return;
    const { sdk, stage: index, final } = found;
    const stage = dockerfile.stages[index];
    // A single-stage file that builds on the SDK gets prefer-multi-stage on this same image:
    // the fix there (a build stage) is the one that matters, so it is not reported twice.
    if (sdkBuild(dockerfile, path)) return;
    const multiStage = dockerfile.stages.length > 1;
    const image = stage.base.text;
    const note = sdk.note ? ` (${sdk.note})` : '';
    report({
      range: stage.base.range,
      message: multiStage
        ? `${shippedStageLabel(dockerfile, final)} runs on \`${image}\`, a ${sdk.kind}, so ${sdk.tools} ship to production with the application; base it on \`${sdk.runtime}\`${note} and copy only the build output into it.`
        : `The image runs on \`${image}\`, a ${sdk.kind} that carries ${sdk.tools}, which the running application does not need and an attacker can use; use \`${sdk.runtime}\`${note} instead.`,
      data: { sdk: sdk.family, ecosystem: sdk.ecosystem, runtime: sdk.runtime, sameRuntime: sdk.sameRuntime, multiStage },
    });
  },
  fix(finding, dockerfile) {
    const runtime = finding.data?.runtime;
    if (typeof runtime !== 'string' || finding.data?.sameRuntime !== true) return undefined;
    const stage = dockerfile.stages.find((s) => s.base.range.start.line === finding.range.start.line && s.base.range.start.character === finding.range.start.character);
    if (!stage) return undefined;
    // Only a literal image is rewritten: a tag built from ARGs or pinned by digest needs a person.
    const base = stage.base;
    if (base.text !== base.resolved || base.ref?.digest) return undefined;
    const sdk = sdkImage(base.ref);
    if (!sdk || sdk.runtime !== runtime) return undefined;
    const tag = runtime.slice(runtime.indexOf(':') + 1);
    const current = base.ref!.tag;
    // Keep the registry and repository as written (`docker.io/library/node`), change the tag.
    const newText = current ? `${base.text.slice(0, base.text.length - current.length)}${tag}` : `${base.text}:${tag}`;
    return {
      title: `Switch to ${runtime}`,
      edits: [{ range: base.range, newText }],
      // Slim images lack compilers and git: a dependency that builds native code needs them.
      safe: false,
    };
  },
});
