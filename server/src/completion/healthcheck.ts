import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { isScalar, isSeq } from 'yaml';
import type { ComposeProject } from '../compose/project';
import { healthcheckForImage, probeHealthcheck, type HealthcheckTemplate } from '../compose/healthchecks';
import { imageOf } from '../compose/services';
import { finalStage, stageAncestry, type DockerfileModel } from '../dockerfile/parse';
import { imageTools, probesFor, probeWith, startWords, type ImageFacts, type Probe } from '../dockerfile/healthchecks';
import { imageFacts, probePort } from '../dockerfile/serving';
import { parseImageRef, type ImageRef } from '../text/image';
import { distroOf } from '../text/images';
import { composeHealthcheckLines, healthcheckLines, healthcheckOptions, httpProbe, ph, snippetBody } from './snippets';
import { documentLines } from '../text/lines';

/**
 * Healthcheck completions fitted to the image: the probes come from the same tables as the
 * `healthcheck-present` fixes and the snippets (`dockerfile/healthchecks.ts`,
 * `compose/healthchecks.ts`), so a completion never offers curl to an image that has none.
 */

/** The image a healthcheck runs in, and what is known about it. */
interface Fitted {
  /** How the image is named in the item's detail: `node:22-alpine`. */
  image: string | null;
  ref: ImageRef | null;
  scratch: boolean;
  facts: ImageFacts;
  port: number | null;
  /** The program the image starts, for an `app` probe. */
  binary: string | null;
}

/** The final stage's image: its root base, the tools the Dockerfile adds, the port it serves. */
function fittedToDockerfile(model: DockerfileModel, target?: string | null): Fitted | null {
  const final = finalStage(model, target ?? undefined);
  if (!final) return null;
  const chain = stageAncestry(model, final);
  const root = chain[chain.length - 1].base;
  const start = startWords(model, chain)[0] ?? null;
  return {
    image: root.scratch ? 'scratch' : root.resolved ?? root.text,
    ref: root.ref,
    scratch: root.scratch,
    facts: imageFacts(model, chain),
    port: probePort(model, chain),
    binary: start && start.startsWith('/') ? start : null,
  };
}

/**
 * The probes that fit, best first; an exec-form probe of the app's own binary when the image is
 * known to have no shell. For an image the tables do not know, curl and wget both, for the user
 * to pick (`known` false).
 */
function probes(fitted: Fitted, port: number, first: number): { probe: Probe; known: boolean }[] {
  const distro = distroOf(fitted.ref, fitted.scratch);
  const fitting = probesFor(distro, fitted.ref, port, '/health', fitted.facts).map((p) => httpProbe(p.tool, p.exec?.[0], first, port));
  if (fitting.length > 0) return fitting.map((probe) => ({ probe, known: true }));
  if (imageTools(distro, fitted.ref).shell !== false) return (['curl', 'wget'] as const).map((tool) => ({ probe: httpProbe(tool, undefined, first, port), known: false }));
  const app = probeWith('app', '', ph(first, fitted.binary ?? '/app'));
  app.exec = [app.exec![0], ph(first + 1, app.exec![1])];
  return [{ probe: app, known: true }];
}

const TOOL_LABEL: Record<Probe['tool'], string> = {
  curl: 'curl',
  wget: 'wget --spider',
  node: 'node -e',
  python: 'python -c',
  app: "the app's own binary",
};

/** Completes `HEALTHCHECK` (or `healthcheck-…`) at the start of a Dockerfile line. */
export function completeDockerfileHealthcheck(model: DockerfileModel, line: string, position: Position): CompletionItem[] {
  const before = line.slice(0, position.character);
  const keyword = /^(\s*)([A-Za-z][\w-]*)$/.exec(before);
  const afterKeyword = /^(\s*HEALTHCHECK\s+)(\S*)$/i.exec(before);
  if (!keyword && !afterKeyword) return [];
  if (keyword && !isHealthcheckWord(keyword[2])) return [];
  const fitted = fittedToDockerfile(model);
  if (!fitted) return [];
  const port = fitted.port ?? 8080;
  const start = afterKeyword ? afterKeyword[1].length : keyword![1].length;
  const range: Range = { start: { line: position.line, character: start }, end: { line: position.line, character: position.character } };
  const choices: { label: string; tool: string; lines: string[]; why: string; known: boolean }[] = [];
  // A database, cache or broker image: its own readiness probe, as Compose would run it.
  const readiness = fitted.scratch ? null : healthcheckForImage(fitted.ref);
  if (readiness) choices.push({ label: `HEALTHCHECK for ${fitted.ref!.name}`, tool: fitted.ref!.name, lines: readinessLines(readiness), why: `The readiness probe of \`${fitted.ref!.repository}\`, with a tool the image ships.`, known: true });
  // A database is no HTTP server: its readiness probe is the only one that fits.
  for (const { probe, known } of readiness ? [] : probes(fitted, port, 5)) {
    choices.push({ label: `HEALTHCHECK with ${TOOL_LABEL[probe.tool]}`, tool: probe.tool, lines: healthcheckLines(probe, healthcheckOptions()), why: documentation(probe, fitted.image, known), known });
  }
  return choices.map((choice, index) => {
    const text = snippetBody(choice.lines).join('\n');
    return {
      label: choice.label,
      kind: CompletionItemKind.Snippet,
      detail: fitted.image ? `${readiness || choice.known ? 'fits' : 'base image'} ${fitted.image}` : undefined,
      documentation: { kind: 'markdown', value: choice.why },
      filterText: afterKeyword ? afterKeyword[2] || choice.tool : `HEALTHCHECK healthcheck-${choice.tool}`,
      sortText: `0${index}`,
      preselect: index === 0,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: afterKeyword ? text.replace(/^HEALTHCHECK /, '') : text },
    };
  });
}

/**
 * A Compose readiness template as a HEALTHCHECK, its timings as placeholders 1–4. `CMD-SHELL`
 * becomes the shell form; Compose's `$$` escape becomes a plain `$`, since a Dockerfile does not
 * interpolate HEALTHCHECK commands and the shell should see the variable.
 */
function readinessLines(template: HealthcheckTemplate): string[] {
  const options = `--interval=${ph(1, template.interval)} --timeout=${ph(2, template.timeout)} --start-period=${ph(3, template.startPeriod)} --retries=${ph(4, template.retries)}`;
  const [form, ...words] = template.test.map((w) => w.replace(/\$\$/g, '$'));
  // Docker reserves exit status 2, which pg_isready uses for "no answer": map failures to 1.
  const shell = words.join(' ');
  const command = form === 'CMD-SHELL' ? (/\|\|\s*exit 1$/.test(shell) ? shell : `${shell} || exit 1`) : JSON.stringify(words).replace(/","/g, '", "');
  return [`HEALTHCHECK ${options} \\`, `  CMD ${command}`];
}

function isHealthcheckWord(word: string): boolean {
  const lower = word.toLowerCase();
  return lower.length >= 2 && ('healthcheck'.startsWith(lower) || lower.startsWith('healthcheck'));
}

function documentation(probe: Probe, image: string | null, known = true): string {
  if (!known) return `Shipshape does not know whether ${image ? `\`${image}\`` : 'the image'} ships ${probe.tool}: pick the probe whose tool it has.`;
  const why: Record<Probe['tool'], string> = {
    curl: 'curl is in the image (its base ships it, or this Dockerfile installs it).',
    wget: 'wget is in the image (BusyBox\'s applet on Alpine, or GNU wget); `--spider` fails on HTTP errors.',
    node: 'The image has no curl or wget, but runs Node.js: the probe uses it, in exec form.',
    python: 'The image has no curl or wget, but has Python: the probe uses urllib, in exec form.',
    app: 'The image has no shell and no HTTP client (distroless or scratch): only the app can probe itself. It must answer this subcommand with exit 0 when healthy, 1 when not.',
  };
  return `${why[probe.tool]}${image ? ` (base image \`${image}\`)` : ''}`;
}

/** Where the cursor is in a Compose file: typing a key directly under a service. */
interface ServiceKey {
  service: string;
  /** The indentation of the key being typed, relative to the service key. */
  unit: string;
  range: Range;
}

/** Finds `services: <name>:` above a key being typed (`heal…` or `healthcheck:`), by indentation. */
function serviceKeyAt(lines: string[], position: Position): ServiceKey | null {
  const before = (lines[position.line] ?? '').slice(0, position.character);
  const m = /^(\s+)([a-z_]*:?)\s*$/.exec(before);
  if (!m) return null;
  const word = m[2].replace(/:$/, '');
  // An empty position offers it too (Ctrl+Space under a service), beside the schema's other keys.
  if (!'healthcheck'.startsWith(word) || (m[2].endsWith(':') && word !== 'healthcheck')) return null;
  const indent = m[1].length;
  const parent = above(lines, position.line, indent);
  if (!parent) return null;
  const service = /^(\s*)(["']?)([\w.-]+)\2:\s*(#.*)?$/.exec(lines[parent.line]);
  if (!service) return null;
  const root = above(lines, parent.line, parent.indent);
  if (!root || !/^services:\s*(#.*)?$/.test(lines[root.line].trim()) || above(lines, root.line, root.indent) !== null) return null;
  return {
    service: service[3],
    unit: ' '.repeat(indent - parent.indent),
    range: { start: { line: position.line, character: m[1].length }, end: { line: position.line, character: Math.max(m[1].length, before.trimEnd().length) } },
  };
}

/** The nearest line above with less indentation than `indent` (comments and blank lines skipped). */
function above(lines: string[], from: number, indent: number): { line: number; indent: number } | null {
  for (let i = from - 1; i >= 0; i--) {
    const text = lines[i];
    if (!text.trim() || text.trim().startsWith('#')) continue;
    const own = text.length - text.trimStart().length;
    if (own < indent) return { line: i, indent: own };
  }
  return null;
}

/** The container port a service publishes or exposes first, or null. */
function servicePort(project: ComposeProject, service: ReturnType<ComposeProject['service']>): number | null {
  if (!service) return null;
  for (const key of ['expose', 'ports']) {
    const located = project.get(service, [key]);
    const node = located ? located.compose.resolve(located.node) : null;
    if (!located || !isSeq(node)) continue;
    for (const item of located.compose.items(node)) {
      const target = isScalar(item) ? located.compose.text(item) : located.compose.text(located.compose.get(item, 'target')?.value ?? null);
      const port = /(?:^|:)(\d+)(?:-\d+)?(?:\/tcp)?$/.exec(target ?? '');
      if (port) return Number(port[1]);
    }
  }
  return null;
}

/** Completes `healthcheck:` under a Compose service with the block that fits its image or its Dockerfile's final base. */
export function completeComposeHealthcheck(text: string, position: Position, project: () => ComposeProject): CompletionItem[] {
  const lines = documentLines(text);
  const at = serviceKeyAt(lines, position);
  if (!at) return [];
  const built = project();
  const service = built.service(at.service);
  if (!service) return [];
  const image = imageOf(built, service);
  const ref = image ? parseImageRef(image) : null;
  const items: { label: string; template: HealthcheckTemplate; detail: string; why: string }[] = [];
  const known = healthcheckForImage(ref);
  if (known) {
    items.push({ label: `healthcheck for ${ref!.name}`, template: known, detail: `fits ${image}`, why: `The readiness probe of \`${ref!.repository}\`, with a tool the image ships; dependants can wait with \`condition: service_healthy\`.` });
  } else {
    // A service that builds runs its Dockerfile's final stage, whatever `image:` names it.
    const dockerfile = built.dockerfile(service);
    const fitted: Fitted | null = dockerfile
      ? fittedToDockerfile(dockerfile.model, dockerfile.target)
      : image
        ? { image, ref, scratch: false, facts: {}, port: null, binary: null }
        : null;
    if (!fitted) return [];
    const port = servicePort(built, service) ?? fitted.port ?? 8080;
    for (const { probe, known } of probes(fitted, port, 1)) {
      const template = probeHealthcheck(probe);
      items.push({ label: `healthcheck with ${TOOL_LABEL[probe.tool]}`, template, detail: known && fitted.image ? `fits ${fitted.image}` : 'HTTP probe', why: documentation(probe, fitted.image, known) });
    }
  }
  return items.map((item, index) => {
    // The HTTP probes use placeholders 1–2 in the test, so the timings come after them.
    const first = item.template.test.join(' ').includes('⟦2:') ? 3 : 1;
    const body = snippetBody(composeHealthcheckLines(item.template, first, at.unit)).join('\n');
    return {
      label: item.label,
      kind: CompletionItemKind.Snippet,
      detail: item.detail,
      documentation: { kind: 'markdown', value: item.why },
      filterText: 'healthcheck',
      sortText: `0${index}`,
      preselect: index === 0,
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range: at.range, newText: body },
    };
  });
}

/** Healthcheck completions for either kind of file. */
export function completeHealthcheck(model: DockerfileModel | null, text: string, position: Position, project: () => ComposeProject): CompletionItem[] {
  if (model) return completeDockerfileHealthcheck(model, documentLines(text)[position.line] ?? '', position);
  return completeComposeHealthcheck(text, position, project);
}
