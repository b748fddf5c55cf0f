import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DockerfileParser } from 'dockerfile-ast';
import { parseDockerfile, finalStage, stageAncestry } from '../../../server/src/dockerfile/parse';
import { originalRawArguments } from '../../../server/src/dockerfile/astMemo';
import { dedent } from '../../helpers/check';
import { loadCorpus } from '../../helpers/corpus';

const parse = (text: string) => parseDockerfile(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, dedent(text)));

describe('Dockerfile model', () => {
  it('reads directives, stages, bases and names', () => {
    const model = parse(`
      # syntax=docker/dockerfile:1
      # escape=\\
      # check=skip=JSONArgsRecommended
      ARG GO=1.22
      FROM --platform=$BUILDPLATFORM golang:\${GO}-alpine AS Build
      RUN go build ./...
      FROM build AS test
      FROM scratch
      COPY --from=build /out /app
    `);
    assert.deepEqual(model.directives.map((d) => `${d.name}=${d.value}`), ['syntax=docker/dockerfile:1', 'escape=\\', 'check=skip=JSONArgsRecommended']);
    assert.equal(model.stages.length, 3);
    const [build, test, final] = model.stages;
    assert.equal(build.name, 'Build');
    assert.equal(build.base.resolved, 'golang:1.22-alpine');
    assert.equal(build.base.ref?.tag, '1.22-alpine');
    assert.equal(build.base.platform, '$BUILDPLATFORM');
    assert.equal(test.base.stageRef, 0, 'stage names match case-insensitively');
    assert.ok(final.base.scratch);
    assert.equal(finalStage(model), final);
    assert.equal(finalStage(model, 'TEST'), test);
    assert.deepEqual(stageAncestry(model, test).map((s) => s.index), [1, 0]);
  });

  it('reads a file without FROM (a fragment, a template) as one implicit stage with no base image that ships nothing', () => {
    const model = parse(`
      ARG VERSION=1
      RUN apt-get install -y curl=\${VERSION}
      ARG LOCAL=2
      WORKDIR app
    `);
    assert.deepEqual(model.instructions.map((i) => i.stage), [-1, 0, 0, 0], 'leading ARGs stay global; the rest is the implicit stage');
    assert.equal(model.stages.length, 1);
    const [fragment] = model.stages;
    assert.equal(fragment.implicit, true);
    assert.equal(fragment.name, null);
    assert.equal(fragment.base.resolved, null);
    assert.equal(fragment.base.ref, null);
    assert.equal(fragment.base.scratch, false);
    assert.deepEqual(fragment.instructions.map((i) => i.keyword), ['RUN', 'ARG', 'WORKDIR'], 'no FROM of its own');
    assert.ok(!model.instructions.includes(fragment.from), 'its FROM is a zero-width stand-in, not an instruction of the file');
    assert.deepEqual(fragment.from.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
    assert.deepEqual(fragment.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 11 } });
    assert.equal(fragment.variables.get('LOCAL'), '2');
    assert.equal(finalStage(model), undefined, 'nothing ships from a file without FROM');

    const early = parse(`
      RUN echo early
      FROM alpine:3.20
      RUN echo late
    `);
    assert.deepEqual(early.instructions.map((i) => i.stage), [-1, 0, 0], 'with a FROM later, the lines before it belong to no stage');
    assert.equal(early.stages[0].implicit, undefined);
    assert.deepEqual(parse('ARG A=1\n').stages, [], 'only ARGs: no stage');
  });

  it('takes the release stage for the final one when the last stage is a test, CI or development stage', () => {
    const names = (text: string) => finalStage(parse(text))?.name ?? null;
    assert.equal(names(`
      FROM golang:1.22 AS build
      RUN go build -o /out/app .
      FROM gcr.io/distroless/static-debian12 AS release
      COPY --from=build /out/app /app
      FROM build AS test
      RUN go test ./...
    `), 'release', 'named test');
    assert.equal(names(`
      FROM node:20-slim AS prod
      CMD ["node", "server.js"]
      FROM prod AS dev-envs
      RUN apt-get install -y git
    `), 'prod', 'named like Docker\'s samples name their development stage');
    assert.equal(names(`
      FROM golang:1.22 AS build
      RUN go build -o /out/app .
      FROM alpine:3.20 AS runtime
      COPY --from=build /out/app /app
      FROM build
      RUN go vet ./... && go test -race ./...
      RUN CGO_ENABLED=0 go test ./...
    `), 'runtime', 'unnamed, but it only runs tests');
    assert.equal(names(`
      FROM python:3.12 AS base
      FROM base AS lint
      RUN ruff check .
      FROM lint AS ci
      RUN pytest
    `), 'base', 'the last stage that is not a test stage');
    assert.equal(names(`
      FROM golang:1.22 AS build
      RUN go build -o /out/app .
      FROM alpine:3.20
      COPY --from=build /out/app /app
      RUN go test ./... || true
      CMD ["/app"]
    `), null, 'a stage with its own CMD is an image, whatever it runs while building');
    assert.equal(names(`
      FROM node:20 AS test
      RUN npm test
      FROM node:20 AS dev
      CMD ["npm", "run", "dev"]
    `), 'dev', 'no release stage: the last one stays');
    assert.equal(names(`
      FROM alpine:3.20 AS test
      RUN echo only one stage
    `), 'test');
    assert.equal(names(`
      FROM node:20 AS builder
      RUN npm ci
      CMD ["npm", "start"]
      FROM builder AS dev-envs
      RUN apt-get install -y git
    `), 'dev-envs', 'the stage before is a build stage: no release stage to take instead');
    assert.equal(names(`
      FROM golang:1.22 AS toolchain
      RUN go build -o /out/app .
      FROM alpine:3.20 AS test
      COPY --from=toolchain /out/app /app
      RUN /app --self-test
    `), 'test', 'a stage another copies from builds for it');
    assert.equal(names(`
      FROM alpine:3.20 AS base
      FROM base AS latest
      FROM base AS testdata
    `), 'testdata', 'words, not substrings');
    const model = parse(`
      FROM alpine:3.20 AS release
      FROM release AS test
    `);
    assert.equal(finalStage(model, 'test')?.name, 'test', 'a named target is the target');
  });

  it('separates flags from arguments and folds continuations', () => {
    const model = parse(`
      FROM alpine:3.20
      RUN --mount=type=cache,target=/var/cache/apk \\
          apk add curl
      COPY --chown=app:app --link src/ /app/
    `);
    const run = model.instructions[1];
    assert.equal(run.flags[0].name, 'mount');
    assert.equal(run.flags[0].options.get('type'), 'cache');
    assert.equal(run.flags[0].options.get('target'), '/var/cache/apk');
    assert.match(run.args, /^apk add curl$/);
    const copy = model.instructions[2];
    assert.deepEqual(copy.flags.map((f) => f.name), ['chown', 'link']);
    assert.equal(copy.args, 'src/ /app/');
  });

  it('tells exec form from shell form and reads heredocs', () => {
    const model = parse(`
      FROM alpine:3.20
      RUN <<EOF
      echo hi
      EOF
      CMD ["sh", "-c", "echo \\"quoted\\""]
      ENTRYPOINT ['bad']
    `);
    assert.deepEqual(model.instructions[1].heredocs, ['EOF']);
    const cmd = model.instructions[2];
    assert.ok(cmd.execForm);
    assert.deepEqual(cmd.json, ['sh', '-c', 'echo "quoted"']);
    assert.equal(model.instructions[3].execForm, false);
  });

  it('resolves ARG and ENV values by scope', () => {
    const model = parse(`
      ARG BASE=debian
      ARG TAG
      FROM \${BASE}:12 AS one
      ARG BASE
      ENV APP_HOME=/srv/\${BASE} LEGACY=1
      FROM one
      ENV MORE=\${APP_HOME}/x
    `);
    assert.equal(model.globalArgs.get('BASE'), 'debian');
    assert.equal(model.globalArgs.get('TAG'), null);
    assert.equal(model.stages[0].variables.get('APP_HOME'), '/srv/debian');
    assert.equal(model.stages[1].variables.get('MORE'), '/srv/debian/x', 'a stage inherits its parent stage\'s variables');
  });

  it('treats "# hadolint ignore=…" as a comment, not a parser directive', () => {
    const model = parse(`
      # hadolint ignore=DL3007
      FROM node:latest
    `);
    assert.deepEqual(model.directives, []);
    assert.deepEqual(model.comments.map((c) => [c.line, c.text]), [[0, 'hadolint ignore=DL3007']]);
  });
});

describe('memoized dockerfile-ast arguments', () => {
  const corpus = loadCorpus();
  it('give the same arguments as dockerfile-ast on every corpus Dockerfile', { skip: corpus === null }, () => {
    for (const file of corpus!.filter((f) => f.kind === 'dockerfile')) {
      const dockerfile = DockerfileParser.parse(file.text);
      for (const instruction of dockerfile.getInstructions()) {
        const expected = originalRawArguments.call(instruction).map((a) => [a.getValue(), JSON.stringify(a.getRange())]);
        const memoized = (instruction as unknown as { getRawArguments(): typeof instruction extends never ? never : ReturnType<typeof originalRawArguments> }).getRawArguments();
        assert.deepEqual(memoized.map((a) => [a.getValue(), JSON.stringify(a.getRange())]), expected, `${file.name}: ${instruction.getKeyword()} at line ${instruction.getRange().start.line + 1}`);
        // Callers that shift flags off the result must not change what the next caller sees.
        assert.equal(instruction.getArguments().length, instruction.getArguments().length);
      }
    }
  });
});

describe('ENV and ARG values', () => {
  it('expand against the values before the instruction, and not inside single quotes', () => {
    const model = parse(`
      FROM alpine:3.20
      ENV A=1
      ENV A=2 B=$A C='$A' D="x $A" E=a\\ b
    `);
    const vars = model.stages[0].variables;
    assert.equal(vars.get('A'), '2');
    assert.equal(vars.get('B'), '1', 'Docker expands with the value A had before this ENV');
    assert.equal(vars.get('C'), '$A');
    assert.equal(vars.get('D'), 'x 1');
    assert.equal(vars.get('E'), 'a b');
  });
});
