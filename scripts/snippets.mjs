// Writes snippets/dockerfile.json and snippets/compose.json from server/src/completion/snippets.ts
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
let stale = false;
for (const [path, json] of Object.entries(files)) {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (!process.argv.includes('--check')) writeFileSync(path, text);
  else if (readFileSync(path, 'utf8') !== text) {
    console.error(`${path} is out of date: run \`npm run snippets\``);
    stale = true;
  }
}
process.exit(stale ? 1 : 0);
