// Writes snippets/dockerfile.json, snippets/compose.json and the README's table of prefixes from server/src/completion/snippets.ts
// (compiled: run `npm run build` first), so their healthcheck commands come from the same tables
// as the rules' fixes and the completions. `--check` fails instead of writing when a file is out
// of date (a unit test checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { composeSnippetDefinitions, dockerfileSnippetDefinitions, toSnippetJson } = require('../out/server/src/completion/snippets.js');

const files = {
  'snippets/dockerfile.json': toSnippetJson(dockerfileSnippetDefinitions()),
  'snippets/compose.json': toSnippetJson(composeSnippetDefinitions()),
};
// The README's table of prefixes, between the snippets markers.
const row = (kind) => (d) => `| \`${d.prefix}\` | ${kind} | ${d.description.replace(/\|/g, '\\|')} |`;
const table = [
  '| Prefix | In | What it inserts |',
  '|---|---|---|',
  ...dockerfileSnippetDefinitions().map(row('Dockerfile')),
  ...composeSnippetDefinitions().map(row('Compose')),
].join('\n');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- snippets:start -->';
const end = '<!-- snippets:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  console.error(`README.md has no ${start} … ${end} section`);
  process.exit(1);
}
const outputs = Object.fromEntries(Object.entries(files).map(([path, json]) => [path, `${JSON.stringify(json, null, 2)}\n`]));
outputs['README.md'] = `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;

let stale = false;
for (const [path, text] of Object.entries(outputs)) {
  if (!process.argv.includes('--check')) writeFileSync(path, text);
  else if (readFileSync(path, 'utf8') !== text) {
    console.error(`${path} is out of date: run \`npm run snippets\``);
    stale = true;
  }
}
process.exit(stale ? 1 : 0);
