import * as vscode from 'vscode';
import { CodeActionRequest, LanguageClient, TransportKind, type CodeAction as LspCodeAction, type Command as LspCommand, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

const SOURCE = 'shipshape';
const FIX_ALL_KIND = 'source.fixAll.shipshape';
const LANGUAGES = new Set(['dockerfile', 'dockercompose']);

/**
 * Starts the one language server for Dockerfiles and Compose files; everything else lives there.
 * The client adds only what needs the editor: the commands, the output channel, and forwarding
 * other extensions' diagnostics so the server can leave to them what they already show.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  // One channel says what the server does: its start, failures, and with `shipshape.trace.server`
  // set, every lint with its time and the messages exchanged.
  const output = vscode.window.createOutputChannel('Shipshape', { log: true });
  context.subscriptions.push(output);
  const clientOptions: LanguageClientOptions = {
    // Files on disk and unsaved editors only: not the `git:` side of a diff or other virtual views.
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'untitled', language: 'dockercompose' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      // Every Shipshape finding offers its rule's page, beside its fixes (as ESLint does).
      provideCodeActions: async (document, range, actionContext, token, next) => {
        const actions = (await next(document, range, actionContext, token)) ?? [];
        if (actionContext.only && !actionContext.only.contains(vscode.CodeActionKind.QuickFix)) return actions;
        const seen = new Set<string>();
        for (const diagnostic of actionContext.diagnostics) {
          const rule = ruleOf(diagnostic);
          if (!rule || seen.has(rule.id)) continue;
          seen.add(rule.id);
          const action = new vscode.CodeAction(`Show documentation for ${rule.id}`, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.command = { title: action.title, command: 'shipshape.showRuleDocumentation', arguments: [rule.id, rule.href] };
          actions.push(action);
        }
        return actions;
      },
    },
  };
  // The server steps back where another active extension already shows the same thing
  // (`shipshape.coexistence`): it is told which extensions are enabled, and when that changes.
  const peers = () => vscode.extensions.all.map((e) => e.id.toLowerCase());
  clientOptions.initializationOptions = { peers: peers() };
  client = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  const started = Date.now();
  await client.start();
  output.info(`Shipshape ${String(context.extension.packageJSON.version)}: language server running (started in ${Date.now() - started} ms); set shipshape.trace.server to "messages" to see each lint and its time`);
  context.subscriptions.push(vscode.extensions.onDidChange(() => void client?.sendNotification('shipshape/peers', { peers: peers() })));

  // Other extensions' diagnostics on Dockerfiles go to the server, which leaves out its own copy
  // of a problem a peer already shows (features/coexistence/dockerfile.ts). Only changes are sent.
  const forwarded = new Map<string, string>();
  const forward = (uri: vscode.Uri) => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!client?.isRunning() || document?.languageId !== 'dockerfile') return;
    const theirs = vscode.languages.getDiagnostics(uri).filter((d) => d.source && d.source !== SOURCE).map((d) => ({
      range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
      message: d.message,
      source: d.source,
      code: typeof d.code === 'object' ? d.code.value : d.code,
    }));
    const key = uri.toString();
    const payload = JSON.stringify(theirs);
    if ((forwarded.get(key) ?? '[]') === payload) return;
    forwarded.set(key, payload);
    void client.sendNotification('shipshape/peerDiagnostics', { uri: key, diagnostics: theirs });
  };
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((event) => event.uris.forEach(forward)),
    vscode.workspace.onDidOpenTextDocument((document) => forward(document.uri)),
    client.onDidChangeState(() => {
      // A restarted server knows nothing: send again what the peers show.
      forwarded.clear();
      for (const document of vscode.workspace.textDocuments) forward(document.uri);
    }),
  );
  for (const document of vscode.workspace.textDocuments) forward(document.uri);

  context.subscriptions.push(
    vscode.commands.registerCommand('shipshape.showRuleDocumentation', (id?: unknown, href?: unknown) => showRuleDocumentation(id, href)),
    vscode.commands.registerCommand('shipshape.restartServer', async () => {
      output.info('restarting the language server (Shipshape: Restart Language Server)');
      await client?.restart();
      output.info('language server restarted');
    }),
    vscode.commands.registerCommand('shipshape.fixAll', () => fixAll(output)),
    vscode.commands.registerCommand('shipshape.convertToMultiStage', () => convertToMultiStage(output)),
  );
}

/** The rule behind a Shipshape diagnostic: its id and its page, as the diagnostic links it. */
function ruleOf(diagnostic: vscode.Diagnostic): { id: string; href: string | undefined } | undefined {
  if (diagnostic.source !== SOURCE || diagnostic.code === undefined) return undefined;
  if (typeof diagnostic.code === 'object') return { id: String(diagnostic.code.value), href: diagnostic.code.target.toString() };
  return { id: String(diagnostic.code), href: undefined };
}

/**
 * Opens a rule's page the way the diagnostic's link does. Without arguments (from the command
 * palette): the rule of the Shipshape finding under the cursor, or one picked from the file's.
 */
async function showRuleDocumentation(id?: unknown, href?: unknown): Promise<string | undefined> {
  if (typeof id !== 'string' || typeof href !== 'string') {
    const editor = vscode.window.activeTextEditor;
    const findings = editor ? vscode.languages.getDiagnostics(editor.document.uri).filter((d) => ruleOf(d)?.href) : [];
    const here = editor ? findings.filter((d) => d.range.contains(editor.selection.active)) : [];
    const candidates = here.length > 0 ? here : findings;
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Shipshape: no Shipshape finding in the active editor to show the documentation of.');
      return undefined;
    }
    let chosen = candidates[0];
    if (new Set(candidates.map((d) => ruleOf(d)!.id)).size > 1) {
      const pick = await vscode.window.showQuickPick(candidates.map((d) => ({ label: ruleOf(d)!.id, description: `line ${d.range.start.line + 1}`, detail: d.message, diagnostic: d })), { placeHolder: 'The rule to show the documentation of' });
      if (!pick) return undefined;
      chosen = pick.diagnostic;
    }
    ({ id, href } = ruleOf(chosen)!);
  }
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(href as string));
  return href as string;
}

/** The Shipshape document in the active editor, or a message saying why there is none. */
function activeDocument(languages: Set<string>, what: string): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !languages.has(document.languageId)) {
    void vscode.window.showInformationMessage(`Shipshape: ${what} works on the ${languages.has('dockercompose') ? 'Dockerfile or Compose file' : 'Dockerfile'} in the active editor; open one first.`);
    return undefined;
  }
  return document;
}

/** Asks the server for the code actions of one kind over the whole document, disabled ones included. */
async function actionsOf(document: vscode.TextDocument, kind: string): Promise<(LspCodeAction | LspCommand)[]> {
  if (!client) return [];
  const end = document.lineAt(document.lineCount - 1).range.end;
  const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === SOURCE).map((d) => client!.code2ProtocolConverter.asDiagnostic(d));
  const result = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    range: { start: { line: 0, character: 0 }, end: { line: end.line, character: end.character } },
    context: { diagnostics, only: [kind] },
  });
  return result ?? [];
}

async function apply(action: LspCodeAction): Promise<boolean> {
  if (!client || !action.edit) return false;
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(action.edit);
  // A conversion that rests on assumptions carries change annotations: VS Code shows its
  // Refactor Preview for them before anything is written.
  return vscode.workspace.applyEdit(edit, { isRefactoring: true });
}

/** Returns whether an edit was applied (for tests and keybinding chains). */
async function fixAll(output: vscode.LogOutputChannel): Promise<boolean> {
  const document = activeDocument(LANGUAGES, 'Fix All Problems');
  if (!document) return false;
  const fix = (await actionsOf(document, FIX_ALL_KIND)).find((a): a is LspCodeAction => 'kind' in a && a.kind === FIX_ALL_KIND && a.edit !== undefined);
  if (!fix) {
    void vscode.window.showInformationMessage('Shipshape: nothing to fix automatically in this file.');
    return false;
  }
  const applied = await apply(fix);
  output.info(`Fix All Problems on ${document.uri.toString()}: ${applied ? 'applied' : 'not applied'}`);
  return applied;
}

/** Returns what happened: applied, or the reason it was not (for tests). */
async function convertToMultiStage(output: vscode.LogOutputChannel): Promise<{ applied: boolean; reason?: string }> {
  const document = activeDocument(new Set(['dockerfile']), 'Convert to Multi-Stage Build');
  if (!document) return { applied: false, reason: 'no Dockerfile in the active editor' };
  const actions = (await actionsOf(document, vscode.CodeActionKind.RefactorRewrite.value)).filter((a): a is LspCodeAction => 'kind' in a && /multi-stage/i.test(a.title));
  const convert = actions.find((a) => a.edit && !a.disabled);
  if (!convert) {
    const declined = actions.find((a) => a.disabled);
    const why = declined?.disabled
      ? `Shipshape does not convert this Dockerfile: ${declined.disabled.reason}.`
      : 'Shipshape has no conversion for this Dockerfile: it converts a single-stage Dockerfile that builds its app (one with a prefer-multi-stage finding), and this one has none.';
    output.info(`Convert to Multi-Stage Build on ${document.uri.toString()}: ${why}`);
    void vscode.window.showInformationMessage(why);
    return { applied: false, reason: why };
  }
  const applied = await apply(convert);
  output.info(`Convert to Multi-Stage Build on ${document.uri.toString()}: ${convert.title} ${applied ? 'applied' : 'not applied'}`);
  return { applied };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
