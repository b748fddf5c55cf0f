import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../dockerfile/parse';
import type { ComposeModel } from '../compose/parse';
import type { ComposeProject } from '../compose/project';
import { scopedFix } from '../compose/effective';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Level = Severity | 'off';
export type Category = 'size' | 'caching' | 'security' | 'reliability' | 'correctness' | 'style';
export type DocumentKind = 'dockerfile' | 'compose';
export type RuleKind = DocumentKind | 'both';

/** What a rule reports: where, what, and what its fix needs to know. */
export interface Finding {
  rule: string;
  range: Range;
  message: string;
  data?: Record<string, unknown>;
  /**
   * The level this finding deserves when the user has not set one for its rule (a secret in ENV
   * is an error where the rule's default is a warning). A user's level always wins.
   */
  severity?: Severity;
}

/** Read access to the files beside the document (the build context, `.dockerignore`…). */
export interface FileAccess {
  /** The file's text, or null when it does not exist or cannot be read. */
  read(path: string): string | null;
  exists(path: string): boolean;
  /**
   * The entries of a directory, or null when it does not exist or cannot be listed. Optional: a
   * reader without it (an unsaved buffer's, a remote one) lets nothing walk a tree, and what needs
   * the tree says so instead of guessing.
   */
  list?(dir: string): DirEntry[] | null;
}

/** One entry of a listed directory; symbolic links count as files (COPY does not follow them). */
export interface DirEntry {
  name: string;
  directory: boolean;
}

export interface Fix {
  /** Imperative, shown in the lightbulb menu. */
  title: string;
  edits: TextEdit[];
  /** New files the fix creates (absolute paths); an existing file is never overwritten. */
  createFiles?: { path: string; text: string }[];
  /**
   * A safe fix keeps the image's behaviour and is applied by fix-all and `shipshape fix`.
   * An unsafe one (say, switching the user) is offered as a quick fix only, or applied by
   * `shipshape fix --rule <id>` when the user names the rule.
   */
  safe: boolean;
  /**
   * Set when the fix cannot be made here: no edit, and the reason shown instead (a disabled code
   * action, the finding's hover, a line on the CLI's stderr: `FILE: <summary>: <reason>`).
   */
  declined?: { summary: string; reason: string };
  /**
   * What the edit rests on, for the editor's change annotation; `needsConfirmation` opens the
   * refactor preview instead of applying the edit at once.
   */
  annotation?: { label: string; description: string; needsConfirmation: boolean };
  /**
   * Compose fixes: services besides the finding's own (`data.service`) whose configuration the fix
   * changes on purpose (the clients a network fix attaches); a change to any other service
   * withdraws the fix (see compose/effective.ts).
   */
  services?: string[];
}

/** Settings a rule may read; severities and suppression never reach rules. */
export interface RuleOptions {
  trustedRegistries: string[];
  /** The day dates are judged against (`YYYY-MM-DD`), from the service's clock. */
  today: string;
  /** Days past an image's end of life after which image-end-of-life reports an error, not a warning. */
  endOfLifeErrorAfterDays: number;
}

export interface Reporter {
  report(finding: Omit<Finding, 'rule'>): void;
}

export interface DockerfileCheckContext extends Reporter {
  dockerfile: DockerfileModel;
  options: RuleOptions;
  /** The document's path on disk, or null for an unsaved or remote document. */
  path: string | null;
  files: FileAccess;
}

export interface ComposeCheckContext extends Reporter {
  compose: ComposeModel;
  /** The merged project (override files, extends, the Dockerfiles services build); report only nodes of `compose`. */
  project: ComposeProject;
  options: RuleOptions;
  path: string | null;
  files: FileAccess;
}

/** What a fix may read besides the model. */
export interface FixContext {
  path: string | null;
  files: FileAccess;
  /** The builder the user's images are built with: with `classic`, fixes write no BuildKit-only syntax. */
  builder?: 'buildkit' | 'classic';
}

export interface RuleMeta {
  id: string;
  /** hadolint, BuildKit, dclint or KICS ids this rule covers: ignore comments and configs name them. */
  aliases: string[];
  title: string;
  category: Category;
  severity: Severity;
  /** Rules that are off by default run only with `--all` or when a setting names them. */
  enabledByDefault?: boolean;
}

export interface DockerfileRuleParts {
  check(ctx: DockerfileCheckContext): void;
  fix?(finding: Finding, dockerfile: DockerfileModel, context: FixContext): Fix | undefined;
}

export interface ComposeRuleParts {
  check(ctx: ComposeCheckContext): void;
  fix?(finding: Finding, compose: ComposeModel, context: FixContext): Fix | undefined;
}

export interface Rule extends Required<RuleMeta> {
  kind: RuleKind;
  fixable: boolean;
  dockerfile?: DockerfileRuleParts;
  compose?: ComposeRuleParts;
}

function complete(meta: RuleMeta, parts: { dockerfile?: DockerfileRuleParts; compose?: ComposeRuleParts }): Rule {
  const kind: RuleKind = parts.dockerfile && parts.compose ? 'both' : parts.dockerfile ? 'dockerfile' : 'compose';
  return {
    enabledByDefault: true,
    ...meta,
    kind,
    fixable: Boolean(parts.dockerfile?.fix || parts.compose?.fix),
    ...parts,
  };
}

/**
 * A fix that needs BuildKit-only syntax, declined for the classic builder: the editor shows it
 * disabled with the reason, the CLI prints it (`not fixed: …`).
 */
export function classicDeclined(title: string, syntax: string): Fix {
  return { title, edits: [], safe: false, declined: { summary: 'not fixed', reason: `the fix writes ${syntax}, which the classic builder (shipshape.builder: classic) does not support` } };
}

export function dockerfileRule(def: RuleMeta & DockerfileRuleParts): Rule {
  const { check, fix, ...meta } = def;
  return complete(meta, { dockerfile: { check, fix } });
}

export function composeRule(def: RuleMeta & ComposeRuleParts): Rule {
  const { check, fix, ...meta } = def;
  return complete(meta, { compose: { check, fix: fix && scopedFix(fix) } });
}

/** A rule whose concept applies to both file kinds under one id. */
export function sharedRule(def: RuleMeta & { dockerfile: DockerfileRuleParts; compose: ComposeRuleParts }): Rule {
  const { dockerfile, compose, ...meta } = def;
  return complete(meta, { dockerfile, compose: { check: compose.check, fix: compose.fix && scopedFix(compose.fix) } });
}
