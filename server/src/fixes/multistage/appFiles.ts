import { posix } from 'node:path';
import type { ImageEntry } from '../../project/contextFiles';
import type { Assumption } from './conversion';
import { namesEntry, type SourceScan } from './sourceScan';

/**
 * Which files the runtime stage needs besides the artifacts. Behaviour first: by default every
 * file the original image got from the build context crosses over, except the build's own input
 * (sources of a compiled language, build manifests, tests, Docker and VCS files). The set is
 * narrowed only where the code shows it opens no files by a computed path: then what nothing names
 * stays in the build stage, said in a comment the user confirms.
 */

export interface CodeAccess {
  /** The code (or its framework, by convention) may open any file: every candidate crosses. */
  unknown: boolean;
  /** Paths the code names: they cross even when they are build input. */
  literals: Set<string>;
  /** Where the framework looks by convention (Spring Boot's `config/`): they cross when present. */
  conventions: string[];
  /** What made `unknown` (a call with a computed path, a framework), for the comment. */
  evidence: string | null;
}

/**
 * What a source scan says about file access: unknown when a call opens a computed path, when a
 * framework reads folders by convention, or when there was no code to read.
 */
export function codeAccess(scan: SourceScan | null, framework: string | null = null, conventions: string[] = []): CodeAccess {
  const literals = new Set(scan?.literals ?? []);
  if (framework) return { unknown: true, literals, conventions, evidence: framework };
  if (!scan || scan.files === 0) return { unknown: true, literals, conventions, evidence: 'no source code was found to check which files the app opens' };
  if (!scan.complete) return { unknown: true, literals, conventions, evidence: 'the code is too large to check which files it opens' };
  const computed = scan.calls.find((c) => !c.literal);
  if (computed) return { unknown: true, literals, conventions, evidence: `the code opens files by computed paths (\`${computed.text}\` in ${computed.file})` };
  return { unknown: false, literals, conventions, evidence: null };
}

/** Files of every build: Docker, VCS, CI and editor files, and the project's documents. */
const COMMON_INPUT = /^(?:Dockerfile.*|.*\.[Dd]ockerfile|Containerfile.*|.*\.dockerignore|\.dockerignore|(?:docker-)?compose.*\.ya?ml|\.git(?:ignore|attributes|modules)|\.editorconfig|(?:README|LICEN[CS]E|CHANGELOG|CONTRIBUTING|CODE_OF_CONDUCT|SECURITY|AUTHORS|NOTICE)(?:\.\w+)?|Makefile|makefile|Jenkinsfile|\.travis\.yml|\.gitlab-ci\.yml|azure-pipelines\.yml|\.pre-commit-config\.yaml|\.tool-versions)$/;
const COMMON_INPUT_DIRS = /^(?:\.git|\.github|\.gitlab|\.circleci|\.vscode|\.idea|\.devcontainer|\.husky)$/;
/** What people read, not programs: documents, examples of config, HTTP request scratch files. */
const DOCUMENTS = /(?:\.(?:md|markdown|rst|adoc|example|sample|template|http|rest)|^\.env\.(?:example|sample|template|dist))$/i;
const DOCUMENT_DIRS = /^(?:docs?|\.?screenshots?)$/i;

/**
 * True for a context path that only the build (or the developer) reads, in any ecosystem: Docker,
 * VCS, CI and editor files, and documents. A path the code names still crosses over.
 */
export function commonBuildInput(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  return parts.some((p) => COMMON_INPUT_DIRS.test(p)) || COMMON_INPUT.test(name) || DOCUMENTS.test(name) || DOCUMENT_DIRS.test(parts[0]);
}

export interface RuntimeFiles {
  /** Absolute paths in the build stage, copied to the same path in the runtime stage. */
  copies: string[];
  /** Those of `copies` made only of optional entries: copied when the build has them. */
  optional: string[];
  /** Paths that should cross over but no COPY line can name. */
  unwritable: string[];
  /** What stays in the build stage although it is not build input (nothing names it): for the comment. */
  left: string[];
  assumptions: Assumption[];
}

/** Top-level folders of every Linux image: files copied into them are placed one by one. */
const SYSTEM_TOP = /^\/(?:usr|bin|sbin|lib\w*|etc|opt|var|srv|home|root|tmp|proc|sys|dev|run|boot|mnt|media)(?:\/|$)/;

/** How many COPY lines the runtime files may take before the whole folder is copied instead. */
const MAX_COPIES = 10;

/**
 * The context files the original image had that the runtime stage needs, as COPY sources: the
 * top-level entries of the application folder (and files elsewhere, such as a config under
 * `/etc`), without the artifacts' own paths.
 */
export function selectAppFiles(options: {
  entries: ImageEntry[];
  appDir: string;
  /** Paths the artifacts already bring (and folders the conversion fills itself). */
  covered: string[];
  buildInput: (contextPath: string) => boolean;
  access: CodeAccess;
  /** Files compiled into the artifact (and how): they never cross over, whatever names them. */
  compiledIn?: { test: (contextPath: string) => boolean; how: string };
  /** Words of the Dockerfile's ENV, CMD, ENTRYPOINT and HEALTHCHECK: a path there is named. */
  dockerfileWords: string[];
  /**
   * Where the whole context was copied to build from, when that is not the app folder (`/src`
   * while the app runs in `/app`): the sources there cross over only when named.
   */
  sourceRoots?: string[];
  /**
   * Entries a clean checkout may not have (git-ignored files a folder copy brought): a group made
   * only of them is copied when present rather than required.
   */
  optional?: (entry: ImageEntry) => boolean;
  /** Whether a COPY line can name the path; those it cannot are returned in `unwritable`, not copied. */
  writable?: (path: string) => boolean;
}): RuntimeFiles {
  const { entries, appDir, covered, buildInput, access } = options;
  const underSources = (path: string) => (options.sourceRoots ?? []).some((r) => r !== appDir && (path === r || path.startsWith(`${r === '/' ? '' : r}/`)));
  const literals = [...access.literals, ...access.conventions, ...options.dockerfileWords];
  // An app in `/` is grouped by its top-level folders too, but the system's folders never as a whole.
  const inside = (path: string) => (appDir === '/' ? !SYSTEM_TOP.test(path) : path === appDir || path.startsWith(`${appDir}/`));
  const isCovered = (path: string) => covered.some((c) => path === c || path.startsWith(`${c.replace(/\/$/, '')}/`) || (c.includes('*') && new RegExp(`^${c.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(path)));
  // Build input crosses over only when a path names it exactly (`src/main/jte`), not by a loose match.
  const named = (path: string, strict: boolean) => {
    if (inside(path)) {
      const rel = posix.relative(appDir, path);
      return literals.some((l) => (l.startsWith('/') ? namesEntry(posix.relative(appDir, l), rel, strict) : namesEntry(l, rel, strict)));
    }
    return literals.some((l) => l.startsWith('/') && (path === l.replace(/\/$/, '') || path.startsWith(`${l.replace(/\/$/, '')}/`) || l.startsWith(`${path}/`)));
  };
  // Groups: a top-level entry of the app folder, or one file elsewhere.
  const groups = new Map<string, { keep: boolean; input: boolean; named: boolean; env: boolean; optional: boolean }>();
  const compiled = new Set<string>();
  for (const entry of entries) {
    if (entry.opaque || isCovered(entry.path)) continue;
    if (options.compiledIn?.test(entry.source)) {
      compiled.add(inside(entry.path) ? posix.join(appDir, posix.relative(appDir, entry.path).split('/')[0]) : entry.path);
      continue;
    }
    const key = inside(entry.path) ? posix.join(appDir, posix.relative(appDir, entry.path).split('/')[0]) : entry.path;
    const input = buildInput(entry.source) || commonBuildInput(entry.source);
    const isNamed = named(entry.path, input);
    const keep = isNamed || (!input && access.unknown && (inside(entry.path) || !underSources(entry.path)));
    const group = groups.get(key) ?? { keep: false, input: true, named: false, env: false, optional: true };
    group.optional &&= options.optional?.(entry) ?? false;
    group.keep ||= keep;
    group.input &&= input;
    group.named ||= isNamed && input;
    group.env ||= /(?:^|\/)\.env(?:\.[\w-]+)?$/.test(entry.path) && keep;
    groups.set(key, group);
  }
  const wanted = [...groups].filter(([, g]) => g.keep).map(([k]) => k).sort();
  const unwritable = wanted.filter((k) => options.writable && !options.writable(k));
  const kept = wanted.filter((k) => !unwritable.includes(k));
  const left = [...groups].filter(([k, g]) => !g.keep && !g.input && !(access.unknown && underSources(k))).map(([k]) => k).sort();
  const assumptions: Assumption[] = [];
  const show = (paths: string[]) => paths.map((p) => `\`${inside(p) ? posix.relative(appDir, p) : p}\``).join(', ');
  if (left.length > 0) {
    assumptions.push({
      text: `The code opens no file by a computed path and names none of ${show(left)}: ${left.length === 1 ? 'it stays' : 'they stay'} in the build stage; copy ${left.length === 1 ? 'it' : 'them'} over if the app reads ${left.length === 1 ? 'it' : 'them'}.`,
      confirm: true,
    });
  }
  const namedInput = [...groups].filter(([, g]) => g.named).map(([k]) => k);
  if (namedInput.length > 0) assumptions.push({ text: `${show(namedInput)} ${namedInput.length === 1 ? 'crosses' : 'cross'} over although ${namedInput.length === 1 ? 'it is' : 'they are'} build input: the code or the Dockerfile names ${namedInput.length === 1 ? 'it' : 'them'}.`, confirm: false });
  const others = kept.filter((k) => !namedInput.includes(k));
  if (access.unknown && others.length > 0) {
    assumptions.push({ text: `${show(others)} ${others.length === 1 ? 'crosses' : 'cross'} over as the original image had ${others.length === 1 ? 'it' : 'them'}: ${access.evidence ?? 'the app may read them'}.`, confirm: false });
  }
  const inArtifact = [...compiled].filter((c) => !kept.includes(c));
  if (inArtifact.length > 0) assumptions.push({ text: `${show(inArtifact)} ${inArtifact.length === 1 ? 'stays' : 'stay'} in the build stage: the build compiles ${inArtifact.length === 1 ? 'it' : 'them'} into the binary (${options.compiledIn!.how}).`, confirm: false });
  if ([...groups].some(([, g]) => g.env && !g.optional)) {
    assumptions.push({ text: 'A `.env` file crosses over because the original image had it and the app may load it; better pass those values at run time (`--env-file`, Compose `env_file`) and keep it out of the image.', confirm: false });
  }
  // Too many entries: the whole folder crosses, as the original had it (never `/`, the build's own system).
  const optional = kept.filter((k) => groups.get(k)!.optional);
  if (appDir !== '/' && kept.filter(inside).length > MAX_COPIES) return { copies: [appDir, ...kept.filter((k) => !inside(k))], optional: optional.filter((k) => !inside(k)), unwritable: unwritable.filter((k) => !inside(k)), left, assumptions };
  return { copies: kept, optional, unwritable, left, assumptions };
}
