import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadCorpus } from '../helpers/corpus';
import { checkProperties, fuzzCase, mutate } from '../helpers/fuzz';

const corpus = loadCorpus();

/** A few hundred seeded cases of the mutation fuzzer; `npm run fuzz -- --runs N` runs more. */
describe('mutation fuzzing over the corpus', { skip: corpus === null ? 'corpus absent' : false }, () => {
  for (const kind of ['dockerfile', 'compose'] as const) {
    it(`${kind}: lint never throws, stays within 1 s, keeps ranges inside, and every fix parses`, { timeout: 60_000 }, () => {
      const seeds = corpus!.filter((f) => f.kind === kind);
      fc.assert(
        fc.property(fuzzCase(seeds.length), ({ seed, mutations }) => {
          checkProperties(kind, mutate(seeds[seed].text, mutations, kind));
        }),
        { seed: kind === 'dockerfile' ? 8 : 88, numRuns: 120, endOnFailure: true },
      );
    });
  }
});
