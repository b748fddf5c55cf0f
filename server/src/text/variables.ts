/** Variable values known at analysis time; null marks a variable that is declared without a value. */
export type Variables = Map<string, string | null>;

/** What expansion reads: a Map, or a view over one. */
export type VariableLookup = { get(name: string): string | null | undefined };

export interface ExpandOptions {
  /** Compose writes a literal `$` as `$$`; a Dockerfile escapes it with its escape character. */
  syntax: 'dockerfile' | 'compose';
  escape?: string;
}

/** A variable name, matched where a `$` is (sticky: no copy of the rest of the text). */
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`,
 * `${VAR:?err}` and `${VAR?err}` the way Docker and Compose do, from what is known statically.
 * Returns null when the result depends on a value that is not known (no default anywhere).
 */
export function expandVariables(text: string, vars: VariableLookup, options: ExpandOptions = { syntax: 'dockerfile' }): string | null {
  if (!text.includes('$')) return text;
  const escape = options.escape ?? '\\';
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (options.syntax === 'dockerfile' && ch === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (options.syntax === 'compose' && next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) return null;
      const value = expandBraced(text.slice(i + 2, close), vars, options);
      if (value === null) return null;
      out += value;
      i = close + 1;
      continue;
    }
    NAME.lastIndex = i + 1;
    const name = NAME.exec(text);
    if (!name) {
      out += ch;
      i++;
      continue;
    }
    const value = vars.get(name[0]);
    if (value === undefined || value === null) return null;
    out += value;
    i += 1 + name[0].length;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function expandBraced(inner: string, vars: VariableLookup, options: ExpandOptions): string | null {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?=])([\s\S]*))?$/.exec(inner);
  if (!match) return null;
  const [, name, colon, operator, operand = ''] = match;
  const value = vars.get(name);
  const isSet = value !== undefined && value !== null;
  const usable = isSet && (colon !== ':' || value !== '');
  switch (operator) {
    case undefined:
      return isSet ? value : null;
    case '-':
    case '=':
      return usable ? value : expandVariables(operand, vars, options);
    case '+':
      // Whether the alternative applies depends on a value only known at build time.
      if (value === undefined || value === null) return value === null ? null : '';
      return usable ? expandVariables(operand, vars, options) : '';
    case '?':
      return usable ? value : null;
    default:
      return null;
  }
}

/** Names of the variables a text references, in order. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) names.push(m[1] ?? m[2]);
  return names;
}
