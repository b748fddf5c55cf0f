import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LanguageService, type LintConfig, type SourceFile } from './service';
import { confinedFiles, diskFiles, isInside, kindFromPath } from './files';
import { normalizeSettings, emptyProjectConfig, docsBaseUrl, type ProjectConfig } from './config/settings';
import { ConfigError, findProjectFile, readProjectFile } from './config/projectFile';
import { format, formats, type Format, type Reported } from './output';
import type { DocumentKind, Severity } from './rules/types';
import { initShellParser } from './dockerfile/shell';
import { environmentClock } from './config/clock';

const VERSION = '0.1.0';

const USAGE = `Usage:
  shipshape lint [paths…] [--format stylish|json|sarif|github] [--fail-level error|warning|info]
                 [--all] [--config FILE] [--kind dockerfile|compose]
                 [--max-file-size BYTES] [--max-lines N] [--docs-base-url URL]
  shipshape fix  [paths…] [--rule ID]… [--stdout] [--all] [--config FILE] [--kind dockerfile|compose]
                 [--builder auto|buildkit|classic]
  shipshape rules [--format json|table]

--max-file-size (default 2000000) and --max-lines (default 20000) bound what one file may ask of
the analyser; a file past them gets one analysis-limit finding instead of being parsed.

--docs-base-url points SARIF help URIs at the rule pages where your team hosts them
(<URL>/<rule-id>.md, or the URL with {rule} replaced by the rule id); the default is the pages
shipped with Shipshape.

--builder (default auto) is the builder the images are built with: with classic, fixes and the
multi-stage conversion write no BuildKit-only syntax (RUN --mount, # syntax, here-documents);
auto uses BuildKit unless a build script near the Dockerfile turns it off.

Paths are files or directories (searched recursively for Dockerfiles and Compose files,
skipping node_modules and .git); the default is the current directory. A named file whose name
says neither (pwd.yml) needs --kind; lint reports it and still lints the others. With --kind, a
directory yields only files of that kind, including names the editor does not know: for
dockerfile any name holding Dockerfile or Containerfile, for compose any .yml/.yaml file.

Exit codes: 0 no finding at or above --fail-level (default warning), 1 findings at or above it,
2 usage or I/O error, or a named path that could not be read or classified.`;

class UsageError extends Error {}

interface Options {
  command: string;
  paths: string[];
  format: string;
  failLevel: Severity;
  all: boolean;
  config?: string;
  kind?: DocumentKind;
  rules: string[];
  stdout: boolean;
  limits: { maxFileSize?: number; maxLines?: number };
  builder: 'auto' | 'buildkit' | 'classic';
  docsBaseUrl?: string;
}

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  const options: Options = { command: command ?? '', paths: [], format: '', failLevel: 'warning', all: false, rules: [], stdout: false, limits: {}, builder: 'auto' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format':
      case '-f':
        options.format = value();
        break;
      case '--fail-level': {
        const level = value();
        if (!['error', 'warning', 'info', 'hint'].includes(level)) throw new UsageError(`--fail-level must be error, warning or info, not "${level}"`);
        options.failLevel = level as Severity;
        break;
      }
      case '--all':
        options.all = true;
        break;
      case '--config':
      case '-c':
        options.config = value();
        break;
      case '--kind': {
        const kind = value();
        if (kind !== 'dockerfile' && kind !== 'compose') throw new UsageError(`--kind must be dockerfile or compose, not "${kind}"`);
        options.kind = kind;
        break;
      }
      case '--rule':
        options.rules.push(...value().split(',').filter(Boolean));
        break;
      case '--stdout':
        options.stdout = true;
        break;
      case '--builder': {
        const builder = value();
        if (builder !== 'auto' && builder !== 'buildkit' && builder !== 'classic') throw new UsageError(`--builder must be auto, buildkit or classic, not "${builder}"`);
        options.builder = builder;
        break;
      }
      case '--docs-base-url': {
        const raw = value();
        options.docsBaseUrl = docsBaseUrl(raw);
        if (!options.docsBaseUrl) throw new UsageError(`--docs-base-url must be an absolute http, https or file URL, not "${raw}"`);
        break;
      }
      case '--max-file-size':
      case '--max-lines': {
        const raw = value();
        const n = Number(raw);
        if (!/^\d+$/.test(raw) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
        options.limits[flag === '--max-lines' ? 'maxLines' : 'maxFileSize'] = n;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        options.paths.push(arg);
    }
  }
  return options;
}

/**
 * Files to lint: explicit files as given, directories searched for names the extension knows.
 * A path that cannot be read or classified is one problem among the files, not the end of the
 * run: the caller lints the rest, reports each problem on stderr and exits 2 at the end.
 */
function discover(paths: string[], forced: DocumentKind | undefined): { found: { path: string; kind: DocumentKind }[]; problems: string[] } {
  const found: { path: string; kind: DocumentKind }[] = [];
  const problems: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push(`cannot read directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(path);
      } else if (entry.isFile()) {
        const kind = kindFromPath(entry.name) ?? looseKind(entry.name, forced);
        if (kind && (!forced || kind === forced)) found.push({ path, kind });
      }
    }
  };
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      problems.push(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`);
      continue;
    }
    if (stats.isDirectory()) {
      walk(path);
    } else {
      const kind = forced ?? kindFromPath(path);
      if (kind) found.push({ path, kind });
      else problems.push(`cannot tell whether ${path} is a Dockerfile or a Compose file; pass --kind dockerfile|compose`);
    }
  }
  return { found, problems };
}

/**
 * With --kind, a directory also yields the files of that kind whose names the editor does not
 * know: for dockerfile, any name holding `Dockerfile` or `Containerfile` (`api__Dockerfile`,
 * `Dockerfile.j2`); for compose, any `.yml`/`.yaml` file (`pwd.yml`). Without it, only the known names.
 */
function looseKind(name: string, forced: DocumentKind | undefined): DocumentKind | null {
  if (forced === 'dockerfile' && /dockerfile|containerfile/i.test(name) && !/\.dockerignore$|\.(?:md|txt|json|ya?ml|sh|py|js|ts)$/i.test(name)) return 'dockerfile';
  if (forced === 'compose' && /\.ya?ml$/i.test(name)) return 'compose';
  return null;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function loadConfig(options: Options): LintConfig {
  let project: ProjectConfig = emptyProjectConfig;
  const path = options.config ?? findProjectFile(process.cwd());
  if (path) project = readProjectFile(path);
  return { settings: normalizeSettings({ all: options.all, limits: options.limits, builder: options.builder }), project };
}

const order: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

function main(argv: string[]): number {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const options = parseArgs(argv);
  // Rules read files beside the linted ones (override files, .dockerignore, the Dockerfile a
  // service builds, the build context above a Dockerfile) only under the paths given (a directory
  // argument, or a file's own folder) and the working directory when they lie in it: the
  // repository the command runs in.
  const cwd = process.cwd();
  const roots = (options.paths.length > 0 ? options.paths : ['.']).flatMap((p) => {
    const absolute = resolve(p);
    let root: string;
    try {
      root = statSync(absolute).isDirectory() ? absolute : dirname(absolute);
    } catch {
      root = dirname(absolute);
    }
    return isInside(root, cwd) ? [root, cwd] : [root];
  });
  const service = new LanguageService({ docsBase: options.docsBaseUrl ?? pathToFileURL(resolve(__dirname, '..', 'docs', 'rules')).href, files: confinedFiles(diskFiles, () => roots), clock: environmentClock() });

  if (options.command === 'rules') {
    const rules = service.rules().map((r) => ({
      id: r.id, aliases: r.aliases, kind: r.kind, category: r.category, severity: r.severity,
      enabledByDefault: r.enabledByDefault, fixable: r.fixable, title: r.title, docs: `docs/rules/${r.id}.md`,
    }));
    if (options.format === 'json') process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    else if (options.format === '' || options.format === 'table') for (const r of rules) process.stdout.write(`${r.id.padEnd(24)} ${r.kind.padEnd(10)} ${r.severity.padEnd(8)} ${r.title}\n`);
    else throw new UsageError(`rules --format must be json or table`);
    return 0;
  }
  if (options.command !== 'lint' && options.command !== 'fix') throw new UsageError(`unknown command "${options.command}"`);

  const config = loadConfig(options);
  const { found: files, problems } = discover(options.paths.length > 0 ? options.paths : ['.'], options.kind);
  // fix writes files: it writes none when a named file is missing or unknown.
  if (options.command === 'fix' && problems.length > 0) throw new UsageError(problems.join('\nshipshape: '));

  if (options.command === 'fix') {
    if (options.stdout && files.length !== 1) throw new UsageError('--stdout takes exactly one file');
    const filter = options.rules.length > 0 ? { rules: options.rules } : {};
    for (const { path, kind } of files) {
      const file: SourceFile = { uri: pathToFileURL(resolve(path)).href, text: read(path), kind };
      const result = service.fixAll(file, config, filter);
      // A fix the user asked for by name that cannot be made says why (stdout stays the file).
      for (const declined of result.declined) process.stderr.write(`${path}: ${declined.summary}: ${declined.reason}\n`);
      if (options.stdout) for (const rule of result.unreported) process.stderr.write(`${path}: ${rule} reports nothing here, so there is nothing to fix\n`);
      if (options.stdout) {
        process.stdout.write(result.text);
      } else if (result.text !== file.text) {
        writeFileSync(path, result.text);
        process.stderr.write(`${path}: applied ${result.applied} fix${result.applied === 1 ? '' : 'es'}\n`);
      }
      for (const created of result.createFiles) {
        if (options.stdout) {
          process.stderr.write(`${created.path}: not created (--stdout writes nothing)\n`);
        } else {
          writeFileSync(created.path, created.text, { flag: 'wx' });
          process.stderr.write(`${created.path}: created\n`);
        }
      }
    }
    return 0;
  }

  const fmt = (options.format || 'stylish') as Format;
  if (!formats.includes(fmt)) throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  const results: Reported[] = [];
  for (const { path, kind } of files) {
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      continue;
    }
    const file: SourceFile = { uri: pathToFileURL(resolve(path)).href, text, kind };
    for (const finding of service.lint(file, config)) {
      results.push({
        file: path,
        rule: finding.rule,
        aliases: finding.aliases,
        severity: finding.severity,
        message: finding.message,
        range: finding.range,
        fixable: finding.fixable && service.fixFor(file, finding) !== undefined,
      });
    }
    service.close(file.uri);
  }
  // The pages shipped beside the CLI, whatever --docs-base-url says (they are the same pages).
  const page = (id: string) => (/^[a-z0-9-]+$/.test(id) ? diskFiles.read(resolve(__dirname, '..', 'docs', 'rules', `${id}.md`)) : null);
  process.stdout.write(format(fmt, results, service.rules(), (id) => service.docsUrl(id), VERSION, fmt === 'stylish' && process.stdout.isTTY === true, page));
  for (const problem of problems) process.stderr.write(`shipshape: ${problem}\n`);
  if (problems.length > 0) return 2;
  return results.some((r) => order[r.severity] >= order[options.failLevel]) ? 1 : 0;
}

initShellParser().then(() => {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    fail(error);
  }
}, fail);

function fail(error: unknown): void {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`shipshape: ${error.message}\n`);
    if (error instanceof UsageError && /unknown (command|option)/.test(error.message)) process.stderr.write(`\n${USAGE}\n`);
  } else {
    process.stderr.write(`shipshape: internal error: ${(error as Error)?.stack ?? error}\n`);
  }
  process.exitCode = 2;
}
