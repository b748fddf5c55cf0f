import type { Rule, Severity } from './rules/types';

/** One finding as the CLI reports it; `--format json` prints exactly these fields. */
export interface Reported {
  file: string;
  rule: string;
  aliases: string[];
  severity: Severity;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixable: boolean;
}

export type Format = 'stylish' | 'json' | 'sarif' | 'github';
export const formats: Format[] = ['stylish', 'json', 'sarif', 'github'];

/**
 * `page`: a rule's documentation page (markdown), which the SARIF report carries for each rule
 * that reported, so that code scanning shows it beside the alert wherever the pages are hosted.
 */
export function format(kind: Format, results: Reported[], rules: readonly Rule[], docsUrl: (id: string) => string, version: string, color: boolean, page: (id: string) => string | null = () => null): string {
  switch (kind) {
    case 'json':
      return JSON.stringify(results.map(({ file, rule, aliases, severity, message, range, fixable }) => ({ file, rule, aliases, severity, message, range, fixable }))) + '\n';
    case 'sarif':
      return JSON.stringify(sarif(results, rules, docsUrl, version, page), null, 2) + '\n';
    case 'github':
      return results.map(github).join('');
    case 'stylish':
      return stylish(results, color);
  }
}

function stylish(results: Reported[], color: boolean): string {
  if (results.length === 0) return '';
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const tone: Record<Severity, number> = { error: 31, warning: 33, info: 36, hint: 90 };
  let out = '';
  let file: string | null = null;
  for (const r of results) {
    if (r.file !== file) {
      file = r.file;
      out += `${out ? '\n' : ''}${paint(4, r.file)}\n`;
    }
    const where = `${r.range.start.line + 1}:${r.range.start.character + 1}`;
    out += `  ${where.padEnd(7)} ${paint(tone[r.severity], r.severity.padEnd(7))}  ${r.message}  ${paint(90, r.rule)}\n`;
  }
  const count = (s: Severity) => results.filter((r) => r.severity === s).length;
  const parts = (['error', 'warning', 'info', 'hint'] as Severity[]).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}${count(s) === 1 ? '' : 's'}`);
  const fixable = results.filter((r) => r.fixable).length;
  out += `\n${results.length} problem${results.length === 1 ? '' : 's'} (${parts.join(', ')})${fixable ? `; ${fixable} with a fix (shipshape fix, or the editor's quick fixes)` : ''}\n`;
  return out;
}

/** GitHub Actions workflow commands: property values escape `%`, CR, LF, `:` and `,`. */
function github(r: Reported): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = r.severity === 'error' ? 'error' : r.severity === 'warning' ? 'warning' : 'notice';
  const { start, end } = r.range;
  return `::${level} file=${prop(r.file)},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${end.character + 1},title=${prop(`shipshape ${r.rule}`)}::${data(r.message)}\n`;
}

const sarifLevel: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, the format GitHub code scanning and other CI dashboards read. */
/**
 * A rule page with its relative links made absolute: another rule's page (`cap-drop-all.md`) by
 * docsUrl, any other page resolved against the rule's own URL (`../final-stage.md`).
 */
function absoluteLinks(markdown: string, id: string, docsUrl: (id: string) => string): string {
  return markdown.replace(/\]\(([^)\s]+)\)/g, (link, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return link;
    const rule = /^([a-z0-9-]+)\.md(#.*)?$/.exec(target);
    if (rule) return `](${docsUrl(rule[1])}${rule[2] ?? ''})`;
    try {
      return `](${new URL(target, docsUrl(id)).href})`;
    } catch {
      return link;
    }
  });
}

function sarif(results: Reported[], rules: readonly Rule[], docsUrl: (id: string) => string, version: string, page: (id: string) => string | null) {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const reported = new Set(results.map((r) => r.rule));
  const help = (r: Rule) => {
    const text = `${r.title}. See ${docsUrl(r.id)}`;
    const markdown = reported.has(r.id) ? page(r.id) : null;
    return markdown ? { text, markdown: absoluteLinks(markdown, r.id, docsUrl) } : { text };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipshape',
            version,
            informationUri: docsUrl('').replace(/\/[^/]*$/, '/'),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              helpUri: docsUrl(r.id),
              help: help(r),
              defaultConfiguration: { level: sarifLevel[r.severity], enabled: r.enabledByDefault },
              properties: { category: r.category, aliases: r.aliases, kind: r.kind, fixable: r.fixable, tags: [r.category] },
            })),
          },
        },
        results: results.map((r) => ({
          ruleId: r.rule,
          ruleIndex: index.get(r.rule),
          level: sarifLevel[r.severity],
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.file.split('\\').join('/').split('/').map(encodeURIComponent).join('/') },
                region: {
                  startLine: r.range.start.line + 1,
                  startColumn: r.range.start.character + 1,
                  endLine: r.range.end.line + 1,
                  endColumn: r.range.end.character + 1,
                },
              },
            },
          ],
          properties: { aliases: r.aliases, fixable: r.fixable },
        })),
      },
    ],
  };
}
