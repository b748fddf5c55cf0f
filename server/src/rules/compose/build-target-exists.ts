import { basename } from 'node:path';
import { isScalar, type Scalar } from 'yaml';
import { composeRule } from '../types';
import { buildProject } from '../../compose/project';
import { replaceNode } from '../../compose/edit';
import { editDistance } from '../../text/distance';

/** The stage a target most likely meant: a close spelling, or the one stage it abbreviates; null when unclear. */
export function closestStage(target: string, stages: string[]): string | null {
  const wanted = target.toLowerCase();
  const max = Math.max(2, Math.floor(wanted.length / 3));
  const scored = stages.map((name) => ({ name, score: editDistance(wanted, name.toLowerCase(), max) })).sort((a, b) => a.score - b.score);
  const best = scored[0];
  if (best && best.score <= max && scored[1]?.score !== best.score) return best.name;
  const prefixed = stages.filter((s) => s.toLowerCase().startsWith(wanted) || wanted.startsWith(s.toLowerCase()));
  return prefixed.length === 1 ? prefixed[0] : null;
}

/**
 * `build.target` picks the stage Compose builds; BuildKit matches it against the Dockerfile's
 * stage names ignoring case, and fails the whole build ("target stage … could not be found")
 * when none matches, typically after a stage was renamed in the Dockerfile only.
 */
export default composeRule({
  id: 'build-target-exists',
  aliases: [],
  title: 'Target a stage the Dockerfile defines',
  category: 'correctness',
  severity: 'error',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const located = project.get(service, ['build', 'target']);
      if (!located || located.compose !== compose || !located.node) continue;
      const target = compose.text(located.node);
      const built = project.dockerfile(service);
      if (!target || !built) continue;
      const stages = built.model.stages.map((s) => s.name).filter((n): n is string => n !== null);
      if (stages.some((s) => s.toLowerCase() === target.toLowerCase())) continue;
      const file = built.path ? `\`${basename(built.path)}\`` : 'the inline Dockerfile';
      const guess = closestStage(target, stages);
      const known = stages.length > 0 ? `its stages are ${stages.map((s) => `\`${s}\``).join(', ')}` : 'it names no stage (`FROM … AS name`)';
      report({
        range: compose.rangeOf(located.node),
        message: `\`${service.name}\` builds the target \`${target}\`, but ${file} has no stage of that name (${known}), so the build fails with "target stage could not be found"; ${guess ? `use \`${guess}\`` : 'name an existing stage'} or rename the stage.`,
        data: { service: service.name, suggestion: guess },
      });
    }
  },
  fix(finding, compose, context) {
    const suggestion = finding.data?.suggestion;
    if (typeof suggestion !== 'string') return undefined;
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    const located = service && project.get(service, ['build', 'target']);
    const node = located?.compose === compose ? compose.resolve(located.node) : null;
    // A target built from a variable is left alone: the fix would drop the variable.
    if (!node || !isScalar(node) || !node.range || String((node as Scalar).value).includes('$')) return undefined;
    const quote = (node as Scalar).type === 'QUOTE_DOUBLE' ? '"' : (node as Scalar).type === 'QUOTE_SINGLE' ? "'" : '';
    const edit = replaceNode(compose, node, `${quote}${suggestion}${quote}`);
    return edit ? { title: `Build the stage \`${suggestion}\``, edits: [edit], safe: false } : undefined;
  },
});
