import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { sdkBuild } from '../../../server/src/rules/dockerfile/prefer-multi-stage';
import { convertToMultiStage, copyLine, isDeclined, optionalPattern, planMultiStage, type Plan } from '../../../server/src/fixes/multistage/index';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { config, dedent, fakeFiles, repoRoot } from '../../helpers/check';
import { conversionProblems, runtimeProblems } from '../../helpers/multistage';

/**
 * Golden pairs over small project trees: each folder of test/fixtures/multistage holds a
 * Dockerfile and the files around it as an editor sees them, and either the conversion expected
 * (`Dockerfile.expected`) or the reason it is declined (`declined.expected`). A `dot.gitignore`
 * stands for the project's `.gitignore` (a real one would make Git leave the fixture's files out).
 */
const dir = join(repoRoot, 'test/fixtures/multistage');
const update = process.env.UPDATE_GOLDEN === '1';
const EXPECTED = new Set(['Dockerfile.expected', 'declined.expected']);

function treeOf(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, name, rel))) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(dir, name, path)).isDirectory()) walk(path);
      else if (!EXPECTED.has(path)) out[`/work/${name}/${path.replace(/(^|\/)dot\.gitignore$/, '$1.gitignore')}`] = readFileSync(join(dir, name, path), 'utf8');
    }
  };
  walk('');
  return out;
}

const cases = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory()).sort();
const trees = Object.assign({}, ...cases.map(treeOf)) as Record<string, string>;
const files = fakeFiles(trees);
const service = new LanguageService({ docsBase: pathToFileURL(join(repoRoot, 'docs', 'rules')).href, files });
const source = (name: string, text = trees[`/work/${name}/Dockerfile`]) => ({ uri: pathToFileURL(`/work/${name}/Dockerfile`).href, text, kind: 'dockerfile' as const });

function convert(name: string, text?: string, settings: Record<string, unknown> = {}) {
  const file = source(name, text);
  const finding = service.lint(file, config(settings)).find((f) => f.rule === 'prefer-multi-stage');
  return finding ? service.fixOutcome(file, finding, config(settings)) : undefined;
}

function plan(text: string, name = 'go-naive'): Plan {
  const path = `/work/${name}/Dockerfile`;
  const model = parseDockerfile(TextDocument.create(pathToFileURL(path).href, 'dockerfile', 0, dedent(text)));
  const result = planMultiStage(model, sdkBuild(model, path)!, path, files);
  assert.ok(!isDeclined(result), isDeclined(result) ? result.declined : '');
  return result;
}

function golden(file: string, actual: string): void {
  if (update || !existsSync(file)) {
    if (!update) assert.fail(`${file} is missing: run UPDATE_GOLDEN=1 and review it`);
    writeFileSync(file, actual);
  } else {
    assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs: if intended, run UPDATE_GOLDEN=1 and review the diff`);
  }
}

describe('multi-stage conversion', () => {
  describe('golden pairs over project trees (input → conversion or the reason it is declined)', () => {
    it('covers every ecosystem and every failure class', () => {
      for (const prefix of ['go-', 'node-', 'python-', 'java-maven', 'java-gradle', 'rust', 'ruby', 'dotnet', 'static-', 'declined-']) assert.ok(cases.some((f) => f.startsWith(prefix)), prefix);
    });
    for (const name of cases) {
      it(name, () => {
        const fix = convert(name);
        assert.ok(fix, `${name}: prefer-multi-stage reports the file and its fix answers`);
        assert.equal(fix.safe, false, 'never applied by fix-all');
        if (existsSync(join(dir, name, 'declined.expected'))) {
          assert.ok(fix.declined, `${name}: declined`);
          golden(join(dir, name, 'declined.expected'), `${fix.declined.reason}\n`);
          return;
        }
        assert.equal(fix.declined, undefined, `${name}: ${fix.declined?.reason}`);
        assert.equal(fix.edits.length, 1, 'one edit');
        const output = fix.edits[0].newText;
        golden(join(dir, name, 'Dockerfile.expected'), output);
        assert.deepEqual(conversionProblems(service, source(name), output), [], `${name}: the result re-lints clean`);
        assert.deepEqual(runtimeProblems(source(name).text, output, `/work/${name}/Dockerfile`, files), [], `${name}: the runtime stage has what the original had and its user can write`);
      });
    }
  });

  it('titles the action with the ecosystem and its typical size effect', () => {
    assert.equal(convert('go-naive')?.title, 'Convert to multi-stage build (Go) — typical: ~850 MB SDK image → ~10–20 MB static binary image');
    assert.match(convert('node-naive')!.title, /^Convert to multi-stage build \(Node\.js\) — typical: ~1\.1 GB → ~150–250 MB$/);
    assert.match(convert('go-classic')!.title, /^Convert to multi-stage build \(Go, classic builder\)/);
  });

  it('plans stages as data: a cross-compiling build stage and a distroless runtime', () => {
    const result = plan(`
      FROM golang:1.22
      WORKDIR /src
      COPY . .
      ENV GIN_MODE=release
      RUN CGO_ENABLED=0 go build -o /out/api ./cmd/server
      CMD ["/out/api"]
    `);
    assert.equal(result.ecosystem, 'go');
    assert.deepEqual(result.stages.map((s) => [s.image, s.platform, s.name]), [
      ['golang:1.22', '$BUILDPLATFORM', 'build'],
      ['gcr.io/distroless/static-debian12:nonroot', null, null],
    ]);
    // The manifests (go.mod, go.sum) and `go mod download` come first; GIN_MODE is read when the
    // server runs, not by the build, so it goes to the runtime stage only. The user comes before
    // WORKDIR: BuildKit creates the folder owned by it.
    assert.deepEqual(result.stages[0].instructions.map((i) => i.keyword), ['ARG', 'WORKDIR', 'COPY', 'RUN', 'COPY', 'RUN']);
    assert.deepEqual(result.stages[1].instructions.map((i) => i.keyword), ['USER', 'WORKDIR', 'ENV', 'COPY', 'CMD']);
    assert.ok(result.stages[1].instructions.some((i) => i.text === 'COPY --from=build --chown=nonroot:nonroot /out/api /out/api'));
    assert.match(result.stages[0].instructions.filter((i) => i.keyword === 'RUN').pop()!.text, /GOOS=\$TARGETOS GOARCH=\$TARGETARCH CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o \/out\/api/);
  });

  it('keeps cgo unless the module graph shows no package needs it, and then says so', () => {
    const cgo = plan('FROM golang:1.22-bookworm\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD ["/app/server"]\n', 'go-sqlite-cgo');
    assert.equal(cgo.stages[1].image, 'debian:bookworm-slim');
    assert.ok(!cgo.stages[0].instructions.some((i) => i.text.includes('CGO_ENABLED=0')));
    assert.equal(cgo.stages[0].platform, null, 'a cgo build runs on the target platform: no C cross-compiler');
    const pure = plan('FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD ["/app/server"]\n', 'go-templates');
    assert.equal(pure.stages[1].image, 'gcr.io/distroless/static-debian12:nonroot');
    assert.ok(pure.assumptions.some((a) => a.confirm && /CGO_ENABLED=0: no module/.test(a.text)));
  });

  it('moves the install before the sources only when nothing between them can change it', () => {
    const keywords = (...middle: string[]) => plan(['FROM node:20', 'WORKDIR /app', 'COPY . .', ...middle, 'RUN npm run build', 'CMD ["node", "dist/index.js"]'].join('\n'), 'node-dockerignore').stages[0].instructions.map((i) => i.keyword);
    assert.deepEqual(keywords('ENV NODE_ENV=development', 'RUN npm ci'), ['WORKDIR', 'COPY', 'ENV', 'RUN', 'RUN', 'RUN']);
    assert.deepEqual(keywords('RUN npm ci', 'ENV NODE_ENV=development'), ['WORKDIR', 'COPY', 'RUN', 'COPY', 'ENV', 'RUN', 'RUN']);
  });

  it('copies a git-ignored file only where the build has it: beside the binary on every builder, alone with BuildKit', () => {
    const lines = (name: string, builder: string) => convert(name, undefined, { builder })!.edits[0].newText.split('\n').filter((l) => l.startsWith('COPY --from=build'));
    // A pattern that matches nothing is fine for BuildKit, and for the classic builder beside a source that exists.
    assert.deepEqual(lines('go-dotenv', 'classic'), ['COPY --from=build --chown=app:app /app/main /app/.en[v] /app/']);
    assert.deepEqual(lines('go-dotenv', 'buildkit'), ['COPY --from=build --chown=nonroot:nonroot /app/main /app/.en[v] /app/']);
    // A folder cannot share a COPY (its contents would land in the destination): alone, BuildKit only.
    assert.ok(lines('node-odd-names', 'buildkit').includes('COPY --from=build --chown=node:node ["/app/Temporary Item[s]", "/app/Temporary Items/"]'));
    assert.ok(!lines('node-odd-names', 'classic').some((l) => l.includes('Temporary')), 'the classic builder fails on a COPY whose only source matches nothing');
  });

  it('writes COPY lines a builder reads as meant: the JSON form for spaces, nothing for names it would expand', () => {
    assert.equal(copyLine('--from=build ', ['/app/a b.png'], '/app/a b.png'), 'COPY --from=build ["/app/a b.png", "/app/a b.png"]');
    assert.equal(copyLine('', ['/app/views'], '/app/views'), 'COPY /app/views /app/views');
    assert.equal(copyLine('', ['/app/$HOME.json'], '/app/'), null);
    assert.equal(copyLine('', ['/app/it\'s.txt'], '/app/'), null);
    assert.equal(optionalPattern('/app/.env'), '/app/.en[v]');
    assert.equal(optionalPattern('/app/config.json'), '/app/config.jso[n]');
    assert.equal(optionalPattern('/app/data[1]'), null);
  });

  it('keeps the install after the sources when it reads more than its manifests, or a local build\'s folder would reach it', () => {
    const order = (name: string) => plan(trees[`/work/${name}/Dockerfile`], name).stages[0].instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'RUN').map((i) => i.text.replace(/--mount=\S+ /g, '').slice(0, 24));
    assert.deepEqual(order('node-dockerignore').slice(0, 3), ['COPY package.json packag', 'RUN npm ci', 'COPY . .']);
    // No .dockerignore: the host's node_modules would be copied over the installed one.
    assert.deepEqual(order('node-naive').slice(0, 2), ['COPY . .', 'RUN npm ci']);
    // A postinstall script runs during the install and may need the sources.
    assert.deepEqual(order('node-postinstall').slice(0, 2), ['COPY . .', 'RUN npm ci']);
    // `replace example.com/lib => ./lib`: `go mod download` needs the folder.
    assert.deepEqual(order('go-replace').slice(0, 2), ['COPY . .', 'RUN CGO_ENABLED=0 GOOS=$']);
    assert.deepEqual(order('dotnet-dockerignore').slice(0, 3), ['COPY Shop.Api.csproj ./', 'RUN dotnet restore -a $T', 'COPY . .']);
    assert.deepEqual(order('dotnet').slice(0, 2), ['COPY . .', 'RUN dotnet restore -a $T']);
    const kept = plan(trees['/work/node-postinstall/Dockerfile'], 'node-postinstall').stages[0].instructions.find((i) => i.text === 'COPY . .')!;
    assert.match(kept.comments.join(' ').replace(/\s*#\s+/g, ' '), /No dependency layer before `COPY . .`, as in the original: `package\.json`'s `postinstall` script runs during the install/);
  });

  it('moves the install up behind manifests the original copies itself, only when they are all copied', () => {
    const lines = (text: string) => convert('node-npm-start', text)!.edits[0].newText.split('\n').filter((l) => /^(COPY|RUN)/.test(l)).slice(0, 3);
    // package.json alone while package-lock.json is on disk: `npm ci` needs the lockfile, so the order stays.
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package.json ./', 'COPY . .', 'RUN --mount=type=cache,target=/root/.npm npm ci']);
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package.json package-lock.json ./', 'RUN --mount=type=cache,target=/root/.npm npm ci', 'COPY . .']);
    // Copied somewhere else than where the install runs.
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package*.json /tmp/\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package*.json /tmp/', 'COPY . .', 'RUN --mount=type=cache,target=/root/.npm npm ci']);
  });

  it('adds no cache mount to a RUN that deletes that cache (the mount point cannot be removed)', () => {
    const runs = (text: string) => convert('python-cache-clean', text)!.edits[0].newText.split('\n').filter((l) => l.startsWith('RUN') && l.includes('pip install'));
    assert.deepEqual(runs('FROM python:3.12\nRUN apt-get update && apt-get install -y gcc\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && rm -rf /root/.cache/pip\nCMD ["python", "worker.py"]\n'), ['RUN pip install -r requirements.txt && rm -rf /root/.cache/pip']);
    assert.deepEqual(runs('FROM python:3.12\nRUN apt-get update && apt-get install -y gcc\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "worker.py"]\n'), ['RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt']);
  });

  it('.NET: restores the project the ENTRYPOINT names first, unless it references other projects', () => {
    const text = 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\nENTRYPOINT ["dotnet", "/app/Shop.Web.dll"]\n';
    const lines = (csproj: string) => {
      const model = parseDockerfile(TextDocument.create('file:///work/app/Dockerfile', 'dockerfile', 0, text));
      const result = convertToMultiStage(model, sdkBuild(model, '/work/app/Dockerfile')!, '/work/app/Dockerfile', fakeFiles({ '/work/app/Shop.Web.csproj': csproj, '/work/app/.dockerignore': 'bin/\nobj/\n' }));
      assert.ok(!isDeclined(result));
      return result.text.split('\n').filter((l) => /^(COPY|RUN)/.test(l)).slice(0, 3);
    };
    assert.deepEqual(lines('<Project Sdk="Microsoft.NET.Sdk.Web"></Project>'), ['COPY Shop.Web.csproj ./', 'RUN --mount=type=cache,target=/root/.nuget/packages dotnet restore -a $TARGETARCH', 'COPY . .']);
    assert.deepEqual(lines('<Project><ItemGroup><ProjectReference Include="../Shop.Core/Shop.Core.csproj" /></ItemGroup></Project>'), ['COPY . .', 'RUN --mount=type=cache,target=/root/.nuget/packages dotnet publish -a $TARGETARCH -c Release -o /app', 'RUN mkdir -p /src && chown app:app /src']);
  });

  it('declines with a reason when the artifact, the run command or the runtime is not certain', () => {
    const reasons = new Map<string, RegExp>([
      // `go build` without -o and no go.mod to name the binary.
      ['FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build\nCMD ["./src"]\n', /`go build` has no `-o`/],
      // Without the package.json to read, `npm run serve` runs an unknown command.
      ['FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "run", "serve"]\n', /does not run a file with node/],
      // The binary is not the one built.
      ['FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN go build -o /bin/tool ./cmd/tool\nCMD ["/usr/bin/other"]\n', /runs `\/usr\/bin\/other`, which is not the binary/],
      // A native extension built against a library whose runtime package is not known.
      ['FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libgdal-dev\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n', /runtime library is not known/],
      // A Java image whose JDK version is unknown, without a build file to read.
      ['FROM maven:latest\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD ["java", "-jar", "target/app.jar"]\n', /does not name its JDK, and the project's pom\.xml does not say/],
      // yarn prunes differently.
      ['FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\nCMD ["node", "dist/index.js"]\n', /uses yarn; only npm builds/],
    ]);
    for (const [text, reason] of reasons) {
      const fix = convert('declined-empty-tree', text);
      assert.ok(fix?.declined, text);
      assert.match(fix.declined.reason, reason, text);
    }
  });

  it('shows a declined conversion as a disabled action with its reason, in the hover and on the CLI line', () => {
    const file = source('declined-dotnet-run');
    const refactors = service.codeActions(file, config(), [], [CodeActionKind.Refactor]);
    assert.equal(refactors.length, 1);
    assert.equal(refactors[0].title, 'Convert to multi-stage build');
    assert.match(refactors[0].disabled!.reason, /starts with `dotnet run`/);
    assert.equal(refactors[0].edit, undefined);
    // A client that cannot show disabled actions gets none.
    assert.deepEqual(service.codeActions(file, config(), [], [CodeActionKind.Refactor], { disabledActions: false, changeAnnotations: true }), []);
    const finding = service.lint(file, config()).find((f) => f.rule === 'prefer-multi-stage')!;
    const hover = service.hover(file, finding.range.start, undefined, config());
    assert.match((hover!.contents as { value: string }).value, /^\*\*Convert to multi-stage build\*\* is not offered: the app starts with `dotnet run`/m);
  });

  it('asks for confirmation through a change annotation when an assumption could change behaviour', () => {
    const file = source('go-no-files');
    const [action] = service.codeActions(file, config(), [], [CodeActionKind.Refactor]);
    const annotations = action.edit!.changeAnnotations!;
    assert.equal(Object.values(annotations)[0].needsConfirmation, true);
    assert.match(Object.values(annotations)[0].description!, /names none of `scripts`/);
    const change = action.edit!.documentChanges![0] as { edits: { annotationId?: string }[] };
    assert.equal(change.edits[0].annotationId, Object.keys(annotations)[0]);
    // Without the client's support the edit is plain.
    const [plain] = service.codeActions(file, config(), [], [CodeActionKind.Refactor], { disabledActions: true, changeAnnotations: false });
    assert.ok(plain.edit!.changes);
  });

  it('writes no BuildKit-only syntax for the classic builder', () => {
    const text = convert('go-templates', undefined, { builder: 'classic' })!.edits[0].newText;
    assert.doesNotMatch(text, /--mount|# syntax|<<|\$BUILDPLATFORM|^ARG \w+ \w+/m);
    assert.match(text, /^FROM debian:trixie-slim$/m, 'a runtime with a shell prepares the folders the user writes');
    assert.match(text, /^RUN mkdir -p \/app && chown app:app \/app$/m);
  });

  it('offers nothing for images without a build step', () => {
    for (const text of [
      'FROM alpine:3.20\nCOPY run.sh /usr/local/bin/run.sh\nCMD ["run.sh"]\n',
      'FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n',
    ]) {
      assert.equal(service.lint(source('declined-empty-tree', text), config()).some((f) => f.rule === 'prefer-multi-stage'), false, text);
    }
  });

  it('is offered as a refactoring anywhere in the file, and once as a quick fix on the finding', () => {
    const file = source('node-naive');
    const refactors = service.codeActions(file, config(), [], [CodeActionKind.Refactor]);
    assert.deepEqual(refactors.map((a) => [a.kind, a.title.split(' — ')[0]]), [[CodeActionKind.RefactorRewrite, 'Convert to multi-stage build (Node.js)']]);
    const diagnostic = service.diagnostics(file, config()).find((d) => d.code === 'prefer-multi-stage')!;
    const all = service.codeActions(file, config(), [diagnostic]);
    assert.equal(all.filter((a) => a.title.startsWith('Convert to multi-stage')).length, 1);
    assert.deepEqual(service.codeActions(file, config(), [], [CodeActionKind.QuickFix]).filter((a) => a.kind === CodeActionKind.RefactorRewrite), []);
  });
});
