// Loaded with --import before every test file: the shell grammar is WebAssembly and loads
// asynchronously once; after this the whole service is synchronous, as in the server and CLI.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
await require('../out/server/src/dockerfile/shell.js').initShellParser();
