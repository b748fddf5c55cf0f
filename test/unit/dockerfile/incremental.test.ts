import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, type DockerfileModel } from '../../../server/src/dockerfile/parse';
import { dedent } from '../../helpers/check';
import { loadCorpus } from '../../helpers/corpus';

/**
 * An edited document parsed from its previous version's model (only the changed instructions
 * re-parsed, unchanged ones carried over) must be the model a parse from scratch gives.
 */

/** Everything rules read of a model, as plain data (the parser's nodes through their accessors). */
function snapshot(model: DockerfileModel): unknown {
  return {
    escape: model.escape,
    directives: model.directives,
    comments: model.comments,
    globalArgs: [...model.globalArgs],
    instructions: model.instructions.map((i) => ({
      keyword: i.keyword,
      range: i.range,
      keywordRange: i.keywordRange,
      args: i.args,
      argsRange: i.argsRange,
      flags: i.flags.map((f) => ({ ...f, options: [...f.options] })),
      stage: i.stage,
      execForm: i.execForm,
      json: i.json,
      heredocs: i.heredocs,
      ast: {
        keyword: i.ast.getKeyword(),
        range: i.ast.getRange(),
        content: i.ast.getTextContent(),
        args: i.ast.getArguments().map((a) => [a.getValue(), a.getRange()]),
      },
    })),
    stages: model.stages.map((s) => ({
      index: s.index,
      name: s.name,
      nameRange: s.nameRange,
      range: s.range,
      base: s.base,
      from: model.instructions.indexOf(s.from),
      instructions: s.instructions.map((i) => model.instructions.indexOf(i)),
      variables: [...s.variables],
      implicit: s.implicit,
    })),
  };
}

const documentOf = (text: string, version: number) => TextDocument.create('file:///Dockerfile', 'dockerfile', version, text);

/** Applies edits one after the other, each parsed from the previous model, and compares with a fresh parse. */
function checkEdits(original: string, edits: ((text: string) => string)[], label: string): void {
  let text = original;
  let model = parseDockerfile(documentOf(text, 0));
  edits.forEach((edit, n) => {
    text = edit(text);
    model = parseDockerfile(documentOf(text, n + 1), model);
    assert.deepEqual(snapshot(model), snapshot(parseDockerfile(documentOf(text, n + 1))), `${label}, after edit ${n + 1}:\n${text}`);
  });
}

/** A small deterministic generator (the corpus sweep must be repeatable). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

const SNIPPETS = [' ', 'x', '\\', '`', '\n', '\\\n', '#', '# c\n', '"', "'", '[', ']', '<<EOF\n', '\nEOF\n', 'FROM alpine AS s\n', 'ARG A=1\n', 'RUN echo $A\n', '--mount=type=cache,target=/x ', '\r\n'];

function randomEdit(next: () => number): (text: string) => string {
  const kind = Math.floor(next() * 4);
  const snippet = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
  return (text) => {
    const at = Math.floor(next() * (text.length + 1));
    if (kind === 0) return text.slice(0, at) + snippet + text.slice(at);
    if (kind === 1) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
    // A character at the start of a line, as the benchmark types.
    const lines = text.split('\n');
    const line = Math.floor(next() * lines.length);
    if (kind === 2) lines[line] = snippet.replace(/\n/g, '') + lines[line];
    else lines[line] = lines[line].slice(0, -1);
    return lines.join('\n');
  };
}

describe('incremental Dockerfile parse', () => {
  it('matches a full parse after edits that reach past one instruction', () => {
    const base = dedent(`
      # syntax=docker/dockerfile:1
      ARG GO=1.22
      FROM golang:\${GO} AS build
      # a comment
      RUN go build \\
        -o /out ./...
      COPY <<EOF /etc/x
      hello
      EOF
      FROM scratch
      COPY --from=build /out /app
      CMD ["/app"]
    `);
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
    const onLine = (needle: string, change: (line: string) => string) => (text: string) => {
      const lines = text.split('\n');
      const i = lineOf(text, needle);
      lines[i] = change(lines[i]);
      return lines.join('\n');
    };
    // An escaped newline at the end of an instruction swallows the next one, and is taken back.
    checkEdits(base, [onLine('# a comment', (l) => l), onLine('FROM golang', (l) => `${l} \\`), onLine('FROM golang', (l) => l.replace(/ \\$/, ''))], 'continuation');
    // An unterminated here-document runs to the end of the file, then is closed again.
    checkEdits(base, [onLine('EOF', (l) => l.replace('EOF', 'EOX')), onLine('EOX', (l) => l.replace('EOX', 'EOF'))], 'heredoc');
    // A new stage in the middle renumbers the stages after it.
    checkEdits(base, [onLine('CMD', (l) => l), onLine('# a comment', () => 'FROM alpine AS mid'), onLine('FROM alpine AS mid', () => '# a comment')], 'stage');
    // Lines added and removed, comments edited, the escape directive changed.
    checkEdits(base, [(t) => t.replace('# a comment\n', '# a comment\n\n# two\n'), (t) => t.replace('\n\n# two', ''), (t) => t.replace('a comment', 'the comment')], 'lines');
    checkEdits(`# escape=\`\n${base.replace(/\\\n/g, '`\n')}`, [onLine('FROM golang', (l) => `${l} \``), onLine('RUN go build', (l) => `${l}!`)], 'escape');
    checkEdits(base, [(t) => t.replace('# syntax=docker/dockerfile:1\n', '# escape=`\n'), onLine('ARG GO', (l) => `${l}x`)], 'directive');
    // A file without FROM is one implicit stage until a FROM is typed, anywhere in it.
    const fragment = 'ARG A=1\nRUN echo $A\nWORKDIR app\nCMD ["x"]\n';
    checkEdits(fragment, [onLine('WORKDIR', (l) => `${l}s`), onLine('CMD', () => 'FROM alpine'), onLine('FROM alpine', () => 'CMD ["x"]'), onLine('RUN echo', (l) => `FROM alpine AS s\n${l}`)], 'fragment');
  });

  it('matches a full parse over random edits of every corpus Dockerfile', () => {
    const corpus = loadCorpus();
    if (!corpus) return;
    const next = random(20261127);
    let edits = 0;
    for (const file of corpus.filter((f) => f.kind === 'dockerfile')) {
      const sequence = Array.from({ length: 6 }, () => randomEdit(next));
      checkEdits(file.text, sequence, file.name);
      edits += sequence.length;
    }
    assert.ok(edits > 1000, `${edits} edits`);
  });
});
