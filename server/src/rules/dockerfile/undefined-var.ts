import { dockerfileRule } from '../types';
import { PLATFORM_ARGS, PROXY_ARGS, closestName, handlesUnset, propertiesOf, variableReferences, type VariableReference } from '../../dockerfile/references';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { distroOf } from '../../text/images';

/** Instructions whose arguments Docker expands itself (RUN, CMD, ENTRYPOINT… leave it to the shell). */
const EXPANDED = new Set(['ADD', 'COPY', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
/** Instructions whose `--flag=value`s Docker expands (`RUN --mount=…,id=$TARGETARCH`, `COPY --chown=$UID`). */
const EXPANDED_FLAGS = new Set(['ADD', 'COPY', 'RUN']);

interface StageScope {
  /**
   * ENV and ARG names the stage ends with. BuildKit carries both into stages built FROM it, and
   * an ARG counts as declared even without a value.
   */
  defined: Set<string>;
  /** True when the image it starts from is fully known (`scratch`, through any stages). */
  known: boolean;
  windows: boolean;
}

/** What is defined where a reference is used. */
interface Scope {
  has(name: string): boolean;
  /** Names a misspelling may have meant. */
  candidates(): Iterable<string>;
  /** The stage, or null for the ARGs before the first FROM. */
  stage: StageScope | null;
  globals: Set<string>;
  /** The line of each name's first `ARG` in the stage, to tell "declared too late" apart. */
  argLines?: Map<string, number>;
}

/**
 * A variable Docker cannot find expands to an empty string: a typo or an ARG that was never
 * brought into the stage silently turns `COPY app-$VERSION.jar` into `COPY app-.jar`.
 */
export default dockerfileRule({
  id: 'undefined-var',
  aliases: ['UndefinedVar'],
  title: 'Define variables before using them',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report }) {
    const { document, escape } = dockerfile;
    const globals = new Set<string>();
    const scopes: StageScope[] = [];

    const check = (keyword: string, references: VariableReference[], scope: Scope) => {
      for (const reference of references) {
        const { name } = reference;
        if (handlesUnset(reference.modifier) || scope.has(name)) continue;
        const suggestion = closestName(name, scope.candidates());
        const stage = scope.stage;
        const argLine = scope.argLines?.get(name);
        const late = argLine !== undefined && argLine > reference.range.start.line;
        let reason: string;
        if (late) {
          // Declared as a build argument further down: meant for this line, which comes too early.
          reason = `is declared with \`ARG ${name}\` only later in this stage (line ${argLine + 1})`;
        } else if (suggestion !== null) {
          reason = `is not defined here (did you mean \`$${suggestion}\`?)`;
        } else if (stage !== null && PLATFORM_ARGS.has(name)) {
          // BuildKit defines these in the global scope only, and no image sets them in its ENV.
          reason = `exists only before the first FROM until the stage declares \`ARG ${name}\``;
        } else if (stage !== null && !stage.known) {
          // The base image's ENV is unknown here and may well define the name.
          continue;
        } else if (stage !== null && scope.globals.has(name)) {
          reason = `is declared before the first FROM but not re-declared in this stage with \`ARG ${name}\``;
        } else {
          reason = 'is not defined by any ARG or ENV in scope';
        }
        report({
          range: reference.range,
          message: `\`${document.getText(reference.range)}\` ${reason}, so Docker expands it to an empty string${stage !== null && !stage.known && !PLATFORM_ARGS.has(name) ? ' (unless the base image defines it)' : ''} and this ${keyword} silently uses another value; ${late ? `move \`ARG ${name}\` above this line` : suggestion !== null ? `write \`$${suggestion}\`` : stage !== null && (PLATFORM_ARGS.has(name) || scope.globals.has(name)) ? `add \`ARG ${name}\` to the stage before this line` : 'declare it with ARG or ENV before this line'}.`,
          data: suggestion !== null ? { name, suggestion } : { name },
        });
      }
    };

    // ARG defaults before the first FROM see the earlier global ARGs and the platform ARGs.
    const globalScope: Scope = {
      has: (n) => globals.has(n) || PLATFORM_ARGS.has(n) || PROXY_ARGS.has(n),
      candidates: () => [...globals, ...PLATFORM_ARGS],
      stage: null,
      globals,
    };
    for (const instruction of dockerfile.instructions) {
      if (instruction.stage >= 0) break;
      if (instruction.keyword !== 'ARG') continue;
      for (const property of propertiesOf(instruction)) {
        if (property.valueRange) check('ARG', variableReferences(document, property.valueRange, escape), globalScope);
        globals.add(property.name);
      }
    }

    for (const stage of dockerfile.stages) {
      const parent = stage.base.stageRef !== null ? scopes[stage.base.stageRef] : undefined;
      const own: StageScope = {
        defined: new Set(parent?.defined ?? []),
        known: parent ? parent.known : stage.base.scratch,
        windows: parent ? parent.windows : distroOf(stage.base.ref, stage.base.scratch) === 'windows',
      };
      scopes[stage.index] = own;
      // Windows keeps environment names case-insensitive.
      const fold = (n: string) => (own.windows ? n.toUpperCase() : n);
      let names = new Set<string>();
      const refresh = () => {
        // BuildKit sets PATH when the image has none; the proxy ARGs are predefined.
        names = new Set([...own.defined, 'PATH', ...PROXY_ARGS].map(fold));
      };
      refresh();
      const argLines = new Map<string, number>();
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'ARG') continue;
        for (const property of propertiesOf(instruction)) if (!argLines.has(property.name)) argLines.set(property.name, instruction.range.start.line);
      }
      const scope = (sameStatement: string[] = []): Scope => ({
        has: (n) => names.has(fold(n)) || sameStatement.includes(n),
        candidates: () => [...own.defined, 'PATH'],
        stage: own,
        globals,
        argLines,
      });
      for (const instruction of stage.instructions) {
        const { keyword } = instruction;
        if (keyword === 'ARG') {
          for (const property of propertiesOf(instruction)) {
            if (property.valueRange) check(keyword, variableReferences(document, property.valueRange, escape), scope());
            own.defined.add(property.name);
            refresh();
          }
        } else if (keyword === 'ENV') {
          const properties = propertiesOf(instruction);
          // A name set by the same ENV is env-self-reference's business, not an undefined variable.
          const same = properties.map((p) => p.name);
          for (const property of properties) {
            if (property.valueRange) check(keyword, variableReferences(document, property.valueRange, escape), scope(same));
          }
          for (const name of same) own.defined.add(name);
          refresh();
        } else if (EXPANDED.has(keyword) || EXPANDED_FLAGS.has(keyword)) {
          check(keyword, referencesOf(dockerfile, instruction), scope());
        }
      }
    }
  },
  fix(finding, dockerfile) {
    const { suggestion, name } = finding.data ?? {};
    if (typeof suggestion !== 'string' || typeof name !== 'string') return undefined;
    const { document } = dockerfile;
    const text = document.getText(finding.range);
    const offset = text.startsWith('${') ? 2 : 1;
    if (text.slice(offset, offset + name.length) !== name) return undefined;
    const start = document.offsetAt(finding.range.start) + offset;
    return {
      title: `Change \`$${name}\` to \`$${suggestion}\``,
      edits: [{ range: { start: document.positionAt(start), end: document.positionAt(start + name.length) }, newText: suggestion }],
      // The author may have meant a variable the base image defines; only they can tell.
      safe: false,
    };
  },
});

/** The references Docker expands in an instruction: its arguments and, for RUN/COPY/ADD, its flags. */
function referencesOf(dockerfile: DockerfileModel, instruction: DockerInstruction): VariableReference[] {
  const { document, escape } = dockerfile;
  const references: VariableReference[] = [];
  if (EXPANDED_FLAGS.has(instruction.keyword)) {
    // `COPY --from` is never expanded: BuildKit rejects a variable there outright.
    for (const flag of instruction.flags) if (flag.name !== 'from') references.push(...variableReferences(document, flag.range, escape));
  }
  if (EXPANDED.has(instruction.keyword) && instruction.argsRange) {
    // A heredoc's body is file content, not an instruction argument.
    references.push(...variableReferences(document, instruction.argsRange, escape, instruction.heredocs.length > 0));
  }
  return references;
}
