// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this with require() */
// The stand-in's whole client: one LanguageClient that starts the bundled docker-langserver over
// stdio for Dockerfiles on disk and unsaved, the way Container Tools starts it. Its diagnostics
// carry dockerfile-utils' source and codes, exactly as the real extension shows them.
const path = require('node:path');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** @param {import('vscode').ExtensionContext} context */
async function activate(context) {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  client = new LanguageClient('dockerfile-langserver-peer', 'Container Tools stand-in (docker-langserver)', {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  }, {
    documentSelector: [{ scheme: 'file', language: 'dockerfile' }, { scheme: 'untitled', language: 'dockerfile' }],
  });
  await client.start();
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate };
