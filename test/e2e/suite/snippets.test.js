// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite with require() */
// Every snippet the extension contributes, inserted by name in a document of its language, the
// way a keybinding or another extension would: `editor.action.insertSnippet` with
// `{ langId, name }` looks the snippet up among those VS Code registered for that language, so
// this proves the manifest's `contributes.snippets` (paths and language ids) and each body.
// The list is read from the loaded extension's manifest, so snippets added later are covered.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { extension, openUntitled, revertAndClose, waitForText } = require('./helpers');

/**
 * @typedef {{ kind: 'text', text: string } | { kind: 'tabstop', index: number, children: Node[] }
 *   | { kind: 'choice', index: number, first: string } | { kind: 'variable' }} Node
 */

/**
 * Parses a snippet body (TextMate/VS Code snippet syntax) far enough to know the text it inserts
 * with every placeholder at its default: `$1`, `${1}`, `${1:default}`, `${1|first,second|}`,
 * variables (`$TM_FILENAME`, `${NAME:default}`, transforms), and `\$`, `\}`, `\\` escapes.
 * @param {string} body
 * @returns {Node[]}
 */
function parseSnippet(body) {
  let i = 0;
  /** @param {boolean} inside @returns {Node[]} */
  const parse = (inside) => {
    /** @type {Node[]} */
    const nodes = [];
    const text = (/** @type {string} */ t) => nodes.push({ kind: 'text', text: t });
    while (i < body.length) {
      const ch = body[i];
      if (ch === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
        text(body[i + 1]);
        i += 2;
      } else if (inside && ch === '}') {
        return nodes;
      } else if (ch === '$') {
        const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(body.slice(i));
        if (simple) {
          i += simple[0].length;
          nodes.push(/^\d/.test(simple[1]) ? { kind: 'tabstop', index: Number(simple[1]), children: [] } : { kind: 'variable' });
          continue;
        }
        const braced = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([:|/}])/.exec(body.slice(i));
        if (!braced) {
          text('$');
          i += 1;
          continue;
        }
        i += braced[0].length;
        const [, name, sep] = braced;
        const isTabstop = /^\d/.test(name);
        if (sep === '}') {
          nodes.push(isTabstop ? { kind: 'tabstop', index: Number(name), children: [] } : { kind: 'variable' });
        } else if (sep === ':') {
          const children = parse(true);
          i += 1; // the closing brace
          nodes.push(isTabstop ? { kind: 'tabstop', index: Number(name), children } : { kind: 'variable' });
        } else if (sep === '|') {
          const end = body.indexOf('|}', i);
          assert.ok(end >= 0, `unterminated choice in ${JSON.stringify(body)}`);
          const first = body.slice(i, end).split(/(?<!\\),/)[0].replace(/\\([,|\\])/g, '$1');
          i = end + 2;
          nodes.push({ kind: 'choice', index: Number(name), first });
        } else {
          // A transform: ${NAME/regex/format/options}; its result is not predicted.
          let depth = 1;
          while (i < body.length && depth > 0) {
            if (body[i] === '\\') i += 1;
            else if (body[i] === '{') depth += 1;
            else if (body[i] === '}') depth -= 1;
            i += 1;
          }
          nodes.push({ kind: 'variable' });
        }
      } else {
        text(ch);
        i += 1;
      }
    }
    return nodes;
  };
  return parse(false);
}

/**
 * A regular expression for the text a body inserts with placeholders at their defaults. A tab
 * stop repeated without a default (a mirror) shows its first default; variables match anything.
 * @param {string} body
 */
function expectedPattern(body) {
  const nodes = parseSnippet(body);
  /** @type {Map<number, Node[]>} */
  const defaults = new Map();
  /** @param {Node[]} list */
  const collect = (list) => {
    for (const node of list) {
      if (node.kind === 'choice' && !defaults.has(node.index)) defaults.set(node.index, [{ kind: 'text', text: node.first }]);
      if (node.kind === 'tabstop') {
        if (node.children.length && !defaults.has(node.index)) defaults.set(node.index, node.children);
        collect(node.children);
      }
    }
  };
  collect(nodes);
  const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** @param {Node[]} list @returns {string} */
  const render = (list) => list.map((node) => {
    switch (node.kind) {
      case 'text': return escape(node.text);
      case 'variable': return '[\\s\\S]*?';
      case 'choice': return escape(node.first);
      case 'tabstop': return render(node.children.length ? node.children : defaults.get(node.index) ?? []);
    }
    return '';
  }).join('');
  return new RegExp(`^${render(nodes)}$`);
}

/** @typedef {{ language: string, file: string, name: string, body: string }} ContributedSnippet */

/** Every snippet in every snippet file the extension's manifest contributes. @returns {ContributedSnippet[]} */
function contributedSnippets() {
  const ext = extension();
  /** @type {{ language: string, path: string }[]} */
  const files = ext.packageJSON.contributes?.snippets ?? [];
  assert.ok(files.length > 0, 'the manifest contributes no snippets');
  /** @type {ContributedSnippet[]} */
  const snippets = [];
  for (const file of files) {
    const full = path.join(ext.extensionPath, file.path);
    let json;
    try {
      json = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the snippet file ${file.path} (${file.language}): ${/** @type {Error} */ (error).message}`);
    }
    for (const [name, snippet] of Object.entries(json)) {
      const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : String(snippet.body);
      snippets.push({ language: file.language, file: file.path, name, body });
    }
  }
  return snippets;
}

suite('Snippets', () => {
  // Read when mocha loads the suite, so each snippet is its own test; a manifest problem becomes
  // one failing test instead of a suite that silently has none.
  /** @type {ContributedSnippet[]} */
  let snippets = [];
  /** @type {Error | undefined} */
  let manifestError;
  try {
    snippets = contributedSnippets();
  } catch (error) {
    manifestError = /** @type {Error} */ (error);
  }
  if (manifestError) {
    const error = manifestError;
    test('the manifest contributes readable snippet files', () => {
      throw error;
    });
  }

  test('both languages contribute snippets', () => {
    const languages = new Set(snippets.map((s) => s.language));
    assert.ok(languages.has('dockerfile') && languages.has('dockercompose'), `snippets for: ${[...languages].join(', ')}`);
  });

  for (const snippet of snippets) {
    test(`inserts "${snippet.name}" (${snippet.language}, ${snippet.file}) by name`, async () => {
      const { document } = await openUntitled(snippet.language, '');
      assert.equal(document.languageId, snippet.language);
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: snippet.language, name: snippet.name });
      const text = await waitForText(document, (t) => t.length > 0, `"${snippet.name}" to be inserted (insertSnippet finds no snippet by that name and language)`);
      await vscode.commands.executeCommand('leaveSnippet');
      const pattern = expectedPattern(snippet.body);
      assert.match(text.replace(/\r\n/g, '\n'), pattern, `"${snippet.name}" inserted text that is not its body with the placeholders at their defaults`);
      await revertAndClose(document);
    });
  }

  // Completion after `HEALTHCHECK ` offers probes the final stage's image can run: pg_isready on
  // postgres, wget rather than curl on Alpine.
  test('completion offers a healthcheck fitted to the image', async () => {
    /** @param {vscode.CompletionItem} item */
    const inserted = (item) => (typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? '');
    const cases = [
      { image: 'postgres:16', label: 'HEALTHCHECK for postgres', text: 'pg_isready', absent: 'curl' },
      { image: 'node:22-alpine', label: 'HEALTHCHECK with wget --spider', text: 'wget -q --spider http://localhost:', absent: 'curl' },
    ];
    for (const c of cases) {
      const { document } = await openUntitled('dockerfile', `FROM ${c.image}\nEXPOSE 3000\nHEALTHCHECK \nCMD start.sh\n`);
      try {
        // Asked again until the server is up and answers with its HEALTHCHECK items (the document
        // may have no finding to wait for: on Alpine a one-command shell-form CMD is exec'd).
        /** @type {vscode.CompletionItem[]} */
        let ours = [];
        const deadline = Date.now() + 30_000;
        while (ours.length === 0 && Date.now() < deadline) {
          /** @type {vscode.CompletionList} */
          const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(2, 12));
          ours = list.items.filter((i) => String(typeof i.label === 'string' ? i.label : i.label.label).startsWith('HEALTHCHECK '));
          if (ours.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        assert.equal(labels[0], c.label, `${c.image}: ${labels.join(', ')}`);
        assert.ok(inserted(ours[0]).includes(c.text), inserted(ours[0]));
        assert.ok(!labels.some((l) => l.includes(c.absent)), `${c.image} offered ${c.absent}: ${labels.join(', ')}`);
      } finally {
        await revertAndClose(document);
      }
    }
  });
});
