import { join, posix } from 'node:path';
import type { ImageRef } from '../../text/image';
import type { Distro } from '../../text/images';
import type { FileAccess } from '../../rules/types';
import { slimTag } from '../../dockerfile/ecosystems';
import { deletesDirectory } from '../../dockerfile/packages';
import { parseImageRef } from '../../text/image';
import { instruction, type PlannedInstruction } from './plan';
import { isBuildPackage } from './source';
import { projectLibraries, runtimeLibraries, systemLibraryUser } from './libraries';
import type { Source, Step } from './source';
import type { GitIgnore } from '../../project/gitignore';
import type { BuildContext } from '../../project/buildContext';
import type { ContextTree, CopyResult } from '../../project/contextFiles';
import type { CodeAccess } from './appFiles';
import type { Builder } from '../../project/builder';

export type { Builder };

/**
 * Why no conversion is offered: one sentence the user reads in the editor (the disabled action's
 * reason, the finding's hover) and on the command line. Declining is allowed; declining silently
 * is not.
 */
export interface Declined {
  declined: string;
}

export function decline(reason: string): Declined {
  return { declined: reason };
}

export function isDeclined(value: unknown): value is Declined {
  return typeof value === 'object' && value !== null && 'declined' in value;
}

/**
 * Something a conversion rests on that the Dockerfile alone does not prove: written as a comment
 * in the result, and in the editor a change annotation that asks for confirmation when `confirm`.
 */
export interface Assumption {
  text: string;
  /** It could change what the application does: the editor shows the refactor preview first. */
  confirm: boolean;
}

/** What one ecosystem decides; `index.ts` assembles it into a plan with what all share. */
export interface Conversion {
  label: string;
  typicalSize: string;
  /** `$BUILDPLATFORM` when the build cross-compiles for `TARGETOS`/`TARGETARCH`. */
  buildPlatform: string | null;
  /** The build stage's image when it must differ from the original's (a tag pinned to a JDK). */
  buildImage?: string | null;
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
  /**
   * How the files of the application's folders reach the runtime stage besides the artifacts:
   * `whole` when the artifacts already are the whole folders (interpreted languages); else the
   * context files that are not build input, narrowed by what the code reads (see appFiles.ts).
   */
  appFiles: { mode: 'whole' } | {
    mode: 'select';
    buildInput: (path: string) => boolean;
    access: CodeAccess;
    /** Files compiled into the artifact (`//go:embed`): a name in the code refers to the copy inside it. */
    compiledIn?: { test: (path: string) => boolean; how: string };
  };
  /** What the ecosystem assumed (a JDK release, cgo left off…). */
  assumptions: Assumption[];
}

export interface Manifests {
  files: string[];
  required: string[];
  /** RUNs that only install dependencies; moved before the sources when they come after them. */
  installs: Set<Step>;
  /** The RUN that downloads the dependencies when the original has none of its own. */
  prefetch: string | null;
  /** Why the install reads more than the manifests (a lifecycle script, a local package): then it stays after the sources. */
  needsSources: string | null;
  /**
   * Folders a local build leaves in the project (node_modules, obj), relative to it: unless the
   * ignore file keeps them out, the copy of the sources after the install would put them over
   * what it installed, which the original's install (after the copy) replaced.
   */
  buildState: string[];
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
  /** `file`: the source is a file (a binary, a jar), never a folder: it may share a COPY with others. */
  artifacts: { from: string; to: string; file?: boolean }[];
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
  /** The build context's folder on disk, or null: manifests and sources are looked up there. */
  dir: string | null;
  /** The build context as the builder receives it and what the Dockerfile copies from it; null when unknown. */
  project: ProjectView | null;
  /** The builder the result is for: the classic builder takes no BuildKit-only syntax. */
  builder: Builder;
}


export interface ProjectView {
  context: BuildContext;
  tree: ContextTree;
  copies: CopyResult;
  /** What Git leaves out of a checkout of the context; null when no `.gitignore` applies. */
  git: GitIgnore | null;
}

export type Converter = (source: Source, context: ConversionContext) => Conversion | Declined;

/** The files a language's dependencies are declared in. */
const MANIFEST: Record<'python' | 'ruby' | 'node', RegExp> = {
  python: /^(?:requirements.*\.txt|pyproject\.toml|setup\.cfg|setup\.py|Pipfile(?:\.lock)?)$/,
  ruby: /^(?:Gemfile(?:\.lock)?)$/,
  node: /^package\.json$/,
};

/**
 * Adds BuildKit cache mounts to a RUN (after its keyword), skipping targets it already mounts and
 * targets the same RUN deletes: a mount point cannot be removed (`rm -rf /root/.npm`, `go clean
 * -modcache`, `rm -rf $(pip cache dir)`), so such a mount would fail the build.
 */
export function withCacheMounts(raw: string, targets: string[], step?: Step): string {
  const missing = targets.filter((t) => !raw.includes(`target=${t}`) && !(step && cleans(step, t)));
  if (missing.length === 0) return raw;
  const mounts = missing.map((t) => `--mount=type=cache,target=${t}`).join(' ');
  return raw.replace(/^(\s*RUN)(\s+)/i, `$1 ${mounts}$2`);
}

/**
 * True when a command of the step removes `target` or a folder above it (`rm`, `find -delete`,
 * `$(pip cache dir)`: packages.ts reads them as the cache rules do), removes a path it cannot
 * read (`rm -rf $DIR`), or runs `go clean` on it.
 */
export function cleans(step: Step, target: string): boolean {
  return step.commands.some((command) => {
    if (deletesDirectory(command, target, '/root')) return true;
    if (command.program === 'rm' && command.args.some((a) => a.value === null && !a.text.startsWith('-'))) return true;
    if (command.program === 'go' && command.args.some((a) => a.value === 'clean')) {
      return (target.endsWith('/pkg/mod') && command.args.some((a) => a.value === '-modcache')) || (target.endsWith('/go-build') && command.args.some((a) => a.value === '-cache'));
    }
    return false;
  });
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
export function slimRuntime(source: Source, family: 'node' | 'python' | 'ruby', context?: ConversionContext): (Pick<RuntimeStage, 'image' | 'ref' | 'distro' | 'setup' | 'installTool'> & { tag: string }) | Declined | null {
  const original = source.ref.tag ?? 'latest';
  const tag = /alpine|slim/.test(original) ? original : slimTag(original, family === 'node' ? 'node' : 'python');
  const image = `${family}:${tag}`;
  const distro = original.includes('alpine') ? 'alpine' : 'debian';
  const fromPackages = runtimeLibraries(source.packages, distro, family);
  if (fromPackages === null) return null;
  // The full image carried the headers the app's own packages compiled against (mysqlclient).
  const full = !/alpine|slim/.test(original);
  const manifests = full && context?.project ? context.project.tree.files.filter((f) => MANIFEST[family].test(posix.basename(f))).map((f) => context.files.read(join(context.project!.tree.root, f)) ?? '') : [];
  const user = systemLibraryUser(family, manifests);
  if (user) return decline(`the project uses \`${user.name}\`, which needs ${user.uses} at run time: the full \`${family}:${original}\` image has it, \`-slim\` does not, and the runtime package to add is not known for every release`);
  const libraries = [...new Set([...fromPackages, ...projectLibraries(family, distro, manifests)])];
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
