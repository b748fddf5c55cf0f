import type { Hover, Position } from 'vscode-languageserver-types';
import type { ComposeModel } from '../compose/parse';
import type { LanguageService } from '../service';
import { parseImageRef } from '../text/image';
import { contains } from './dockerfile';
import { ignoreCommentHover } from './ignores';

/** Hover on a service's `image:` value (how Compose reads it) and on rule ids in ignore comments. */
export function hoverCompose(model: ComposeModel, position: Position, service: LanguageService): Hover | null {
  for (const s of model.services) {
    const entry = model.get(s.node, 'image');
    if (!entry?.value?.range) continue;
    const range = model.rangeOf(entry.value);
    if (!contains(range, position)) continue;
    const image = model.text(entry.value);
    const ref = image ? parseImageRef(image) : null;
    const lines = [`**Image of \`${s.name}\`**${image ? `: \`${image}\`` : ''}`];
    if (!image) lines.push('Built from variables with no default: the image is only known when Compose runs.');
    if (ref) {
      lines.push(`Registry \`${ref.registry ?? 'docker.io'}\`, repository \`${ref.repository}\`, ${ref.digest ? `digest \`${ref.digest}\`` : ref.tag ? `tag \`${ref.tag}\`` : 'no tag (pulls `latest`)'}`);
    }
    if (model.get(s.node, 'build')) lines.push('The service also has `build:`, so Compose builds the image and tags it with this name.');
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range };
  }
  return ignoreCommentHover(model.document, position, service);
}
