import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LanguageService, type SourceFile } from '../../server/src/service';
import { diskFiles } from '../../server/src/files';
import { config, repoRoot, service, strict } from '../helpers/check';
import { corpusDir, loadCorpus } from '../helpers/corpus';
import { checkRuntime, conversionProblems } from '../helpers/multistage';

const corpus = loadCorpus();
const projectsDir = join(corpusDir, 'projects');
const index = existsSync(join(projectsDir, 'INDEX.tsv'))
  ? readFileSync(join(projectsDir, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1).map((row) => row.split('\t')[2])
  : null;

/**
 * The multi-stage conversion over the real single-stage Dockerfiles of ../shared/corpus/projects,
 * each inside a checkout of its repository (the files around it as an editor reads them): how
 * many of those `prefer-multi-stage` flags are converted, why the rest are not, and for every
 * conversion the check that the runtime image has what the original had in its application folder
 * and that its non-root user can write its working directory.
 */
describe('multi-stage conversion over the project trees of ../shared/corpus/projects', { skip: index === null ? 'corpus absent' : false }, () => {
  const disk = new LanguageService({ docsBase: pathToFileURL(join(repoRoot, 'docs', 'rules')).href, files: diskFiles, onFailure: strict });

  it('converts at least 85% of the flagged files, says why for the rest, and every conversion keeps what the app needs', () => {
    let flagged = 0;
    const converted: string[] = [];
    const declines = new Map<string, string[]>();
    const problems: string[] = [];
    let appFiles = 0;
    let carried = 0;
    let explained = 0;
    for (const dockerfile of index ?? []) {
      const path = join(projectsDir, dockerfile);
      const file: SourceFile = { uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8'), kind: 'dockerfile' };
      const finding = disk.lint(file, config()).find((f) => f.rule === 'prefer-multi-stage');
      if (!finding) continue;
      flagged++;
      const fix = disk.fixOutcome(file, finding, config());
      assert.ok(fix, `${dockerfile}: the finding's fix answers, with a conversion or a reason`);
      if (fix.declined) {
        declines.set(fix.declined.reason, [...(declines.get(fix.declined.reason) ?? []), dockerfile]);
        continue;
      }
      converted.push(dockerfile);
      const output = fix.edits[0].newText;
      problems.push(...conversionProblems(disk, file, output).map((p) => `${dockerfile}: ${p}`));
      const check = checkRuntime(file.text, output, path, diskFiles);
      appFiles += check.appFiles;
      carried += check.carried;
      explained += check.explained.length;
      problems.push(...check.problems.map((p) => `${dockerfile}: ${p}`));
      disk.close(file.uri);
    }
    const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;
    process.stdout.write(`# multi-stage over projects/: ${converted.length}/${flagged} flagged files converted (${percent(converted.length, flagged)})\n`);
    for (const [reason, files] of declines) process.stdout.write(`# declined (${files.length}): ${reason} — ${files.join(', ')}\n`);
    process.stdout.write(`# runtime check: ${carried}/${appFiles} files of the original app folders reach the runtime image; ${explained} left behind with a comment saying so; the rest are sources and build files\n`);
    assert.deepEqual(problems, []);
    assert.ok(converted.length >= Math.ceil(0.85 * flagged), `converted ${converted.length} of ${flagged}`);
  });
});

/** Every offer on the flat corpus files (no tree around them) re-lints clean and is not offered twice. */
describe('multi-stage conversion over ../shared/corpus', { skip: corpus === null ? 'corpus absent' : false }, () => {
  const dockerfiles = (corpus ?? []).filter((f) => f.kind === 'dockerfile');

  it('offers nothing on files without a build step, says why wherever it declines, and passes the checks wherever it offers', () => {
    for (const file of dockerfiles) {
      const source = { uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind };
      const finding = service.lint(source, config()).find((f) => f.rule === 'prefer-multi-stage');
      const fix = finding ? service.fixOutcome(source, finding, config()) : undefined;
      if (finding) assert.ok(fix, `${file.name}: a conversion or a reason`);
      if (!fix || fix.declined) {
        if (fix?.declined) assert.match(fix.declined.reason, /\w{3,}.*\w{3,}/, `${file.name}: a reason a person can read`);
        continue;
      }
      assert.ok(file.tags.includes('singlestage-compiled') || !file.tags.includes('multistage'), `${file.name}: no offer on a multi-stage file`);
      assert.deepEqual(conversionProblems(service, source, fix.edits[0].newText), [], file.name);
      service.close(source.uri);
    }
  });
});
