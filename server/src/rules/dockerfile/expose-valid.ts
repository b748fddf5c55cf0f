import type { Argument } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { expandIn, unquote, walkWithVariables } from './workdir-absolute';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

type Problem =
  | { kind: 'range'; port: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'mapping'; container: string }
  | { kind: 'casing'; container: string };

/**
 * Reads one port the way Docker does (`[ip:][hostPort:]port[-end][/proto]`, split on `:` from
 * the right) and returns the worst problem: one that fails the build, a host part EXPOSE cannot
 * honour, or an upper-case protocol. `container` is the spec as EXPOSE should write it.
 */
export function portProblem(spec: string): Problem | null {
  const parts = spec.split(':');
  const container = parts[parts.length - 1];
  const hasHostPart = parts.length > 1;
  const slash = container.indexOf('/');
  const port = slash >= 0 ? container.slice(0, slash) : container;
  const proto = slash >= 0 ? container.slice(slash + 1) : '';
  if (!port) return { kind: 'invalid', reason: 'it names no port' };
  if (proto && !PROTOCOLS.has(proto.toLowerCase())) return { kind: 'invalid', reason: `\`${proto}\` is not a protocol Docker knows (tcp, udp or sctp)` };
  const dash = port.indexOf('-');
  const ends = dash >= 0 ? [port.slice(0, dash), port.slice(dash + 1)] : [port];
  for (const end of ends) {
    if (!/^\+?\d+$/.test(end)) return { kind: 'invalid', reason: `\`${end || port}\` is not a port number` };
    if (Number(end) > 65535) return { kind: 'range', port: end };
  }
  if (ends.length === 2 && ends[0] !== ends[1] && Number(ends[1]) < Number(ends[0])) return { kind: 'invalid', reason: `the range \`${port}\` ends before it starts` };
  const normalized = proto ? `${port}/${proto.toLowerCase()}` : port;
  if (hasHostPart) return { kind: 'mapping', container: normalized };
  if (proto !== proto.toLowerCase()) return { kind: 'casing', container: normalized };
  return null;
}

interface PortFinding {
  instruction: DockerInstruction;
  written: string;
  range: Range;
  problem: Problem;
  /** The replacement for the written word, when it holds no variable and can be rewritten. */
  replacement: string | null;
}

function portFindings(model: DockerfileModel): PortFinding[] {
  const found: PortFinding[] = [];
  walkWithVariables(model, (instruction, scope) => {
    if (instruction.keyword !== 'EXPOSE') return;
    for (const argument of instruction.ast.getArguments() as Argument[]) {
      const written = argument.getValue();
      const { value } = unquote(written);
      const expanded = expandIn(model, value, scope);
      // A port from a --build-arg or the base image's ENV is only known at build time.
      if (expanded === null) continue;
      for (const spec of expanded.split(/\s+/).filter(Boolean)) {
        const problem = portProblem(spec);
        if (!problem) continue;
        const fixable = expanded === written && (problem.kind === 'mapping' || problem.kind === 'casing');
        found.push({ instruction, written, range: argument.getRange(), problem, replacement: fixable ? (problem as { container: string }).container : null });
        break;
      }
    }
  });
  return found;
}

function message(f: PortFinding): string {
  switch (f.problem.kind) {
    case 'range':
      return `Port \`${f.problem.port}\` in \`EXPOSE ${f.written}\` is outside 0–65535, so Docker stops the build; expose the port the process actually listens on.`;
    case 'invalid':
      return `\`EXPOSE ${f.written}\` is not a valid port (${f.problem.reason}), so Docker stops the build; write \`port\`, \`port/udp\` or a range such as \`8000-8010\`.`;
    case 'mapping':
      return `\`EXPOSE ${f.written}\` maps a host address or port, which EXPOSE cannot do: it only documents the container's port, publishes nothing, and BuildKit will reject this form; write \`${f.problem.container}\` and publish with \`docker run -p\` or Compose \`ports:\`.`;
    case 'casing':
      return `The protocol in \`EXPOSE ${f.written}\` is not lower-case; Docker lower-cases it anyway and BuildKit warns about it, so write \`${f.problem.container}\`.`;
  }
}

/**
 * EXPOSE records which ports the container listens on; it publishes nothing. A port out of range
 * or a bad protocol fails the build, and a host mapping is silently reduced to the container port.
 * See https://docs.docker.com/reference/dockerfile/#expose.
 */
export default dockerfileRule({
  id: 'expose-valid',
  aliases: ['DL3011', 'ExposeInvalidFormat', 'ExposeProtoCasing', '71bf8cf8-f0a1-42fa-b9d2-d10525e0a38e'],
  title: 'Expose valid container ports only',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const f of portFindings(dockerfile)) {
      report({ range: f.range, message: message(f), data: { kind: f.problem.kind } });
    }
  },
  fix(finding, dockerfile) {
    const f = portFindings(dockerfile).find(
      (p) => p.range.start.line === finding.range.start.line && p.range.start.character === finding.range.start.character,
    );
    if (!f?.replacement) return undefined;
    return {
      title: f.problem.kind === 'mapping' ? `Expose only the container port: ${f.replacement}` : `Lower-case the protocol: ${f.replacement}`,
      edits: [{ range: f.range, newText: f.replacement }],
      safe: true,
    };
  },
});
