import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormattingOptions, Range } from 'vscode-languageserver-types';
import { parseDockerfile, type DockerfileModel } from '../../../server/src/dockerfile/parse';
import { heredocsOf } from '../../../server/src/dockerfile/symbols';
import { formatDockerfile, type DockerfileFormatOptions } from '../../../server/src/features/formatting/dockerfile';
import { dockerfileLibrary } from '../../../server/src/features/dockerfile/library';
import { loadCorpus } from '../../helpers/corpus';

// Dockerfile formatting: what it changes, what it must never change (what BuildKit reads), and
// that it formats to itself, on small cases and on every corpus Dockerfile.

const OPTIONS: FormattingOptions = { tabSize: 4, insertSpaces: true };

function model(text: string): DockerfileModel {
  return parseDockerfile(TextDocument.create('file:///project/Dockerfile', 'dockerfile', 1, text));
}

function format(text: string, options: FormattingOptions = OPTIONS, settings: DockerfileFormatOptions = {}, range?: Range): string {
  const m = model(text);
  return TextDocument.applyEdits(m.document, formatDockerfile(m, options, settings, range));
}

/**
 * What the build reads from a Dockerfile, per instruction: the keyword (case-insensitive to
 * BuildKit, an ONBUILD trigger's too), the flags, the words of the arguments as BuildKit joins and
 * splits them (an escaped newline removed, comment and empty lines inside the instruction dropped,
 * whitespace inside quotes kept), and each here-document's body.
 */
function parsedView(text: string): string[] {
  const m = model(text);
  const lines = text.split(/\r?\n|\r/);
  return m.instructions.map((i) => {
    const heredocs = heredocsOf(i);
    const bodyLines = new Set<number>();
    for (const h of heredocs) {
      const from = h.getContentRange()?.start.line ?? h.getNameRange().end.line + 1;
      const to = h.getDelimiterRange()?.end.line ?? i.range.end.line;
      for (let l = from; l <= to; l++) bodyLines.add(l);
    }
    let joined = '';
    // From the end of the keyword (which a continuation may split: `R\` then `UN`).
    for (let l = i.keywordRange.end.line; l <= i.range.end.line; l++) {
      if (bodyLines.has(l)) continue;
      let line = lines[l] ?? '';
      if (l === i.keywordRange.end.line) line = line.slice(i.keywordRange.end.character);
      else if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const continued = new RegExp(`\\${m.escape}[ \t]*$`).exec(line);
      joined += continued ? line.slice(0, continued.index) : line;
    }
    const words = splitWords(joined, m.escape);
    if (i.keyword === 'ONBUILD' && words.length > 0) words[0] = words[0].toUpperCase();
    return JSON.stringify([i.keyword, words, heredocs.map((h) => (h.getContentRange() ? m.document.getText(h.getContentRange()!) : null))]);
  });
}

/** Words split on whitespace outside quotes; quotes and escapes kept as written. */
function splitWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === escape && quote !== "'" && k + 1 < text.length) {
      word += ch + text[++k];
    } else if (quote) {
      word += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      word += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (word) words.push(word);
      word = '';
    } else {
      word += ch;
    }
  }
  if (word) words.push(word);
  return words;
}

describe('Dockerfile formatting', () => {
  it('upper-cases keywords, starts instructions at column 0 and indents continuation lines by one unit', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      '  from alpine:3.20 as build',
      '   run apk add \\',
      '  curl \\',
      '            git',
      'onbuild run echo hi',
      '    # a comment',
      'Copy . .',
      '',
    ].join('\n');
    assert.equal(format(text), [
      '# syntax=docker/dockerfile:1',
      'FROM alpine:3.20 as build',
      'RUN apk add \\',
      '    curl \\',
      '    git',
      'ONBUILD RUN echo hi',
      '# a comment',
      'COPY . .',
      '',
    ].join('\n'));
    assert.equal(format('RUN a \\\n b\n', { tabSize: 2, insertSpaces: false }), 'RUN a \\\n\tb\n');
    assert.equal(format('RUN a \\\n b\n', { tabSize: 2, insertSpaces: true }), 'RUN a \\\n  b\n');
  });

  it('leaves here-document bodies, their delimiters and continued quoted strings as written', () => {
    const text = [
      'from alpine',
      'run --mount=type=cache,target=/var/cache/apk \\',
      '      <<EOF',
      '  set -e',
      '    apk add curl',
      'EOF',
      'copy <<-EOT /etc/motd',
      '\thello',
      '\tEOT',
      'run echo "a \\',
      '   b" \\',
      '        && true',
      '',
    ].join('\n');
    const formatted = format(text);
    assert.equal(formatted, [
      'FROM alpine',
      'RUN --mount=type=cache,target=/var/cache/apk \\',
      '    <<EOF',
      '  set -e',
      '    apk add curl',
      'EOF',
      'COPY <<-EOT /etc/motd',
      '\thello',
      '\tEOT',
      'RUN echo "a \\',
      '   b" \\',
      '    && true',
      '',
    ].join('\n'));
    assert.deepEqual(parsedView(formatted), parsedView(text));
  });

  it('leaves continuation lines alone where their whitespace is part of a value', () => {
    // Legacy ENV and WORKDIR keep the rest of the line as written; a word split by a continuation
    // with no whitespace at the join stays one word.
    for (const text of ['ENV A hello \\\n  world\n', 'LABEL description this is \\\n  a label\n', 'WORKDIR /a \\\n  b\n', 'RUN echo light\\\nning\n']) {
      assert.equal(format(text), text);
    }
    // A line after a continued string joins to the string's last line as written: `b"` then `c`
    // is one word (`"a b"c`), which indenting `c` would split.
    const quoted = 'RUN echo "a \\\nb"\\\nc\n';
    assert.equal(format(quoted), quoted);
    assert.deepEqual(parsedView(format(quoted)), parsedView(quoted));
    assert.equal(format('ENV A=1 \\\n  B=2\n'), 'ENV A=1 \\\n    B=2\n');
  });

  it('leaves hand-indented multi-line instructions alone with ignoreMultilineInstructions', () => {
    const text = 'run apt-get update \\\n  && apt-get install -y \\\n       curl\n';
    assert.equal(format(text, OPTIONS, { ignoreMultilineInstructions: true }), 'RUN apt-get update \\\n  && apt-get install -y \\\n       curl\n');
    assert.equal(format(text), 'RUN apt-get update \\\n    && apt-get install -y \\\n    curl\n');
  });

  it('formats only the lines of a range', () => {
    const text = 'from alpine\nrun a \\\n b\nrun c\n';
    assert.equal(format(text, OPTIONS, {}, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }), 'from alpine\nRUN a \\\n b\nrun c\n');
  });

  it('is idempotent on generated Dockerfiles (fast-check)', () => {
    const line = fc.oneof(
      fc.constantFrom('from alpine', 'RUN a \\', '  b \\', 'c', '# note', '   # indented', 'run <<EOF', '  body $X', 'EOF', 'COPY . .', 'env A="x \\', '  y"', '', '\t\tRUN x', 'onbuild run y'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (lines, tabs) => {
      const text = lines.join('\n');
      const options = { tabSize: 4, insertSpaces: !tabs };
      const once = format(text, options);
      assert.equal(format(once, options), once);
      assert.deepEqual(parsedView(once), parsedView(text));
    }), { numRuns: 300 });
  });
});

const corpus = loadCorpus()?.filter((f) => f.kind === 'dockerfile') ?? [];

describe('Dockerfile formatting over the corpus', () => {
  it('keeps what BuildKit parses and formats to itself, on every corpus Dockerfile (fast-check picks the options)', { skip: corpus.length === 0 }, () => {
    const views = new Map(corpus.map((f) => [f.name, parsedView(f.text)]));
    fc.assert(fc.property(fc.constantFrom(...corpus), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.boolean(), (file, tabSize, insertSpaces, ignore) => {
      const options = { tabSize, insertSpaces };
      const once = format(file.text, options, { ignoreMultilineInstructions: ignore });
      assert.equal(format(once, options, { ignoreMultilineInstructions: ignore }), once, file.name);
      assert.deepEqual(parsedView(once), views.get(file.name), file.name);
    }), { numRuns: Math.max(200, corpus.length * 2) });
  });

  it('every corpus Dockerfile, with the default options', { skip: corpus.length === 0 }, () => {
    let changed = 0;
    for (const file of corpus) {
      const once = format(file.text);
      if (once !== file.text) changed++;
      assert.deepEqual(parsedView(once), parsedView(file.text), file.name);
      assert.equal(format(once), once, file.name);
    }
    // A corpus with nothing to format would make the checks above empty.
    assert.ok(changed > 0);
  });

  it('the library\'s formatter changes what BuildKit reads in continued quoted strings (why the formatter is ours)', () => {
    const text = 'FROM alpine\nRUN echo "a \\\n   b"\n';
    const m = model(text);
    const theirs = TextDocument.applyEdits(m.document, dockerfileLibrary().format(text, OPTIONS));
    assert.notDeepEqual(parsedView(theirs), parsedView(text));
    assert.deepEqual(parsedView(format(text)), parsedView(text));
  });
});
