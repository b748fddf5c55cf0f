import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { composeRule, type ComposeCheckContext } from '../types';
import type { ComposeModel } from '../../compose/parse';
import type { ComposeProject, ProjectService } from '../../compose/project';
import { imageOf, serviceFamily } from '../../compose/services';
import { finalStage, stageAncestry } from '../../dockerfile/parse';
import { parseImageRef } from '../../text/image';

const NANOS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const MS = 1e6;

/** Go's `time.ParseDuration`, which Compose uses: `1m30s`, `500ms`, `0`; null when Go rejects it. */
export function parseDuration(text: string): number | null {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  while (rest.length > 0) {
    const m = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m) return null;
    total += parseFloat(m[1]) * NANOS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** A duration Go accepts that means what the writer most likely meant; null when unclear. */
export function durationFix(text: string): string | null {
  const words: [RegExp, string][] = [[/\s*(?:seconds?|secs?)\b/gi, 's'], [/\s*(?:minutes?|mins?)\b/gi, 'm'], [/\s*(?:hours?|hrs?)\b/gi, 'h'], [/\s*(?:milliseconds?|millis)\b/gi, 'ms']];
  let candidate = text.trim();
  for (const [word, unit] of words) candidate = candidate.replace(word, unit);
  candidate = candidate.replace(/\s+/g, '');
  for (const attempt of [candidate, candidate.toLowerCase(), `${candidate}s`, `${candidate.toLowerCase()}s`]) {
    if (attempt !== text && parseDuration(attempt) !== null) return attempt;
  }
  return null;
}

/** Readable form of a duration for messages: `500ms`, `25s`, `1m30s`. */
function show(nanos: number): string {
  const seconds = nanos / 1e9;
  if (seconds < 1) return `${nanos / MS}ms`;
  if (seconds < 60) return `${seconds}s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)}m${rest ? `${rest}s` : ''}`;
}

const DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'];

/** Images whose first start is slow: JVM servers (databases, brokers and caches are known by family). */
const SLOW_STARTERS = new Set([
  'openjdk', 'eclipse-temurin', 'amazoncorretto', 'ibm-semeru-runtimes', 'sapmachine', 'tomcat', 'jetty', 'wildfly',
  'keycloak', 'sonarqube', 'jenkins', 'solr', 'server-full', 'server-web', 'nexus3', 'artifactory-oss',
]);

/** Why a service is slow to start the first time, or null. */
function slowStarter(project: ComposeProject, service: ProjectService): string | null {
  const family = serviceFamily(project, service);
  if (family && family !== 'redis' && family !== 'valkey' && family !== 'memcached') return family;
  const image = imageOf(project, service);
  const ref = image ? parseImageRef(image) : null;
  if (!project.get(service, ['build']) && ref && SLOW_STARTERS.has(ref.name)) return ref.name;
  const built = project.get(service, ['build']) ? project.dockerfile(service) : null;
  const stage = built ? finalStage(built.model, built.target ?? undefined) : undefined;
  if (built && stage) {
    const chain = stageAncestry(built.model, stage);
    const root = chain[chain.length - 1].base.ref;
    if (root && SLOW_STARTERS.has(root.name)) return root.name;
  }
  return null;
}

const SHELL_OPERATORS = new Set(['||', '&&', '|', ';', '>', '>>', '2>&1', '&']);

/** Problems of one written `test` value. */
function checkTest(compose: ComposeModel, service: string, node: Node, report: ComposeCheckContext['report']): void {
  const test = compose.resolve(node);
  const source = compose.document.getText();
  if (isScalar(test)) {
    const text = compose.text(test)?.trim();
    if (!text) return;
    // `[ "$x" = y ]` is the shell's test command; `["CMD", …]` in quotes is a list written as a string.
    const quotedList = /^\[\s*["']?(?:CMD|CMD-SHELL|NONE)["']?\s*[,\]]/.test(text);
    if (/^(?:CMD|CMD-SHELL|NONE)(?:\s|$)/.test(text) || quotedList) {
      const word = quotedList ? 'the list written inside quotes' : `\`${text.split(/\s/)[0]}\``;
      report({
        severity: 'error',
        range: compose.rangeOf(node),
        message: `The healthcheck \`test\` of \`${service}\` is a string, which Compose runs as a shell command as it stands, so ${word} is run too and the check always fails; write it as a list (\`["CMD-SHELL", "…"]\`) or drop the prefix.`,
      });
    }
    return;
  }
  if (!isSeq(test)) return;
  const items = compose.items(test);
  const first = compose.text(items[0]);
  if (!items[0] || first === null) return;
  const kind = first;
  if (!['CMD', 'CMD-SHELL', 'NONE'].includes(kind)) {
    const upper = ['CMD', 'CMD-SHELL', 'NONE'].includes(kind.toUpperCase());
    report({
      severity: 'error',
      range: compose.rangeOf(items[0]),
      message: upper
        ? `The healthcheck \`test\` of \`${service}\` starts with \`${kind}\`, but Docker only knows the upper-case \`${kind.toUpperCase()}\` and never runs a test of another type, so the container never becomes healthy; write \`${kind.toUpperCase()}\`.`
        : `The healthcheck \`test\` of \`${service}\` starts with \`${kind}\`, but the first item must be \`CMD\`, \`CMD-SHELL\` or \`NONE\`; Docker never runs a test of another type, so the container never becomes healthy; write \`["CMD", "${kind}", …]\`.`,
    });
    return;
  }
  const args = items.slice(1);
  if (kind === 'CMD') {
    const only = args.length === 1 ? compose.text(args[0]) : null;
    if (only && /\s/.test(only.trim())) {
      report({
        severity: 'error',
        range: compose.rangeOf(args[0]),
        message: `\`CMD\` runs its next item as one program without a shell, so the healthcheck of \`${service}\` looks for a program literally named \`${only.trim()}\` and always fails; use \`["CMD-SHELL", "${only.trim()}"]\` or split the words into items.`,
      });
      return;
    }
    for (const arg of args) {
      const text = compose.text(arg);
      const raw = arg.range ? source.slice(arg.range[0], arg.range[1]) : '';
      if (text !== null && SHELL_OPERATORS.has(text.trim())) {
        report({
          severity: 'error',
          range: compose.rangeOf(arg),
          message: `\`CMD\` runs no shell, so the healthcheck of \`${service}\` passes \`${text.trim()}\` to \`${compose.text(args[0])}\` as an argument instead of acting on it; use \`CMD-SHELL\` with the command as one string.`,
        });
        return;
      }
      if (raw.includes('$$')) {
        report({
          severity: 'error',
          range: compose.rangeOf(arg),
          message: `\`CMD\` runs no shell, so the healthcheck of \`${service}\` passes \`${text}\` to \`${compose.text(args[0])}\` without expanding the variable; use \`CMD-SHELL\` with the command as one string.`,
        });
        return;
      }
    }
  }
  if (kind === 'CMD-SHELL' && args.length > 1) {
    report({
      severity: 'error',
      range: compose.rangeOf(args[1]),
      message: `\`CMD-SHELL\` runs only its first item as the shell script; the healthcheck of \`${service}\` passes the others to the shell as \`$0\`, \`$1\`…, so they are never run; join the command into one string.`,
    });
  }
}

/** Problems of one written healthcheck mapping. */
function checkMapping(compose: ComposeModel, service: string, healthcheck: Node, report: ComposeCheckContext['report']): void {
  for (const key of DURATIONS) {
    const entry = compose.get(healthcheck, key);
    const value = compose.resolve(entry?.value);
    if (!entry || !isScalar(value) || (value as Scalar).value === null) continue;
    const raw = (value as Scalar).value;
    // A bare 0 reads the same with or without a unit; any other number lacks one.
    if (typeof raw === 'number' && raw !== 0) {
      report({
        severity: 'error',
        range: compose.rangeOf(entry.value!),
        message: `\`${key}: ${raw}\` of \`${service}\` has no unit: Compose reads durations as Go does and refuses the file ("missing unit in duration"); write \`${raw}s\` (or \`${raw}ms\`, \`${raw}m\`).`,
      });
      continue;
    }
    const text = compose.text(value);
    if (text === null || typeof raw === 'number') continue;
    const nanos = parseDuration(text.trim());
    if (nanos === null) {
      const fixed = durationFix(text);
      report({
        severity: 'error',
        range: compose.rangeOf(entry.value!),
        message: `\`${key}: ${text}\` of \`${service}\` is not a duration Compose accepts, so it refuses the file ("invalid duration"); ${fixed ? `write \`${fixed}\`` : 'write a number with a unit, such as `10s`, `1m30s` or `500ms`'}.`,
      });
    } else if (nanos < 0 || (nanos > 0 && nanos < MS)) {
      report({
        severity: 'error',
        range: compose.rangeOf(entry.value!),
        message: `\`${key}: ${text}\` of \`${service}\` is ${nanos < 0 ? 'negative' : 'shorter than a millisecond'}, and Docker refuses to create the container ("cannot be less than 1ms"); use \`0\` for the default or at least \`1ms\`.`,
      });
    }
  }
  const retries = compose.get(healthcheck, 'retries');
  const count = retries ? compose.text(retries.value) : null;
  if (retries?.value && count !== null && /^-?\d+$/.test(count.trim())) {
    const n = Number(count);
    if (n < 0) {
      report({ severity: 'error', range: compose.rangeOf(retries.value), message: `\`retries: ${n}\` of \`${service}\` is negative, and Docker refuses to create the container ("Retries in Healthcheck cannot be negative"); set how many failures in a row mark it unhealthy (the default is 3).` });
    } else if (n === 0) {
      report({ severity: 'info', range: compose.rangeOf(retries.value), message: `\`retries: 0\` of \`${service}\` does not mean "unhealthy at the first failure": Docker treats 0 as unset and uses the image's value or the default of 3; write the number of failures in a row you want, \`1\` or more.` });
    }
  }
  const test = compose.get(healthcheck, 'test');
  if (test?.value) checkTest(compose, service, test.value, report);
}

/** The effective value of a duration in the merged project, with where it is written. */
function duration(project: ComposeProject, service: ProjectService, key: string): { nanos: number; node: Node; compose: ComposeModel; text: string } | null {
  const located = project.get(service, ['healthcheck', key]);
  const text = located?.node ? located.compose.text(located.node) : null;
  const nanos = text === null ? null : parseDuration(text.trim());
  return located?.node && text !== null && nanos !== null ? { nanos, node: located.node, compose: located.compose, text } : null;
}

function retriesOf(project: ComposeProject, service: ProjectService): number | null {
  const located = project.get(service, ['healthcheck', 'retries']);
  if (!located) return 3;
  const text = located.compose.text(located.node);
  return text !== null && /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : text === null ? null : 3;
}

/**
 * Healthcheck values Compose or Docker refuse, and ones that do not do what they say: a test
 * that can never pass, timings that let a slow first start fail its dependents. Each finding
 * carries its own level (error, warning, info); a level the user sets for the rule wins.
 */
export default composeRule({
  id: 'healthcheck-valid',
  aliases: [],
  title: 'Write healthchecks Docker can run',
  category: 'correctness',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const service of compose.services) {
      const entry = compose.get(service.node, 'healthcheck');
      const healthcheck = compose.resolve(entry?.value);
      if (isMap(healthcheck)) checkMapping(compose, service.name, healthcheck, report);
    }
    for (const service of project.services) {
      const located = project.get(service, ['healthcheck']);
      if (!located || !isMap(located.compose.resolve(located.node))) continue;
      const disable = project.get(service, ['healthcheck', 'disable']);
      if (disable && disable.compose.text(disable.node) === 'true') continue;
      const test = project.get(service, ['healthcheck', 'test']);
      const testNode = test ? test.compose.resolve(test.node) : null;
      const first = isSeq(testNode) ? test!.compose.text(test!.compose.items(testNode)[0]) : test ? test.compose.text(testNode) : null;
      if (first?.toUpperCase() === 'NONE') continue;

      const interval = duration(project, service, 'interval');
      const timeout = duration(project, service, 'timeout');
      const retries = retriesOf(project, service);
      // Docker's own defaults (30s and 30s) show that a timeout near the interval is fine; what
      // hurts is a hung service reported healthy for minutes.
      if (interval && timeout && retries !== null && interval.nanos > 0 && timeout.nanos > interval.nanos) {
        const detection = retries * (interval.nanos + timeout.nanos);
        const at = timeout.compose === compose ? timeout : interval.compose === compose ? interval : null;
        if (at && detection >= 300e9) {
          report({
            severity: 'warning',
            range: compose.rangeOf(at.node),
            message: `The healthcheck of \`${service.name}\` allows \`timeout: ${timeout.text}\`, longer than its \`interval: ${interval.text}\`, so a service that hangs stays "healthy" for up to ${show(detection)} (${retries} × (interval + timeout)) before Docker marks it unhealthy; keep \`timeout\` below \`interval\` so checks fail fast.`,
          });
        }
      }

      // Only a test written in Compose is judged: a Dockerfile HEALTHCHECK carries its own --start-period.
      if (!test || located.compose !== compose || project.get(service, ['healthcheck', 'start_period'])) continue;
      const slow = slowStarter(project, service);
      const every = interval?.nanos || (project.get(service, ['healthcheck', 'interval']) ? null : 30e9);
      if (!slow || retries === null || every === null) continue;
      const budget = every * retries;
      if (budget >= 30e9) continue;
      report({
        severity: 'info',
        range: compose.rangeOf(located.keyNode),
        message: `The healthcheck of \`${service.name}\` (${slow}) has no \`start_period\`, so it is marked unhealthy after ${show(budget)} (${retries} failures × ${show(every)}), and a first start that initialises data or warms up a JVM can take longer, failing the services that wait for it; add \`start_period: 60s\`, during which failures do not count.`,
      });
    }
  },
});
