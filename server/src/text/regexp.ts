/**
 * Text for a regular expression that matches it literally. Every name that comes from a file
 * (a variable, a service, a here-document delimiter, a path) goes through here before it is
 * built into a pattern: `ARG A[1` must not make the pattern invalid or change what it matches.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A COPY source pattern (`package*.json`, `go.?um`) as a regular expression over one path. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split(/([*?])/).map((part) => (part === '*' ? '[^/]*' : part === '?' ? '[^/]' : escapeRegExp(part))).join('');
  return new RegExp(`^${body}$`);
}
