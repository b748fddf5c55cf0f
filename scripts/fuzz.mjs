// The long fuzz run: `npm run fuzz -- --runs 100000 [--seed N] [--kind dockerfile|compose]`.
// Uses the compiled tests (run `npm run build` first) and the corpus in ../shared/corpus.
// Prints the number of cases run and the result; a failure prints the shrunk counterexample.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
await require('../out/server/src/dockerfile/shell.js').initShellParser();
const fc = require('fast-check');
const { loadCorpus } = require('../out/test/helpers/corpus.js');
const { checkProperties, fuzzCase, mutate } = require('../out/test/helpers/fuzz.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '10000'));
const seed = Number(option('seed', String(Date.now() % 1_000_000)));
const kinds = option('kind') ? [option('kind')] : ['dockerfile', 'compose'];
const corpus = loadCorpus();
if (!corpus) process.exit(2);
let failed = false;
const started = Date.now();
for (const kind of kinds) {
  const seeds = corpus.filter((f) => f.kind === kind);
  const numRuns = Math.round(runs / kinds.length);
  let done = 0;
  const result = fc.check(
    fc.property(fuzzCase(seeds.length), ({ seed: index, mutations }) => {
      done++;
      if (done % 1000 === 0) process.stderr.write(`${kind}: ${done}/${numRuns}\n`);
      checkProperties(kind, mutate(seeds[index].text, mutations, kind));
    }),
    { seed, numRuns, endOnFailure: true },
  );
  if (result.failed) {
    failed = true;
    console.log(`${kind}: FAILED after ${result.numRuns} cases (seed ${seed}, path ${result.counterexamplePath})`);
    console.log(fc.defaultReportMessage(result));
    console.log(`Error: ${result.errorInstance?.message ?? result.error}`);
  } else {
    console.log(`${kind}: ${result.numRuns} cases passed (seed ${seed})`);
  }
}
console.log(`fuzz: ${runs} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed ? 'FAILED' : 'no failure'}`);
process.exitCode = failed ? 1 : 0;
