// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Bad paths: a language server that crashes or hangs on a hostile file is visible to the user
// (the client restarts it a few times, then gives up). After opening binary junk named
// Dockerfile and a YAML alias bomb named compose.yaml, the same server process must still
// answer on a normal file.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { describe, fileUri, open, openUntitled, revertAndClose, shipshapeDiagnostics, waitForCodes, waitForNoCode } = require('./helpers');

/**
 * Deterministic junk: every byte value, invalid UTF-8, control characters, lone CRs and a very
 * long line. The first 1 KB has no NUL byte, because VS Code refuses to open a file as text when
 * it sees one there; later NULs reach the server as U+0000.
 */
function binaryJunk() {
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
  for (let i = 0; i < 1024; i++) if (bytes[i] === 0) bytes[i] = 0xfe;
  // A few things a Dockerfile parser looks for, between the junk.
  bytes.write('FROM \xff\xfe:\x01\r\nRUN \\\r\n\\\n', 100, 'latin1');
  return bytes;
}

/** A "billion laughs" document: nine levels of nine aliases, used where rules look. */
function aliasBomb() {
  const lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    lines.push(`x-${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  }
  lines.push('services:', '  web:', '    image: nginx:1.27', '    command: *i', '    environment: *i', '    depends_on: *i', '    volumes: *i');
  return lines.join('\n') + '\n';
}

/**
 * The language-server processes this extension host started (Linux: from /proc), to tell a
 * server that survived from one the client restarted after a crash.
 * @returns {number[] | undefined} undefined where /proc is not available
 */
function serverProcesses() {
  if (process.platform !== 'linux') return undefined;
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => /[\\/]dist[\\/]server\.js$/.test(arg))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.sort();
}

suite('Robustness', () => {
  /** @type {vscode.TextDocument[]} */
  const opened = [];
  teardown(async () => {
    for (const document of opened.splice(0)) await revertAndClose(document);
  });

  test('binary junk as a Dockerfile and an alias bomb as compose.yaml leave the server answering', async () => {
    const normal = await open('Dockerfile');
    opened.push(normal.document);
    await waitForCodes(normal.document.uri, ['exec-form-cmd']);
    const before = serverProcesses();
    if (before) assert.equal(before.length, 1, `expected one Shipshape server process, found ${JSON.stringify(before)}`);

    await vscode.workspace.fs.writeFile(fileUri('hostile/Dockerfile'), binaryJunk());
    await vscode.workspace.fs.writeFile(fileUri('hostile/compose.yaml'), Buffer.from(aliasBomb()));
    const junk = await open('hostile/Dockerfile');
    opened.push(junk.document);
    assert.equal(junk.document.languageId, 'dockerfile');
    const bomb = await open('hostile/compose.yaml');
    opened.push(bomb.document);
    assert.equal(bomb.document.languageId, 'dockercompose');

    // Requests on the hostile documents themselves are answered (or at least do not hang).
    await vscode.commands.executeCommand('vscode.executeHoverProvider', junk.document.uri, new vscode.Position(0, 0));
    await vscode.commands.executeCommand('vscode.executeHoverProvider', bomb.document.uri, new vscode.Position(12, 6));
    await vscode.commands.executeCommand('vscode.executeCodeActionProvider', bomb.document.uri, new vscode.Range(0, 0, 16, 0));

    // A document opened after them is linted: the server handles messages in order, so this
    // also means it got through the hostile ones.
    const after = await openUntitled('dockerfile', 'FROM node:20.11-bookworm\nCMD node server.js\n');
    opened.push(after.document);
    await waitForCodes(after.document.uri, ['exec-form-cmd']);
    // The alias bomb still gets the findings that do not need its expansion.
    const bombDiagnostics = shipshapeDiagnostics(bomb.document.uri);
    assert.ok(bombDiagnostics.every((d) => d.range.end.line < bomb.document.lineCount), `diagnostics outside the document:\n  ${describe(bombDiagnostics)}`);

    // An edit on the normal file is still re-linted.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(normal.document.uri, normal.document.lineAt(5).range, 'CMD ["node", "server.js"]');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForNoCode(normal.document.uri, 'exec-form-cmd');

    const now = serverProcesses();
    if (before && now) assert.deepEqual(now, before, 'the language server process changed: it crashed and the client restarted it');
  });
});

