import { CompletionItemKind, CompletionItemTag, InsertTextFormat, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import type { Heredoc } from 'dockerfile-ast';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import type { DockerfileContext } from '../../service';
import { dockerfileLibrary } from '../dockerfile/library';
import { KNOWN_IMAGES } from './images';
import { products } from '../../data/endOfLife';
import { compareVersions, isLts, statusOf } from '../../text/lifecycle';
import { parseImageRef } from '../../text/image';
import { DIRECTIVES, INSTRUCTIONS, MOUNT_TYPES, PLATFORM_ARGS, instructionDoc, instructionMarkdown, flagMarkdown, type InstructionDoc } from '../hover/dockerfileReference';
import { stageAtLine, variablesAt, within, type ScopedVariable } from '../hover/dockerfileScope';

/*
 * Dockerfile completion: instructions (snippets), flags and `--mount` options, stage names,
 * variables in scope, parser directives and base images, from data Shipshape ships (no network).
 *
 * rcjsuen's library (dockerfile-language-service) is merged in only where it is right and we have
 * nothing better: the WORKDIR paths it offers as COPY/ADD destinations. On an empty line it adds
 * nothing ours lacks (its instructions are ours, less the deprecated MAINTAINER) and costs a parse
 * of the whole file, so it is not asked there. Elsewhere ours replaces it:
 * - it knows only `--chown`/`--from` on COPY and `--chown` on ADD (not --chmod, --link, --parents,
 *   --exclude, --checksum, --keep-git-dir, --unpack), and no RUN flags (`--mount`, `--network`…);
 * - after `COPY --from=` it offers the stage the COPY is in (a cycle BuildKit rejects);
 * - it offers no platform args (TARGETARCH…) and no `check` directive, and suggests
 *   `syntax=docker/dockerfile:experimental`;
 * - after `FROM image:` it asks Docker Hub for tags over the network: we never call it in FROM.
 */

/** What the cursor is in. */
type Site =
  | { kind: 'directive'; range: Range }
  | { kind: 'instruction'; range: Range; trigger: boolean; first: boolean }
  | { kind: 'variable'; range: Range; brace: boolean }
  | { kind: 'flag'; keyword: string; range: Range; present: string[] }
  | { kind: 'flag-value'; keyword: string; flag: string; range: Range; value: string }
  | { kind: 'mount'; range: Range; options: Map<string, string>; key: string | null; value: string }
  | { kind: 'from-image'; range: Range; word: string; instruction: DockerInstruction; flags: boolean }
  | { kind: 'from-as'; range: Range }
  | { kind: 'healthcheck-cmd'; range: Range; flags: boolean; present: string[] }
  | { kind: 'arg-name'; range: Range }
  | { kind: 'argument'; instruction: DockerInstruction }
  | { kind: 'none' };

export function completeDockerfile(context: DockerfileContext, position: Position, today: string): CompletionItem[] {
  const site = siteAt(context, position);
  const own = itemsFor(context, site, position, today);
  const library = site.kind === 'argument' && (site.instruction.keyword === 'COPY' || site.instruction.keyword === 'ADD') ? libraryItems(context.model, site.instruction, position) : [];
  return merge(own, library);
}

/** Ours first; the library's only where no item of ours has the same name. */
function merge(own: CompletionItem[], library: CompletionItem[]): CompletionItem[] {
  const key = (label: string) => label.replace(/^\$\{?/, '').replace(/\}$/, '').split(/[ =]/)[0].toLowerCase();
  const seen = new Set(own.map((i) => key(i.label)));
  const extra = library.filter((i) => !i.deprecated && !i.tags?.includes(CompletionItemTag.Deprecated) && !seen.has(key(i.label)));
  return [...own, ...extra];
}

/**
 * The library's items for a COPY/ADD argument, asked on the text of the instruction's stage only:
 * it parses the whole text it is given on every request (40 ms on a 1,000-line file on the
 * benchmark machine, twice the latency budget), and what it offers there (the stage's WORKDIRs)
 * depends only on the stage. Its ranges are moved back to the document's lines.
 */
function libraryItems(model: DockerfileModel, instruction: DockerInstruction, position: Position): CompletionItem[] {
  const stage = stageAtLine(model, instruction.range.start.line);
  const first = stage ? stage.from.range.start.line : 0;
  const text = model.document.getText({ start: { line: first, character: 0 }, end: { line: instruction.range.end.line + 1, character: 0 } });
  const result = dockerfileLibrary().computeCompletionItems(text, { line: position.line - first, character: position.character });
  if (!Array.isArray(result)) return [];
  const shift = (r: Range): Range => ({ start: { line: r.start.line + first, character: r.start.character }, end: { line: r.end.line + first, character: r.end.character } });
  return result.map((item) => (item.textEdit && 'range' in item.textEdit ? { ...item, textEdit: { ...item.textEdit, range: shift(item.textEdit.range) } } : item));
}

const range = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });

function siteAt(context: DockerfileContext, position: Position): Site {
  const { model } = context;
  const document = model.document;
  const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const before = lineText.slice(0, Math.min(position.character, lineText.length));
  const firstInstruction = model.instructions[0]?.range.start.line ?? Number.MAX_SAFE_INTEGER;
  const instruction = model.instructions.find((i) => within(i.range, position) && !(i.range.start.line === position.line && position.character < i.keywordRange.start.character));
  const heredoc = instruction ? heredocAt(instruction, position) : null;
  if (heredoc === 'body') {
    // A heredoc body is a script or a file: only `$` gets help there (unquoted bodies expand).
    const variable = variableSite(before, position);
    return variable ?? { kind: 'none' };
  }
  if (!instruction) {
    const directive = /^(\s*#\s*)([a-z]*)$/i.exec(before);
    if (directive && position.line < firstInstruction && aboveAreDirectives(model, position.line)) {
      return { kind: 'directive', range: range(position.line, directive[1].length, before.length) };
    }
    if (/^\s*#/.test(before)) return { kind: 'none' };
    const word = /^(\s*)([A-Za-z]*)$/.exec(before);
    if (!word) return { kind: 'none' };
    return { kind: 'instruction', range: range(position.line, word[1].length, position.character), trigger: false, first: model.instructions.every((i) => i.range.start.line > position.line || i.keyword === 'ARG') };
  }
  if (within(instruction.keywordRange, position)) {
    return { kind: 'instruction', range: instruction.keywordRange.start.line === position.line ? range(position.line, instruction.keywordRange.start.character, position.character) : instruction.keywordRange, trigger: false, first: false };
  }
  if (/^\s*#/.test(before) && instruction.range.start.line !== position.line) return { kind: 'none' };
  const variable = variableSite(before, position);
  if (variable) return variable;
  // The arguments up to the cursor, continuation lines joined.
  const start = document.offsetAt(instruction.keywordRange.end);
  const upTo = document.getText().slice(start, document.offsetAt(position)).replace(new RegExp(`${escapeRegExp(model.escape)}\\r?\\n`, 'g'), ' ');
  const wordMatch = /\S*$/.exec(upTo)!;
  const word = wordMatch[0];
  const wordRange = range(position.line, position.character - Math.min(word.length, position.character), position.character);
  let tokens = upTo.slice(0, upTo.length - word.length).trim().split(/\s+/).filter(Boolean);
  let keyword = instruction.keyword;
  if (keyword === 'ONBUILD') {
    if (tokens.length === 0) return { kind: 'instruction', range: wordRange, trigger: true, first: false };
    keyword = tokens[0].toUpperCase();
    tokens = tokens.slice(1);
  }
  const doc = instructionDoc(keyword);
  const flagsOnly = tokens.every((t) => t.startsWith('--'));
  const present = tokens.filter((t) => t.startsWith('--')).map((t) => t.slice(2).split('=')[0]);
  if (doc && flagsOnly) {
    const mount = /^--mount=(.*)$/.exec(word);
    if (mount && keyword === 'RUN') return mountSite(mount[1], position);
    const valued = /^--([a-z-]+)=(.*)$/.exec(word);
    if (valued) {
      const valueStart = position.character - valued[2].length;
      return { kind: 'flag-value', keyword, flag: valued[1], range: range(position.line, Math.max(0, valueStart), position.character), value: valued[2] };
    }
    if (word.startsWith('-') && doc.flags.length > 0) return { kind: 'flag', keyword, range: wordRange, present };
  }
  if (keyword === 'FROM' && instruction.keyword === 'FROM') {
    const positional = tokens.filter((t) => !t.startsWith('--'));
    if (positional.length === 0) return { kind: 'from-image', range: wordRange, word, instruction, flags: !present.includes('platform') };
    if (positional.length === 1 && /^a?s?$/i.test(word)) return { kind: 'from-as', range: wordRange };
    return { kind: 'none' };
  }
  if (keyword === 'HEALTHCHECK' && flagsOnly && /^[A-Za-z]*$/.test(word)) return { kind: 'healthcheck-cmd', range: wordRange, flags: word === '', present };
  if (keyword === 'ARG' && /^[A-Za-z_]*$/.test(word)) return { kind: 'arg-name', range: wordRange };
  if (doc && flagsOnly && word === '' && doc.flags.length > 0) return { kind: 'flag', keyword, range: wordRange, present };
  return { kind: 'argument', instruction };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parser directives are only read in the `# name=value` lines at the very top. */
function aboveAreDirectives(model: DockerfileModel, line: number): boolean {
  for (let l = 0; l < line; l++) {
    const text = model.document.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).trim();
    if (!/^#\s*[a-z]+\s*=/i.test(text)) return false;
  }
  return true;
}

type HeredocNode = { getHeredocs?(): Heredoc[] };

/** Whether the position is in a heredoc's body (or on its closing line). */
function heredocAt(instruction: DockerInstruction, position: Position): 'body' | null {
  if (instruction.heredocs.length === 0) return null;
  const node = instruction.ast as unknown as HeredocNode;
  for (const heredoc of node.getHeredocs?.() ?? []) {
    const start = heredoc.getStartRange().end.line;
    const end = heredoc.getDelimiterRange()?.end.line ?? instruction.range.end.line;
    if (position.line > start && position.line <= end) return 'body';
  }
  return null;
}

/** `$NAME` / `${NAME` being typed (an escaped `\$` is not a variable). */
function variableSite(before: string, position: Position): Site | null {
  const match = /(\\?)\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (!match || match[1]) return null;
  const name = match[3] ?? '';
  return { kind: 'variable', range: range(position.line, position.character - name.length, position.character), brace: match[2] === '{' };
}

function mountSite(value: string, position: Position): Site {
  const parts = value.split(',');
  const last = parts[parts.length - 1];
  const options = new Map<string, string>();
  for (const part of parts.slice(0, -1)) {
    const eq = part.indexOf('=');
    options.set((eq < 0 ? part : part.slice(0, eq)).toLowerCase(), eq < 0 ? '' : part.slice(eq + 1));
  }
  const eq = last.indexOf('=');
  const key = eq < 0 ? null : last.slice(0, eq).toLowerCase();
  const typed = eq < 0 ? last : last.slice(eq + 1);
  return { kind: 'mount', range: range(position.line, position.character - typed.length, position.character), options, key, value: typed };
}

function itemsFor(context: DockerfileContext, site: Site, position: Position, today: string): CompletionItem[] {
  switch (site.kind) {
    case 'directive': return directiveItems(context.model, site.range);
    case 'instruction': return instructionItems(site.range, site.trigger, site.first);
    case 'variable': return variableItems(context.model, position, site.range, site.brace, context.text);
    case 'flag': return flagItems(site.keyword, site.present, site.range);
    case 'flag-value': return flagValueItems(context.model, site, position);
    case 'mount': return mountItems(context.model, site, position);
    case 'from-image': return [...(site.flags && site.word === '' ? flagItems('FROM', [], site.range) : []), ...imageItems(context.model, site.instruction, site.word, site.range, today)];
    case 'from-as': return [{ label: 'AS', kind: CompletionItemKind.Keyword, detail: 'name this stage', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range: site.range, newText: 'AS ${1:name}' } }];
    case 'healthcheck-cmd': return [
      ...(site.flags ? flagItems('HEALTHCHECK', site.present, site.range) : []),
      { label: 'CMD', kind: CompletionItemKind.Keyword, detail: 'the check command', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range: site.range, newText: 'CMD ${1:command}' } },
      ...(site.present.length === 0 ? [{ label: 'NONE', kind: CompletionItemKind.Keyword, detail: 'disable the base image\'s healthcheck', textEdit: { range: site.range, newText: 'NONE' } }] : []),
    ];
    case 'arg-name': return argNameItems(context.model, position, site.range);
    default: return [];
  }
}

function directiveItems(model: DockerfileModel, at: Range): CompletionItem[] {
  const present = new Set(model.directives.map((d) => d.name));
  return DIRECTIVES.filter((d) => !present.has(d.name)).map((d, i) => ({
    label: d.name,
    kind: CompletionItemKind.Property,
    detail: 'parser directive',
    documentation: { kind: 'markdown', value: `${d.what}\n\n[Dockerfile reference: parser directives](https://docs.docker.com/reference/dockerfile/#parser-directives)` },
    sortText: `0${i}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: at, newText: d.snippet },
  }));
}

const NOT_IN_ONBUILD = new Set(['FROM', 'ONBUILD', 'MAINTAINER']);

function instructionItem(doc: InstructionDoc, at: Range, sort: string): CompletionItem {
  return {
    label: doc.keyword,
    kind: CompletionItemKind.Keyword,
    detail: doc.syntax[0],
    documentation: { kind: 'markdown', value: instructionMarkdown(doc, true) },
    sortText: sort,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: at, newText: doc.snippet },
  };
}

/**
 * Instruction snippets; on a file's first lines FROM and ARG come first. Heredoc and cache-mount
 * forms of RUN and COPY are extra items (BuildKit features people look up).
 */
function instructionItems(at: Range, trigger: boolean, first: boolean): CompletionItem[] {
  const docs = INSTRUCTIONS.filter((d) => !d.deprecated && (!trigger || !NOT_IN_ONBUILD.has(d.keyword)));
  const items = docs.map((d) => instructionItem(d, at, first && (d.keyword === 'FROM' || d.keyword === 'ARG') ? `0${d.keyword}` : `1${d.keyword}`));
  if (trigger) return items;
  const run = instructionDoc('RUN')!;
  const copy = instructionDoc('COPY')!;
  items.push(
    { ...instructionItem(run, at, '1RUN~1'), label: 'RUN <<EOF', filterText: 'RUN', detail: 'RUN with a heredoc script', textEdit: { range: at, newText: 'RUN <<EOF\n${1:set -e}\n$0\nEOF' } },
    { ...instructionItem(run, at, '1RUN~2'), label: 'RUN --mount=type=cache', filterText: 'RUN', detail: 'RUN with a package cache kept between builds', textEdit: { range: at, newText: 'RUN --mount=type=cache,target=${1:/root/.cache} \\\n    ${2:command}' } },
    { ...instructionItem(copy, at, '1COPY~1'), label: 'COPY --from', filterText: 'COPY', detail: 'COPY from an earlier stage', textEdit: { range: at, newText: 'COPY --from=${1:build} ${2:/src} ${3:/dest}' } },
  );
  return items;
}

function flagItems(keyword: string, present: string[], at: Range): CompletionItem[] {
  const doc = instructionDoc(keyword);
  if (!doc) return [];
  // `--mount` may be given several times; other flags once.
  return doc.flags.filter((f) => f.name === 'mount' || !present.includes(f.name)).map((f, i) => ({
    label: `--${f.name}`,
    kind: CompletionItemKind.Property,
    detail: f.syntax,
    documentation: { kind: 'markdown', value: flagMarkdown(keyword, f) },
    sortText: `0${i}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: at, newText: f.values ? `--${f.name}=\${1|${f.values.map((v) => v.replace(/[,|\\]/g, '\\$&')).join(',')}|}` : f.placeholder ? `--${f.name}=${f.placeholder}` : `--${f.name}` },
  }));
}

/** Named stages (and unnamed by index) before the instruction's stage. */
function earlierStages(model: DockerfileModel, line: number): { label: string; detail: string; index: number }[] {
  const current = stageAtLine(model, line);
  const limit = current ? current.index : model.stages.length;
  return model.stages.filter((s) => !s.implicit && s.index < limit).map((s) => ({ label: s.name ?? String(s.index), detail: `stage ${s.index}: FROM ${s.base.text} (line ${s.from.range.start.line + 1})`, index: s.index }));
}

function stageItems(model: DockerfileModel, line: number, at: Range, named = false): CompletionItem[] {
  return earlierStages(model, line).filter((s) => !named || !/^\d+$/.test(s.label)).map((s, i) => ({
    label: s.label,
    kind: CompletionItemKind.Module,
    detail: s.detail,
    sortText: `0${String(i).padStart(4, '0')}`,
    textEdit: { range: at, newText: s.label },
  }));
}

function flagValueItems(model: DockerfileModel, site: Extract<Site, { kind: 'flag-value' }>, position: Position): CompletionItem[] {
  if (site.flag === 'from' && (site.keyword === 'COPY')) return stageItems(model, position.line, site.range);
  const flag = instructionDoc(site.keyword)?.flags.find((f) => f.name === site.flag);
  return (flag?.values ?? []).map((value, i) => ({ label: value, kind: CompletionItemKind.EnumMember, sortText: `0${i}`, textEdit: { range: site.range, newText: value } }));
}

function mountItems(model: DockerfileModel, site: Extract<Site, { kind: 'mount' }>, position: Position): CompletionItem[] {
  const type = site.options.get('type') ?? 'bind';
  const spec = MOUNT_TYPES.find((t) => t.type === type);
  if (site.key === 'type') {
    return MOUNT_TYPES.map((t, i) => ({ label: t.type, kind: CompletionItemKind.EnumMember, detail: t.what, sortText: `0${i}`, textEdit: { range: site.range, newText: t.type } }));
  }
  if (site.key === 'from') return stageItems(model, position.line, site.range);
  if (site.key !== null) {
    const option = spec?.options.find((o) => o.name === site.key);
    return (option?.values ?? []).map((value, i) => ({ label: value, kind: CompletionItemKind.EnumMember, sortText: `0${i}`, textEdit: { range: site.range, newText: value } }));
  }
  const items: CompletionItem[] = [];
  if (!site.options.has('type')) items.push({ label: 'type', kind: CompletionItemKind.Property, detail: 'bind (default), cache, tmpfs, secret, ssh', sortText: '00', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range: site.range, newText: 'type=${1|cache,bind,tmpfs,secret,ssh|}' } });
  for (const [i, option] of (spec?.options ?? []).entries()) {
    if (site.options.has(option.name)) continue;
    items.push({
      label: option.name,
      kind: CompletionItemKind.Property,
      detail: `${type} mount`,
      documentation: { kind: 'markdown', value: `${option.what}\n\n[Dockerfile reference: RUN --mount](https://docs.docker.com/reference/dockerfile/#run---mount)` },
      sortText: `1${String(i).padStart(2, '0')}`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: site.range, newText: option.bare ? option.name : option.values ? `${option.name}=\${1|${option.values.join(',')}|}` : `${option.name}=$1` },
    });
  }
  return items;
}

function describe(variable: ScopedVariable): string {
  switch (variable.kind) {
    case 'platform': return PLATFORM_ARGS.find((p) => p.name === variable.name)?.what ?? 'set by the build';
    case 'proxy': return 'predefined proxy ARG: set with `--build-arg`, kept out of the image history';
    case 'global-arg': return `global ARG${variable.value !== null ? ` = \`${variable.value}\`` : ', no default'}`;
    case 'arg': return `ARG${variable.value !== null ? ` = \`${variable.value}\`` : ', set by the build'}${variable.global !== undefined ? ' (the global ARG\'s default)' : ''}`;
    case 'env': return `ENV = \`${variable.value ?? ''}\``;
  }
}

function variableItems(model: DockerfileModel, position: Position, at: Range, brace: boolean, text: string): CompletionItem[] {
  const scope = variablesAt(model, position);
  const line = text.split(/\r?\n/)[position.line] ?? '';
  const closed = line[position.character] === '}' || /^[A-Za-z0-9_]*\}/.test(line.slice(position.character));
  const stage = stageAtLine(model, position.line);
  const order: Record<ScopedVariable['kind'], string> = { env: '0', arg: '0', 'global-arg': '0', platform: '1', proxy: '2' };
  return [...scope.values()].map((v) => {
    const item: CompletionItem = {
      label: v.name,
      kind: v.kind === 'env' ? CompletionItemKind.Variable : CompletionItemKind.Constant,
      detail: v.needsDeclaration ? 'automatic platform ARG: adds `ARG ' + v.name + '` to the stage' : v.kind === 'platform' ? 'automatic platform ARG' : v.kind === 'proxy' ? 'predefined proxy ARG' : v.kind === 'env' ? `ENV${v.value !== null ? ` = ${short(v.value)}` : ''}` : `ARG${v.value !== null ? ` = ${short(v.value)}` : ''}`,
      documentation: { kind: 'markdown', value: describe(v) },
      sortText: `${order[v.kind]}${v.name}`,
      textEdit: { range: at, newText: brace && !closed ? `${v.name}}` : v.name },
    };
    // A platform arg is global: the stage must declare it to see it, so picking it declares it.
    if (v.needsDeclaration && stage && !stage.implicit) {
      const line = stage.from.range.end.line + 1;
      item.additionalTextEdits = [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `ARG ${v.name}\n` }];
    }
    return item;
  });
}

const short = (value: string) => (value.length > 40 ? `${value.slice(0, 39)}…` : value);

/** After `ARG `: the platform args and the global ARGs this stage has not declared yet. */
function argNameItems(model: DockerfileModel, position: Position, at: Range): CompletionItem[] {
  const stage = stageAtLine(model, position.line);
  if (!stage || stage.from.range.start.line === position.line) return [];
  const scope = variablesAt(model, position);
  const items: CompletionItem[] = [];
  for (const [name, value] of model.globalArgs) {
    if (scope.get(name)?.kind === 'arg') continue;
    items.push({ label: name, kind: CompletionItemKind.Constant, detail: `global ARG${value !== null ? ` = ${short(value)}` : ''}: declare it in this stage to use it`, sortText: `0${name}`, textEdit: { range: at, newText: name } });
  }
  for (const p of PLATFORM_ARGS) {
    if (scope.get(p.name)?.declaration) continue;
    items.push({ label: p.name, kind: CompletionItemKind.Constant, detail: `automatic platform ARG: ${p.what}`, sortText: `1${p.name}`, textEdit: { range: at, newText: p.name } });
  }
  return items;
}

/**
 * After FROM: earlier stages, `scratch`, the images this file already uses, and the images
 * Shipshape knows (features/completion/images.ts, data/endOfLife.ts); after `name:`, its tags:
 * those used here, the known current tags, and the release lines still supported today.
 */
function imageItems(model: DockerfileModel, from: DockerInstruction, word: string, at: Range, today: string): CompletionItem[] {
  const used = new Map<string, Set<string>>();
  for (const stage of model.stages) {
    if (stage.from === from || stage.base.stageRef !== null || !stage.base.ref) continue;
    const ref = stage.base.ref;
    const name = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
    const tags = used.get(name) ?? new Set<string>();
    if (ref.tag) tags.add(ref.tag);
    used.set(name, tags);
  }
  const colon = word.lastIndexOf(':');
  if (colon > 0 && !word.slice(colon).includes('/')) {
    const name = word.slice(0, colon);
    const tagRange: Range = { start: { line: at.start.line, character: at.start.character + colon + 1 }, end: at.end };
    return tagItems(name, used.get(name), tagRange, today);
  }
  const items: CompletionItem[] = stageItems(model, at.start.line, at, true).map((i) => ({ ...i, detail: `earlier stage · ${i.detail}` }));
  items.push({ label: 'scratch', kind: CompletionItemKind.Value, detail: 'an empty image (for static binaries)', sortText: '1scratch', textEdit: { range: at, newText: 'scratch' } });
  for (const [name, tags] of used) items.push({ label: name, kind: CompletionItemKind.Value, detail: `used in this file${tags.size ? ` (${[...tags].join(', ')})` : ''}`, sortText: `1${name}`, textEdit: { range: at, newText: name } });
  const known = new Set(used.keys());
  for (const image of KNOWN_IMAGES) {
    if (known.has(image.name)) continue;
    known.add(image.name);
    items.push({ label: image.name, kind: CompletionItemKind.Value, detail: image.what, sortText: `2${image.name}`, textEdit: { range: at, newText: image.name } });
  }
  for (const product of products) {
    for (const image of product.images ?? []) {
      if (known.has(image)) continue;
      known.add(image);
      items.push({ label: image, kind: CompletionItemKind.Value, detail: product.name, sortText: `2${image}`, textEdit: { range: at, newText: image } });
    }
  }
  return items;
}

function tagItems(name: string, used: Set<string> | undefined, at: Range, today: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (tag: string, detail: string, documentation?: string) => {
    if (seen.has(tag)) return;
    seen.add(tag);
    items.push({ label: tag, kind: CompletionItemKind.Value, detail, ...(documentation ? { documentation: { kind: 'markdown', value: documentation } } : {}), sortText: String(items.length).padStart(4, '0'), textEdit: { range: at, newText: tag } });
  };
  for (const tag of used ?? []) add(tag, 'used in this file');
  const known = KNOWN_IMAGES.find((i) => i.name === name);
  for (const tag of known?.tags ?? []) add(tag, known!.what);
  const repository = parseImageRef(`${name}:x`)?.repository.replace(/^library\//, '') ?? name;
  const product = products.find((p) => p.images?.includes(repository));
  if (product) {
    // The release lines still supported today, newest first: what a new FROM should name.
    const lines = product.lines.filter((l) => !statusOf(product, l, today).ended).sort((a, b) => compareVersions(b.cycle, a.cycle));
    for (const line of lines) {
      const tag = product.tagPrefix ? `${product.tagPrefix}${line.cycle}` : line.cycle;
      add(tag, `${product.name} ${line.cycle}${isLts(line, today) ? ' LTS' : ''}${line.eol ? `, supported until ${line.eol}` : ''}`, `Supported release line of ${product.name} on ${today}, from Shipshape's end-of-life data ([source](${product.source})).`);
    }
  }
  return items;
}
