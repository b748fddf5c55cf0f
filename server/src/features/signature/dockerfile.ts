import type { ParameterInformation, Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver-types';
import type { Heredoc } from 'dockerfile-ast';
import type { DockerInstruction } from '../../dockerfile/parse';
import type { DockerfileContext } from '../../service';
import { instructionDoc, referenceLink, type InstructionDoc } from '../hover/dockerfileReference';
import { within } from '../hover/dockerfileScope';

/*
 * Signature help for the arguments of a Dockerfile instruction: which one the cursor is on, from
 * the reference data (features/hover/dockerfileReference.ts) that completion and hover read.
 *
 * Ours rather than rcjsuen's computeSignatureHelp, which is right on plain cases but:
 * - `HEALTHCHECK --interval=5s |` stays on `[flags]` when the next word is CMD;
 * - `COPY <<EOF |` (a heredoc source) points at `…` (another source) where `COPY a |` points at
 *   `dest`, so the same position answers differently with a heredoc;
 * - `RUN --mount=…` shows the signatures without flags (it knows no RUN flags).
 */

export function signatureDockerfile(context: DockerfileContext, position: Position): SignatureHelp | null {
  const { model } = context;
  const instruction = model.instructions.find((i) => within(i.range, position));
  if (!instruction || within(instruction.keywordRange, position) || inHeredocBody(instruction, position)) return null;
  const document = model.document;
  const upTo = document.getText().slice(document.offsetAt(instruction.keywordRange.end), document.offsetAt(position));
  // Continuation lines read as one line, as Docker reads them.
  const joined = upTo.split(model.escape + '\n').join(' ').split(model.escape + '\r\n').join(' ');
  if (!/^\s/.test(joined)) return null;
  const word = /\S*$/.exec(joined)![0];
  let tokens = joined.slice(0, joined.length - word.length).trim().split(/\s+/).filter(Boolean);
  let keyword = instruction.keyword;
  if (keyword === 'ONBUILD' && tokens.length > 0 && instructionDoc(tokens[0]) && !/^(ONBUILD|FROM|MAINTAINER)$/i.test(tokens[0])) {
    keyword = tokens[0].toUpperCase();
    tokens = tokens.slice(1);
  }
  const doc = instructionDoc(keyword);
  if (!doc) return null;
  const flagsDone = tokens.filter((t) => !t.startsWith('--'));
  const onFlag = flagsDone.length === 0 && word.startsWith('-');
  const positional = flagsDone.length;
  const rest = [...flagsDone, word].join(' ');
  const { signature, parameter } = active(doc, { onFlag, positional, word, rest, flags: doc.flags.length > 0 });
  return {
    signatures: doc.signatures.map((s) => signatureInformation(doc, s)),
    activeSignature: signature,
    activeParameter: parameter,
  };
}

interface Cursor {
  onFlag: boolean;
  /** Arguments (not flags) before the word under the cursor. */
  positional: number;
  word: string;
  /** The arguments after the flags, the word included. */
  rest: string;
  flags: boolean;
}

/** Which signature and parameter the cursor is on. */
function active(doc: InstructionDoc, cursor: Cursor): { signature: number; parameter: number } {
  const { positional, word } = cursor;
  const withFlags = (n: number) => (cursor.onFlag ? 0 : n + 1);
  switch (doc.keyword) {
    case 'FROM': return { signature: 0, parameter: cursor.onFlag ? 0 : Math.min(positional, 2) + 1 };
    case 'RUN': return { signature: cursor.rest.trimStart().startsWith('[') ? 1 : 0, parameter: withFlags(0) };
    case 'CMD':
    case 'ENTRYPOINT': return { signature: cursor.rest.trimStart().startsWith('[') || cursor.rest.trim() === '' ? 0 : 1, parameter: 0 };
    case 'COPY':
    case 'ADD': return { signature: 0, parameter: cursor.onFlag ? 0 : positional === 0 ? 1 : 3 };
    case 'HEALTHCHECK':
      if (/^N/i.test(cursor.rest.trim())) return { signature: 1, parameter: 0 };
      return { signature: 0, parameter: cursor.onFlag ? 0 : Math.min(positional, 1) + 1 };
    case 'ARG': return { signature: 0, parameter: positional > 0 ? 2 : word.includes('=') ? 1 : 0 };
    case 'USER': return { signature: 0, parameter: word.includes(':') ? 1 : 0 };
    case 'LABEL':
    case 'ENV':
    case 'EXPOSE':
    case 'VOLUME':
    case 'ONBUILD': return { signature: 0, parameter: Math.min(positional, 1) };
    default: return { signature: 0, parameter: 0 };
  }
}

/** Parameters as offsets into the label (a repeated word such as `…` must point at the right one). */
function signatureInformation(doc: InstructionDoc, signature: InstructionDoc['signatures'][number]): SignatureInformation {
  let from = 0;
  const parameters: ParameterInformation[] = signature.parameters.map((p) => {
    const start = signature.label.indexOf(p.label, from);
    const at = start < 0 ? signature.label.indexOf(p.label) : start;
    from = at + p.label.length;
    return { label: [at, at + p.label.length] as [number, number], documentation: { kind: 'markdown', value: p.what } };
  });
  return { label: signature.label, documentation: { kind: 'markdown', value: `${doc.what}\n\n[Dockerfile reference: ${doc.keyword}](${referenceLink(doc.keyword)})` }, parameters };
}

function inHeredocBody(instruction: DockerInstruction, position: Position): boolean {
  if (instruction.heredocs.length === 0) return false;
  const heredocs = (instruction.ast as unknown as { getHeredocs?(): Heredoc[] }).getHeredocs?.() ?? [];
  return heredocs.some((h) => position.line > h.getStartRange().end.line && position.line <= (h.getDelimiterRange()?.end.line ?? instruction.range.end.line));
}
