import type { Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { sharedRule, type Reporter } from '../types';

const REPLACEMENT = '\uFFFD';

/**
 * U+FFFD (�) is what a UTF-8 decoder writes for bytes that are not valid UTF-8: the editor and
 * the CLI show it where the file holds, say, Latin-1 text. Docker reads Dockerfiles and Compose
 * files as UTF-8 (Compose's YAML parser refuses invalid bytes outright), and an editor that saves
 * the file writes the replacement character over the original bytes.
 */
function check(document: TextDocument, kind: 'Dockerfile' | 'Compose file', report: Reporter['report']): void {
  const text = document.getText();
  const first = text.indexOf(REPLACEMENT);
  if (first < 0) return;
  let count = 0;
  for (let i = first; i >= 0; i = text.indexOf(REPLACEMENT, i + 1)) count++;
  const start = document.positionAt(first);
  const range: Range = { start, end: { line: start.line, character: start.character + 1 } };
  const where = count === 1 ? `a U+FFFD replacement character (�) on line ${start.line + 1}` : `${count} U+FFFD replacement characters (�), the first on line ${start.line + 1}`;
  const consequence = kind === 'Compose file'
    ? 'Compose reads YAML as UTF-8 and stops at bytes that are not ("invalid UTF-8")'
    : 'BuildKit passes such bytes on to the build unchanged, so commands and paths differ from what is shown';
  report({
    range,
    message: `This ${kind} has ${where}, usually bytes that are not valid UTF-8 (text saved in another encoding): ${consequence}, and saving the file from the editor writes � over the original bytes. Convert the file to UTF-8.`,
  });
}

export default sharedRule({
  id: 'valid-utf8',
  aliases: [],
  title: 'Save the file as UTF-8',
  category: 'correctness',
  severity: 'warning',
  dockerfile: { check: ({ dockerfile, report }) => check(dockerfile.document, 'Dockerfile', report) },
  compose: { check: ({ compose, report }) => check(compose.document, 'Compose file', report) },
});
