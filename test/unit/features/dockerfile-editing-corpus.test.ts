import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Hover, Range, TextEdit } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { diskFiles } from '../../../server/src/files';
import { signatureDockerfile } from '../../../server/src/features/signature/dockerfile';
import { dockerfileTokens } from '../../../server/src/features/semanticTokens/dockerfile';
import { loadCorpus } from '../../helpers/corpus';

// Dockerfile completion, hover, signature help and semantic tokens over every corpus Dockerfile:
// nothing throws, every range is inside the document, and the answers make sense (each
// instruction's keyword is a keyword token and hovers with its reference; an empty line offers
// the instructions; --from= offers the stages above).

const corpus = loadCorpus()?.filter((f) => f.kind === 'dockerfile') ?? [];
const value = (hover: Hover | null) => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '');

describe('Dockerfile editing features over the corpus', () => {
  const service = new LanguageService({ docsBase: 'file:///docs', files: diskFiles, onFailure: (what, error) => { throw new Error(`${what}: ${String(error)}`); } });

  it('answers at a spread of positions of every file without throwing, with ranges inside', { skip: corpus.length === 0 }, () => {
    for (const file of corpus) {
      const source = { uri: pathToFileURL(file.path).href, text: file.text, kind: 'dockerfile' as const };
      const context = service.dockerfileFeature(source, { maxFileSize: 1e9, maxLines: 1e9 } as never);
      if (!context) continue;
      const document = context.model.document;
      const end = document.positionAt(file.text.length);
      const inside = (r: Range) => [r.start, r.end].every((p) => p.line >= 0 && p.character >= 0 && (p.line < end.line || (p.line === end.line && p.character <= end.character)));
      const offsets = new Set<number>();
      for (const instruction of context.model.instructions) {
        offsets.add(document.offsetAt(instruction.keywordRange.start) + 1);
        for (const flag of instruction.flags) offsets.add(document.offsetAt(flag.range.end));
        offsets.add(document.offsetAt(instruction.range.end));
      }
      for (let offset = 0; offset < file.text.length; offset += Math.max(5, Math.floor(file.text.length / 25))) offsets.add(offset);
      for (const offset of offsets) {
        const position = document.positionAt(offset);
        for (const item of service.complete(source, position)) {
          const edit = item.textEdit as TextEdit | undefined;
          if (edit) assert.ok(inside(edit.range), `${file.name}: completion range at ${JSON.stringify(position)}`);
        }
        const hover = service.hover(source, position);
        if (hover?.range) assert.ok(inside(hover.range), `${file.name}: hover range`);
        const help = signatureDockerfile(context, position);
        if (help) assert.ok(help.activeParameter! < help.signatures[help.activeSignature!].parameters!.length, `${file.name}: parameter at ${JSON.stringify(position)}`);
      }
      // Tokens: sorted, on one line each, inside their line, never overlapping.
      const tokens = dockerfileTokens(context.model);
      const lines = file.text.split(/\r?\n/);
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        assert.ok(t.length > 0 && t.character + t.length <= lines[t.line].length, `${file.name}: token at ${t.line}:${t.character}`);
        const previous = tokens[i - 1];
        if (previous) assert.ok(previous.line < t.line || previous.character + previous.length <= t.character, `${file.name}: tokens overlap at ${t.line}:${t.character}`);
      }
      const keywordAt = new Set(tokens.filter((t) => t.type === 'keyword').map((t) => `${t.line}:${t.character}`));
      for (const instruction of context.model.instructions) {
        assert.ok(keywordAt.has(`${instruction.keywordRange.start.line}:${instruction.keywordRange.start.character}`), `${file.name}: ${instruction.keyword} at line ${instruction.range.start.line + 1} is a keyword token`);
      }
    }
  });

  it('hovers every instruction keyword with its reference, offers instructions on a new line and stages after --from=', { skip: corpus.length === 0 }, () => {
    let stagesChecked = 0;
    for (const file of corpus) {
      const source = { uri: pathToFileURL(file.path).href, text: file.text, kind: 'dockerfile' as const };
      const context = service.dockerfileFeature(source, { maxFileSize: 1e9, maxLines: 1e9 } as never);
      if (!context) continue;
      for (const instruction of context.model.instructions) {
        const text = value(service.hover(source, instruction.keywordRange.start));
        assert.ok(text.includes(`https://docs.docker.com/reference/dockerfile/#`), `${file.name}: hover on ${instruction.keyword} (line ${instruction.range.start.line + 1})`);
      }
      // A file that ends inside a continuation (a parser test file) has no new line to complete on.
      if (/\\\s*$/.test(file.text)) continue;
      const appended = { ...source, text: `${file.text.replace(/\s*$/, '')}\n\n` };
      const lines = appended.text.split('\n').length;
      const labels = service.complete(appended, { line: lines - 1, character: 0 }).map((i) => i.label);
      assert.ok(labels.includes('RUN') && labels.includes('COPY'), `${file.name}: instructions on a new line`);
      const named = context.model.stages.filter((s) => s.name);
      if (named.length > 0) {
        const withCopy = { ...source, text: `${appended.text}COPY --from=` };
        const stages = service.complete(withCopy, { line: lines - 1, character: 'COPY --from='.length }).map((i) => i.label);
        for (const stage of named) {
          // The appended COPY is in the last stage: every other named stage is offered.
          if (stage.index < context.model.stages.length - 1) assert.ok(stages.includes(stage.name!), `${file.name}: stage ${stage.name} after --from=`);
        }
        stagesChecked++;
      }
    }
    assert.ok(stagesChecked > 0, 'the corpus has multi-stage files');
  });
});
