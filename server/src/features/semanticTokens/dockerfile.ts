import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Argument, Flag, Heredoc, Instruction } from 'dockerfile-ast';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { PLATFORM_ARGS, PROXY_ARGS } from '../hover/dockerfileReference';

/*
 * Semantic tokens for a Dockerfile: instructions, flags and `--mount` options, variables (their
 * declarations and uses), stage names, image references, parser directives and heredoc
 * delimiters. Heredoc bodies get no tokens, so the editor's grammar keeps colouring the script.
 *
 * Ours rather than rcjsuen's computeSemanticTokens, which colours a heredoc's body word by word as
 * "parameter" (so the script inside `RUN <<EOF` loses the shell grammar's colours under semantic
 * highlighting), gives the heredoc delimiters the same "parameter" as any argument, and marks a
 * `--from=stage` and `--mount` option values as "property" rather than the stage they name.
 */

export const TOKEN_TYPES = ['keyword', 'parameter', 'property', 'variable', 'namespace', 'class', 'macro', 'string'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'deprecated'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const dockerfileTokensLegend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

export interface Token {
  line: number;
  character: number;
  length: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

const AUTOMATIC = new Set([...PLATFORM_ARGS.map((a) => a.name), ...PROXY_ARGS]);

type Node = Instruction & {
  getFlags?(): Flag[];
  getHeredocs?(): Heredoc[];
  getProperties?(): { getNameRange(): Range }[];
  getProperty?(): { getNameRange(): Range } | null;
  getSubcommand?(): Argument | null;
  getTriggerInstruction?(): Instruction | null;
};

/** The tokens of a Dockerfile, in document order, none overlapping, each on one line. */
export function dockerfileTokens(model: DockerfileModel): Token[] {
  const tokens: Token[] = [];
  const push = (range: Range | null | undefined, type: TokenType, modifiers: TokenModifier[] = []) => {
    if (!range || range.start.line !== range.end.line || range.end.character <= range.start.character) return;
    tokens.push({ line: range.start.line, character: range.start.character, length: range.end.character - range.start.character, type, modifiers });
  };
  for (const directive of model.directives) {
    const text = model.document.getText(directive.range);
    const match = /^(\s*#\s*)([A-Za-z]+)(\s*=\s*)(.*?)\s*$/.exec(text);
    if (!match) continue;
    const { line, character } = directive.range.start;
    const nameAt = character + match[1].length;
    push({ start: { line, character: nameAt }, end: { line, character: nameAt + match[2].length } }, 'macro');
    const valueAt = nameAt + match[2].length + match[3].length;
    push({ start: { line, character: valueAt }, end: { line, character: valueAt + match[4].length } }, 'string');
  }
  for (const instruction of model.instructions) instructionTokens(model, instruction, push);
  return resolveOverlaps(tokens);
}

type Push = (range: Range | null | undefined, type: TokenType, modifiers?: TokenModifier[]) => void;

function instructionTokens(model: DockerfileModel, instruction: DockerInstruction, push: Push): void {
  const node = instruction.ast as Node;
  push(instruction.keywordRange, 'keyword', instruction.keyword === 'MAINTAINER' ? ['deprecated'] : []);
  const heredocs = node.getHeredocs?.() ?? [];
  const bodies = heredocs.map((h) => ({ from: h.getStartRange().end.line + 1, to: (h.getDelimiterRange()?.end.line ?? instruction.range.end.line) - 1 }));
  const inBody = (range: Range) => bodies.some((b) => range.start.line >= b.from && range.start.line <= b.to);
  flagTokens(model, node, push);
  if (instruction.keyword === 'FROM') fromTokens(model, instruction, push);
  if (instruction.keyword === 'HEALTHCHECK') {
    const sub = node.getSubcommand?.();
    if (sub && /^(CMD|NONE)$/i.test(sub.getValue())) push(sub.getRange(), 'keyword');
  }
  if (instruction.keyword === 'ONBUILD') {
    const trigger = node.getTriggerInstruction?.();
    if (trigger) {
      push(trigger.getInstructionRange(), 'keyword');
      flagTokens(model, trigger as Node, push);
    }
  }
  if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
    const properties = node.getProperties?.() ?? (node.getProperty?.() ? [node.getProperty!()!] : []);
    for (const p of properties) push(p.getNameRange(), 'variable', ['declaration']);
  }
  for (const h of heredocs) {
    push(h.getStartRange(), 'string');
    push(h.getDelimiterRange(), 'string');
  }
  // Variables: not in heredoc bodies (a script's own variables are the shell grammar's to colour).
  for (const v of node.getVariables()) {
    const range = v.getRange();
    if (inBody(range)) continue;
    push(range, 'variable', AUTOMATIC.has(v.getName()) ? ['defaultLibrary'] : []);
  }
}

function flagTokens(model: DockerfileModel, node: Node, push: Push): void {
  for (const flag of node.getFlags?.() ?? []) {
    const nameRange = flag.getNameRange();
    // `--` and the name.
    push({ start: { line: nameRange.start.line, character: nameRange.start.character - 2 }, end: nameRange.end }, 'parameter');
    const name = flag.getName().toLowerCase();
    if (name === 'mount') {
      for (const option of flag.getOptions()) {
        push(option.getNameRange(), 'property');
        if (option.getName().toLowerCase() === 'from') stageOrImage(model, option.getValue(), option.getValueRange(), push);
      }
    } else if (name === 'from') {
      stageOrImage(model, flag.getValue(), flag.getValueRange(), push);
    }
    // Variables in flag values (`--platform=$BUILDPLATFORM`) are not in getVariables().
    const value = flag.getValueRange();
    if (value && value.start.line === value.end.line) {
      const text = model.document.getText(value);
      for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
        const at = value.start.character + m.index!;
        push({ start: { line: value.start.line, character: at }, end: { line: value.start.line, character: at + m[0].length } }, 'variable', AUTOMATIC.has(m[1]) ? ['defaultLibrary'] : []);
      }
    }
  }
}

/** A `--from` value: a stage of this file, else an image. */
function stageOrImage(model: DockerfileModel, value: string | null, range: Range | null, push: Push): void {
  if (!value || !range) return;
  const lower = value.toLowerCase();
  const stage = model.stages.some((s) => !s.implicit && (s.name?.toLowerCase() === lower || String(s.index) === value));
  push(range, stage ? 'namespace' : 'class');
}

function fromTokens(model: DockerfileModel, instruction: DockerInstruction, push: Push): void {
  const stage = model.stages.find((s) => s.from === instruction);
  if (!stage) return;
  if (stage.base.text) push(stage.base.range, stage.base.stageRef !== null ? 'namespace' : 'class');
  if (stage.nameRange) {
    // `AS` between the image and the name.
    const line = stage.nameRange.start.line;
    const text = model.document.getText({ start: { line, character: 0 }, end: stage.nameRange.start });
    const as = /\b(as)\s+$/i.exec(text);
    if (as) push({ start: { line, character: as.index }, end: { line, character: as.index + 2 } }, 'keyword');
    push(stage.nameRange, 'namespace', ['declaration']);
  }
}

/**
 * Sorted, without overlaps: a variable inside an image reference (`alpine:${TAG}`) splits the
 * image's token around it; otherwise the earlier token wins.
 */
function resolveOverlaps(tokens: Token[]): Token[] {
  const variables = tokens.filter((t) => t.type === 'variable');
  const split: Token[] = [];
  for (const token of tokens) {
    if (token.type !== 'class' && token.type !== 'namespace' && token.type !== 'string') {
      split.push(token);
      continue;
    }
    let start = token.character;
    const end = token.character + token.length;
    const inside = variables.filter((v) => v.line === token.line && v.character >= start && v.character < end).sort((a, b) => a.character - b.character);
    for (const v of inside) {
      if (v.character > start) split.push({ ...token, character: start, length: v.character - start });
      start = Math.max(start, v.character + v.length);
    }
    if (end > start) split.push({ ...token, character: start, length: end - start });
  }
  split.sort((a, b) => a.line - b.line || a.character - b.character || (a.type === 'variable' ? -1 : 1));
  const out: Token[] = [];
  for (const token of split) {
    const last = out[out.length - 1];
    if (last && last.line === token.line && token.character < last.character + last.length) continue;
    out.push(token);
  }
  return out;
}

/** The LSP encoding: five integers per token, positions relative to the previous token. */
export function encodeTokens(tokens: Token[]): SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const token of tokens) {
    const deltaLine = token.line - line;
    data.push(deltaLine, deltaLine === 0 ? token.character - character : token.character, token.length, TOKEN_TYPES.indexOf(token.type), token.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0));
    line = token.line;
    character = token.character;
  }
  return { data };
}

export function semanticTokensDockerfile(model: DockerfileModel): SemanticTokens {
  return encodeTokens(dockerfileTokens(model));
}
