// The floor: dockerfile-ast's parse alone, in a process of its own (Shipshape memoizes some of
// dockerfile-ast's methods when its service loads, which would change what is measured).
// Usage: node bench/parse-floor.cjs PASSES FILE… ; prints one line of JSON: each pass in ms.
'use strict';
const { readFileSync } = require('node:fs');
const { DockerfileParser } = require('dockerfile-ast');
const [passes, ...files] = process.argv.slice(2);
const texts = files.map((f) => readFileSync(f, 'utf8'));
for (const text of texts) DockerfileParser.parse(text);
const times = [];
for (let i = 0; i < Number(passes); i++) {
  const started = process.hrtime.bigint();
  for (const text of texts) DockerfileParser.parse(text);
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
process.stdout.write(JSON.stringify(times) + '\n');
