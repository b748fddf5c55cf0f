import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
} from 'vscode-languageserver-types';
import { parseDockerfile, type DockerfileModel } from './dockerfile/parse';
import { parseCompose, type ComposeModel } from './compose/parse';
import { rules as catalogue, ruleById } from './rules/index';
import type { DocumentKind, Finding, Fix, Rule, RuleOptions, Severity } from './rules/types';
import { effectiveSeverity, emptyProjectConfig, type ProjectConfig, type Settings } from './config/settings';
import { composeSuppressions, dockerfileSuppressions, isSuppressed, type Suppressions } from './config/ignores';
import { ignoreActions } from './fixes/ignoreActions';
import { fixAll, type FixFilter } from './fixes/fixAll';
import { hoverDockerfile } from './hover/dockerfile';
import { hoverCompose } from './hover/compose';
import { completeIgnoreComment } from './completion/ignores';

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
  model: Model;
  /** The findings under one configuration; a new configuration re-runs the rules, not the parser. */
  results: { configKey: string; findings: ResolvedFinding[] } | null;
}

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.shipshape`;

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface ServiceOptions {
  /** Where the rule pages live, e.g. `file:///…/docs/rules`; a rule's page is `<base>/<id>.md`. */
  docsBase: string;
}

/**
 * The language service: documents and settings in, plain LSP types out. Analysis is synchronous
 * and runs once per document text and configuration; every rule reads the same parsed model.
 */
export class LanguageService {
  private readonly analyses = new Map<string, Analysis>();

  constructor(private readonly options: ServiceOptions) {}

  docsUrl(ruleId: string): string {
    return `${this.options.docsBase.replace(/\/$/, '')}/${ruleId}.md`;
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    this.analyses.delete(uri);
  }

  /** The parsed model of a file: parsed once per text, whichever request comes first. */
  model(file: SourceFile): Model {
    const cached = this.analyses.get(file.uri);
    if (cached && cached.text === file.text) return cached.model;
    const model = parse(file);
    this.analyses.set(file.uri, { text: file.text, model, results: null });
    return model;
  }

  lint(file: SourceFile, config: LintConfig): ResolvedFinding[] {
    if (!config.settings.enable) return [];
    const configKey = JSON.stringify(config);
    const model = this.model(file);
    const analysis = this.analyses.get(file.uri)!;
    if (analysis.results?.configKey === configKey) return analysis.results.findings;
    const findings = runRules(model, config);
    analysis.results = { configKey, findings };
    return findings;
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

  /** The fix a rule offers for one of its findings, computed only when asked for. */
  fixFor(file: SourceFile, finding: Finding): Fix | undefined {
    const rule = ruleById.get(finding.rule);
    if (!rule?.fixable) return undefined;
    const model = this.model(file);
    try {
      if (model.kind === 'dockerfile') return rule.dockerfile?.fix?.(finding, model);
      return rule.compose?.fix?.(finding, model);
    } catch (error) {
      // A fix that cannot work out its edit offers nothing rather than a wrong edit.
      logFailure(`fix of ${rule.id}`, error);
      return undefined;
    }
  }

  /**
   * Quick fixes and ignore actions for the diagnostics in the editor's context, plus fix-all
   * when asked for `source.fixAll`.
   */
  codeActions(file: SourceFile, config: LintConfig, diagnostics: Diagnostic[], only?: string[]): CodeAction[] {
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    const model = this.model(file);
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== 'shipshape' || typeof diagnostic.code !== 'string' || !ruleById.has(diagnostic.code)) continue;
        const rule = ruleById.get(diagnostic.code)!;
        const finding: Finding = { rule: rule.id, range: diagnostic.range, message: diagnostic.message, data: diagnostic.data as Finding['data'] };
        const fix = this.fixFor(file, finding);
        if (fix) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: fix.safe,
            edit: { changes: { [file.uri]: fix.edits } },
          });
        }
        actions.push(...ignoreActions(model, rule, diagnostic, file.uri));
      }
    }
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

  /** Applies fixes until none is left to apply; see fixes/fixAll.ts. */
  fixAll(file: SourceFile, config: LintConfig, filter: FixFilter = {}): { text: string; applied: number } {
    return fixAll(this, file, config, filter);
  }

  hover(file: SourceFile, position: Position): Hover | null {
    const model = this.model(file);
    try {
      return model.kind === 'dockerfile' ? hoverDockerfile(model, position, this) : hoverCompose(model, position, this);
    } catch (error) {
      logFailure('hover', error);
      return null;
    }
  }

  complete(file: SourceFile, position: Position): CompletionItem[] {
    return completeIgnoreComment(file, position, this);
  }

  rules(): readonly Rule[] {
    return catalogue;
  }
}

function parse(file: SourceFile): Model {
  const document = TextDocument.create(file.uri, file.kind, file.version ?? 0, file.text);
  return file.kind === 'dockerfile' ? parseDockerfile(document) : parseCompose(document);
}

/** Runs every enabled rule of the document's kind over the shared model, then applies suppressions. */
function runRules(model: Model, config: LintConfig): ResolvedFinding[] {
  const options: RuleOptions = {
    trustedRegistries: config.settings.trustedRegistries.length > 0 ? config.settings.trustedRegistries : config.project.trustedRegistries,
  };
  const suppressions: Suppressions = model.kind === 'dockerfile' ? dockerfileSuppressions(model) : composeSuppressions(model.document.getText());
  const findings: ResolvedFinding[] = [];
  const seen = new Set<string>();
  for (const rule of catalogue) {
    const severity = effectiveSeverity(rule, config.settings, config.project ?? emptyProjectConfig);
    if (!severity) continue;
    const report = (finding: Omit<Finding, 'rule'>) => {
      if (isSuppressed(suppressions, rule, finding.range)) return;
      // A value written once under an anchor and merged into several services is reported once.
      const key = `${rule.id}@${finding.range.start.line}:${finding.range.start.character}-${finding.range.end.line}:${finding.range.end.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({ ...finding, rule: rule.id, severity, aliases: rule.aliases, fixable: rule.fixable });
    };
    try {
      if (model.kind === 'dockerfile') rule.dockerfile?.check({ dockerfile: model, options, report });
      else rule.compose?.check({ compose: model, options, report });
    } catch (error) {
      // One broken rule must not take the others (or the server) down with it.
      logFailure(`rule ${rule.id}`, error);
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
}

function logFailure(what: string, error: unknown): void {
  process.stderr.write(`shipshape: ${what} failed: ${(error as Error)?.stack ?? String(error)}\n`);
}
