// Prints how long loading the extension's bundle takes (ms): the part of activation that is
// Shipshape's own before the language server starts. VS Code is not available on the benchmark
// machine, so `vscode` is a stand-in that answers every property with a no-op.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const stub = new Proxy(function () {}, { get: (_, key) => (key === '__esModule' ? false : stub), apply: () => stub, construct: () => stub });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const started = process.hrtime.bigint();
const extension = require(join(__dirname, '..', 'dist', 'client.js'));
if (typeof extension.activate !== 'function') throw new Error('dist/client.js exports no activate()');
process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e6}\n`);
