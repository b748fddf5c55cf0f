// Edit→diagnostics latency of the built server over stdio: opens a Dockerfile (the largest in
// ../shared/corpus by default, or the path given), sends 50 single-character edits one after the
// other, and times each didChange until the diagnostics of that version are published.
// Usage: node bench/lsp-edit.mjs [FILE] [--edits N]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node.js';

const args = process.argv.slice(2);
const editsIndex = args.indexOf('--edits');
const edits = editsIndex >= 0 ? Number(args[editsIndex + 1]) : 50;
let file = args.find((a, i) => !a.startsWith('--') && i !== editsIndex + 1);
if (!file) {
  const dir = resolve('../shared/corpus/dockerfile');
  file = readdirSync(dir).map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
}
const text = readFileSync(file, 'utf8');
const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const waiting = new Map();
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  const resolveVersion = waiting.get(params.version);
  if (resolveVersion) {
    waiting.delete(params.version);
    resolveVersion(params.diagnostics.length);
  }
});
connection.listen();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
connection.sendNotification('initialized', {});
const uri = pathToFileURL(resolve('Dockerfile.bench')).href;
const published = (version) => new Promise((r) => waiting.set(version, r));
let first = published(1);
connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
await first;
const times = [];
const lines = text.split('\n');
for (let i = 0; i < edits; i++) {
  const version = i + 2;
  const line = (i * 7) % lines.length;
  const wait = published(version);
  const started = process.hrtime.bigint();
  connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 ? '' : ' ' }],
  });
  await wait;
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`${file}: ${lines.length} lines, ${text.length} bytes; ${edits} edits: median ${median.toFixed(2)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
await connection.sendRequest('shutdown');
connection.sendNotification('exit');
