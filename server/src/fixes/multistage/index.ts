import { dirname, join, posix } from 'node:path';
import { contextCopy } from '../../dockerfile/dockerignore';
import type { DockerfileModel } from '../../dockerfile/parse';
import type { Range } from 'vscode-languageserver-types';
import type { EcosystemId } from '../../dockerfile/ecosystems';
import { imageTools, probeCommand, probeFor, readHealthcheck } from '../../dockerfile/healthchecks';
import type { SdkBuild } from '../../rules/dockerfile/prefer-multi-stage';
import { userLines } from '../../rules/dockerfile/no-root-user';
import type { FileAccess } from '../../rules/types';
import { instruction, renderPlan, planTitle, type Plan, type PlannedInstruction } from './plan';
import type { Conversion, ConversionContext, Converter } from './conversion';
import { RUNTIME_KEYWORDS, execForm, readSource, simpleShellWords, type Source, type Step } from './source';
import { convertGo } from './go';
import { convertNode } from './node';
import { convertPython } from './python';
import { convertJava } from './java';
import { convertRust } from './rust';
import { convertRuby } from './ruby';
import { convertDotnet } from './dotnet';
import { escapeRegExp, globToRegExp } from '../../text/regexp';

export { renderPlan, planTitle, type Plan } from './plan';

/**
 * The multi-stage converter: detection (the `prefer-multi-stage` analysis, then one file per
 * ecosystem for the build commands, the artifact and the run command) → a plan (stages as data)
 * → rendering. Every step may decline: when the artifact or the run command is not certain, no
 * conversion is offered rather than a guess.
 */

const CONVERTERS: Partial<Record<EcosystemId, Converter>> = {
  go: convertGo,
  node: convertNode,
  python: convertPython,
  'java-maven': convertJava,
  'java-gradle': convertJava,
  rust: convertRust,
  ruby: convertRuby,
  dotnet: convertDotnet,
};

/** ENV that only a build reads: kept in the build stage, not carried into the runtime image. */
const BUILD_ENV = /^(GO\w*|CGO_\w+|RUSTFLAGS|RUSTC\w*|CARGO_\w+|MAVEN_\w+|MAVEN_OPTS|GRADLE_\w+|NPM_CONFIG_\w+|npm_config_\w+|YARN_\w+|PIP_\w+|CC|CXX|AR|RANLIB|CFLAGS|CXXFLAGS|LDFLAGS|NEXT_TELEMETRY_DISABLED|DEBIAN_FRONTEND)$/;

/** The plan for a file that `sdkBuild` (the rule's analysis) found building in its final image. */
export function planMultiStage(model: DockerfileModel, build: SdkBuild, path: string | null, files: FileAccess): Plan | null {
  const converter = CONVERTERS[build.ecosystem];
  if (!converter) return null;
  // `make` beside `go build` is part of the Go build; a second language is not followed.
  if (build.ecosystems.some((e) => e !== build.ecosystem && e !== 'native')) return null;
  const source = readSource(model, build);
  if (!source) return null;
  const context = { files, dir: path ? dirname(path) : null };
  const conversion = converter(source, context);
  if (!conversion) return null;
  return assemble(source, conversion, build.ecosystem, context);
}

/** The rendered conversion and its title, or null when none is offered. */
export function convertToMultiStage(model: DockerfileModel, build: SdkBuild, path: string | null, files: FileAccess): { title: string; text: string } | null {
  const plan = planMultiStage(model, build, path, files);
  return plan ? { title: planTitle(plan), text: renderPlan(plan) } : null;
}

/** ENV a build reads without naming it: tool settings, locale, and what bundlers inline. */
const IMPLICIT_BUILD_ENV = /^(PATH|LANG|LANGUAGE|LC_\w+|TZ|HOME|NODE_\w+|NEXT_PUBLIC_\w+|VITE_\w+|REACT_APP_\w+|VUE_APP_\w+|PUBLIC_\w+|JAVA_\w+|JDK_\w+|PYTHON\w*|\w+_HOME|\w+_VERSION|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy)$/;

/**
 * True when the build may read an ENV set before it: a RUN names one of its variables, or it is one
 * that tools read implicitly. Others (a database URL, the app's port) only matter at run time, so
 * they are not repeated in the build stage.
 */
function readByBuild(step: Step, source: Source): boolean {
  const names = envNames(step);
  if (names.some((n) => IMPLICIT_BUILD_ENV.test(n))) return true;
  const runs = source.steps.filter((s) => s.instruction.keyword === 'RUN' || s.instruction.keyword === 'ENV' || s.instruction.keyword === 'WORKDIR' || s.instruction.keyword === 'COPY');
  return runs.some((s) => s !== step && names.some((n) => new RegExp(`\\$\\{?${escapeRegExp(n)}\\b`).test(s.raw)));
}

/**
 * An ENV without the variables `drop` names, in its own layout (one per line when it spanned
 * lines); null when nothing is left.
 */
function envWithout(model: DockerfileModel, step: Step, drop: RegExp | undefined): string | null {
  const node = step.instruction.ast as unknown as { getProperties?(): { getName(): string; getRange(): Range }[] };
  const properties = node.getProperties?.() ?? [];
  if (!drop || !properties.some((p) => drop.test(p.getName()))) return step.raw;
  const kept = properties.filter((p) => !drop.test(p.getName()));
  if (kept.length === 0) return null;
  const multiline = step.instruction.range.start.line !== step.instruction.range.end.line;
  return `ENV ${kept.map((p) => model.document.getText(p.getRange())).join(multiline ? ` ${model.escape}\n    ` : ' ')}`;
}

function envNames(step: Step): string[] {
  const node = step.instruction.ast as unknown as { getProperties?(): { getName(): string }[] };
  return node.getProperties?.().map((p) => p.getName()) ?? [];
}

/**
 * Where the manifests go when the original copies the whole context before installing: a COPY of
 * the manifests that exist on disk and the install RUNs, inserted before that copy.
 */
function manifestsFirst(source: Source, conversion: Conversion, context: ConversionContext): { before: Step; insert: PlannedInstruction[]; moved: Set<Step> } | null {
  const manifests = conversion.manifests;
  if (!manifests || context.dir === null) return null;
  const copies = source.steps.filter((s) => s.instruction.keyword === 'COPY' || s.instruction.keyword === 'ADD');
  const whole = copies.find((s) => {
    const copy = contextCopy(source.model, s.instruction);
    return copy !== null && copy.sources.length === 1 && /^\.\/?$/.test(copy.sources[0].value ?? '') && copy.dest.value !== null;
  });
  if (!whole) return null;
  const names = new Set(manifests.files);
  const present = manifests.files.filter((f) => context.files.exists(join(context.dir!, f)));
  if (manifests.required.some((f) => !present.includes(f)) || present.length === 0) return null;
  const dest = posix.resolve(whole.workdir, contextCopy(source.model, whole.instruction)!.dest.value!);
  // The original may already copy manifests on their own (`COPY package*.json ./`), a pattern
  // counting too. Then no COPY is added: the installs move up behind those copies when they bring
  // every manifest on disk from the context's root to where the install runs; otherwise the
  // original's order is kept.
  const copied = (written: string) => {
    const pattern = globToRegExp(posix.basename(written));
    return manifests.files.filter((f) => names.has(posix.basename(written)) ? f === posix.basename(written) : pattern.test(f));
  };
  const earlier = copies.slice(0, copies.indexOf(whole)).flatMap((s) => {
    const copy = contextCopy(source.model, s.instruction);
    return copy ? [{ step: s, copy }] : [];
  }).filter(({ copy }) => copy.sources.some((p) => copied(p.value ?? '').length > 0));
  if (earlier.length > 0) {
    const covered = new Set<string>();
    for (const { step, copy } of earlier) {
      if (copy.dest.value === null || posix.resolve(step.workdir, copy.dest.value) !== dest) return null;
      for (const p of copy.sources) {
        const written = (p.value ?? '').replace(/^\.\//, '');
        if (posix.dirname(written) === '.') copied(written).forEach((f) => covered.add(f));
      }
    }
    if (present.some((f) => !covered.has(f))) return null;
  }
  const after = source.steps.slice(source.steps.indexOf(whole) + 1);
  // Only the install RUNs right after the copy move: an ENV, ARG or USER between them could change
  // what the install does (`ENV NODE_ENV=production` before `npm ci`).
  const firstOther = after.findIndex((s) => !manifests.installs.has(s) || s.workdir !== dest);
  const moved = new Set(after.slice(0, firstOther < 0 ? after.length : firstOther));
  if ([...moved].some((s) => s.workdir !== whole.workdir)) return null;
  if (earlier.length > 0) return moved.size > 0 ? { before: whole, insert: [], moved } : null;
  const insert = [instruction('COPY', `COPY ${present.join(' ')} ${whole.workdir === dest ? './' : `${dest}/`}`, ['# The dependency manifests first: the install layer stays cached until they change.'])];
  if (moved.size === 0) {
    if (!manifests.prefetch || whole.workdir !== dest) return null;
    insert.push(instruction('RUN', manifests.prefetch));
  }
  return { before: whole, insert, moved };
}

function assemble(source: Source, conversion: Conversion, ecosystem: EcosystemId, context: ConversionContext): Plan | null {
  const { model, stage } = source;
  const runtime = conversion.runtime;
  const directives = model.directives.map((d) => model.document.getText({ start: { line: d.range.start.line, character: 0 }, end: { line: d.range.start.line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, ''));
  if (!model.directives.some((d) => d.name === 'syntax')) directives.unshift('# syntax=docker/dockerfile:1');

  // Build stage: everything the original did before it ran, in order, with caches and flags.
  const buildInstructions: PlannedInstruction[] = [...conversion.buildPrelude];
  const runtimeSteps: Step[] = [];
  const runtimeEnv: PlannedInstruction[] = [];
  // ENV after the last RUN cannot have mattered to the build: it goes to the runtime stage only.
  const lastRun = source.steps.map((s) => s.instruction.keyword).lastIndexOf('RUN');
  const reorder = manifestsFirst(source, conversion, context);
  for (const [index, step] of source.steps.entries()) {
    const keyword = step.instruction.keyword;
    if (reorder?.moved.has(step)) continue;
    if (step === reorder?.before) {
      buildInstructions.push(...reorder.insert);
      for (const moved of reorder.moved) {
        const text = conversion.rewriteRun(moved);
        if (text === null) return null;
        buildInstructions.push(instruction('RUN', text, moved.comments));
      }
    }
    if (RUNTIME_KEYWORDS.has(keyword)) {
      runtimeSteps.push(step);
      continue;
    }
    if (keyword === 'RUN') {
      const text = conversion.rewriteRun(step);
      if (text === null) return null;
      buildInstructions.push(instruction(keyword, text, step.comments));
    } else if (keyword === 'USER' && index > lastRun) {
      // A USER after the last RUN only says who runs the app: the runtime stage has its own.
      continue;
    } else if (keyword === 'ENV' && !envNames(step).every((n) => BUILD_ENV.test(n))) {
      const forBuild = index < lastRun && readByBuild(step, source) ? envWithout(model, step, conversion.targetEnv) : null;
      if (forBuild) buildInstructions.push(instruction(keyword, forBuild));
      runtimeEnv.push(instruction(keyword, step.raw, step.comments));
    } else if (keyword === 'ENV') {
      const text = envWithout(model, step, conversion.targetEnv);
      if (text) buildInstructions.push(instruction(keyword, text, step.comments));
    } else {
      buildInstructions.push(instruction(keyword, step.raw, step.comments));
    }
  }
  buildInstructions.push(...conversion.buildEpilogue);

  // Runtime stage: a non-root user, the artifacts, and everything the original said about running.
  const setup: PlannedInstruction[] = [...runtime.setup];
  const user = runtimeUser(source, runtime.distro, runtime.ref, runtime.shellless, runtime.imageUser ?? null);
  if (!user) return null;
  setup.push(...user.setup);
  const metadata: PlannedInstruction[] = [];
  const start: PlannedInstruction[] = [];
  let healthcheck: PlannedInstruction | null = null;
  for (const step of runtimeSteps) {
    const keyword = step.instruction.keyword;
    if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      if (step.instruction !== source.start.cmd && step.instruction !== source.start.entrypoint) continue;
      // The runtime image starts something else (nginx for a static site): the original's goes.
      if (runtime.start) continue;
      let text = step.raw;
      if (runtime.shellless && !step.instruction.json) {
        // No shell in the runtime image: a plain shell-form command becomes its exec form.
        const words = simpleShellWords(model, step.instruction);
        if (!words) return null;
        text = `${keyword} ${execForm(words)}`;
      }
      start.push(instruction(keyword, text, step.comments));
    } else if (keyword === 'HEALTHCHECK') {
      const rewritten = rewriteHealthcheck(step, conversion, setup);
      if (rewritten === null) return null;
      healthcheck = rewritten;
    } else {
      metadata.push(instruction(keyword, step.raw, step.comments));
    }
  }
  const chown = user.chown ? `--chown=${user.chown} ` : '';
  const copies = runtime.artifacts.map((a) => instruction('COPY', `COPY --from=build ${chown}${a.from} ${a.to}`));
  if (copies.length > 0) copies[0].comments = ['# Only the build output crosses over.'];
  const runtimeInstructions: PlannedInstruction[] = [
    ...setup,
    ...(source.workdir !== '/' ? [instruction('WORKDIR', `WORKDIR ${source.workdir}`)] : []),
    ...runtimeEnv,
    ...runtime.env,
    ...copies,
    ...metadata,
    ...user.switch,
    ...(healthcheck ? [healthcheck] : []),
    ...start,
    ...(runtime.start ? [instruction('CMD', `CMD ${execForm(runtime.start)}`)] : []),
  ];
  // ARGs go to the stage that uses them: the runtime stage re-declares those its instructions read.
  const runtimeText = runtimeInstructions.map((i) => i.text).join('\n');
  const args = source.steps.filter((s) => s.instruction.keyword === 'ARG' && argNames(s).some((n) => new RegExp(`\\$\\{?${escapeRegExp(n)}\\b`).test(runtimeText)));
  runtimeInstructions.unshift(...args.map((s) => instruction('ARG', s.raw)));

  return {
    ecosystem,
    label: conversion.label,
    typicalSize: conversion.typicalSize,
    directives,
    header: source.header,
    preamble: source.globalArgs.map((a) => instruction('ARG', a.raw, a.comments)),
    stages: [
      {
        comment: [...source.fromComments, `# Build stage: the ${conversion.label} build with its toolchain, dependencies and sources; only its output ships.`],
        image: stage.base.text,
        platform: conversion.buildPlatform ?? stage.base.platform,
        name: 'build',
        instructions: buildInstructions,
      },
      {
        comment: runtime.comment.map((c) => `# ${c}`),
        image: withArgs(source, runtime.image),
        platform: null,
        name: null,
        instructions: runtimeInstructions,
      },
    ],
    trailer: source.trailer,
  };
}

function argNames(step: Step): string[] {
  return step.instruction.args.trim().split(/\s+/).map((a) => a.replace(/=.*$/, '')).filter((a) => /^\w+$/.test(a));
}

/**
 * The runtime image with the base's version ARGs put back: `FROM node:${NODE_VERSION}` builds on
 * `node:${NODE_VERSION}-slim`, so a version bump still changes both stages.
 */
function withArgs(source: Source, image: string): string {
  const text = source.stage.base.text;
  let out = image;
  const colon = out.lastIndexOf(':');
  if (colon < 0) return out;
  for (const [name, value] of source.model.globalArgs) {
    if (!value || !new RegExp(`\\$\\{?${escapeRegExp(name)}\\b`).test(text)) continue;
    const tag = out.slice(colon + 1);
    const at = tag.indexOf(value);
    if (at < 0) continue;
    out = `${out.slice(0, colon + 1)}${tag.slice(0, at)}\${${name}}${tag.slice(at + value.length)}`;
    break;
  }
  return out;
}

interface RuntimeUser {
  setup: PlannedInstruction[];
  switch: PlannedInstruction[];
  chown: string | null;
}

const USER_COMMANDS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'mkdir', 'chown', 'chmod']);

/**
 * The user the runtime stage runs as: the original's non-root USER (re-created when the original
 * created it), or an unprivileged one made for the image.
 */
function runtimeUser(source: Source, distro: Conversion['runtime']['distro'], ref: Conversion['runtime']['ref'], shellless: boolean, imageUser: string | null): RuntimeUser | null {
  const users = source.steps.filter((s) => s.instruction.keyword === 'USER');
  const last = users[users.length - 1];
  const value = last?.instruction.args.trim();
  if (value && !/^(root|0)(:.*)?$/.test(value)) {
    const keep = [instruction('USER', last.raw, last.comments)];
    if (/^\d+(:\d+)?$/.test(value)) return { setup: [], switch: keep, chown: value };
    const name = value.replace(/:.*$/, '');
    if (name === 'node' && ref?.name === 'node') return { setup: [], switch: keep, chown: value.includes(':') ? value : 'node:node' };
    if (shellless) return null;
    const creators = source.steps.filter((s) => s.instruction.keyword === 'RUN' && s.commands.some((c) => /^(useradd|adduser)$/.test(c.program ?? '') && c.args.some((a) => a.value === name)));
    if (creators.length === 0 || creators.some((s) => s.commands.some((c) => !USER_COMMANDS.has(c.program ?? '')))) return null;
    return { setup: creators.map((s) => instruction('RUN', s.raw, s.comments)), switch: keep, chown: value.includes(':') ? value : name };
  }
  if (imageUser) return { setup: [], switch: [instruction('USER', `USER ${imageUser}`)], chown: `${imageUser}:${imageUser}` };
  const lines = userLines(ref, distro === 'scratch');
  if (!lines) return null;
  const setup = lines.filter((l) => l.startsWith('RUN')).map((l) => instruction('RUN', l));
  const userLine = lines.find((l) => l.startsWith('USER'))!;
  const name = userLine.slice(5).trim();
  return { setup, switch: [instruction('USER', userLine)], chown: name.includes(':') ? name : `${name}:${name}` };
}

/**
 * The original HEALTHCHECK, kept when its tool is in the runtime image; else the same probe
 * written for a tool the image has (the language runtime), or the tool installed.
 */
function rewriteHealthcheck(step: Step, conversion: Conversion, setup: PlannedInstruction[]): PlannedInstruction | null {
  const runtime = conversion.runtime;
  const check = readHealthcheck(step.instruction);
  if (check.none || check.range === null) return instruction('HEALTHCHECK', step.raw, step.comments);
  const words = check.exec ?? check.text.split(/\s+/);
  const tool = (words[0] ?? '').replace(/^.*\//, '');
  const tools = imageTools(runtime.distro, runtime.ref);
  const known = tool === 'curl' || tool === 'wget';
  if (!known) {
    // The application's own binary or script: it crossed with the artifact, or the check cannot run.
    if (runtime.shellless && !check.exec) return null;
    return instruction('HEALTHCHECK', step.raw, step.comments);
  }
  if (tools.shell === true && tools[tool] === true) return instruction('HEALTHCHECK', step.raw, step.comments);
  const url = /https?:\/\/[^\s'"]+/.exec(check.text)?.[0];
  if (url) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url.replace(/\$\{?\w+\}?/g, '0'));
    } catch {
      parsed = null;
    }
    if (parsed && !/\$/.test(url)) {
      const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
      const probe = probeFor(runtime.distro, runtime.ref, port, `${parsed.pathname}${parsed.search}`, runtime.probeFacts);
      if (probe && probe.tool !== 'curl' && probe.tool !== 'wget') {
        const options = step.raw.slice(step.raw.search(/HEALTHCHECK/i) + 'HEALTHCHECK'.length, step.raw.search(/\bCMD\b/i)).replace(/\s+/g, ' ').trim();
        return instruction('HEALTHCHECK', `HEALTHCHECK ${options ? `${options} ` : ''}${probeCommand(probe)}`, step.comments);
      }
    }
  }
  if (!runtime.installTool) return null;
  setup.push(runtime.installTool(tool));
  return instruction('HEALTHCHECK', step.raw, step.comments);
}
