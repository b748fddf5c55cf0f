import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { config, service } from '../helpers/check';
import { loadCorpus } from '../helpers/corpus';
import { applyEdits } from '../../server/src/fixes/apply';
import { parseCompose } from '../../server/src/compose/parse';
import { buildProject } from '../../server/src/compose/project';
import { effectiveServices } from '../../server/src/compose/effective';
import { parseDockerfile } from '../../server/src/dockerfile/parse';
import { buildProblems } from '../helpers/buildSafety';

const corpus = loadCorpus();
const all = config({ all: true });

/**
 * Every fix offered on a real file: the result still parses (no new error), the finding it fixes
 * is gone, and fix-all is idempotent.
 */
describe('fix safety over ../shared/corpus', { skip: corpus === null ? 'corpus absent' : false }, () => {
  it('lints every file without throwing, with ranges inside the document', () => {
    for (const file of corpus!) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const document = TextDocument.create(source.uri, file.kind, 0, file.text);
      for (const finding of service.lint(source, all)) {
        const end = document.offsetAt(finding.range.end);
        assert.ok(document.offsetAt(finding.range.start) <= end && end <= file.text.length, `${file.name}: ${finding.rule} range`);
        assert.deepEqual(document.positionAt(document.offsetAt(finding.range.end)), finding.range.end, `${file.name}: ${finding.rule} ends inside a line`);
      }
    }
  });

  it('each fix parses, clears its finding and adds no error', () => {
    let checked = 0;
    for (const file of corpus!) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const before = service.lint(source, all);
      // The same rule's fixes in one file take the same code path: two of each are re-linted,
      // which keeps this test to seconds on files with hundreds of findings (a large Compose file).
      const perRule = new Map<string, number>();
      for (const finding of before) {
        const seen = perRule.get(finding.rule) ?? 0;
        if (seen >= 2) continue;
        const fix = service.fixFor(source, finding);
        if (fix) perRule.set(finding.rule, seen + 1);
        if (!fix) continue;
        // A fix that only creates a file (a .dockerignore) leaves this text alone.
        if (fix.edits.length === 0) {
          assert.ok(fix.createFiles && fix.createFiles.length > 0, `${file.name}: "${fix.title}" changes something`);
          continue;
        }
        checked++;
        const text = applyEdits(TextDocument.create(source.uri, file.kind, 0, file.text), fix.edits);
        assert.notEqual(text, file.text, `${file.name}: ${fix.title} changes the file`);
        const after = service.lint({ ...source, uri: `${source.uri}#fixed`, text }, all);
        const count = (list: typeof before, rule: string, severity?: string) => list.filter((f) => f.rule === rule && (!severity || f.severity === severity)).length;
        assert.ok(count(after, finding.rule) < count(before, finding.rule), `${file.name}: "${fix.title}" clears its ${finding.rule} finding at line ${finding.range.start.line + 1}`);
        for (const rule of new Set(after.filter((f) => f.severity === 'error').map((f) => f.rule))) {
          assert.ok(count(after, rule, 'error') <= count(before, rule, 'error'), `${file.name}: "${fix.title}" adds a ${rule} error`);
        }
        service.close(`${source.uri}#fixed`);
      }
      service.close(source.uri);
    }
    assert.ok(checked > 50, `fixes were exercised (${checked})`);
  });

  it('each Dockerfile fix keeps the build working, as far as Shipshape can tell', () => {
    // Every fix, not two per rule: these problems depend on where in the file a fix lands. The
    // commands a base image lacks are run-command-available errors, which no fix may add (above).
    // The multi-stage conversion is checked by test/corpus/multistage.test.ts.
    const problems = (uri: string, text: string) => buildProblems(parseDockerfile(TextDocument.create(uri, 'dockerfile', 0, text)));
    let checked = 0;
    for (const file of corpus!.filter((f) => f.kind === 'dockerfile')) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const before = problems(`${source.uri}#before`, file.text);
      const findings = service.lint(source, all);
      const missing = (list: typeof findings) => list.filter((f) => f.rule === 'run-command-available').length;
      for (const finding of findings) {
        if (finding.rule === 'prefer-multi-stage') continue;
        const fix = service.fixFor(source, finding);
        if (!fix || fix.edits.length === 0) continue;
        checked++;
        const text = applyEdits(TextDocument.create(source.uri, file.kind, 0, file.text), fix.edits);
        const after = problems(`${source.uri}#after`, text);
        for (const kind of Object.keys(after) as (keyof typeof after)[]) {
          const added = after[kind].filter((p) => !before[kind].includes(p));
          assert.ok(after[kind].length <= before[kind].length, `${file.name}: "${fix.title}" (${finding.rule}, line ${finding.range.start.line + 1}) adds ${kind}: ${added.join('; ')}`);
        }
        const lintedAfter = service.lint({ ...source, uri: `${source.uri}#fixed`, text }, all);
        assert.ok(missing(lintedAfter) <= missing(findings), `${file.name}: "${fix.title}" (${finding.rule}) runs a command the base image lacks`);
        service.close(`${source.uri}#fixed`);
      }
      service.close(source.uri);
    }
    assert.ok(checked > 300, `Dockerfile fixes were exercised (${checked})`);
  });

  it('each Compose fix changes the configuration of its own service only', () => {
    // Every fix, not two per rule: an anchor or an `extends` base shared with other services is
    // a property of one place in a file, which any of its findings can reach.
    const none = { read: () => null, exists: () => false };
    const effective = (uri: string, text: string) => effectiveServices(buildProject(parseCompose(TextDocument.create(uri, 'dockercompose', 0, text)), null, none));
    let checked = 0;
    for (const file of corpus!.filter((f) => f.kind === 'compose')) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const before = effective(source.uri, file.text);
      for (const finding of service.lint(source, all)) {
        const fix = service.fixFor(source, finding);
        if (!fix || fix.edits.length === 0) continue;
        checked++;
        const after = effective(source.uri, applyEdits(TextDocument.create(source.uri, file.kind, 0, file.text), fix.edits));
        const allowed = new Set([finding.data?.service, ...(fix.services ?? [])]);
        for (const name of new Set([...before.keys(), ...after.keys()])) {
          if (allowed.has(name)) continue;
          assert.equal(after.get(name), before.get(name), `${file.name}: "${fix.title}" (${finding.rule}, line ${finding.range.start.line + 1}) changes \`${name}\``);
        }
      }
      service.close(source.uri);
    }
    assert.ok(checked > 100, `Compose fixes were exercised (${checked})`);
  });

  it('fix-all is idempotent and leaves no safe fix behind', () => {
    for (const file of corpus!) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const once = service.fixAll(source, all);
      const twice = service.fixAll({ ...source, text: once.text }, all);
      assert.equal(twice.applied, 0, `${file.name}: a second fix-all finds nothing to apply`);
      assert.equal(twice.text, once.text, `${file.name}: fix-all is idempotent`);
    }
  });
});
