// Loaded with --import before every test file: the shell grammar is WebAssembly and loads
// asynchronously once; after this the whole service is synchronous, as in the server and CLI.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
await require('../out/server/src/dockerfile/shell.js').initShellParser();
// The CLI and the server judge dates (image-end-of-life) against SHIPSHAPE_TODAY when it is set:
// the tests that spawn them see the same day as test/helpers/check.ts's TEST_TODAY.
process.env.SHIPSHAPE_TODAY ??= '2026-12-07';
