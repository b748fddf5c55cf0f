import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { config, service } from '../helpers/check';
import { loadCorpus } from '../helpers/corpus';
import { conversionProblems } from '../helpers/multistage';

const corpus = loadCorpus();

/**
 * The multi-stage conversion over ../shared/corpus: how many single-stage builds get an offer,
 * and every offer (on any file) re-lints clean and is not offered twice.
 */
describe('multi-stage conversion over ../shared/corpus', { skip: corpus === null ? 'corpus absent' : false }, () => {
  const dockerfiles = (corpus ?? []).filter((f) => f.kind === 'dockerfile');
  const offerFor = (file: (typeof dockerfiles)[number]) => {
    const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
    const finding = service.lint(source, config()).find((f) => f.rule === 'prefer-multi-stage');
    return { source, finding, fix: finding ? service.fixFor(source, finding) : undefined };
  };

  it('offers a conversion on the single-stage builds, and every one passes the checks', () => {
    const tagged = dockerfiles.filter((f) => f.tags.includes('singlestage-compiled'));
    let flagged = 0;
    const offered: string[] = [];
    const declined: string[] = [];
    for (const file of tagged) {
      const { source, finding, fix } = offerFor(file);
      if (finding) flagged++;
      if (!fix) {
        if (finding) declined.push(file.name);
        continue;
      }
      offered.push(file.name);
      assert.deepEqual(conversionProblems(service, source, fix.edits[0].newText), [], file.name);
    }
    const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;
    process.stdout.write(`# multi-stage offers: ${offered.length}/${tagged.length} singlestage-compiled files (${percent(offered.length, tagged.length)}), ${offered.length}/${flagged} of those prefer-multi-stage flags (${percent(offered.length, flagged)})\n`);
    process.stdout.write(`# declined (artifact, run command or runtime not certain): ${declined.map((n) => n.replace(/^dockerfile\//, '')).join(', ')}\n`);
    // The target is 90%; what holds today is recorded here so that it cannot regress
    // unnoticed (see docs/multi-stage.md for why the rest is declined).
    assert.ok(offered.length >= 20, `offers on ${offered.length} files`);
  });

  it('offers nothing on files without a build step, and passes the checks wherever it offers', () => {
    for (const file of dockerfiles) {
      const { source, fix } = offerFor(file);
      if (!fix) continue;
      assert.ok(file.tags.includes('singlestage-compiled') || !file.tags.includes('multistage'), `${file.name}: no offer on a multi-stage file`);
      assert.deepEqual(conversionProblems(service, source, fix.edits[0].newText), [], file.name);
      service.close(source.uri);
    }
  });
});
