import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type ConfigurationParams,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

/** The repository root, from `out/test/lsp` where this file runs once compiled. */
export const repoRoot = resolve(__dirname, '..', '..', '..');
export const serverPath = resolve(repoRoot, 'dist', 'server.js');

/** How long any single answer from the server may take before a test fails instead of hanging. */
export const DEFAULT_TIMEOUT = 5000;

/** Rejects with a message naming what was awaited when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Offsets of each line start, counting `\n`, `\r\n` and a lone `\r` as line ends, as LSP does. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r') {
      if (text[i + 1] === '\n') i++;
      starts.push(i + 1);
    } else if (ch === '\n') {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The UTF-16 offset of an LSP position; characters past a line's end clamp to it, as LSP says. */
export function offsetAt(text: string, position: Position, starts = lineStarts(text)): number {
  if (position.line >= starts.length) return text.length;
  if (position.line < 0) return 0;
  const start = starts[position.line];
  const next = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  let end = next;
  // The line's content stops before its line break (`\n`, `\r\n` or `\r`).
  if (position.line + 1 < starts.length) {
    if (end > start && text[end - 1] === '\n') end--;
    if (end > start && text[end - 1] === '\r') end--;
  }
  return Math.min(start + Math.max(0, position.character), end);
}

/** The number of lines LSP sees in `text` (an empty last line counts). */
export function lineCount(text: string): number {
  return lineStarts(text).length;
}

/**
 * Applies TextEdits the way an editor applies a WorkspaceEdit: every range refers to the original
 * text, edits must not overlap, and inserts at the same position keep their order.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const spans = edits.map((edit, index) => ({
    start: offsetAt(text, edit.range.start, starts),
    end: offsetAt(text, edit.range.end, starts),
    newText: edit.newText,
    index,
  }));
  for (const s of spans) {
    if (s.end < s.start) throw new Error(`edit ${s.index} has its end before its start`);
  }
  const ordered = [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].start < ordered[i - 1].end) throw new Error(`edits ${ordered[i - 1].index} and ${ordered[i].index} overlap`);
  }
  let result = '';
  let cursor = 0;
  for (const s of ordered) {
    result += text.slice(cursor, s.start) + s.newText;
    cursor = s.end;
  }
  return result + text.slice(cursor);
}

/** The edits a WorkspaceEdit makes to one document, from `changes` or `documentChanges`. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  const fromChanges = edit.changes?.[uri] ?? [];
  const fromDocumentChanges = (edit.documentChanges ?? []).flatMap((change) =>
    'textDocument' in change && change.textDocument.uri === uri ? (change.edits as TextEdit[]) : [],
  );
  return [...fromChanges, ...fromDocumentChanges];
}

/** Whether a range lies inside a document of `text`, as a well-behaved server must keep it. */
export function rangeInside(range: Range, text: string): boolean {
  const lines = lineCount(text);
  const ok = (p: Position) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lines;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

interface OpenDocument {
  languageId: string;
  version: number;
  text: string;
}

interface DiagnosticsWaiter {
  uri: string;
  version: number | undefined | 'any';
  resolve: (params: PublishDiagnosticsParams) => void;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the client answers to `workspace/configuration` for the `shipshape` section. */
export const defaultSettings = { enable: true, rules: {} as Record<string, string>, trustedRegistries: [] as string[] };

/**
 * A minimal LSP client, as an editor would be: it starts `dist/server.js --stdio`, declares
 * configuration pull and dynamic registration, answers the server's requests, keeps the text of
 * the documents it opened, and lets tests wait for the diagnostics of a given document version.
 */
export class TestClient {
  readonly connection: ProtocolConnection;
  readonly documents = new Map<string, OpenDocument>();
  readonly configurationRequests: ConfigurationParams[] = [];
  readonly registrations: Registration[] = [];
  readonly logMessages: string[] = [];
  readonly exited: Promise<ServerExit>;
  /** Everything the server wrote to stderr, for failure messages. */
  stderr = '';
  /** The `shipshape` section the client reports; tests change it and send didChangeConfiguration. */
  settings: unknown = defaultSettings;
  initializeResult: InitializeResult | undefined;
  private exit: ServerExit | undefined;
  private readonly waiters: DiagnosticsWaiter[] = [];
  private readonly registrationWaiters: { method: string; resolve: (r: Registration) => void }[] = [];

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    // Writing to a server that has gone away must fail the test that did it, not crash the runner.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolveExit(this.exit);
      });
    });

    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'shipshape' ? structuredClone(this.settings) : null));
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      for (const registration of params.registrations) {
        this.registrations.push(registration);
        for (const waiter of this.registrationWaiters.filter((w) => w.method === registration.method)) {
          this.registrationWaiters.splice(this.registrationWaiters.indexOf(waiter), 1);
          waiter.resolve(registration);
        }
      }
      return null;
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      for (const waiter of [...this.waiters]) {
        if (waiter.uri !== params.uri) continue;
        if (waiter.version !== 'any' && waiter.version !== params.version) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => this.logMessages.push(params.message));
    this.connection.onNotification(ShowMessageNotification.type, (params) => this.logMessages.push(params.message));
    this.connection.listen();
  }

  /** Starts the built server and completes the initialize handshake. */
  static async start(options: { execArgv?: string[]; workspaceFolder?: string; initializationOptions?: unknown; command?: string[] } = {}): Promise<TestClient> {
    // `command`: another way to start the server, such as an installed package's bin.
    const [program, ...args] = options.command ?? [process.execPath, ...(options.execArgv ?? []), serverPath, '--stdio'];
    const child = spawn(program, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(child);
    const initialize = client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'shipshape-protocol-test' },
      rootUri: null,
      initializationOptions: options.initializationOptions,
      workspaceFolders: options.workspaceFolder ? [{ uri: pathToFileURL(options.workspaceFolder).href, name: 'workspace' }] : null,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } },
        },
      },
    });
    try {
      client.initializeResult = await withTimeout(
        Promise.race([initialize, client.exited.then((e) => Promise.reject(new Error(`server exited during initialize: ${JSON.stringify(e)}\n${client.stderr}`)))]),
        DEFAULT_TIMEOUT,
        'the initialize response',
      );
    } catch (error) {
      // Nobody else holds this client yet: end its server, or the test process never exits.
      await client.dispose();
      throw error;
    }
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Whether the server process is still running. */
  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The next publication for `uri` (for `version`, or with no version when `undefined`), counting
   * only publications that arrive after this call. Register before sending what triggers it.
   */
  nextDiagnostics(uri: string, version: number | undefined | 'any', timeout = DEFAULT_TIMEOUT): Promise<PublishDiagnosticsParams> {
    const arrived = new Promise<PublishDiagnosticsParams>((resolveWaiter) => this.waiters.push({ uri, version, resolve: resolveWaiter }));
    const exited = this.exited.then((e) => Promise.reject(new Error(`server exited (${JSON.stringify(e)}) while waiting for diagnostics\n${this.stderr}`)));
    return withTimeout(Promise.race([arrived, exited]), timeout, `publishDiagnostics for ${uri} version ${String(version)}`);
  }

  /** Resolves when the server registers a capability for `method` (or has already done so). */
  registration(method: string, timeout = DEFAULT_TIMEOUT): Promise<Registration> {
    const existing = this.registrations.find((r) => r.method === method);
    if (existing) return Promise.resolve(existing);
    return withTimeout(new Promise((resolveWaiter) => this.registrationWaiters.push({ method, resolve: resolveWaiter })), timeout, `client/registerCapability for ${method}`);
  }

  /** Opens a document and resolves with the diagnostics published for its first version. */
  async open(uri: string, languageId: string, text: string, timeout = DEFAULT_TIMEOUT): Promise<Diagnostic[]> {
    const version = 1;
    this.documents.set(uri, { languageId, version, text });
    const published = this.nextDiagnostics(uri, version, timeout);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return (await published).diagnostics;
  }

  /** Replaces a document's whole text as a new version and resolves with that version's diagnostics. */
  async replace(uri: string, text: string): Promise<Diagnostic[]> {
    return this.change(uri, text, [{ text }]);
  }

  /**
   * Applies `edits` (ranges in the current text) and sends them as incremental changes, last
   * first so that each change's range is still valid when the server applies it.
   */
  async edit(uri: string, edits: readonly TextEdit[]): Promise<Diagnostic[]> {
    const document = this.document(uri);
    const text = applyTextEdits(document.text, edits);
    const starts = lineStarts(document.text);
    const changes: TextDocumentContentChangeEvent[] = edits
      .map((edit, index) => ({ edit, index, offset: offsetAt(document.text, edit.range.start, starts) }))
      .sort((a, b) => b.offset - a.offset || b.index - a.index)
      .map(({ edit }) => ({ range: edit.range, text: edit.newText }));
    return this.change(uri, text, changes);
  }

  /** Applies the part of a WorkspaceEdit that touches `uri`, as an editor applying a code action. */
  async applyWorkspaceEdit(uri: string, edit: WorkspaceEdit | undefined, incremental = false): Promise<Diagnostic[]> {
    const edits = editsFor(edit, uri);
    if (edits.length === 0) throw new Error(`the workspace edit changes nothing in ${uri}`);
    return incremental ? this.edit(uri, edits) : this.replace(uri, applyTextEdits(this.document(uri).text, edits));
  }

  private async change(uri: string, text: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const document = this.document(uri);
    document.version += 1;
    document.text = text;
    const published = this.nextDiagnostics(uri, document.version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: document.version }, contentChanges });
    return (await published).diagnostics;
  }

  /** Closes a document and resolves once the server has cleared its diagnostics. */
  async close(uri: string): Promise<PublishDiagnosticsParams> {
    this.documents.delete(uri);
    const cleared = this.nextDiagnostics(uri, undefined);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return cleared;
  }

  document(uri: string): OpenDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /** Tells the server the settings changed; with configuration pull it asks for them again. */
  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.request(
      this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }),
      `codeAction in ${uri}`,
    );
    return (result ?? []).map((item: CodeAction | Command) => {
      if (!('kind' in item) && !('edit' in item) && typeof (item as Command).command === 'string') throw new Error(`server returned a bare Command: ${JSON.stringify(item)}`);
      return item as CodeAction;
    });
  }

  hover(uri: string, position: Position, timeout = DEFAULT_TIMEOUT): Promise<Hover | null> {
    return this.request(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), `hover in ${uri}`, timeout);
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionItem[] | CompletionList | null = await this.request(
      this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
      `completion in ${uri}`,
    );
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  /** Any request by its method name (definition, rename, formatting…), with the same timeout as the others. */
  send<T>(method: string, params: unknown, timeout = DEFAULT_TIMEOUT): Promise<T> {
    return this.request(this.connection.sendRequest(method, params) as Promise<T>, `${method} in ${JSON.stringify((params as { textDocument?: { uri?: string } })?.textDocument?.uri ?? '')}`, timeout);
  }

  /** The orderly end of a session: `shutdown`, then `exit`; resolves with how the process ended. */
  async shutdown(timeout = DEFAULT_TIMEOUT): Promise<{ shutdownResult: unknown; exit: ServerExit }> {
    const shutdownResult = await this.request(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response', timeout);
    await this.connection.sendNotification(ExitNotification.type);
    const exit = await withTimeout(this.exited, timeout, 'the server process to exit');
    return { shutdownResult, exit };
  }

  /** Ends whatever is left of the session; kills only this client's own server process. */
  async dispose(): Promise<void> {
    this.connection.dispose();
    if (this.running) {
      this.child.kill();
      await withTimeout(this.exited, DEFAULT_TIMEOUT, 'the killed server process to exit').catch(() => undefined);
    }
  }

  private request<T>(promise: Promise<T>, what: string, timeout = DEFAULT_TIMEOUT): Promise<T> {
    const exited = this.exited.then((e) => Promise.reject(new Error(`server exited (${JSON.stringify(e)}) while waiting for ${what}\n${this.stderr}`)));
    return withTimeout(Promise.race([promise, exited]), timeout, what);
  }
}
