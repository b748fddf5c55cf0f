import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { propertiesOf } from '../../dockerfile/references';

/** How much of an instruction's arguments the outline shows beside its keyword. */
const DETAIL_LENGTH = 60;

/**
 * The outline (and breadcrumbs) of a Dockerfile: the global ARGs first, then each stage (its name,
 * or `stage <index>`, with the base image as detail) holding its instructions; ARG and ENV list
 * the variables they declare.
 */
export function outlineDockerfile(model: DockerfileModel): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const instruction of model.instructions) {
    if (instruction.stage < 0) out.push(instructionSymbol(instruction));
  }
  for (const stage of model.stages) {
    const children = stage.instructions.filter((i) => i !== stage.from).map(instructionSymbol);
    if (stage.implicit) {
      out.push(...children);
      continue;
    }
    out.push({
      name: stage.name ?? `stage ${stage.index}`,
      kind: SymbolKind.Class,
      detail: stage.base.text || undefined,
      range: stage.range,
      selectionRange: stage.nameRange ?? stage.from.keywordRange,
      children,
    });
  }
  return out;
}

function instructionSymbol(instruction: DockerInstruction): DocumentSymbol {
  const symbol: DocumentSymbol = {
    name: instruction.keyword,
    kind: KIND[instruction.keyword] ?? SymbolKind.Function,
    detail: detail(instruction.args),
    range: instruction.range,
    selectionRange: instruction.keywordRange,
  };
  if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
    symbol.children = propertiesOf(instruction).map((p) => ({
      name: p.name,
      kind: instruction.keyword === 'ARG' ? SymbolKind.Variable : SymbolKind.Constant,
      detail: p.value ?? undefined,
      range: p.range,
      selectionRange: p.nameRange,
    }));
  }
  return symbol;
}

const KIND: Record<string, SymbolKind> = {
  ARG: SymbolKind.Variable,
  ENV: SymbolKind.Constant,
  LABEL: SymbolKind.Property,
  EXPOSE: SymbolKind.Interface,
  WORKDIR: SymbolKind.Namespace,
  COPY: SymbolKind.File,
  ADD: SymbolKind.File,
  USER: SymbolKind.Key,
  CMD: SymbolKind.Event,
  ENTRYPOINT: SymbolKind.Event,
  HEALTHCHECK: SymbolKind.Event,
};

/** The arguments on one line, shortened: the outline is a list, not the file. */
function detail(args: string): string | undefined {
  const line = args.replace(/\\?\s*\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
  if (!line) return undefined;
  return line.length > DETAIL_LENGTH ? `${line.slice(0, DETAIL_LENGTH - 1)}…` : line;
}

