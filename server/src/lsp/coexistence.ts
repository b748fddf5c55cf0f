import type { Connection, InitializeParams } from 'vscode-languageserver/node';

/**
 * The other extensions active in the editor, as the client reports them (their ids, at start-up
 * in `initializationOptions.peers` and on every change in a `shipshape/peers` notification), so
 * features can step back where a peer already shows the same thing (features/coexistence/).
 */
export class Peers {
  private ids: string[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(connection: Connection) {
    connection.onNotification('shipshape/peers', (params: { peers?: unknown }) => {
      this.ids = ids(params?.peers);
      for (const listener of this.listeners) listener();
    });
  }

  initialize(params: InitializeParams): void {
    this.ids = ids((params.initializationOptions as { peers?: unknown } | undefined)?.peers);
  }

  get list(): readonly string[] {
    return this.ids;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : [];
}
