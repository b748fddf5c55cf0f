import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DocumentKind } from '../../server/src/rules/types';
import { repoRoot } from './check';

export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');

export interface CorpusFile {
  name: string;
  path: string;
  kind: DocumentKind;
  tags: string[];
  text: string;
}

/**
 * The real-world files of ../shared/corpus, by MANIFEST.tsv; null (after a printed notice) when the
 * corpus is not beside the project, so that a missing corpus is visible, never silently green.
 */
export function loadCorpus(): CorpusFile[] | null {
  const manifest = join(corpusDir, 'MANIFEST.tsv');
  if (!existsSync(manifest)) {
    process.stdout.write(`# NOTICE: ${corpusDir} is absent: corpus tests skipped\n`);
    return null;
  }
  const [, ...rows] = readFileSync(manifest, 'utf8').trim().split('\n');
  return rows.filter((row) => /^(dockerfile|compose)\t/.test(row)).map((row) => {
    const [kind, local, , , , tags] = row.split('\t');
    const path = join(corpusDir, local);
    return { name: local, path, kind: kind === 'compose' ? 'compose' : 'dockerfile', tags: (tags ?? '').split(','), text: readFileSync(path, 'utf8') };
  });
}
