import { join, posix } from 'node:path';
import type { FileAccess } from '../../rules/types';
import type { ContextTree } from '../../project/contextFiles';
import type { ProjectView } from './conversion';

/**
 * A light reading of the application's source files, for one question: does the code open files
 * by relative paths at run time, and which? It finds the calls that open files (per language) and
 * the string literals that look like paths. It never decides that a file is unneeded on its own:
 * `appFiles.ts` drops a file only when nothing names it and no call opens a computed path.
 */

export interface SourceScan {
  /** Source files read (the scan stops at a budget). */
  files: number;
  /** False when the budget ran out: the rest of the code may open files too. */
  complete: boolean;
  /** String literals that look like relative or absolute paths (`templates/*.html`, `./conf`). */
  literals: Set<string>;
  /** Calls that open files, as written (`os.Open(path)`), with whether their path is a literal. */
  calls: { text: string; file: string; literal: boolean }[];
  /** Import paths and `use`/`using` names, for frameworks and cgo. */
  imports: Set<string>;
  /** The full text, for language-specific questions (`import "C"`). */
  texts: Map<string, string>;
}

export interface Language {
  /** File names that hold this language's sources. */
  extensions: RegExp;
  /**
   * Calls that open, list or serve files from a path. The capture is the call's name; `pathArg`
   * says which argument is the path (the first by default).
   */
  opens: {
    pattern: RegExp;
    pathArg?: number;
    /** No argument: the default it reads (`godotenv.Load()` → `.env`); null when that default is not a fixed path. */
    defaultPath?: string | null;
    /** Not a call: its use alone means a computed path (`__dirname`). */
    bare?: boolean;
  }[];
}

const MAX_FILES = 2000;
const MAX_BYTES = 4_000_000;
/** Folders of other people's code, tests and generated output: what they open is not the app's concern here. */
const SKIP_DIR = /(?:^|\/)(?:node_modules|vendor|target|bin|obj|dist|build|\.git|testdata|__tests__|tests?)(?:\/|$)/;
const TEST_FILE = /(?:_test\.go|\.(?:test|spec)\.[cm]?[jt]sx?|Tests?\.(?:java|kt|cs))$/;

/**
 * Reads the sources of a language in the context: those the Dockerfile copies into the image
 * (`copied`, context paths), or every one when that is not known.
 */
export function scanSources(tree: ContextTree, files: FileAccess, language: Language, copied: ReadonlySet<string> | null = null): SourceScan {
  const scan: SourceScan = { files: 0, complete: tree.complete, literals: new Set(), calls: [], imports: new Set(), texts: new Map() };
  let bytes = 0;
  for (const rel of tree.files) {
    if ((copied !== null && !copied.has(rel)) || !language.extensions.test(rel) || SKIP_DIR.test(rel) || TEST_FILE.test(rel)) continue;
    if (scan.files >= MAX_FILES || bytes >= MAX_BYTES) {
      scan.complete = false;
      break;
    }
    const text = files.read(join(tree.root, rel));
    if (text === null) continue;
    scan.files++;
    bytes += text.length;
    scan.texts.set(rel, text);
    readText(text, rel, language, scan);
  }
  return scan;
}

/** A string literal in Go, Java, C#, Rust, JavaScript or TypeScript: `"…"`, `'…'`, `` `…` ``. */
const LITERAL = /"((?:[^"\\\n]|\\.){1,300})"|'((?:[^'\\\n]|\\.){2,300})'|`([^`$]{1,300})`/g;
const PATH_LIKE = /^(?:\.{0,2}\/)?[\w@.+-]+(?:\/[\w@.*+-]*)*\/?$/;

function readText(text: string, rel: string, language: Language, scan: SourceScan): void {
  const code = stripComments(text);
  for (const m of code.matchAll(LITERAL)) {
    const value = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\\\/g, '\\');
    if (PATH_LIKE.test(value) && !/^\d+(\.\d+)*$/.test(value)) scan.literals.add(value);
  }
  for (const m of code.matchAll(/^\s*(?:import|use|using)\s+(?:static\s+)?(?:\w+\s+)?["(]?([\w./:@-]+)/gm)) scan.imports.add(m[1]);
  // Go's grouped imports: `import ( "a" _ "b" )`.
  for (const block of code.matchAll(/\bimport\s*\(([^)]*)\)/g)) for (const m of block[1].matchAll(/"([^"]+)"/g)) scan.imports.add(m[1]);
  for (const open of language.opens) {
    for (const m of code.matchAll(new RegExp(open.pattern.source, 'g'))) {
      if (open.bare) {
        scan.calls.push({ text: m[0], file: rel, literal: false });
        continue;
      }
      const start = (m.index ?? 0) + m[0].length;
      const args = callArguments(code, start);
      const index = open.pathArg ?? 0;
      const arg = args[index];
      let literal: boolean;
      if (arg === undefined) {
        literal = open.defaultPath !== undefined && open.defaultPath !== null;
        if (literal) scan.literals.add(open.defaultPath!);
      } else {
        literal = /^(?:"[^"]*"|'[^']*'|`[^`$]*`)$/.test(arg.trim());
      }
      scan.calls.push({ text: `${m[0]}${args.join(', ')})`.replace(/\s+/g, ' ').slice(0, 80), file: rel, literal });
    }
  }
}

/** The arguments of a call whose `(` ends at `start`, split at top-level commas (one line's worth). */
function callArguments(code: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let quote: string | null = null;
  for (let i = start; i < code.length && i < start + 400; i++) {
    const ch = code[i];
    if (quote) {
      current += ch;
      if (ch === '\\') current += code[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      current += ch;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      current += ch;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) {
        if (current.trim()) args.push(current.trim());
        return args;
      }
      depth--;
      current += ch;
    } else if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

/** The code without `//` and `/* *\/` comments (string contents kept), so that commented-out calls do not count. */
function stripComments(text: string): string {
  return text.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (match, str: string | undefined) => str ?? match.replace(/[^\n]/g, ' '));
}

/**
 * True when a literal names `entry` (a path relative to the app folder): itself, a file below it,
 * or (unless `strict`) its name without extension, as configuration loaders take it.
 */
export function namesEntry(literal: string, entry: string, strict = false): boolean {
  const clean = posix.normalize(literal.replace(/^\.\//, '')).replace(/\/$/, '');
  if (clean === '.' || clean === '' || clean.startsWith('..')) return false;
  // A bare word (`version`, `src`) is too often a key or a label to make build input cross over.
  if (strict && !/[/.]/.test(literal)) return false;
  if (clean === entry || clean.startsWith(`${entry}/`) || entry.startsWith(`${clean}/`)) return true;
  // A glob (`templates/*.html`) names the folder before its first wildcard.
  const fixed = clean.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /[*?[]/.test(p))).join('/');
  if (fixed && fixed !== clean && (fixed === entry || entry.startsWith(`${fixed}/`) || fixed.startsWith(`${entry}/`))) return true;
  // `config` for `config.toml`: configuration libraries add the extension themselves.
  return !strict && !clean.includes('/') && !clean.includes('.') && posix.basename(entry).startsWith(`${clean}.`) && posix.dirname(entry) === '.';
}

export const GO: Language = {
  extensions: /\.go$/,
  opens: [
    { pattern: /\b(?:os\.(?:Open|OpenFile|ReadFile|Create|ReadDir|Stat|Lstat|Mkdir|MkdirAll|WriteFile|DirFS|Chdir)|ioutil\.(?:ReadFile|ReadDir|WriteFile)|filepath\.(?:Walk|WalkDir|Glob)|template\.(?:ParseFiles|ParseGlob)|\.(?:ParseFiles|ParseGlob|LoadHTMLGlob|LoadHTMLFiles|StaticFile)|http\.(?:Dir|ServeFile)|toml\.DecodeFile|ini\.Load|sqlite\.Open)\s*\(/ },
    { pattern: /\.(?:Static|StaticFS)\s*\(/, pathArg: 1 },
    // Only SQLite opens a file: its DSN is the path.
    { pattern: /\bsql\.Open\s*\(\s*"sqlite3?"\s*,/ },
    { pattern: /\.SaveUploadedFile\s*\(/, pathArg: 1 },
    { pattern: /\bgodotenv\.(?:Load|Overload|Read)\s*\(/, defaultPath: '.env' },
    { pattern: /\bviper\.(?:ReadInConfig|SetConfigFile|AddConfigPath|MergeInConfig)\s*\(/, defaultPath: null },
  ],
};

export const RUST: Language = {
  extensions: /\.rs$/,
  opens: [
    { pattern: /\b(?:File::(?:open|create)|fs::(?:read|read_to_string|read_dir|write|create_dir|create_dir_all|metadata|copy)|OpenOptions::new\(\)(?:\.\w+\([^)]*\))*\.open|Tera::new|Files::new|ServeDir::new|NamedFile::open|File::with_name|FileServer::from|Environment::new\(\)\.with_loader|SqlitePool::connect|Connection::open)\s*\(/ },
    { pattern: /\b(?:dotenv|dotenvy)(?:::dotenv)?\s*\(/, defaultPath: '.env' },
  ],
};

export const JAVA: Language = {
  extensions: /\.(?:java|kt|groovy|scala)$/,
  opens: [
    { pattern: /\b(?:new\s+(?:File|FileInputStream|FileReader|FileOutputStream|FileWriter|RandomAccessFile|DirectoryCodeResolver)|Paths\.get|Path\.of|ResourceUtils\.getFile|Files\.(?:readString|readAllLines|readAllBytes|newBufferedReader|newInputStream|lines|list|walk|write|writeString|createDirectories))\s*\(/ },
  ],
};

export const DOTNET: Language = {
  extensions: /\.(?:cs|fs|vb)$/,
  opens: [
    { pattern: /\b(?:File\.(?:ReadAllText|ReadAllLines|ReadAllBytes|OpenRead|Open|Exists|WriteAllText|Create)|Directory\.(?:GetFiles|EnumerateFiles|CreateDirectory|Exists)|new\s+(?:FileStream|StreamReader|StreamWriter|DirectoryInfo|FileInfo|PhysicalFileProvider)|AddJsonFile|AddXmlFile|AddIniFile)\s*\(/ },
  ],
};

export const NODE: Language = {
  extensions: /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/,
  opens: [
    { pattern: /\b(?:fs(?:\.promises)?|fsp|fse)\.\w+\s*\(/ },
    { pattern: /\b(?:readFileSync|readFile|createReadStream|createWriteStream|writeFileSync|writeFile|existsSync|readdirSync|readdir|mkdirSync|statSync|sendFile|render|serveStatic|static|Database)\s*\(/ },
    { pattern: /\bdotenv\.config\s*\(/, defaultPath: '.env' },
    // Paths built from the module's folder or the working directory: computed, whatever follows.
    { pattern: /\b(?:__dirname|__filename|process\.cwd\(\)|import\.meta\.(?:url|dirname))/, bare: true },
  ],
};

/** The context paths the Dockerfile copies into the image: the code that is built is among them. */
export function copiedSources(project: ProjectView): ReadonlySet<string> {
  return new Set(project.copies.entries.map((e) => e.source));
}
