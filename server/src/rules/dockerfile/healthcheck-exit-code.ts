import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { shellOf } from '../../dockerfile/shell';
import { chainHas, imageTools, readHealthcheck, rootStage } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';
import { plainWords } from './exec-form-cmd';

/**
 * Probes whose exit status goes beyond 0 and 1: curl (7 when the connection is refused, 22 for an
 * HTTP error, 28 on a timeout…), GNU wget (4 for a network failure, 8 for an HTTP error),
 * pg_isready (2 when the server does not answer) and grpc_health_probe (2 to 4).
 */
const WIDE_EXIT_STATUS = new Set(['curl', 'wget', 'pg_isready', 'grpc_health_probe']);

interface Problem {
  instruction: DockerInstruction;
  program: string;
  range: Range;
  exec: string[] | null;
}

function problems(dockerfile: DockerfileModel): Problem[] {
  const found: Problem[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword !== 'HEALTHCHECK') continue;
    const healthcheck = readHealthcheck(instruction);
    if (healthcheck.none || !healthcheck.range) continue;
    const stage = dockerfile.stages[instruction.stage];
    if (!stage) continue;
    // PowerShell and other shells chosen with SHELL have their own exit status rules.
    if (chainHas(dockerfile, stage, 'SHELL')) continue;
    const root = rootStage(dockerfile, stage).base;
    if (distroOf(root.ref, root.scratch) === 'windows') continue;
    if (healthcheck.exec) {
      const program = healthcheck.exec[0]?.split('/').pop() ?? '';
      if (WIDE_EXIT_STATUS.has(program)) found.push({ instruction, program, range: healthcheck.range, exec: healthcheck.exec });
      continue;
    }
    const script = shellOf(dockerfile, instruction);
    if (script.hasErrors) continue;
    // An explicit `exit` (`|| exit 1`, `if …; then exit 0; else exit 1; fi`) means the status is handled.
    if (script.commands.some((c) => c.program === 'exit' || c.program === 'false')) continue;
    // In a pipeline the last command's status counts (no pipefail in /bin/sh), so only that one matters.
    const leaking = script.commands.find((c) => c.program !== null && WIDE_EXIT_STATUS.has(c.program) && (c.pipeline.length <= 1 || c.pipeline[c.pipeline.length - 1] === c));
    if (leaking) found.push({ instruction, program: leaking.program!, range: leaking.words[0]?.range ?? leaking.range, exec: null });
  }
  return found;
}

/**
 * Docker gives a HEALTHCHECK's exit status a meaning: 0 healthy, 1 unhealthy, and 2 reserved.
 * Probes such as curl exit with other codes when they fail; mapping them to 1 keeps the check
 * within the documented contract. See https://docs.docker.com/reference/dockerfile/#healthcheck.
 */
export default dockerfileRule({
  id: 'healthcheck-exit-code',
  aliases: [],
  title: 'Make the HEALTHCHECK exit with 0 or 1',
  category: 'reliability',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const problem of problems(dockerfile)) {
      const advice = problem.exec ? 'write it in shell form ending with `|| exit 1`' : 'end the command with `|| exit 1`';
      report({
        range: problem.range,
        message: `\`${problem.program}\` exits with codes other than 0 and 1 when it fails, while Docker documents only 0 (healthy) and 1 (unhealthy) for a HEALTHCHECK and reserves 2; ${advice}.`,
        data: { program: problem.program },
      });
    }
  },
  fix(finding, dockerfile) {
    const problem = problems(dockerfile).find((p) => p.range.start.line === finding.range.start.line && p.range.start.character === finding.range.start.character);
    if (!problem) return undefined;
    const healthcheck = readHealthcheck(problem.instruction);
    if (!healthcheck.range) return undefined;
    if (!problem.exec) {
      // A trailing `;` or `&` would make `|| exit 1` a syntax error.
      if (/[;&]\s*$/.test(healthcheck.text)) return undefined;
      // Appending after the whole command list keeps `a && b` intact: `a && b || exit 1`.
      return {
        title: 'Append `|| exit 1` to the HEALTHCHECK command',
        edits: [{ range: { start: healthcheck.range.end, end: healthcheck.range.end }, newText: ' || exit 1' }],
        safe: true,
      };
    }
    // The exec form runs no shell: rewrite it in shell form, when the image has a shell and the words need no quoting.
    const root = rootStage(dockerfile, dockerfile.stages[problem.instruction.stage]).base;
    if (imageTools(distroOf(root.ref, root.scratch), root.ref).shell === false) return undefined;
    const line = problem.exec.join(' ');
    const words = plainWords(line);
    if (!words || words.length !== problem.exec.length || words.some((w, i) => w !== problem.exec![i])) return undefined;
    return {
      title: 'Rewrite the HEALTHCHECK in shell form ending with `|| exit 1`',
      edits: [{ range: healthcheck.range, newText: `${line} || exit 1` }],
      safe: false,
    };
  },
});
