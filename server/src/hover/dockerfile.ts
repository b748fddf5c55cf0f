import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../dockerfile/parse';
import type { LanguageService } from '../service';
import { ignoreCommentHover } from './ignores';

export function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Hover on a base image (what it resolves to, which stage it starts) and on rule ids in ignore comments. */
export function hoverDockerfile(model: DockerfileModel, position: Position, service: LanguageService): Hover | null {
  for (const stage of model.stages) {
    const { base } = stage;
    if (!contains(base.range, position)) continue;
    const lines = [`**Stage ${stage.index}${stage.name ? ` \`${stage.name}\`` : ''}** starts from ${base.stageRef !== null ? `stage \`${model.stages[base.stageRef].name ?? base.stageRef}\`` : `\`${base.text}\``}`];
    if (base.resolved !== null && base.resolved !== base.text) lines.push(`With the build args' defaults: \`${base.resolved}\``);
    if (base.resolved === null) lines.push('Depends on a build arg with no default: the image is only known at build time.');
    if (base.ref) {
      lines.push(`Registry \`${base.ref.registry ?? 'docker.io'}\`, repository \`${base.ref.repository}\`, ${base.ref.digest ? `digest \`${base.ref.digest}\`` : base.ref.tag ? `tag \`${base.ref.tag}\`` : 'no tag (pulls `latest`)'}`);
    }
    if (base.platform) lines.push(`Platform \`${base.platform}\``);
    const isFinal = stage.index === model.stages.length - 1;
    lines.push(isFinal ? 'This is the final stage: what it contains ships.' : 'A build stage: it ships only what a later stage copies from it.');
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: base.range };
  }
  return ignoreCommentHover(model.document, position, service, model.comments.map((c) => c.range));
}
