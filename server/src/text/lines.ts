/**
 * The lines of a document as LSP positions count them: a line ends at `\r\n`, `\n` or a lone `\r`
 * (as in TextDocument). Splitting on `\n` alone would put every later line number off by one after
 * a stray CR, and a range built from it would point past the end of its line.
 */
export function documentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** How many lines hold text: a final line break ends the last line, it does not start another. */
export function contentLineCount(text: string, lines: string[]): number {
  return /[\r\n]$/.test(text) ? lines.length - 1 : lines.length;
}
