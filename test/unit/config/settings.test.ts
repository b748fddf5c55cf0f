import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveSeverity, normalizeSettings, emptyProjectConfig } from '../../../server/src/config/settings';
import { parseProjectConfig, ConfigError, findProjectFile } from '../../../server/src/config/projectFile';
import { ruleById } from '../../../server/src/rules/index';
import { defaultLimits } from '../../../server/src/limits';

const rule = ruleById.get('no-root-user')!;

describe('settings', () => {
  it('keeps well-formed values only', () => {
    assert.deepEqual(normalizeSettings({ enable: false, rules: { a: 'error', b: 'loud', c: 3 }, trustedRegistries: ['ghcr.io', 4] }), {
      enable: false, rules: { a: 'error' }, trustedRegistries: ['ghcr.io'], all: false, limits: defaultLimits, builder: 'auto', coexistence: 'auto',
    });
    assert.deepEqual(normalizeSettings(null), { enable: true, rules: {}, trustedRegistries: [], all: false, limits: defaultLimits, builder: 'auto', coexistence: 'auto' });
    assert.equal(normalizeSettings({ coexistence: 'off' }).coexistence, 'off');
    assert.equal(normalizeSettings({ coexistence: 'never' }).coexistence, 'auto');
    assert.equal(normalizeSettings({ builder: 'classic' }).builder, 'classic');
    assert.equal(normalizeSettings({ builder: 'podman' }).builder, 'auto');
  });

  it('resolves severity: default, project file, then settings; by id or alias', () => {
    assert.equal(effectiveSeverity(rule, normalizeSettings({}), emptyProjectConfig), 'warning');
    assert.equal(effectiveSeverity(rule, normalizeSettings({ rules: { 'no-root-user': 'off' } }), emptyProjectConfig), null);
    assert.equal(effectiveSeverity(rule, normalizeSettings({ rules: { DL3002: 'hint' } }), emptyProjectConfig), 'hint');
    const project = { ignored: [], levels: { dl3002: 'error' as const }, trustedRegistries: [] };
    assert.equal(effectiveSeverity(rule, normalizeSettings({}), project), 'error');
    assert.equal(effectiveSeverity(rule, normalizeSettings({ rules: { 'no-root-user': 'info' } }), project), 'info');
  });

  it('runs a rule that is off by default only when named or with --all', () => {
    const offRule = { ...rule, enabledByDefault: false };
    assert.equal(effectiveSeverity(offRule, normalizeSettings({}), emptyProjectConfig), null);
    assert.equal(effectiveSeverity(offRule, normalizeSettings({ all: true }), emptyProjectConfig), 'warning');
    assert.equal(effectiveSeverity(offRule, normalizeSettings({ rules: { 'no-root-user': 'error' } }), emptyProjectConfig), 'error');
  });
});

describe('project files', () => {
  it('reads .hadolint.yaml', () => {
    const config = parseProjectConfig('ignored: [DL3008]\noverride:\n  error: [DL3002]\n  style: [DL3025]\ntrustedRegistries: [docker.io]\n', '.hadolint.yaml');
    assert.deepEqual(config, { ignored: ['DL3008'], levels: { DL3002: 'error', DL3025: 'hint' }, trustedRegistries: ['docker.io'] });
  });

  it('reads a Shipshape config with rules', () => {
    assert.deepEqual(parseProjectConfig('{"rules": {"no-root-user": "off"}}', 'x.json').levels, { 'no-root-user': 'off' });
  });

  it('rejects malformed files with a message naming the file', () => {
    assert.throws(() => parseProjectConfig('ignored: [a\n', 'bad.yaml'), (e: Error) => e instanceof ConfigError && /bad\.yaml/.test(e.message));
    assert.throws(() => parseProjectConfig('- a\n', 'list.yaml'), /expected a mapping/);
    assert.throws(() => parseProjectConfig('rules:\n  x: loud\n', 'r.yaml'), /rules\.x/);
  });

  it('finds the nearest file upwards, stopping at the given folder', () => {
    const present = new Set(['/w/.hadolint.yaml', '/w/a/.hadolint.yml']);
    const exists = (p: string) => present.has(p);
    assert.equal(findProjectFile('/w/a/b', '/w', exists), '/w/a/.hadolint.yml');
    assert.equal(findProjectFile('/w/c', '/w', exists), '/w/.hadolint.yaml');
    assert.equal(findProjectFile('/x/y', '/x', exists), null);
  });
});
