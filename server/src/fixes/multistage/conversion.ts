import type { ImageRef } from '../../text/image';
import type { Distro } from '../../text/images';
import type { FileAccess } from '../../rules/types';
import { slimTag } from '../../dockerfile/ecosystems';
import { parseImageRef } from '../../text/image';
import { instruction, type PlannedInstruction } from './plan';
import { isBuildPackage } from './source';
import { runtimeLibraries } from './libraries';
import type { Source, Step } from './source';

/** What one ecosystem decides; `index.ts` assembles it into a plan with what all share. */
export interface Conversion {
  label: string;
  typicalSize: string;
  /** `$BUILDPLATFORM` when the build cross-compiles for `TARGETOS`/`TARGETARCH`. */
  buildPlatform: string | null;
  /** Instructions right after the build stage's FROM (ARG TARGETARCH, a virtualenv…). */
  buildPrelude: PlannedInstruction[];
  /** The new text of a RUN of the build stage, or null to give up on the conversion. */
  rewriteRun(step: Step): string | null;
  /**
   * ENV the build commands now take from BuildKit's TARGETOS/TARGETARCH (`GOARCH`): left out of the
   * build stage, so that no architecture stays written in it.
   */
  targetEnv?: RegExp;
  /** Instructions after the last build step (pruning devDependencies…). */
  buildEpilogue: PlannedInstruction[];
  runtime: RuntimeStage;
  /**
   * The dependency manifests (relative to the project directory) and the RUNs that install from
   * them alone, so that a cache layer can be built before the sources arrive; null when unknown.
   */
  manifests: Manifests | null;
}

export interface Manifests {
  files: string[];
  required: string[];
  /** RUNs that only install dependencies; moved before the sources when they come after them. */
  installs: Set<Step>;
  /** The RUN that downloads the dependencies when the original has none of its own. */
  prefetch: string | null;
}

export interface RuntimeStage {
  image: string;
  /** Why this image, above its FROM. */
  comment: string[];
  ref: ImageRef | null;
  distro: Distro;
  /** RUNs that install what the application needs at run time. */
  setup: PlannedInstruction[];
  /** ENV the runtime needs besides the original's (NODE_ENV, PATH of a virtualenv). */
  env: PlannedInstruction[];
  /** What crosses from the build stage: absolute paths in the build stage and in the runtime image. */
  artifacts: { from: string; to: string }[];
  /** The image has no shell: CMD and ENTRYPOINT must be exec forms, HEALTHCHECK cannot use curl. */
  shellless: boolean;
  /** The command the runtime image starts instead of the original's, or null to keep the original's. */
  start: string[] | null;
  /** How to install a tool a HEALTHCHECK needs, or null when the image cannot have one. */
  installTool: ((tool: string) => PlannedInstruction) | null;
  /** Facts the healthcheck probe may rely on (the language runtime in the image). */
  probeFacts: { node?: string; python?: string };
  /** A non-root user the image already has, to select instead of creating one. */
  imageUser?: string | null;
}

export interface ConversionContext {
  files: FileAccess;
  /** Directory of the Dockerfile on disk, or null: manifests are looked up there when known. */
  dir: string | null;
}

export type Converter = (source: Source, context: ConversionContext) => Conversion | null;

/** Adds BuildKit cache mounts to a RUN (after its keyword), skipping targets it already mounts. */
export function withCacheMounts(raw: string, targets: string[]): string {
  const missing = targets.filter((t) => !raw.includes(`target=${t}`));
  if (missing.length === 0) return raw;
  const mounts = missing.map((t) => `--mount=type=cache,target=${t}`).join(' ');
  return raw.replace(/^(\s*RUN)(\s+)/i, `$1 ${mounts}$2`);
}

/** A RUN that installs packages in a runtime image and leaves no package index behind. */
export function packageInstall(distro: Distro, packages: string[]): PlannedInstruction | null {
  if (packages.length === 0) return null;
  const list = packages.join(' ');
  if (distro === 'alpine') return instruction('RUN', `RUN apk add --no-cache ${list}`);
  if (distro === 'debian') return instruction('RUN', `RUN apt-get update && apt-get install -y --no-install-recommends ${list} && rm -rf /var/lib/apt/lists/*`);
  return null;
}

/** True when a step's commands run the given program (after `sudo`, `env`…, as classified). */
export function runsTool(step: Step, ...tools: string[]): boolean {
  return step.kinds.some((k) => k !== null && tools.includes(k.tool));
}

/**
 * The runtime of an interpreted language on the official images: the same tag's `-slim` (the
 * original's own tag when it is already `-alpine` or `-slim`), the original's packages that are
 * not build tools plus the libraries its `-dev` packages were for, and how to add a tool; null
 * when such a library is not known. Node puts the Debian suite before `-slim`, Python and Ruby
 * after it.
 */
export function slimRuntime(source: Source, family: 'node' | 'python' | 'ruby'): (Pick<RuntimeStage, 'image' | 'ref' | 'distro' | 'setup' | 'installTool'> & { tag: string }) | null {
  const original = source.ref.tag ?? 'latest';
  const tag = /alpine|slim/.test(original) ? original : slimTag(original, family === 'node' ? 'node' : 'python');
  const image = `${family}:${tag}`;
  const distro = original.includes('alpine') ? 'alpine' : 'debian';
  const libraries = runtimeLibraries(source.packages, distro, family);
  if (libraries === null) return null;
  const packages = [...source.packages.filter((p) => !isBuildPackage(p, true)), ...libraries.filter((l) => !source.packages.includes(l))];
  const install = packageInstall(distro, packages);
  if (install && libraries.length > 0) install.comments = [`# ${libraries.join(', ')}: the shared ${libraries.length === 1 ? 'library' : 'libraries'} the build compiled against, loaded at run time.`];
  return {
    tag,
    image,
    ref: parseImageRef(image),
    distro,
    setup: install ? [install] : [],
    installTool: (tool) => packageInstall(distro, [tool])!,
  };
}

/**
 * A build stage that cross-compiles runs on the build machine's platform and reads the target
 * from BuildKit's `TARGETOS`/`TARGETARCH`; one that does not runs on the target platform.
 */
export function crossCompile(cross: boolean, args: string): Pick<Conversion, 'buildPlatform' | 'buildPrelude'> {
  if (!cross) return { buildPlatform: null, buildPrelude: [] };
  return { buildPlatform: '$BUILDPLATFORM', buildPrelude: [instruction('ARG', `ARG ${args}`, ['# Set by BuildKit for each platform of `docker buildx build --platform …`.'])] };
}
