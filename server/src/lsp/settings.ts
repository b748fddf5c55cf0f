import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, type Connection, type InitializeParams } from 'vscode-languageserver/node';
import { normalizeSettings, emptyProjectConfig, type ProjectConfig, type Settings } from '../config/settings';
import { findProjectFile, readProjectFile, ConfigError } from '../config/projectFile';
import type { LintConfig } from '../service';

/**
 * Settings per document (`shipshape.*`, pulled with workspace/configuration when the client can,
 * else from initializationOptions and didChangeConfiguration) and the nearest `.hadolint.yaml`.
 */
export class SettingsStore {
  private pull = false;
  private dynamicRegistration = false;
  private global: Settings = normalizeSettings(undefined);
  private readonly perDocument = new Map<string, Promise<Settings>>();
  private readonly projectFiles = new Map<string, ProjectConfig>();
  private folders: string[] = [];
  private readonly listeners: (() => void)[] = [];
  private readonly reported = new Set<string>();

  constructor(private readonly connection: Connection) {
    connection.onDidChangeConfiguration((change) => {
      const section = (change.settings as { shipshape?: unknown } | null)?.shipshape;
      if (section !== undefined) this.global = normalizeSettings(section);
      this.perDocument.clear();
      this.changed();
    });
    connection.onDidChangeWatchedFiles(() => {
      this.projectFiles.clear();
      this.changed();
    });
  }

  initialize(params: InitializeParams): void {
    this.pull = Boolean(params.capabilities.workspace?.configuration);
    this.dynamicRegistration = Boolean(params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration);
    const options = params.initializationOptions as { settings?: unknown } | undefined;
    if (options?.settings !== undefined) this.global = normalizeSettings(options.settings);
  }

  initialized(): void {
    if (this.dynamicRegistration) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
    void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.hadolint.{yaml,yml}' }] }).catch(() => undefined);
  }

  /** The workspace folders (at start-up, and whenever they change): project files are looked up within them. */
  setFolders(folders: string[]): void {
    this.folders = [...folders];
    this.projectFiles.clear();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  async configFor(uri: string): Promise<LintConfig> {
    return { settings: await this.settingsFor(uri), project: this.projectFor(uri) };
  }

  private settingsFor(uri: string): Promise<Settings> {
    if (!this.pull) return Promise.resolve(this.global);
    let pending = this.perDocument.get(uri);
    if (!pending) {
      pending = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'shipshape' })
        .then((raw: unknown) => (raw === null || raw === undefined ? this.global : normalizeSettings(raw)))
        .catch(() => this.global);
      this.perDocument.set(uri, pending);
    }
    return pending;
  }

  private projectFor(uri: string): ProjectConfig {
    if (!uri.startsWith('file:')) return emptyProjectConfig;
    const dir = dirname(fileURLToPath(uri));
    const cached = this.projectFiles.get(dir);
    if (cached) return cached;
    const folder = this.folders.filter((f) => dir === f || dir.startsWith(f + '/')).sort((a, b) => b.length - a.length)[0];
    let config = emptyProjectConfig;
    const path = folder ? findProjectFile(dir, folder) : null;
    if (path) {
      try {
        config = readProjectFile(path);
      } catch (error) {
        // A broken config file is reported once and ignored rather than failing every lint.
        const message = error instanceof ConfigError ? error.message : String(error);
        if (!this.reported.has(message)) {
          this.reported.add(message);
          void this.connection.window.showWarningMessage(`Shipshape: ignoring ${message}`);
        }
      }
    }
    this.projectFiles.set(dir, config);
    return config;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
