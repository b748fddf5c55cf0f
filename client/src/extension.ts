import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Starts the one language server for Dockerfiles and Compose files; everything else lives there. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Files on disk and unsaved editors only: not the `git:` side of a diff or other virtual views.
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'untitled', language: 'dockercompose' },
    ],
  };
  // The server steps back where another active extension already shows the same thing
  // (`shipshape.coexistence`): it is told which extensions are enabled, and when that changes.
  const peers = () => vscode.extensions.all.map((e) => e.id.toLowerCase());
  clientOptions.initializationOptions = { peers: peers() };
  client = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(vscode.extensions.onDidChange(() => void client?.sendNotification('shipshape/peers', { peers: peers() })));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
