import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/read-only-root-filesystem';
import YAML from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService } from '../../../server/src/service';
import { applyEdits } from '../../../server/src/fixes/apply';
import { applyFix, checkRule, config, dedent, file, strict } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('read-only-root-filesystem', () => {
  it('is off by default, as an info', () => {
    assert.equal(rule.enabledByDefault, false);
    assert.equal(rule.severity, 'info');
  });

  it('flags a writable root filesystem on the service name, and read_only: false on the pair', () => check(`
    services:
      web:
      ~~~ read-only-root-filesystem
        image: acme/web:1.2
      api:
        build: ./api
        read_only: false
        ~~~~~~~~~~~~~~~~ read-only-root-filesystem
  `));

  it('accepts read_only: true and skips fragments that do not say what runs', () => check(`
    services:
      web:
        image: acme/web:1.2
        read_only: true
      extra:
        ports: ["8080:80"]
  `));

  it('fix: adds read_only and a tmpfs for /tmp, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          restart: always
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          restart: always
          read_only: true
          tmpfs: [/tmp]
    `));
  });

  it('fix: keeps a file cut in the middle of a CRLF, or ending in U+FEFF, valid YAML (found by the fuzzer)', () => {
    // The lone CR at the end is content to the YAML parser: the new lines go after it.
    const text = 'services:\r\n  web:\r\n    image: acme/web:1.2\r';
    const own = new LanguageService({ docsBase: 'file:///docs/rules', rules: [rule], onFailure: strict });
    const source = file(text, 'compose');
    const [finding] = own.lint(source, config({ rules: { [rule.id]: 'info' } }));
    const fixed = applyEdits(TextDocument.create(source.uri, 'compose', 0, text), own.fixFor(source, finding)!.edits);
    assert.equal(fixed, 'services:\r\n  web:\r\n    image: acme/web:1.2\r\r\n    read_only: true\r\n    tmpfs: [/tmp]');
    assert.deepEqual(YAML.parseDocument(fixed).errors, []);
    // A U+FEFF at the end of the last line is content too; a comment stays on its line.
    const bom = 'services:\n  web:\n    image: acme/web:1.2 # pinned\uFEFF';
    const bomSource = file(bom, 'compose');
    const [bomFinding] = own.lint(bomSource, config({ rules: { [rule.id]: 'info' } }));
    const bomFixed = applyEdits(TextDocument.create(bomSource.uri, 'compose', 0, bom), own.fixFor(bomSource, bomFinding)!.edits);
    assert.equal(bomFixed, 'services:\n  web:\n    image: acme/web:1.2 # pinned\uFEFF\n    read_only: true\n    tmpfs: [/tmp]');
    assert.deepEqual(YAML.parseDocument(bomFixed).errors, []);
  });

  it('fix: indents new keys like the service\'s first key, not its tag (found by the fuzzer)', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          !override image: acme/web:1.2
          restart: always
    `);
    assert.equal(fixed?.text, dedent(`
      services:
        web:
          !override image: acme/web:1.2
          restart: always
          read_only: true
          tmpfs: [/tmp]
    `));
  });

  it('fix: merges /tmp into an existing tmpfs and turns read_only: false on', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          read_only: false
          tmpfs:
            - /run
    `)?.text, dedent(`
      services:
        web:
          image: acme/web:1.2
          read_only: true
          tmpfs:
            - /run
            - /tmp
    `));
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          tmpfs: /run
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    tmpfs: ["/run", /tmp]\n    read_only: true\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          tmpfs: ["/tmp:size=64m"]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    tmpfs: ["/tmp:size=64m"]\n    read_only: true\n');
    assert.equal(applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
          volumes: ["scratch:/tmp"]
    `)?.text, 'services:\n  web:\n    image: acme/web:1.2\n    volumes: ["scratch:/tmp"]\n    read_only: true\n');
  });

  it('fix: adds no /tmp when the override file already mounts one', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    tmpfs: [/tmp]\n' } });
    assert.equal(fixed?.text, 'services:\n  web:\n    image: acme/web:1.2\n    read_only: true\n');
  });
});

describe('read-only-root-filesystem fix on stock servers', () => {
  it('gives nginx its cache and pid folders too (with /tmp alone it cannot start), and httpd its logs folder', () => {
    const nginx = applyFix(rule, 'compose', `
      services:
        proxy:
          image: nginx:1.27-alpine
          tmpfs: [/tmp]
    `);
    assert.equal(nginx?.title, 'Add `read_only: true` with a `tmpfs` for `/tmp`, `/var/cache/nginx`, `/var/run`');
    assert.equal(nginx?.text, 'services:\n  proxy:\n    image: nginx:1.27-alpine\n    tmpfs: [/tmp, /var/cache/nginx, /var/run]\n    read_only: true\n');
    const built = applyFix(rule, 'compose', `
      services:
        web:
          build: .
    `, { files: { '/work/Dockerfile': 'FROM httpd:2.4\nCOPY site/ /usr/local/apache2/htdocs/\n' } });
    assert.match(built!.text, /tmpfs: \[\/tmp, \/usr\/local\/apache2\/logs\]/);
  });

  it('offers nothing for images whose entrypoint prepares their folders as root (databases, WordPress), and says why', () => {
    const own = new LanguageService({ docsBase: 'file:///docs', rules: [rule], onFailure: strict });
    const source = file(dedent(`
      services:
        db:
          image: postgres:17
    `), 'compose');
    const finding = own.lint(source, config({ all: true }))[0];
    assert.equal(own.fixFor(source, finding), undefined);
    assert.match(own.fixOutcome(source, finding, config({ all: true }))?.declined?.reason ?? '', /postgres image writes at start/);
  });
});

describe('read-only-root-filesystem across the merged project', () => {
  it('is cleared by read_only: true in the override file', () => {
    checkRule(rule, 'compose', `
      services:
        web:
          image: acme/web:1.2
    `, { files: { '/work/compose.override.yaml': 'services:\n  web:\n    read_only: true\n' } });
  });
});
