import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { Rule } from '../rules/types';
import type { Model } from '../service';

/** "Ignore <rule> for this line" and "… in this file", as comments the service honours. */
export function ignoreActions(model: Model, rule: Rule, diagnostic: Diagnostic, uri: string): CodeAction[] {
  const make = (title: string, edit: TextEdit): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: [edit] } },
  });
  return [
    make(`Ignore ${rule.id} for this line`, lineIgnore(model, rule, diagnostic.range.start.line)),
    make(`Ignore ${rule.id} in this file`, fileIgnore(model, rule)),
  ];
}

function lineText(model: Model, line: number): string {
  return model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
}

function eol(model: Model): string {
  return model.document.getText().includes('\r\n') ? '\r\n' : '\n';
}

/** A comment line above the instruction (Dockerfile) or YAML node (Compose) the finding is on. */
function lineIgnore(model: Model, rule: Rule, findingLine: number): TextEdit {
  let line = findingLine;
  if (model.kind === 'dockerfile') {
    const instruction = model.instructions.find((i) => i.range.start.line <= findingLine && findingLine <= i.range.end.line);
    if (instruction) line = instruction.range.start.line;
  }
  const indent = /^\s*/.exec(lineText(model, line))![0];
  const position = { line, character: 0 };
  return { range: { start: position, end: position }, newText: `${indent}# shipshape-ignore ${rule.id}${eol(model)}` };
}

/** A file-wide comment at the top: after parser directives in a Dockerfile, which must stay first. */
function fileIgnore(model: Model, rule: Rule): TextEdit {
  const line = model.kind === 'dockerfile' && model.directives.length > 0
    ? Math.max(...model.directives.map((d) => d.range.end.line)) + 1
    : 0;
  const position = { line, character: 0 };
  const atEnd = line >= model.document.lineCount;
  return { range: { start: position, end: position }, newText: `${atEnd ? eol(model) : ''}# shipshape-ignore-file ${rule.id}${atEnd ? '' : eol(model)}` };
}
