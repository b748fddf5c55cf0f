import type { Level, Rule, Severity } from '../rules/types';
import { defaultLimits, normalizeLimits, type Limits } from '../limits';

/** What the editor settings (or the CLI flags) say. */
export interface Settings {
  enable: boolean;
  /** Rule id or alias → level; `off` disables, any other level enables a rule that is off by default. */
  rules: Record<string, Level>;
  trustedRegistries: string[];
  /** Size limits past which a document gets one diagnostic instead of an analysis. */
  limits?: Limits;
  /** Turn on every rule, including those off by default (`shipshape lint --all`). */
  all?: boolean;
  /**
   * The builder images are built with: fixes and the multi-stage conversion write no BuildKit-only
   * syntax for `classic`; `auto` looks at the project (see project/builder.ts).
   */
  builder?: 'auto' | 'buildkit' | 'classic';
  /** Days past an image's end of life after which image-end-of-life reports an error (`shipshape.endOfLife.errorAfterDays`). */
  endOfLifeErrorAfterDays?: number;
  /**
   * `auto`: where another active extension already shows a YAML error, a schema error or a key's
   * description, Shipshape does not show it again (see features/coexistence/); `off`: show everything.
   */
  coexistence?: 'auto' | 'off';
  /**
   * Where the team hosts the rule pages (`shipshape.docsBaseUrl`, `--docs-base-url`): diagnostics'
   * links and SARIF help URIs point there instead of the pages shipped with Shipshape.
   */
  docsBaseUrl?: string;
  /** Dockerfile formatting (`shipshape.format.*`). */
  format?: { ignoreMultilineInstructions: boolean };
}

/** A project file: `.hadolint.yaml` or a Shipshape config given with `--config`. */
export interface ProjectConfig {
  /** Rule ids or aliases to turn off (hadolint's `ignored`). */
  ignored: string[];
  /** Rule id or alias → level (hadolint's `override`, or Shipshape's `rules`). */
  levels: Record<string, Level>;
  trustedRegistries: string[];
  /** `endOfLife.errorAfterDays` of a Shipshape config. */
  endOfLifeErrorAfterDays?: number;
}

/** How long past an image's end of life image-end-of-life waits before reporting an error. */
export const DEFAULT_END_OF_LIFE_ERROR_AFTER_DAYS = 365;

/** A whole number of days, or undefined. */
export function dayCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export const defaultSettings: Settings = { enable: true, rules: {}, trustedRegistries: [], limits: defaultLimits };

export const emptyProjectConfig: ProjectConfig = { ignored: [], levels: {}, trustedRegistries: [] };

const levels = new Set<Level>(['off', 'error', 'warning', 'info', 'hint']);

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && levels.has(value as Level);
}

/** Accepts whatever a client sent for `shipshape.*` and keeps only well-formed values. */
export function normalizeSettings(raw: unknown): Settings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, Level> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, level] of Object.entries(value.rules as Record<string, unknown>)) {
      if (isLevel(level)) rules[id] = level;
    }
  }
  return {
    enable: value.enable !== false,
    rules,
    trustedRegistries: Array.isArray(value.trustedRegistries) ? value.trustedRegistries.filter((r): r is string => typeof r === 'string') : [],
    all: value.all === true,
    limits: normalizeLimits(value.limits),
    builder: value.builder === 'buildkit' || value.builder === 'classic' ? value.builder : 'auto',
    ...endOfLifeSetting(value.endOfLife),
    coexistence: value.coexistence === 'off' ? 'off' : 'auto',
    ...(docsBaseUrl(value.docsBaseUrl) ? { docsBaseUrl: docsBaseUrl(value.docsBaseUrl) } : {}),
    // Kept only when set, like endOfLife: absent means the formatter's defaults.
    ...((value.format as Record<string, unknown> | undefined)?.ignoreMultilineInstructions === true ? { format: { ignoreMultilineInstructions: true } } : {}),
  };
}

/** `shipshape.endOfLife.errorAfterDays`, kept only when set (a key of its own, absent by default). */
function endOfLifeSetting(raw: unknown): Pick<Settings, 'endOfLifeErrorAfterDays'> {
  const days = raw && typeof raw === 'object' ? dayCount((raw as Record<string, unknown>).errorAfterDays) : undefined;
  return days === undefined ? {} : { endOfLifeErrorAfterDays: days };
}

/**
 * A rule pages' base a user gave, or undefined: an absolute http, https or file URL (a page is
 * `<base>/<rule-id>.md`, or the base with `{rule}` replaced by the rule id). Anything else (a
 * relative path, `javascript:`) would make every link dead or unsafe, so it is not used.
 */
export function docsBaseUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed.replaceAll('{rule}', 'rule'));
    if (url.protocol === 'file:' || ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '')) return trimmed;
  } catch {
    // Not a URL.
  }
  return undefined;
}

/** The names a user may call a rule by, lower-cased: its id and its aliases. */
export function ruleNames(rule: Rule): string[] {
  return [rule.id, ...rule.aliases].map((n) => n.toLowerCase());
}

function lookup(map: Record<string, Level>, rule: Rule): Level | undefined {
  // The rule's own id wins over an alias; among aliases, the first listed that is set.
  const lowered = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of ruleNames(rule)) {
    const level = lowered.get(name);
    if (level) return level;
  }
  return undefined;
}

/**
 * The severity a rule reports at, or null when it is off. Later sources win: the rule's default,
 * then the project file, then the editor settings or CLI flags.
 */
export function effectiveSeverity(rule: Rule, settings: Settings, project: ProjectConfig): Severity | null {
  return resolveLevel(rule, settings, project).severity;
}

type Resolved = { severity: Severity | null; chosen: boolean };
/**
 * Levels per settings and project objects (both are replaced, never changed, when the user edits
 * them): a lint asks for every rule's level, and rebuilding the lookups each time cost more than
 * some rules' checks.
 */
const resolvedLevels = new WeakMap<Settings, WeakMap<ProjectConfig, Map<Rule, Resolved>>>();

/** The rule's severity and whether the user (settings or project file) chose it. */
export function resolveLevel(rule: Rule, settings: Settings, project: ProjectConfig): Resolved {
  let byProject = resolvedLevels.get(settings);
  if (!byProject) resolvedLevels.set(settings, (byProject = new WeakMap()));
  let byRule = byProject.get(project);
  if (!byRule) byProject.set(project, (byRule = new Map()));
  let resolved = byRule.get(rule);
  if (!resolved) byRule.set(rule, (resolved = computeLevel(rule, settings, project)));
  return resolved;
}

function computeLevel(rule: Rule, settings: Settings, project: ProjectConfig): Resolved {
  let level: Level = rule.enabledByDefault || settings.all ? rule.severity : 'off';
  const ignored = new Set(project.ignored.map((n) => n.toLowerCase()));
  if (ruleNames(rule).some((n) => ignored.has(n))) level = 'off';
  const fromProject = lookup(project.levels, rule);
  if (fromProject) level = fromProject;
  const fromSettings = lookup(settings.rules, rule);
  if (fromSettings) level = fromSettings;
  return { severity: level === 'off' ? null : level, chosen: Boolean(fromProject || fromSettings) };
}
