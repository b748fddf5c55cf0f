// Runs one or more compiled rules over ../shared/corpus and prints what they report, so a rule's
// findings on real files can be read (and counted) before it joins the catalogue.
// Usage: npx tsc -b && node scripts/corpus-rule.mjs dockerfile/no-root-user [compose/no-privileged …] [--all-findings]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const out = resolve('out/server/src');
const { LanguageService } = require(join(out, 'service.js'));
const { normalizeSettings, emptyProjectConfig } = require(join(out, 'config/settings.js'));
const { diskFiles } = require(join(out, 'files.js'));
await require(join(out, 'dockerfile/shell.js')).initShellParser();

const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (names.length === 0) {
  console.error('usage: node scripts/corpus-rule.mjs dockerfile/<rule-id> [...]');
  process.exit(2);
}
const rules = names.map((n) => require(join(out, 'rules', `${n}.js`)).default);
const service = new LanguageService({ docsBase: 'file:///docs/rules', rules, files: diskFiles });
const config = { settings: normalizeSettings({ all: true }), project: emptyProjectConfig };
const corpus = resolve('../shared/corpus');
const [, ...rows] = readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
const counts = new Map();
const files = new Map();
for (const row of rows) {
  const [kind, local] = row.split('\t');
  if (kind !== 'dockerfile' && kind !== 'compose') continue;
  const path = join(corpus, local);
  const text = readFileSync(path, 'utf8');
  for (const f of service.lint({ uri: pathToFileURL(path).href, text, kind: kind === 'compose' ? 'compose' : 'dockerfile' }, config)) {
    counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
    if (!files.has(f.rule)) files.set(f.rule, new Set());
    files.get(f.rule).add(local);
    console.log(`${local}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule}: ${f.message}`);
  }
}
console.log('\nfindings per rule (files):');
for (const rule of rules) console.log(`  ${rule.id}: ${counts.get(rule.id) ?? 0} (${files.get(rule.id)?.size ?? 0} files)`);
