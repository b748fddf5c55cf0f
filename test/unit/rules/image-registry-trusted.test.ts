import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { isTrusted } from '../../../server/src/rules/common/image-registry-trusted';
import { parseImageRef } from '../../../server/src/text/image';
import { checkRule, config, file, service } from '../../helpers/check';

const trusted = { trustedRegistries: ['docker.io', 'ghcr.io/acme'] };

describe('image-registry-trusted', () => {
  it('reports nothing while no registry is trusted', () => checkRule(rule, 'dockerfile', `
    FROM quay.io/prometheus/busybox:latest
  `));

  it('flags base images from other registries', () => checkRule(rule, 'dockerfile', `
    FROM node:20 AS build
    FROM ghcr.io/acme/runtime:1
    FROM ghcr.io/other/runtime:1
         ~~~~~~~~~~~~~~~~~~~~~~~ image-registry-trusted
    FROM quay.io/org/tool:2
         ~~~~~~~~~~~~~~~~~~ image-registry-trusted
    FROM build
    FROM scratch
  `, { settings: trusted }));

  it('flags Compose images, not images that tag a build', () => checkRule(rule, 'compose', `
    services:
      a:
        image: postgres:16
      b:
        image: registry.example.com/b:1
               ~~~~~~~~~~~~~~~~~~~~~~~~ image-registry-trusted
      c:
        build: .
        image: registry.example.com/c:1
  `, { settings: trusted }));

  it('matches hosts, path prefixes and wildcard hosts', () => {
    const ref = (s: string) => parseImageRef(s)!;
    assert.ok(isTrusted(ref('nginx:1'), ['docker.io']));
    assert.ok(isTrusted(ref('nginx:1'), ['docker.io/library']));
    assert.ok(!isTrusted(ref('bitnami/redis:7'), ['docker.io/library']));
    assert.ok(isTrusted(ref('123.dkr.ecr.eu-west-1.amazonaws.com/app:1'), ['*.amazonaws.com']));
    assert.ok(!isTrusted(ref('ghcr.io/acmes/app:1'), ['ghcr.io/acme']));
  });

  it('trusts every registry for `*`, as hadolint does (its DL3026 tests)', () => {
    const findings = service.lint(file('FROM ubuntu:18.04 AS a\nFROM zemanlx/ubuntu:18.04 AS b\nFROM docker.io/zemanlx/ubuntu:18.04\nUSER 1000\n', 'dockerfile'), config({}, { trustedRegistries: ['*'] }));
    assert.deepEqual(findings.filter((f) => f.rule === 'image-registry-trusted'), []);
  });

  it('takes the list from .hadolint.yaml when the settings have none', () => {
    const findings = service.lint(file('FROM quay.io/a/b:1\nUSER 1000\n', 'dockerfile'), config({}, { trustedRegistries: ['docker.io'] }));
    assert.deepEqual(findings.map((f) => f.rule), ['image-registry-trusted']);
  });
});
