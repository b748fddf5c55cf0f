import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { parseDockerfile } from '../../../server/src/dockerfile/parse';
import { sdkBuild } from '../../../server/src/rules/dockerfile/prefer-multi-stage';
import { convertToMultiStage, planMultiStage } from '../../../server/src/fixes/multistage/index';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { config, dedent, fakeFiles, repoRoot } from '../../helpers/check';
import { conversionProblems } from '../../helpers/multistage';

const dir = join(repoRoot, 'test/fixtures/multistage');
const update = process.env.UPDATE_GOLDEN === '1';
/** The build context beside every fixture: the manifests the converter looks for. */
const context = ['go.mod', 'go.sum', 'package.json', 'package-lock.json', 'requirements.txt', 'Shop.Api.csproj'];
const packageJson = JSON.stringify({ name: 'shop', scripts: { build: 'tsc -p .', start: 'node dist/server.js', dev: 'nodemon src/server.ts' } });
const files = fakeFiles(Object.fromEntries(context.map((f) => [`/work/app/${f}`, f === 'package.json' ? packageJson : ''])));
const service = new LanguageService({ docsBase: pathToFileURL(join(repoRoot, 'docs', 'rules')).href, files });
const source = (text: string, name = 'Dockerfile') => ({ uri: pathToFileURL(`/work/app/${name}`).href, text, kind: 'dockerfile' as const });

function convert(text: string, name?: string) {
  const file = source(text, name);
  const finding = service.lint(file, config()).find((f) => f.rule === 'prefer-multi-stage');
  return finding ? service.fixFor(file, finding) : undefined;
}

function plan(text: string) {
  const model = parseDockerfile(TextDocument.create('file:///work/app/Dockerfile', 'dockerfile', 0, dedent(text)));
  return planMultiStage(model, sdkBuild(model, '/work/app/Dockerfile')!, '/work/app/Dockerfile', files);
}

describe('multi-stage conversion', () => {
  describe('golden pairs (input → expected output)', () => {
    const inputs = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort();
    it('covers every ecosystem', () => {
      for (const prefix of ['go-', 'node-', 'python-', 'java-maven', 'java-gradle', 'rust', 'ruby', 'dotnet', 'static-']) assert.ok(inputs.some((f) => f.startsWith(prefix)), prefix);
    });
    for (const name of inputs) {
      it(name, () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const fix = convert(text);
        assert.ok(fix, `${name}: a conversion is offered`);
        assert.equal(fix.safe, false, 'never applied by fix-all');
        assert.equal(fix.edits.length, 1, 'one edit');
        const output = fix.edits[0].newText;
        const expected = join(dir, `${name}.expected`);
        if (update || !existsSync(expected)) {
          if (!update) assert.fail(`${expected} is missing: run UPDATE_GOLDEN=1 and review it`);
          writeFileSync(expected, output);
        } else {
          assert.equal(output, readFileSync(expected, 'utf8'), `${expected} differs: if intended, run UPDATE_GOLDEN=1 and review the diff`);
        }
        assert.deepEqual(conversionProblems(service, source(text, name), output), [], `${name}: the result re-lints clean`);
      });
    }
  });

  it('titles the action with the ecosystem and its typical size effect', () => {
    const go = convert(readFileSync(join(dir, 'go-naive.Dockerfile'), 'utf8'));
    assert.equal(go?.title, 'Convert to multi-stage build (Go) — typical: ~850 MB SDK image → ~10–20 MB static binary image');
    const node = convert(readFileSync(join(dir, 'node-naive.Dockerfile'), 'utf8'));
    assert.match(node!.title, /^Convert to multi-stage build \(Node\.js\) — typical: ~1\.1 GB → ~150–250 MB$/);
  });

  it('plans stages as data: a cross-compiling build stage and a distroless runtime', () => {
    const result = plan(`
      FROM golang:1.22
      WORKDIR /src
      COPY . .
      ENV GIN_MODE=release
      RUN go build -o /out/api ./cmd/api
      CMD ["/out/api"]
    `)!;
    assert.equal(result.ecosystem, 'go');
    assert.deepEqual(result.stages.map((s) => [s.image, s.platform, s.name]), [
      ['golang:1.22', '$BUILDPLATFORM', 'build'],
      ['gcr.io/distroless/static-debian12:nonroot', null, null],
    ]);
    // The manifests (go.mod, go.sum) and `go mod download` come first; GIN_MODE is read when the
    // server runs, not by the build, so it goes to the runtime stage only.
    assert.deepEqual(result.stages[0].instructions.map((i) => i.keyword), ['ARG', 'WORKDIR', 'COPY', 'RUN', 'COPY', 'RUN']);
    assert.deepEqual(result.stages[1].instructions.map((i) => i.keyword), ['WORKDIR', 'ENV', 'COPY', 'USER', 'CMD']);
    assert.ok(result.stages[1].instructions.some((i) => i.text === 'COPY --from=build --chown=nonroot:nonroot /out/api /out/api'));
    assert.match(result.stages[0].instructions.filter((i) => i.keyword === 'RUN').pop()!.text, /CGO_ENABLED=0 GOOS=\$TARGETOS GOARCH=\$TARGETARCH go build -trimpath -ldflags="-s -w" -o \/out\/api/);
  });

  it('moves the install before the sources only when nothing between them can change it', () => {
    const keywords = (...middle: string[]) => plan(['FROM node:20', 'WORKDIR /app', 'COPY . .', ...middle, 'RUN npm run build', 'CMD ["node", "dist/index.js"]'].join('\n'))!.stages[0].instructions.map((i) => i.keyword);
    assert.deepEqual(keywords('ENV NODE_ENV=development', 'RUN npm ci'), ['WORKDIR', 'COPY', 'ENV', 'RUN', 'RUN', 'RUN']);
    assert.deepEqual(keywords('RUN npm ci', 'ENV NODE_ENV=development'), ['WORKDIR', 'COPY', 'RUN', 'COPY', 'ENV', 'RUN', 'RUN']);
  });

  it('moves the install up behind manifests the original copies itself, only when they are all copied', () => {
    const lines = (text: string) => convert(text)!.edits[0].newText.split('\n').filter((l) => /^(COPY|RUN)/.test(l)).slice(0, 3);
    // package.json alone while package-lock.json is on disk: `npm ci` needs the lockfile, so the order stays.
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package.json ./', 'COPY . .', 'RUN --mount=type=cache,target=/root/.npm npm ci']);
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package.json package-lock.json ./', 'RUN --mount=type=cache,target=/root/.npm npm ci', 'COPY . .']);
    // Copied somewhere else than where the install runs.
    assert.deepEqual(lines('FROM node:20\nWORKDIR /app\nCOPY package*.json /tmp/\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/server.js"]\n'), ['COPY package*.json /tmp/', 'COPY . .', 'RUN --mount=type=cache,target=/root/.npm npm ci']);
  });

  it('.NET: restores the project the ENTRYPOINT names first, unless it references other projects', () => {
    const text = 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\nENTRYPOINT ["dotnet", "/app/Shop.Web.dll"]\n';
    const lines = (csproj: string) => {
      const model = parseDockerfile(TextDocument.create('file:///work/app/Dockerfile', 'dockerfile', 0, text));
      const result = convertToMultiStage(model, sdkBuild(model, '/work/app/Dockerfile')!, '/work/app/Dockerfile', fakeFiles({ '/work/app/Shop.Web.csproj': csproj }))!;
      return result.text.split('\n').filter((l) => /^(COPY|RUN)/.test(l)).slice(0, 3);
    };
    assert.deepEqual(lines('<Project Sdk="Microsoft.NET.Sdk.Web"></Project>'), ['COPY Shop.Web.csproj ./', 'RUN --mount=type=cache,target=/root/.nuget/packages dotnet restore -a $TARGETARCH', 'COPY . .']);
    assert.deepEqual(lines('<Project><ItemGroup><ProjectReference Include="../Shop.Core/Shop.Core.csproj" /></ItemGroup></Project>'), ['COPY . .', 'RUN --mount=type=cache,target=/root/.nuget/packages dotnet publish -a $TARGETARCH -c Release -o /app', 'COPY --from=build --chown=app:app /app /app']);
  });

  it('offers nothing when the artifact or the run command is uncertain', () => {
    for (const text of [
      // `go build` without -o names the binary after the module: not guessed.
      'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build\nCMD ["./src"]\n',
      // `npm run dev` is not a plain `node <file>` in package.json.
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "run", "dev"]\n',
      // Without the package.json beside the Dockerfile, `npm start` runs an unknown command.
      'FROM node:20\nWORKDIR /app\nCOPY src/ ./\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
      // The binary is not the one built.
      'FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN go build -o /bin/tool ./cmd/tool\nCMD ["/usr/bin/other"]\n',
      // cgo needs a C library at run time.
      'FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN CGO_ENABLED=1 go build -o /app .\nCMD ["/app"]\n',
      // A native extension built against a library whose runtime package is not known.
      'FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libgdal-dev\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      // A Java image whose JDK version is unknown.
      'FROM maven:latest\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD ["java", "-jar", "target/app.jar"]\n',
    ]) {
      assert.equal(convert(text), undefined, text);
    }
  });

  it('offers nothing for images without a build step', () => {
    for (const text of [
      'FROM alpine:3.20\nCOPY run.sh /usr/local/bin/run.sh\nCMD ["run.sh"]\n',
      'FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n',
    ]) {
      const file = source(text);
      assert.equal(service.lint(file, config()).some((f) => f.rule === 'prefer-multi-stage'), false, text);
    }
  });

  it('is offered as a refactoring anywhere in the file, and once as a quick fix on the finding', () => {
    const file = source(readFileSync(join(dir, 'node-naive.Dockerfile'), 'utf8'));
    const refactors = service.codeActions(file, config(), [], [CodeActionKind.Refactor]);
    assert.deepEqual(refactors.map((a) => [a.kind, a.title.split(' — ')[0]]), [[CodeActionKind.RefactorRewrite, 'Convert to multi-stage build (Node.js)']]);
    const diagnostic = service.diagnostics(file, config()).find((d) => d.code === 'prefer-multi-stage')!;
    const all = service.codeActions(file, config(), [diagnostic]);
    assert.equal(all.filter((a) => a.title.startsWith('Convert to multi-stage')).length, 1);
    assert.deepEqual(service.codeActions(file, config(), [], [CodeActionKind.QuickFix]).filter((a) => a.kind === CodeActionKind.RefactorRewrite), []);
  });
});
