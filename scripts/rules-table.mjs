// Writes the README's rule table from `shipshape rules --format json`, between the rules markers.
// `--check` fails instead of writing when the README is out of date (the tests run it).
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const rules = JSON.parse(execFileSync(process.execPath, ['dist/cli.js', 'rules', '--format', 'json'], { encoding: 'utf8' }));
const kinds = { dockerfile: 'Dockerfile', compose: 'Compose', both: 'both' };
const rows = rules.map((r) =>
  `| [\`${r.id}\`](${r.docs}) | ${kinds[r.kind]} | ${r.category} | ${r.severity}${r.enabledByDefault ? '' : ' (off by default)'} | ${r.fixable ? 'yes' : '—'} | ${r.aliases.map((a) => `\`${a}\``).join(', ') || '—'} | ${r.title} |`);
const table = ['| Rule | Applies to | Category | Severity | Fix | Covers | What it asks |', '|---|---|---|---|---|---|---|', ...rows].join('\n');

const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  console.error(`README.md has no ${start} … ${end} section`);
  process.exit(1);
}
const next = `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md rule table is out of date: run `npm run rules:readme`');
    process.exit(1);
  }
} else {
  writeFileSync('README.md', next);
}
