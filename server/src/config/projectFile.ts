import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Level } from '../rules/types';
import { dayCount, isLevel, type ProjectConfig } from './settings';

/** hadolint's levels; `style` is the mildest and maps to a hint. */
const hadolintLevels: Record<string, Level> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', ignore: 'off' };

export class ConfigError extends Error {}

/**
 * Reads a `.hadolint.yaml` (`ignored`, `override`, `trustedRegistries`) or a Shipshape config
 * (`rules`, `trustedRegistries`, `endOfLife.errorAfterDays`, and the hadolint keys too). YAML or JSON.
 */
export function parseProjectConfig(text: string, source: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (raw === null || raw === undefined) return { ignored: [], levels: {}, trustedRegistries: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: expected a mapping at the top level`);
  const value = raw as Record<string, unknown>;
  const config: ProjectConfig = { ignored: [], levels: {}, trustedRegistries: [] };
  if (Array.isArray(value.ignored)) config.ignored = value.ignored.map(String);
  if (value.override && typeof value.override === 'object') {
    for (const [level, ids] of Object.entries(value.override as Record<string, unknown>)) {
      const mapped = hadolintLevels[level.toLowerCase()];
      if (!mapped || !Array.isArray(ids)) throw new ConfigError(`${source}: override.${level} must be a list of rule ids under error, warning, info or style`);
      for (const id of ids) config.levels[String(id)] = mapped;
    }
  }
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, level] of Object.entries(value.rules as Record<string, unknown>)) {
      if (!isLevel(level)) throw new ConfigError(`${source}: rules.${id} must be one of off, error, warning, info, hint`);
      config.levels[id] = level;
    }
  }
  const registries = value.trustedRegistries;
  if (registries !== undefined) {
    if (!Array.isArray(registries)) throw new ConfigError(`${source}: trustedRegistries must be a list`);
    config.trustedRegistries = registries.map(String);
  }
  const endOfLife = value.endOfLife;
  if (endOfLife !== undefined) {
    const days = endOfLife && typeof endOfLife === 'object' ? dayCount((endOfLife as Record<string, unknown>).errorAfterDays) : undefined;
    if (days === undefined) throw new ConfigError(`${source}: endOfLife.errorAfterDays must be a whole number of days`);
    config.endOfLifeErrorAfterDays = days;
  }
  return config;
}

/** hadolint's file names, looked up from a file's folder upwards. */
export const PROJECT_FILE_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/**
 * The nearest `.hadolint.yaml` from `startDir` up to `stopDir` (inclusive) or the file system
 * root; returns its path, or null.
 */
export function findProjectFile(startDir: string, stopDir?: string, exists: (p: string) => boolean = existsSync): string | null {
  let dir = resolve(startDir);
  const stop = stopDir ? resolve(stopDir) : null;
  for (;;) {
    for (const name of PROJECT_FILE_NAMES) {
      const candidate = join(dir, name);
      if (exists(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return null;
    dir = parent;
  }
}

export function readProjectFile(path: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseProjectConfig(text, path);
}
