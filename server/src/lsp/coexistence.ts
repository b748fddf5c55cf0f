import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import type { PeerDiagnostic } from '../features/coexistence/dockerfile';

/**
 * The other extensions active in the editor, as the client reports them (their ids, at start-up
 * in `initializationOptions.peers` and on every change in a `shipshape/peers` notification), so
 * features can step back where a peer already shows the same thing (features/coexistence/); and
 * the diagnostics other extensions publish for a document (`shipshape/peerDiagnostics`, sent by the
 * client whenever they change), so that a finding a peer already shows is not shown twice.
 */
export class Peers {
  private ids: string[] = [];
  private readonly listeners: (() => void)[] = [];
  private readonly published = new Map<string, PeerDiagnostic[]>();
  private readonly diagnosticListeners: ((uri: string) => void)[] = [];

  constructor(connection: Connection) {
    connection.onNotification('shipshape/peers', (params: { peers?: unknown }) => {
      this.ids = ids(params?.peers);
      for (const listener of this.listeners) listener();
    });
    connection.onNotification('shipshape/peerDiagnostics', (params: { uri?: unknown; diagnostics?: unknown }) => {
      if (typeof params?.uri !== 'string') return;
      const list = peerDiagnostics(params.diagnostics);
      if (list.length === 0) this.published.delete(params.uri);
      else this.published.set(params.uri, list);
      for (const listener of this.diagnosticListeners) listener(params.uri);
    });
  }

  /** What other extensions show for a document. */
  diagnostics(uri: string): readonly PeerDiagnostic[] {
    return this.published.get(uri) ?? [];
  }

  onDiagnostics(listener: (uri: string) => void): void {
    this.diagnosticListeners.push(listener);
  }

  forget(uri: string): void {
    this.published.delete(uri);
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

const isPosition = (p: unknown): p is { line: number; character: number } => typeof p === 'object' && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);

/** The well-formed entries of a client's list; anything else is dropped, never trusted. */
function peerDiagnostics(value: unknown): PeerDiagnostic[] {
  if (!Array.isArray(value)) return [];
  const result: PeerDiagnostic[] = [];
  for (const d of value as { range?: { start?: unknown; end?: unknown }; message?: unknown; source?: unknown; code?: unknown }[]) {
    if (typeof d !== 'object' || d === null || !isPosition(d.range?.start) || !isPosition(d.range?.end)) continue;
    result.push({
      range: { start: d.range.start, end: d.range.end },
      message: typeof d.message === 'string' ? d.message : '',
      source: typeof d.source === 'string' ? d.source : undefined,
      code: typeof d.code === 'string' || typeof d.code === 'number' ? d.code : undefined,
    });
  }
  return result;
}
