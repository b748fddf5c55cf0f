import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { parseDockerfile, type DockerfileModel } from './dockerfile/parse';
import { parseCompose, yamlErrorCount, type ComposeModel } from './compose/parse';
import { buildProject, dotEnv, type ComposeProject } from './compose/project';
import { dirname } from 'node:path';
import { rules as catalogue, ruleById } from './rules/index';
import type { DocumentKind, FileAccess, Finding, Fix, Rule, RuleOptions, Severity } from './rules/types';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveLevel, emptyProjectConfig, DEFAULT_END_OF_LIFE_ERROR_AFTER_DAYS, type ProjectConfig, type Settings } from './config/settings';
import { isoDay } from './config/clock';
import { composeSuppressions, dockerfileSuppressions, isSuppressed, type Suppressions } from './config/ignores';
import { ignoreActions } from './fixes/ignoreActions';
import { fixAll, type FixAllResult, type FixFilter } from './fixes/fixAll';
import { hoverDockerfile } from './hover/dockerfile';
import { hoverCompose } from './hover/compose';
import { completeIgnoreComment } from './completion/ignores';
import { completeHealthcheck } from './completion/healthcheck';
import { completeCompose } from './features/completion/compose';
import { completeDockerfile } from './features/completion/dockerfile';
import { composeContext, type ComposeContext } from './features/composeContext';
import { defaultLimits, limitFinding, type Limits } from './limits';
import { detectBuilder } from './project/builder';

/** A file to analyse: what the editor has open, or what the CLI read from disk. */
export interface SourceFile {
  uri: string;
  text: string;
  kind: DocumentKind;
  version?: number;
}

/** Everything that decides which rules run and how loud they are. */
export interface LintConfig {
  settings: Settings;
  project: ProjectConfig;
}

export interface ResolvedFinding extends Finding {
  severity: Severity;
  aliases: string[];
  fixable: boolean;
}

export type Model = DockerfileModel | ComposeModel;

interface Analysis {
  text: string;
  /** Null once evicted (see MODELS_KEPT): the findings stay, the next request parses again. */
  model: Model | null;
  /** The findings under one configuration; a new configuration re-runs the rules, not the parser. */
  results: { configKey: string; findings: ResolvedFinding[]; reads: Map<string, string | null> } | null;
}

/**
 * Parsed models kept at once. A model is ~100 KB; findings are small. With a whole repository
 * open, only the documents in use keep their model (the server stays within its memory budget),
 * and a hover on a document untouched since then parses it once more.
 */
const MODELS_KEPT = 16;

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.shipshape`;
/** The rule whose fix is also offered as a refactoring (see multiStageRefactor). */
const MULTI_STAGE_RULE = 'prefer-multi-stage';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface ServiceOptions {
  /** Where the rule pages live, e.g. `file:///…/docs/rules`; a rule's page is `<base>/<id>.md`. */
  docsBase: string;
  /** How rules read files beside the document; by default nothing is readable. */
  files?: FileAccess;
  /** The rules to run; the whole catalogue by default (tests run one rule on its own). */
  rules?: readonly Rule[];
  /**
   * Told when a rule, fix, hover or completion throws. The request goes on without it (one broken
   * rule must not take the others down); by default the error goes to stderr, which the editor
   * shows in the server's output channel. Tests and the fuzzer make it fail the case.
   */
  onFailure?: (what: string, error: unknown) => void;
  /** The clock rules judge dates against (image-end-of-life); the system's by default. Tests pin it. */
  clock?: () => Date;
}

const noFiles: FileAccess = { read: () => null, exists: () => false };
/** Marks a recorded directory listing among the recorded reads (no file path starts with NUL). */
const LISTING = '\0list:';

/** The file-system path of a `file:` URI, or null. */
export function pathOf(uri: string): string | null {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri.replace(/#.*$/, '')) : null;
  } catch {
    return null;
  }
}

/**
 * The language service: documents and settings in, plain LSP types out. Analysis is synchronous
 * and runs once per document text and configuration; every rule reads the same parsed model.
 */
export class LanguageService {
  private readonly analyses = new Map<string, Analysis>();
  private readonly catalogue: readonly Rule[];
  private readonly byId: ReadonlyMap<string, Rule>;
  private readonly files: FileAccess;
  /** The limits of the latest lint; hovers and completions on a file past them do nothing. */
  private limits: Limits = defaultLimits;
  /**
   * The rule pages' base the latest lint's settings name (`shipshape.docsBaseUrl`, one value per
   * window), for the links of diagnostics, hovers and completions; else `options.docsBase`.
   */
  private docsBase: string | undefined;

  constructor(private readonly options: ServiceOptions) {
    this.catalogue = options.rules ?? catalogue;
    this.byId = options.rules ? new Map(options.rules.map((r) => [r.id, r])) : ruleById;
    this.files = options.files ?? noFiles;
  }

  private failed(what: string, error: unknown): void {
    (this.options.onFailure ?? logFailure)(what, error);
  }

  /** The day dates are judged against, `YYYY-MM-DD`. */
  today(): string {
    return isoDay((this.options.clock ?? (() => new Date()))());
  }

  docsUrl(ruleId: string): string {
    const base = this.docsBase ?? this.options.docsBase;
    return base.includes('{rule}') ? base.replaceAll('{rule}', ruleId) : `${base.replace(/\/$/, '')}/${ruleId}.md`;
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    this.analyses.delete(uri);
    this.modelOrder.delete(uri);
  }

  /** The parsed model of a file: parsed once per text, whichever request comes first. */
  model(file: SourceFile): Model {
    const cached = this.analyses.get(file.uri);
    if (cached && cached.text === file.text && cached.model) {
      this.touch(file.uri);
      return cached.model;
    }
    // The previous version's model lets the parser carry unchanged instructions over.
    const model = this.parse(file, cached?.model ?? null);
    if (cached && cached.text === file.text) cached.model = model;
    else this.analyses.set(file.uri, { text: file.text, model, results: null });
    this.touch(file.uri);
    return model;
  }

  /** Documents with a model, least recently used first. */
  private readonly modelOrder = new Set<string>();

  private touch(uri: string): void {
    this.modelOrder.delete(uri);
    this.modelOrder.add(uri);
    while (this.modelOrder.size > MODELS_KEPT) {
      const oldest = this.modelOrder.values().next().value!;
      this.modelOrder.delete(oldest);
      const analysis = this.analyses.get(oldest);
      if (analysis) analysis.model = null;
    }
  }

  private parse(file: SourceFile, previous: Model | null): Model {
    const document = TextDocument.create(file.uri, file.kind, file.version ?? 0, file.text);
    if (file.kind === 'dockerfile') return parseDockerfile(document, previous?.kind === 'dockerfile' ? previous : null);
    // Compose interpolates from the `.env` file beside the project.
    const path = pathOf(file.uri);
    return parseCompose(document, path ? dotEnv(dirname(path), this.files) : new Map());
  }

  lint(file: SourceFile, config: LintConfig): ResolvedFinding[] {
    if (!config.settings.enable) return [];
    // A file past the size limits gets one diagnostic and is never parsed (see limits.ts).
    this.limits = config.settings.limits ?? defaultLimits;
    this.docsBase = config.settings.docsBaseUrl;
    const limited = limitFinding(file.text, this.limits, file.kind);
    if (limited) {
      this.close(file.uri);
      return [{ ...limited, severity: 'warning', aliases: [], fixable: false }];
    }
    // Findings about dates change with the day, not only with the text and the configuration.
    const today = this.today();
    const configKey = `${JSON.stringify(config)}@${today}`;
    const model = this.model(file);
    const analysis = this.analyses.get(file.uri)!;
    // Findings also depend on the other files the rules read (override files, the Dockerfile a
    // service builds, .dockerignore): reuse them only while those read the same.
    const previous = analysis.results;
    if (previous?.configKey === configKey && [...previous.reads].every(([key, text]) => this.readAgain(key) === text)) return previous.findings;
    const reads = new Map<string, string | null>();
    const files: FileAccess = {
      read: (path) => {
        const text = this.files.read(path);
        reads.set(path, text);
        return text;
      },
      exists: (path) => {
        const exists = this.files.exists(path);
        if (!reads.has(path)) reads.set(path, exists ? this.files.read(path) : null);
        return exists;
      },
      list: (dir) => {
        const entries = this.files.list?.(dir) ?? null;
        reads.set(`${LISTING}${dir}`, entries && JSON.stringify(entries));
        return entries;
      },
    };
    const findings = runRules(this.catalogue, model, config, pathOf(file.uri), files, (what, error) => this.failed(what, error), today);
    analysis.results = { configKey, findings, reads };
    return findings;
  }

  /** What a recorded read (a file's text, or a directory's listing) gives now. */
  private readAgain(key: string): string | null {
    if (!key.startsWith(LISTING)) return this.files.read(key);
    const entries = this.files.list?.(key.slice(LISTING.length)) ?? null;
    return entries && JSON.stringify(entries);
  }

  diagnostics(file: SourceFile, config: LintConfig): Diagnostic[] {
    return this.lint(file, config).map((f) => this.toDiagnostic(f));
  }

  toDiagnostic(finding: ResolvedFinding): Diagnostic {
    return {
      range: finding.range,
      severity: severities[finding.severity],
      code: finding.rule,
      codeDescription: { href: this.docsUrl(finding.rule) },
      source: 'shipshape',
      message: finding.message,
      data: finding.data,
    };
  }

  /**
   * The fix a rule offers for one of its findings, computed only when asked for; undefined when
   * there is none or it was declined (see fixOutcome).
   */
  fixFor(file: SourceFile, finding: Finding, config?: LintConfig): Fix | undefined {
    const fix = this.fixOutcome(file, finding, config);
    return fix?.declined ? undefined : fix;
  }

  /**
   * The fix for a finding, or the fix the rule declined with its reason (`declined`). The settings
   * choose the builder fixes write for (`auto`: what the project shows).
   */
  fixOutcome(file: SourceFile, finding: Finding, config?: LintConfig): Fix | undefined {
    const rule = this.byId.get(finding.rule);
    if (!rule?.fixable) return undefined;
    const model = this.model(file);
    const path = pathOf(file.uri);
    const chosen = config?.settings.builder ?? 'auto';
    // Looking for build scripts reads folders: only the fixes that write BuildKit syntax ask.
    let builder: 'buildkit' | 'classic' | undefined;
    const files = this.files;
    const context = {
      path,
      files,
      get builder() {
        return (builder ??= chosen === 'auto' ? detectBuilder(path, files).builder : chosen);
      },
    };
    try {
      if (model.kind === 'dockerfile') return rule.dockerfile?.fix?.(finding, model, context);
      const fix = rule.compose?.fix?.(finding, model, context);
      // Compose fixes write YAML at node ranges. On text the parser reads leniently (an unclosed
      // quote at the end, a list less indented than its key) an insertion can turn that into an
      // error: such a fix is not offered.
      if (fix && fix.edits.length > 0 && yamlErrorCount(TextDocument.applyEdits(model.document, fix.edits)) > model.yaml.errors.length) return undefined;
      return fix;
    } catch (error) {
      // A fix that cannot work out its edit offers nothing rather than a wrong edit.
      this.failed(`fix of ${rule.id}`, error);
      return undefined;
    }
  }

  /**
   * Quick fixes and ignore actions for the diagnostics in the editor's context, plus fix-all
   * when asked for `source.fixAll`.
   */
  codeActions(file: SourceFile, config: LintConfig, diagnostics: Diagnostic[], only?: string[], client: ClientSupport = fullSupport): CodeAction[] {
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    if (limitFinding(file.text, this.limits, file.kind)) return actions;
    const model = this.model(file);
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== 'shipshape' || typeof diagnostic.code !== 'string' || !this.byId.has(diagnostic.code)) continue;
        const rule = this.byId.get(diagnostic.code)!;
        const finding: Finding = { rule: rule.id, range: diagnostic.range, message: diagnostic.message, data: diagnostic.data as Finding['data'] };
        const fix = this.fixOutcome(file, finding, config);
        const action = fix && this.fixAction(file, fix, CodeActionKind.QuickFix, client);
        if (action) actions.push({ ...action, diagnostics: [diagnostic] });
        actions.push(...ignoreActions(model, rule, diagnostic, file.uri));
      }
    }
    if (wants(CodeActionKind.RefactorRewrite)) actions.push(...this.multiStageRefactor(file, config, actions, client));
    if (wants(FIX_ALL_KIND) && (only?.length ?? 0) > 0) {
      const result = this.fixAll(file, config);
      if (result.applied > 0) {
        const document = TextDocument.create(file.uri, file.kind, 0, file.text);
        actions.push({
          title: 'Fix all auto-fixable Shipshape problems',
          kind: FIX_ALL_KIND,
          edit: { changes: { [file.uri]: [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(file.text.length) }, newText: result.text }] } },
        });
      }
    }
    return actions;
  }

  /**
   * The multi-stage conversion as a refactoring anywhere in a Dockerfile that has the
   * `prefer-multi-stage` finding (the same edit as its quick fix, which is not offered twice).
   */
  private multiStageRefactor(file: SourceFile, config: LintConfig, offered: CodeAction[], client: ClientSupport): CodeAction[] {
    if (file.kind !== 'dockerfile' || offered.some((a) => a.diagnostics?.some((d) => d.code === MULTI_STAGE_RULE))) return [];
    const finding = this.lint(file, config).find((f) => f.rule === MULTI_STAGE_RULE);
    const fix = finding && this.fixOutcome(file, finding, config);
    const action = fix && this.fixAction(file, fix, CodeActionKind.RefactorRewrite, client);
    return action ? [action] : [];
  }

  /**
   * A fix as a code action: its edit (annotated when the fix rests on assumptions), or, when the
   * fix was declined, a disabled action whose reason says why (for clients that show them).
   */
  private fixAction(file: SourceFile, fix: Fix, kind: string, client: ClientSupport): CodeAction | null {
    if (fix.declined) return client.disabledActions ? { title: fix.title, kind, disabled: { reason: fix.declined.reason } } : null;
    return { title: fix.title, kind, ...(kind === CodeActionKind.QuickFix ? { isPreferred: fix.safe } : {}), edit: workspaceEdit(file, fix, this.files, client.changeAnnotations) };
  }

  /** Applies fixes until none is left to apply; see fixes/fixAll.ts. */
  fixAll(file: SourceFile, config: LintConfig, filter: FixFilter = {}): FixAllResult {
    const result = fixAll(this, file, config, filter);
    return { ...result, createFiles: result.createFiles.filter((f) => !this.files.exists(f.path)) };
  }

  /**
   * `limits`: the document's settings, when the caller has them; else those of the latest lint.
   * With the configuration, a finding under the cursor whose fix was declined says why.
   */
  hover(file: SourceFile, position: Position, limits: Limits = this.limits, config?: LintConfig, options: { schemaDescriptions?: boolean } = {}): Hover | null {
    if (limitFinding(file.text, limits, file.kind)) return null;
    const model = this.model(file);
    try {
      const hover = model.kind === 'dockerfile' ? hoverDockerfile(model, position, this) : hoverCompose(model, position, this, composeContext(model, pathOf(file.uri), this.files), options.schemaDescriptions !== false);
      const notes = config ? this.declinedNotes(file, config, position) : [];
      if (notes.length === 0) return hover;
      const own = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      return { contents: { kind: 'markdown', value: [...notes, ...(own ? [own] : [])].join('\n\n') }, range: hover?.range };
    } catch (error) {
      this.failed('hover', error);
      return null;
    }
  }

  /** For each finding at a position whose fix is declined: what is not offered, and why. */
  private declinedNotes(file: SourceFile, config: LintConfig, position: Position): string[] {
    const at = (f: Finding) => (f.range.start.line < position.line || (f.range.start.line === position.line && f.range.start.character <= position.character)) &&
      (f.range.end.line > position.line || (f.range.end.line === position.line && f.range.end.character >= position.character));
    const notes: string[] = [];
    for (const finding of this.lint(file, config).filter(at)) {
      if (!finding.fixable) continue;
      const fix = this.fixOutcome(file, finding, config);
      if (fix?.declined) notes.push(`**${fix.title}** is not offered: ${fix.declined.reason}.`);
    }
    return notes;
  }

  complete(file: SourceFile, position: Position, limits: Limits = this.limits): CompletionItem[] {
    if (limitFinding(file.text, limits, file.kind)) return [];
    const model = this.model(file);
    try {
      const own = model.kind === 'dockerfile' ? completeHealthcheck(model, file.text, position, () => { throw new Error('no project'); }) : completeCompose(composeContext(model, pathOf(file.uri), this.files), file.text, position);
      // The Dockerfile's everyday completions come after ours (ignore comments, fitted healthchecks), once per label.
      const context = model.kind === 'dockerfile' ? this.dockerfileFeature(file, limits) : null;
      const everyday = context ? this.attempt('completion', () => completeDockerfile(context, position, this.today()), []) : [];
      const first = [...completeIgnoreComment(file, position, this), ...own];
      const labels = new Set(first.map((i) => i.label));
      return [...first, ...everyday.filter((i) => !labels.has(i.label))];
    } catch (error) {
      this.failed('completion', error);
      return [];
    }
  }

  rules(): readonly Rule[] {
    return this.catalogue;
  }

  /**
   * What a Compose editor feature (features/<feature>/compose.ts) reads: the file's model and its
   * project; null for a Dockerfile or a file past the size limits.
   */
  composeFeature(file: SourceFile, limits: Limits = this.limits): ComposeContext | null {
    if (file.kind !== 'compose' || limitFinding(file.text, limits, file.kind)) return null;
    const model = this.model(file);
    return model.kind === 'compose' ? composeContext(model, pathOf(file.uri), this.files) : null;
  }

  /**
   * What a Dockerfile editor feature (features/<feature>/dockerfile.ts) reads: the text and the
   * parsed model; null for a Compose file or a file past the size limits.
   */
  dockerfileFeature(file: SourceFile, limits: Limits = this.limits): DockerfileContext | null {
    if (file.kind !== 'dockerfile' || limitFinding(file.text, limits, file.kind)) return null;
    const model = this.model(file);
    return model.kind === 'dockerfile' ? { uri: file.uri, path: pathOf(file.uri), text: file.text, model, files: this.files } : null;
  }

  /** Runs an editor feature; one that throws is reported (see onFailure) and answers `fallback`. */
  attempt<T>(what: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      this.failed(what, error);
      return fallback;
    }
  }
}

/** What the client can show: disabled code actions with their reason, change annotations. */
/** What every Dockerfile editor feature reads (LanguageService.dockerfileFeature). */
export interface DockerfileContext {
  uri: string;
  path: string | null;
  text: string;
  model: DockerfileModel;
  files: FileAccess;
}

export interface ClientSupport {
  disabledActions: boolean;
  changeAnnotations: boolean;
}

const fullSupport: ClientSupport = { disabledActions: true, changeAnnotations: true };

/**
 * A fix as a workspace edit: text edits, plus new files through resource operations. A fix that
 * rests on assumptions carries them as a change annotation; with `needsConfirmation` the editor
 * shows the refactor preview before applying.
 */
function workspaceEdit(file: SourceFile, fix: Fix, files: FileAccess, annotations = false): WorkspaceEdit {
  const created = (fix.createFiles ?? []).filter((f) => !files.exists(f.path));
  if (fix.annotation && annotations && created.length === 0) {
    const id = 'shipshape.assumptions';
    const edits: TextEdit[] = fix.edits.map((e) => ({ ...e, annotationId: id }));
    return {
      documentChanges: [{ textDocument: { uri: file.uri, version: file.version ?? null }, edits }],
      changeAnnotations: { [id]: fix.annotation },
    };
  }
  if (created.length === 0) return { changes: { [file.uri]: fix.edits } };
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const f of created) {
    const uri = pathToFileURL(f.path).href;
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: f.text }] });
  }
  if (fix.edits.length > 0) documentChanges.push({ textDocument: { uri: file.uri, version: file.version ?? null }, edits: fix.edits });
  return { documentChanges };
}

/** Runs every enabled rule of the document's kind over the shared model, then applies suppressions. */
function runRules(catalogue: readonly Rule[], model: Model, config: LintConfig, path: string | null, files: FileAccess, failed: (what: string, error: unknown) => void, today: string): ResolvedFinding[] {
  const options: RuleOptions = {
    trustedRegistries: config.settings.trustedRegistries.length > 0 ? config.settings.trustedRegistries : config.project.trustedRegistries,
    today,
    endOfLifeErrorAfterDays: config.settings.endOfLifeErrorAfterDays ?? config.project?.endOfLifeErrorAfterDays ?? DEFAULT_END_OF_LIFE_ERROR_AFTER_DAYS,
  };
  const suppressions: Suppressions = model.kind === 'dockerfile' ? dockerfileSuppressions(model) : composeSuppressions(model.document.getText());
  const findings: ResolvedFinding[] = [];
  const seen = new Set<string>();
  let built: ComposeProject | null = null;
  const project = () => (built ??= buildProject(model as ComposeModel, path, files));
  // A Compose file that YAML cannot parse is read only up to its first error: what the other
  // rules would say about the rest is noise while the user is mid-edit.
  const broken = model.kind === 'compose' && model.yaml.errors.length > 0;
  for (const rule of catalogue) {
    if (broken && rule.id !== 'compose-syntax') continue;
    const { severity, chosen } = resolveLevel(rule, config.settings, config.project ?? emptyProjectConfig);
    if (!severity) continue;
    const report = (finding: Omit<Finding, 'rule'>) => {
      if (isSuppressed(suppressions, rule, finding.range)) return;
      // A value written once under an anchor and merged into several services is reported once.
      const key = `${rule.id}@${finding.range.start.line}:${finding.range.start.character}-${finding.range.end.line}:${finding.range.end.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({ ...finding, rule: rule.id, severity: chosen ? severity : finding.severity ?? severity, aliases: rule.aliases, fixable: rule.fixable });
    };
    try {
      if (model.kind === 'dockerfile') rule.dockerfile?.check({ dockerfile: model, options, report, path, files });
      else rule.compose?.check({ compose: model, options, report, path, files, project: project() });
    } catch (error) {
      // One broken rule must not take the others (or the server) down with it.
      failed(`rule ${rule.id}`, error);
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
}

function logFailure(what: string, error: unknown): void {
  process.stderr.write(`shipshape: ${what} failed: ${(error as Error)?.stack ?? String(error)}\n`);
}
