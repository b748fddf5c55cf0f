import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shellOf } from '../../dockerfile/shell';
import { chainHas, commandWords, imageTools, laterStagesAdd, probeCommand, probeFor, readHealthcheck, rootStage, toolState, type ImageTools } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';

type Tool = 'curl' | 'wget';

/** The image a HEALTHCHECK runs in: its stage, and the image at the start of the stage's FROM chain. */
interface Image {
  stage: Stage;
  root: Stage;
  tools: ImageTools;
}

function imageOf(dockerfile: DockerfileModel, stage: Stage): Image | null {
  const root = rootStage(dockerfile, stage);
  if (root.base.stageRef !== null || root.base.resolved === null) return null;
  const distro = distroOf(root.base.ref, root.base.scratch);
  if (distro === 'windows') return null;
  // A SHELL instruction changes what runs the shell form; the defaults below no longer apply.
  if (chainHas(dockerfile, stage, 'SHELL')) return null;
  return { stage, root, tools: imageTools(distro, root.base.ref) };
}

/** True when the Dockerfile may add the tool to the image: in the chain, or in a stage built on it. */
function mayAdd(dockerfile: DockerfileModel, stage: Stage, tool: Tool | 'sh'): boolean {
  const state = toolState(dockerfile, stage, tool);
  return state === 'installed' || state === 'unknown' || laterStagesAdd(dockerfile, stage, tool);
}

interface Problem {
  instruction: DockerInstruction;
  range: Range;
  /** `shell`: the shell form needs /bin/sh; otherwise the missing tool. */
  missing: 'shell' | Tool;
  image: Image;
}

function problems(dockerfile: DockerfileModel): Problem[] {
  const found: Problem[] = [];
  for (const stage of dockerfile.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'HEALTHCHECK') continue;
      const healthcheck = readHealthcheck(instruction);
      if (healthcheck.none || !healthcheck.range) continue;
      const image = imageOf(dockerfile, stage);
      if (!image) continue;
      if (!healthcheck.exec) {
        if (image.tools.shell === false && !mayAdd(dockerfile, stage, 'sh')) {
          found.push({ instruction, range: healthcheck.range, missing: 'shell', image });
          continue;
        }
      }
      const uses = healthcheck.exec
        ? [{ program: healthcheck.exec[0]?.split('/').pop() ?? '', range: healthcheck.range }]
        : shellOf(dockerfile, instruction).commands.map((c) => ({ program: c.program ?? '', range: c.words[0]?.range ?? c.range }));
      for (const use of uses) {
        if (use.program !== 'curl' && use.program !== 'wget') continue;
        if (image.tools[use.program] !== false || mayAdd(dockerfile, stage, use.program)) continue;
        found.push({ instruction, range: use.range, missing: use.program, image });
        break;
      }
    }
  }
  return found;
}

/**
 * A HEALTHCHECK whose command cannot run fails every time: after the retries the container is
 * marked unhealthy for good, Compose never starts what depends on it, and Swarm replaces it in a
 * loop. The usual cause is `curl` in an Alpine, `-slim` or distroless image that does not ship it.
 */
export default dockerfileRule({
  id: 'healthcheck-tool-available',
  aliases: [],
  title: 'Probe health with a tool the image contains',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const problem of problems(dockerfile)) {
      const image = problem.image.root.base.resolved ?? problem.image.root.base.text;
      const tools = problem.image.tools;
      if (problem.missing === 'shell') {
        report({
          range: problem.range,
          message: `This HEALTHCHECK uses the shell form, which runs \`/bin/sh -c\`, and \`${image}\` has no shell, so the check can never run and the container ends up unhealthy; use the exec form \`CMD ["…"]\` with a binary the image contains.`,
          data: { missing: 'shell' },
        });
        continue;
      }
      const instead = problem.missing === 'curl' && tools.wget === true
        ? 'probe with BusyBox `wget -q --spider` instead, or install curl in this stage'
        : tools.node
          ? 'probe with `node -e` instead, or install the tool in this stage'
          : tools.python
            ? 'probe with `python3 -c` instead, or install the tool in this stage'
            : `install \`${problem.missing}\` in this stage or probe with a binary the image contains`;
      report({
        range: problem.range,
        message: `\`${problem.missing}\` is not installed in \`${image}\`, so this HEALTHCHECK fails every time and the container ends up unhealthy; ${instead}.`,
        data: { missing: problem.missing },
      });
    }
  },
  fix(finding, dockerfile) {
    const problem = problems(dockerfile).find((p) => p.range.start.line === finding.range.start.line && p.range.start.character === finding.range.start.character);
    if (!problem || problem.missing === 'shell') return undefined;
    return rewriteProbe(dockerfile, problem);
  },
});

/** Options of curl a BusyBox `wget --spider` can stand in for, and what they become. */
interface CurlProbe {
  url: string;
  fail: boolean;
  wgetOptions: string[];
}

/** Reads a simple `curl [-fsSLIk] [-o /dev/null] [-m N] URL`; null when it does anything else. */
function readCurl(words: string[]): CurlProbe | null {
  let url: string | null = null;
  let fail = false;
  const wgetOptions: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    if (long) {
      const [, name, inline] = long;
      const value = inline ?? (['output', 'max-time', 'connect-timeout'].includes(name) ? words[++i] : undefined);
      if (name === 'fail') fail = true;
      else if (name === 'output' && value === '/dev/null') continue;
      else if (name === 'max-time' || name === 'connect-timeout') {
        if (!value || !/^\d+$/.test(value)) return null;
        wgetOptions.push(`-T ${value}`);
      } else if (name === 'insecure') wgetOptions.push('--no-check-certificate');
      else if (!['silent', 'show-error', 'location', 'head'].includes(name)) return null;
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(word)) {
      for (let j = 1; j < word.length; j++) {
        const flag = word[j];
        const last = j === word.length - 1;
        if (flag === 'f') fail = true;
        else if (flag === 'k') wgetOptions.push('--no-check-certificate');
        else if ((flag === 'o' || flag === 'm') && last) {
          const value = words[++i];
          if (flag === 'o' && value !== '/dev/null') return null;
          if (flag === 'm') {
            if (!value || !/^\d+$/.test(value)) return null;
            wgetOptions.push(`-T ${value}`);
          }
        } else if (!'sSLI'.includes(flag)) return null;
      }
      continue;
    }
    if (url !== null || !/^(?:https?:\/\/)?[\w.-]+(?::\d+)?(?:\/[\w./%~-]*)?$/.test(word)) return null;
    url = /^https?:\/\//.test(word) ? word : `http://${word}`;
  }
  return url ? { url, fail, wgetOptions } : null;
}

function rewriteProbe(dockerfile: DockerfileModel, problem: Problem) {
  const healthcheck = readHealthcheck(problem.instruction);
  if (!healthcheck.range) return undefined;
  const tools = problem.image.tools;
  const shellCommands = healthcheck.exec ? [] : shellOf(dockerfile, problem.instruction).commands;
  const command = healthcheck.exec ? null : shellCommands.find((c) => c.words[0]?.range.start.character === problem.range.start.character && c.words[0]?.range.start.line === problem.range.start.line);
  const words = healthcheck.exec ?? (command ? command.words.map((w) => w.value ?? '\0') : null);
  if (!words || words.some((w) => w.includes('\0')) || problem.missing !== 'curl') return undefined;
  const curl = readCurl(words);
  if (!curl) return undefined;
  // Alpine and BusyBox: swap curl for wget in place; the rest of the command (`|| exit 1`) stays.
  if (tools.wget === true && command && command.assignments.length === 0) {
    return {
      title: 'Probe with BusyBox wget instead of curl',
      edits: [{ range: command.range, newText: ['wget', '-q', '--spider', ...curl.wgetOptions, curl.url].join(' ') }],
      // wget --spider fails on HTTP errors as `curl -f` does; without -f curl accepted them.
      safe: curl.fail,
    };
  }
  if (tools.wget === true && tools.shell === true && healthcheck.exec) {
    return {
      title: 'Probe with BusyBox wget instead of curl',
      edits: [{ range: healthcheck.range, newText: ['wget', '-q', '--spider', ...curl.wgetOptions, curl.url, '||', 'exit', '1'].join(' ') }],
      safe: curl.fail,
    };
  }
  // No HTTP client at all (`-slim`, distroless nodejs): use the runtime, when the command is only the probe.
  const onlyProbe = healthcheck.exec !== null || shellCommands.every((c) => c === command || (c.program === 'exit' && c.args.length === 1 && c.args[0].value === '1'));
  const root = problem.image.root.base;
  const runtime = runtimeOf(dockerfile, stageAncestry(dockerfile, problem.image.stage));
  const probe = probeFor(distroOf(root.ref, root.scratch), root.ref, portOf(curl.url), pathOf(curl.url), { ...runtime, curl: false, wget: false });
  if (!onlyProbe || !probe || !probe.exec || !/^http:\/\/(?:localhost|127\.0\.0\.1)(?::\d+)?(?:\/|$)/.test(curl.url)) return undefined;
  return {
    title: `Probe with ${probe.tool} instead of curl`,
    edits: [{ range: healthcheck.range, newText: probeCommand(probe).replace(/^CMD /, '') }],
    safe: false,
  };
}

/** Node.js or Python that the container starts (chain nearest first), so the image surely has it. */
function runtimeOf(dockerfile: DockerfileModel, chain: Stage[]): { node?: string; python?: string } {
  for (const stage of chain) {
    const start = [...stage.instructions].reverse().find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
    if (!start) continue;
    const program = commandWords(dockerfile, start)[0] ?? '';
    const base = program.split('/').pop() ?? '';
    if (base === 'node' || base === 'nodejs') return { node: program };
    if (/^python3(?:\.\d+)?$/.test(base)) return { python: program };
    return {};
  }
  return {};
}

function portOf(url: string): number {
  const m = /^https?:\/\/[^/:]+:(\d+)/.exec(url);
  return m ? Number(m[1]) : url.startsWith('https') ? 443 : 80;
}

function pathOf(url: string): string {
  const m = /^https?:\/\/[^/]+(\/.*)?$/.exec(url);
  return m?.[1] ?? '/';
}
