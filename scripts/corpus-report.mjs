// Lints every file of ../shared/corpus with the whole catalogue and prints, per rule, how many
// errors, warnings and infos it reports and in how many files; with --official, also every error
// and warning on the official images (docker-library, nginx, node…), to read them one by one.
// Usage: npm run build && node scripts/corpus-report.mjs [--all] [--official]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
await require('../out/server/src/dockerfile/shell.js').initShellParser();
const { config, service } = require('../out/test/helpers/check.js');
const { loadCorpus } = require('../out/test/helpers/corpus.js');

const corpus = loadCorpus();
if (!corpus) process.exit(1);
const settings = config(process.argv.includes('--all') ? { all: true } : {});
const counts = new Map();
const official = [];
for (const file of corpus) {
  for (const finding of service.lint({ uri: `file:///corpus/${file.name}`, text: file.text, kind: file.kind }, settings)) {
    const entry = counts.get(finding.rule) ?? { error: 0, warning: 0, info: 0, hint: 0, files: new Set() };
    entry[finding.severity]++;
    entry.files.add(file.name);
    counts.set(finding.rule, entry);
    if (file.tags.includes('official') && (finding.severity === 'error' || finding.severity === 'warning')) {
      official.push(`${file.name}:${finding.range.start.line + 1} ${finding.severity} ${finding.rule}: ${finding.message}`);
    }
  }
}
console.log('| rule | errors | warnings | infos | files |\n|---|---|---|---|---|');
for (const [rule, e] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`| ${rule} | ${e.error} | ${e.warning} | ${e.info} | ${e.files.size} |`);
if (process.argv.includes('--official')) {
  console.log(`\n${official.length} errors and warnings on official images:`);
  for (const line of official) console.log(line);
}
