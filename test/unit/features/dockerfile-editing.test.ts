import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, Hover, Position, TextEdit } from 'vscode-languageserver-types';
import { file, service } from '../../helpers/check';
import { completeDockerfile } from '../../../server/src/features/completion/dockerfile';
import { signatureDockerfile } from '../../../server/src/features/signature/dockerfile';
import { dockerfileTokens, encodeTokens, dockerfileTokensLegend } from '../../../server/src/features/semanticTokens/dockerfile';
import { dockerfileLibrary } from '../../../server/src/features/dockerfile/library';

// Dockerfile completion, hover, signature help and semantic tokens on small cases. `|` marks the
// cursor in each text.

function cursor(annotated: string): { text: string; position: Position } {
  const offset = annotated.indexOf('|');
  assert.ok(offset >= 0, 'no cursor');
  const text = annotated.slice(0, offset) + annotated.slice(offset + 1);
  const lines = text.slice(0, offset).split('\n');
  return { text, position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

const context = (text: string) => {
  const c = service.dockerfileFeature(file(text, 'dockerfile'));
  assert.ok(c);
  return c;
};

function complete(annotated: string): CompletionItem[] {
  const { text, position } = cursor(annotated);
  return service.complete(file(text, 'dockerfile'), position);
}
const labels = (annotated: string) => complete(annotated).map((i) => i.label);
const newText = (item: CompletionItem | undefined) => (item?.textEdit as TextEdit | undefined)?.newText;

function hover(annotated: string): string {
  const { text, position } = cursor(annotated);
  const result: Hover | null = service.hover(file(text, 'dockerfile'), position);
  return result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
}

describe('Dockerfile completion', () => {
  it('offers every instruction as a snippet on an empty line, FROM and ARG first at the top of a file', () => {
    const items = complete('|');
    const from = items.find((i) => i.label === 'FROM');
    assert.ok(from, items.map((i) => i.label).join(', '));
    assert.match(newText(from)!, /^FROM \$\{1:image\}/);
    assert.ok(items.filter((i) => i.sortText?.startsWith('0')).every((i) => i.label === 'FROM' || i.label === 'ARG'));
    const inStage = labels('FROM alpine:3.20\n|\n');
    for (const keyword of ['RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'ENV', 'ARG', 'WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'SHELL', 'STOPSIGNAL', 'VOLUME', 'ONBUILD']) assert.ok(inStage.includes(keyword), keyword);
    assert.ok(!inStage.includes('MAINTAINER'), 'the deprecated MAINTAINER is not offered, not even from the library');
    assert.ok(inStage.includes('RUN <<EOF') && inStage.includes('RUN --mount=type=cache'));
    assert.equal(new Set(inStage).size, inStage.length, 'no label twice');
  });

  it('replaces the keyword being typed and offers triggers after ONBUILD without FROM/ONBUILD', () => {
    const items = complete('FROM alpine\nCO|');
    const copy = items.find((i) => i.label === 'COPY')!;
    assert.deepEqual((copy.textEdit as TextEdit).range, { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
    const onbuild = labels('FROM alpine\nONBUILD |');
    assert.ok(onbuild.includes('RUN') && !onbuild.includes('FROM') && !onbuild.includes('ONBUILD'));
  });

  it('offers the flags of each instruction, BuildKit ones included, and not one already given', () => {
    assert.deepEqual(labels('FROM alpine\nCOPY --|'), ['--from', '--chown', '--chmod', '--link', '--parents', '--exclude']);
    assert.deepEqual(labels('FROM alpine\nCOPY --link --|'), ['--from', '--chown', '--chmod', '--parents', '--exclude']);
    assert.ok(labels('FROM alpine\nADD --|').includes('--checksum'));
    assert.deepEqual(labels('FROM alpine\nRUN --|'), ['--mount', '--network', '--security']);
    assert.ok(labels('FROM alpine\nRUN --mount=type=cache,target=/x --|').includes('--mount'), '--mount may repeat');
    assert.deepEqual(labels('FROM alpine\nRUN --network=|'), ['default', 'none', 'host']);
    assert.ok(labels('FROM alpine\nHEALTHCHECK --|').includes('--start-interval'));
    assert.deepEqual(labels('FROM alpine\nCOPY a b --|'), [], 'no flags after the arguments');
  });

  it('offers the options of --mount for its type, and their values', () => {
    assert.deepEqual(labels('FROM alpine\nRUN --mount=type=|'), ['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
    const cache = labels('FROM alpine\nRUN --mount=type=cache,|');
    assert.ok(cache.includes('sharing') && cache.includes('id') && !cache.includes('type') && !cache.includes('env'));
    assert.ok(labels('FROM alpine\nRUN --mount=type=secret,id=x,|').includes('env'));
    assert.ok(!labels('FROM alpine\nRUN --mount=type=secret,id=x,|').includes('id'));
    assert.deepEqual(labels('FROM alpine\nRUN --mount=type=cache,sharing=|'), ['shared', 'private', 'locked']);
    assert.ok(labels('FROM alpine\nRUN --mount=|').includes('type'), 'type first, bind by default');
  });

  it('offers earlier stages only after --from=, FROM and --mount=from=', () => {
    const text = 'FROM golang:1.23 AS build\nFROM alpine AS tools\nFROM alpine AS final\nCOPY --from=|\n';
    assert.deepEqual(labels(text), ['build', 'tools'], 'not the stage the COPY is in');
    assert.deepEqual(labels('FROM golang:1.23 AS build\nFROM alpine\nCOPY --from=b|'), ['build']);
    assert.deepEqual(labels('FROM golang:1.23 AS build\nFROM alpine\nRUN --mount=type=bind,from=|'), ['build']);
    const from = labels('FROM golang:1.23 AS build\nFROM |');
    assert.equal(from[0], '--platform');
    assert.equal(from[1], 'build');
    assert.ok(from.includes('scratch') && from.includes('golang') && from.includes('node'));
  });

  it('offers image tags after FROM name: from the data, supported lines newest first, and those used in the file', () => {
    const items = complete('FROM node:20-alpine AS a\nFROM node:|');
    const tags = items.map((i) => i.label);
    assert.equal(tags[0], '20-alpine', 'the tag this file uses comes first');
    assert.ok(tags.includes('22-alpine'));
    assert.ok(tags.includes('24'), 'a supported line from the end-of-life data');
    assert.ok(!tags.includes('16') && !tags.includes('23'), 'ended lines are not offered');
    const range = (items[0].textEdit as TextEdit).range;
    assert.deepEqual(range.start, { line: 1, character: 10 }, 'only the tag is replaced');
  });

  it('offers variables in scope after $ and ${, following Docker\'s scoping', () => {
    const text = 'ARG GLOBAL=1\nARG BASE=alpine\nFROM ${|}\n';
    const inFrom = labels(text);
    assert.ok(inFrom.includes('GLOBAL') && inFrom.includes('BASE') && inFrom.includes('TARGETARCH'));
    assert.ok(!inFrom.includes('HTTP_PROXY'));
    const stage = 'ARG GLOBAL=1\nFROM alpine\nARG LOCAL=2\nENV HOME_DIR=/app\nRUN echo $|\nARG LATER=3\n';
    const inStage = labels(stage);
    assert.ok(inStage.includes('LOCAL') && inStage.includes('HOME_DIR') && inStage.includes('HTTP_PROXY'));
    assert.ok(!inStage.includes('GLOBAL'), 'a global ARG is not in scope in a stage that does not declare it');
    assert.ok(!inStage.includes('LATER'), 'not declared yet');
    assert.ok(labels('ARG GLOBAL=1\nFROM alpine\nARG GLOBAL\nRUN echo $|').includes('GLOBAL'), 're-declared');
    // ${ closes the brace unless it is there.
    assert.equal(newText(complete('FROM alpine\nENV A=1\nRUN echo ${|').find((i) => i.label === 'A')), 'A}');
    assert.equal(newText(complete('FROM alpine\nENV A=1\nRUN echo ${|}').find((i) => i.label === 'A')), 'A');
    // A platform arg picked in a stage declares itself after the FROM.
    const arch = complete('FROM alpine\nRUN echo $|').find((i) => i.label === 'TARGETARCH')!;
    assert.deepEqual(arch.additionalTextEdits, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'ARG TARGETARCH\n' }]);
    assert.equal(complete('FROM alpine\nARG TARGETARCH\nRUN echo $|').find((i) => i.label === 'TARGETARCH')!.additionalTextEdits, undefined);
    // ENV of the stage built on is inherited; its ARG is not.
    const inherited = labels('FROM alpine AS base\nENV E=1\nARG A=1\nFROM base\nRUN echo $|');
    assert.ok(inherited.includes('E') && !inherited.includes('A'));
    assert.deepEqual(labels('FROM alpine\nRUN echo \\$|'), [], 'an escaped $ is no variable');
  });

  it('offers parser directives at the top only, and not one already given', () => {
    assert.deepEqual(labels('# |\nFROM alpine'), ['syntax', 'escape', 'check']);
    assert.deepEqual(labels('# syntax=docker/dockerfile:1\n# |\nFROM alpine'), ['escape', 'check']);
    assert.deepEqual(labels('FROM alpine\n# |'), []);
    assert.equal(newText(complete('# |\nFROM alpine').find((i) => i.label === 'syntax')), 'syntax=${1:docker/dockerfile:1}');
  });

  it('offers AS after the image, CMD and NONE in HEALTHCHECK, names after ARG', () => {
    assert.deepEqual(labels('FROM alpine |'), ['AS']);
    const health = labels('FROM alpine\nHEALTHCHECK --interval=5s |');
    assert.ok(health.includes('CMD') && !health.includes('NONE'), 'NONE takes no flags');
    assert.ok(labels('ARG VERSION=1\nFROM alpine\nARG |').includes('VERSION'));
  });

  it('keeps heredoc bodies free of instruction completions', () => {
    assert.deepEqual(labels('FROM alpine\nRUN <<EOF\n|\nEOF\n'), []);
    assert.deepEqual(labels('FROM alpine\nCOPY <<EOF /etc/app.conf\nFR|\nEOF\n'), []);
    assert.ok(labels('FROM alpine\nENV A=1\nRUN <<EOF\necho $|\nEOF\n').includes('A'));
  });

  it('keeps our existing completions first: fitted healthchecks, ignore comments', () => {
    const health = labels('FROM node:22-alpine\nHEALTHCHECK |');
    assert.match(health[0], /^HEALTHCHECK with /);
    assert.ok(health.includes('CMD'));
    assert.ok(labels('FROM alpine\n# shipshape-ignore |').includes('no-root-user'));
  });

  it('merges the library\'s WORKDIR destinations after COPY sources', () => {
    const items = labels('FROM alpine\nWORKDIR /srv/app\nCOPY package.json |');
    assert.ok(items.includes('/srv/app/'), items.join(', '));
    // The library reads the stage only (a whole-file parse per request is too slow): its ranges
    // are moved back to the document's lines, and an earlier stage's WORKDIR is not offered.
    const staged = complete('FROM alpine AS a\nWORKDIR /first\nFROM alpine\nWORKDIR /second\nCOPY x |');
    assert.deepEqual(staged.map((i) => i.label), ['/second/']);
    assert.equal((staged[0].textEdit as TextEdit).range.start.line, 4);
  });

  it('documents why the library is not used: its COPY flags and --from= stages', () => {
    // If a library update fixes these, the notes in features/completion/dockerfile.ts must change.
    const { text, position } = cursor('FROM alpine AS a\nFROM alpine AS b\nCOPY --from=|');
    const stages = dockerfileLibrary().computeCompletionItems(text, position) as CompletionItem[];
    assert.ok(stages.some((i) => i.label === 'b'), 'the library offers the COPY\'s own stage');
    const flags = dockerfileLibrary().computeCompletionItems(...Object.values(cursor('FROM alpine\nCOPY --|')) as [string, Position]) as CompletionItem[];
    assert.ok(!flags.some((i) => i.label.startsWith('--chmod')), 'the library has no --chmod');
    assert.deepEqual(completeDockerfile(context(text), position, '2026-12-07').map((i) => i.label), ['a']);
  });
});

describe('Dockerfile hover', () => {
  it('puts the cache card and the instruction reference in one hover, the card first', () => {
    const text = hover('FROM alpine:3.20\nRU|N apk add --no-cache curl\n');
    const card = text.indexOf('**Layer cache**');
    const reference = text.indexOf('**RUN**:');
    assert.ok(card >= 0 && reference > card, text);
    assert.ok(text.includes('https://docs.docker.com/reference/dockerfile/#run'));
  });

  it('explains BuildKit flags the library does not know', () => {
    const mount = hover('FROM alpine\nRUN --mo|unt=type=cache,target=/root/.cache pip install x\n');
    assert.ok(mount.includes('**RUN --mount**') && mount.includes('`type=cache`'), mount);
    assert.ok(hover('FROM alpine\nCOPY --ch|mod=755 a /b\n').includes('**COPY --chmod**'));
    assert.ok(hover('FROM alpine\nCOPY --li|nk a /b\n').includes('**COPY --link**'));
    const { text, position } = cursor('FROM alpine\nRUN --mo|unt=type=cache,target=/x echo');
    assert.equal(dockerfileLibrary().computeHover(text, position), null, 'the library has nothing on --mount');
  });

  it('shows a variable\'s value where it is used, as Docker scopes it', () => {
    assert.match(hover('ARG V=1\nFROM alpine\nARG V\nRUN echo $|V\n'), /ARG \(line 3\) = `1` \(the default of the global ARG \(line 1\)\)/);
    assert.match(hover('FROM alpine\nENV X=2\nRUN echo ${|X}\n'), /ENV \(line 2\) = `2`/);
    assert.match(hover('ARG V=1\nFROM alpine\nRUN echo $|V\n'), /not in scope here: it is a global ARG/);
    assert.match(hover('FROM alpine\nRUN echo $TARGET|ARCH\n'), /automatic platform ARG.*declares `ARG TARGETARCH`/);
    assert.match(hover('ARG TAG=3.20\nFROM alpine:$|TAG\n'), /global ARG \(line 1\) = `3.20`/);
  });

  it('shows a stage\'s FROM and its uses on its name, a --from and a FROM that builds on it', () => {
    const text = 'FROM golang:1.23 AS build\nRUN go build\nFROM build AS test\nFROM alpine\nCOPY --from=build /out /app\n';
    const on = (needle: string, offset: number) => hover(text.replace(needle, needle.slice(0, offset) + '|' + needle.slice(offset)));
    for (const h of [on('AS build', 4), on('FROM build', 6), on('--from=build', 9)]) {
      assert.match(h, /\*\*Stage `build`\*\* · `FROM golang:1.23 AS build` \(line 1\)/);
      assert.match(h, /`FROM build` \(line 3\), `COPY --from=build` \(line 5\)/);
    }
  });

  it('explains parser directives', () => {
    assert.match(hover('# sy|ntax=docker/dockerfile:1\nFROM alpine\n'), /Parser directive `syntax`/);
  });
});

describe('Dockerfile signature help', () => {
  const active = (annotated: string) => {
    const { text, position } = cursor(annotated);
    const help = signatureDockerfile(context(text), position);
    if (!help) return null;
    const signature = help.signatures[help.activeSignature!];
    const [start, end] = signature.parameters![help.activeParameter!].label as [number, number];
    return signature.label.slice(start, end);
  };

  it('follows the arguments of COPY, FROM, HEALTHCHECK, ARG, RUN, USER', () => {
    assert.equal(active('FROM alpine\nCOPY |'), '<src>');
    assert.equal(active('FROM alpine\nCOPY --chown=app |'), '<src>');
    assert.equal(active('FROM alpine\nCOPY a |'), '<dest>');
    assert.equal(active('FROM alpine\nCOPY <<EOF |\nhi\nEOF'), '<dest>', 'a heredoc is a source like any other');
    assert.equal(active('FROM alpine\nCOPY --|'), '[--flags]');
    assert.equal(active('FROM |'), '<image>');
    assert.equal(active('FROM alpine |'), 'AS');
    assert.equal(active('FROM alpine AS |'), '<name>');
    assert.equal(active('FROM alpine\nHEALTHCHECK --interval=5s |'), 'CMD');
    assert.equal(active('FROM alpine\nHEALTHCHECK --interval=5s CMD |'), '<command>');
    assert.equal(active('FROM alpine\nHEALTHCHECK N|'), 'NONE');
    assert.equal(active('FROM alpine\nARG NAME=|'), '[=<default>]');
    assert.equal(active('FROM alpine\nRUN --mount=type=cache,target=/x |'), '<command>');
    assert.equal(active('FROM alpine\nUSER app:|'), '[:<group>]');
    assert.equal(active('FROM alpine\nEXPOSE 80 |'), '…');
    assert.equal(active('FROM alpine\nONBUILD COPY a |'), '<dest>');
  });

  it('answers nothing on the keyword or in a heredoc body', () => {
    assert.equal(active('FROM alpine\nCO|PY a b'), null);
    assert.equal(active('FROM alpine\nRUN <<EOF\necho |\nEOF'), null);
  });

  it('corrects the library on HEALTHCHECK flags', () => {
    const { text, position } = cursor('FROM alpine\nHEALTHCHECK --interval=5s |');
    assert.equal(dockerfileLibrary().computeSignatureHelp(text, position).activeParameter, 0, 'the library stays on [flags]');
  });
});

describe('Dockerfile semantic tokens', () => {
  const tokens = (text: string) => {
    const lines = text.split('\n');
    return dockerfileTokens(context(text).model).map((t) => `${lines[t.line].substr(t.character, t.length)}:${t.type}${t.modifiers.length ? `.${t.modifiers.join('.')}` : ''}`);
  };

  it('marks instructions, flags, variables, stages, images, directives and heredoc delimiters', () => {
    const text = '# syntax=docker/dockerfile:1\nARG TAG=3.20\nFROM --platform=$BUILDPLATFORM alpine:${TAG} AS build\nRUN --mount=type=cache,target=/x <<EOF\necho $HOME\nEOF\nFROM alpine\nCOPY --from=build /a /b\nHEALTHCHECK CMD true\n';
    assert.deepEqual(tokens(text), [
      'syntax:macro', 'docker/dockerfile:1:string',
      'ARG:keyword', 'TAG:variable.declaration',
      'FROM:keyword', '--platform:parameter', '$BUILDPLATFORM:variable.defaultLibrary', 'alpine::class', '${TAG}:variable', 'AS:keyword', 'build:namespace.declaration',
      'RUN:keyword', '--mount:parameter', 'type:property', 'target:property', '<<EOF:string',
      'EOF:string',
      'FROM:keyword', 'alpine:class',
      'COPY:keyword', '--from:parameter', 'build:namespace',
      'HEALTHCHECK:keyword', 'CMD:keyword',
    ]);
  });

  it('leaves heredoc bodies to the grammar and marks their delimiters, where the library colours the body as arguments', () => {
    const text = 'FROM alpine\nCOPY <<-EOT /a\n\thi\n\tEOT\nRUN echo one\nRUN <<EOF\necho two\nEOF\nRUN echo three\n';
    const ours = dockerfileTokens(context(text).model);
    assert.deepEqual(ours.filter((t) => t.type === 'keyword').map((t) => t.line), [0, 1, 4, 5, 8]);
    assert.deepEqual(ours.filter((t) => t.type === 'string').map((t) => t.line), [1, 3, 5, 7], 'both ends of both heredocs');
    assert.ok(!ours.some((t) => t.line === 2 || t.line === 6), 'no token in a body');
    // The library's legend has `parameter` at 2: it colours the body lines.
    const data = dockerfileLibrary().computeSemanticTokens(text).data;
    const lines: number[] = [];
    let line = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      if (data[i + 3] === 2) lines.push(line);
    }
    assert.ok(lines.includes(2) && lines.includes(6), `the library's parameter lines: ${lines.join(', ')}`);
  });

  it('encodes relative positions with the legend\'s indexes', () => {
    const encoded = encodeTokens(dockerfileTokens(context('FROM alpine\nRUN echo').model));
    assert.deepEqual(encoded.data, [0, 0, 4, dockerfileTokensLegend.tokenTypes.indexOf('keyword'), 0, 0, 5, 6, dockerfileTokensLegend.tokenTypes.indexOf('class'), 0, 1, 0, 3, 0, 0]);
  });
});
