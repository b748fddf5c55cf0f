import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { LanguageService } from '../../../server/src/service';
import { clockAt, dedent, file } from '../../helpers/check';

const at = (today: string) => new LanguageService({ docsBase: 'file:///docs/rules', clock: clockAt(today) });
const hover = (service: LanguageService, text: string, kind: 'dockerfile' | 'compose', line: number, character: number): string => {
  const result: Hover | null = service.hover(file(dedent(text), kind), { line, character });
  return result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
};

describe('support status in the base-image hovers', () => {
  const dockerfile = `
    FROM node:16-alpine AS build
    FROM python:3.12-slim-bullseye
    FROM openjdk:11-jre-slim AS legacy
    FROM registry.example.com/app:1.0
  `;

  it('shows an ended line with its date, and a supported one with its end', () => {
    const service = at('2026-12-07');
    assert.match(hover(service, dockerfile, 'dockerfile', 0, 7), /\*\*Support\*\* · Node\.js 16 \(LTS\) reached end of life on 2023-09-11: no security fixes since\./);
    const python = hover(service, dockerfile, 'dockerfile', 1, 7);
    assert.match(python, /\*\*Support\*\* · Python 3\.12: supported until 2028-10\./);
    assert.match(python, /\*\*Base\*\* · Debian 11 \(bullseye\) reached the end of its long-term support on 2026-08-31: no security fixes since\./);
    assert.match(hover(service, dockerfile, 'dockerfile', 2, 7), /\*\*Deprecated\*\* · the openjdk images get no updates since July 2022/);
    assert.doesNotMatch(hover(service, dockerfile, 'dockerfile', 3, 7), /Support|Deprecated/);
  });

  it('follows the clock: the same line is supported before its end', () => {
    assert.match(hover(at('2023-01-01'), dockerfile, 'dockerfile', 0, 7), /Node\.js 16 \(LTS\): supported until 2023-09-11\./);
  });

  it('says when no date is published', () => {
    assert.match(hover(at('2026-12-07'), 'FROM golang:1.27\n', 'dockerfile', 0, 7), /Go 1\.27: no end-of-life date published \(data as of 2026-12-07\)/);
  });

  it('shows the same on a Compose image', () => {
    const card = hover(at('2026-12-07'), 'services:\n  db:\n    image: postgres:14\n', 'compose', 2, 14);
    assert.match(card, /\*\*Image of `db`\*\*/);
    assert.match(card, /\*\*Support\*\* · PostgreSQL 14 reached end of life on 2026-11-12: no security fixes since\./);
  });
});
