import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/service';
import { config, file } from '../helpers/check';

/** A service whose parser calls are counted (the parse is private: wrapped on the instance). */
function counted(): { service: LanguageService; parses: () => number } {
  const service = new LanguageService({ docsBase: 'file:///docs/rules' });
  let parses = 0;
  const target = service as unknown as { parse: (...args: unknown[]) => unknown };
  const original = target.parse.bind(service);
  target.parse = (...args: unknown[]) => {
    parses++;
    return original(...args);
  };
  return { service, parses: () => parses };
}

describe('LanguageService: one parse per document version', () => {
  it('shares the model between hover, lint, completion, code actions and fixes', () => {
    const { service, parses } = counted();
    const source = file('FROM node:20\nCOPY . .\nCMD node server.js\n', 'dockerfile');
    service.hover(source, { line: 0, character: 7 });
    const findings = service.lint(source, config());
    service.complete(source, { line: 1, character: 0 });
    service.codeActions(source, config(), findings.map((f) => service.toDiagnostic(f)));
    for (const f of findings) service.fixFor(source, f);
    assert.equal(parses(), 1);
    service.lint({ ...source, text: source.text.replace('node:20', 'node:22') }, config());
    assert.equal(parses(), 2, 'a new text is parsed again');
    service.lint(source, config({ rules: { 'exec-form-cmd': 'error' } }));
    assert.equal(parses(), 3, 'going back to the first text parses it again (one model per document)');
    service.lint(source, config());
    assert.equal(parses(), 3, 'a new configuration re-runs the rules, not the parser');
  });
});

describe('LanguageService: fixes', () => {
  it('offers no Compose fix whose YAML the parser would reject (found by the fuzzer)', () => {
    const service = new LanguageService({ docsBase: 'file:///docs/rules' });
    // The yaml library reads an unclosed quote at the very end without an error; a key appended
    // after it lands inside the quote, and the file stops parsing.
    const source = file("services:\n  redis:\n    image: valkey/valkey:8\n    healthcheck:\n      test: '[ $$(cli ping) = ''", 'compose');
    const findings = service.lint(source, config({ all: true }));
    const capDrop = findings.find((f) => f.rule === 'cap-drop-all');
    assert.ok(capDrop, 'the finding stays');
    assert.equal(service.fixFor(source, capDrop), undefined);
    // The same service on well-formed YAML gets its fix.
    const closed = file("services:\n  redis:\n    image: valkey/valkey:8\n    healthcheck:\n      test: '[ $$(cli ping) = PONG ]'\n", 'compose');
    const finding = service.lint(closed, config({ all: true })).find((f) => f.rule === 'cap-drop-all')!;
    assert.ok(service.fixFor(closed, finding));
  });
});

describe('LanguageService: fixes for the classic builder', () => {
  it('declines a fix that writes RUN --mount, with the reason, and offers it with BuildKit', () => {
    const service = new LanguageService({ docsBase: 'file:///docs/rules' });
    const source = file('FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nCMD ["/app"]\n', 'dockerfile');
    const classic = config({ builder: 'classic', rules: { 'prefer-cache-mounts': 'warning' } });
    const finding = service.lint(source, classic).find((f) => f.rule === 'prefer-cache-mounts');
    assert.ok(finding, 'prefer-cache-mounts reports go build');
    assert.match(service.fixOutcome(source, finding, classic)?.declined?.reason ?? '', /classic builder/);
    assert.equal(service.fixFor(source, finding, classic), undefined);
    const buildkit = config({ builder: 'buildkit', rules: { 'prefer-cache-mounts': 'warning' } });
    assert.match(service.fixFor(source, finding, buildkit)?.edits[0].newText ?? '', /--mount=type=cache/);
  });
});

describe('LanguageService: where the rule pages are', () => {
  const source = () => file('FROM node:20\nCMD node server.js\n', 'dockerfile');
  const hrefs = (service: LanguageService, settings: Record<string, unknown>) =>
    service.diagnostics(source(), config(settings)).map((d) => d.codeDescription?.href);

  it('links the shipped pages by default and the team’s pages when shipshape.docsBaseUrl is set', () => {
    const service = new LanguageService({ docsBase: 'file:///opt/shipshape/docs/rules' });
    assert.ok(hrefs(service, {}).includes('file:///opt/shipshape/docs/rules/exec-form-cmd.md'));
    assert.ok(hrefs(service, { docsBaseUrl: 'https://docs.example.com/shipshape/rules/' }).includes('https://docs.example.com/shipshape/rules/exec-form-cmd.md'));
    // A page name other than <id>.md: the rule id replaces {rule}.
    assert.ok(hrefs(service, { docsBaseUrl: 'https://docs.example.com/lint/{rule}.html' }).includes('https://docs.example.com/lint/exec-form-cmd.html'));
    assert.equal(service.docsUrl('no-root-user'), 'https://docs.example.com/lint/no-root-user.html', 'hovers and completions link the same pages');
    // Back to the default when the setting goes away.
    assert.ok(hrefs(service, {}).includes('file:///opt/shipshape/docs/rules/exec-form-cmd.md'));
  });

  it('ignores a docs base that is not an absolute http, https or file URL', () => {
    const service = new LanguageService({ docsBase: 'file:///opt/shipshape/docs/rules' });
    for (const docsBaseUrl of ['docs/rules', 'javascript:alert(1)', '', '   ', 42, 'https://']) {
      assert.ok(hrefs(service, { docsBaseUrl }).includes('file:///opt/shipshape/docs/rules/exec-form-cmd.md'), String(docsBaseUrl));
    }
  });
});
