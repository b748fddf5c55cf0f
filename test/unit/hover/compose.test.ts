import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { dedent, file, service } from '../../helpers/check';
import { schemaAt } from '../../../server/src/hover/compose';

const text = dedent(`
  services:
    web:
      image: nginx:1.27
      depends_on:
        db:
          condition: service_started
        cache:
    db:
      image: postgres:16
      healthcheck:
        test: ["CMD-SHELL", "pg_isready"]
      deploy:
        resources:
          limits:
            memory: 512M
    cache:
      image: redis:7
`);
const source = file(text, 'compose');
const hover = (line: number, character: number): string => {
  const result: Hover | null = service.hover(source, { line, character });
  return result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
};

describe('Compose hovers', () => {
  it('describes a key from the Compose schema, with a production note', () => {
    const card = hover(3, 6);
    assert.match(card, /\*\*`depends_on`\*\*/);
    assert.match(card, /Express dependency between services/);
    assert.match(card, /\*\*In production:\*\* The short form waits only/);
  });

  it('explains depends_on conditions', () => {
    assert.match(hover(5, 10), /`service_completed_successfully` waits for a one-shot job/);
  });

  it('shows a dependency\'s image and healthcheck on its name under depends_on', () => {
    assert.match(hover(4, 7), /\*\*Service `db`\*\* · image `postgres:16`[\s\S]*Healthcheck: `CMD-SHELL pg_isready`/);
    assert.match(hover(6, 7), /\*\*Service `cache`\*\* · image `redis:7`[\s\S]*No healthcheck: `condition: service_healthy` on it would make `docker compose up` fail/);
  });

  it('notes deploy.resources and reads an image', () => {
    assert.match(hover(12, 8), /Without a memory limit one leaking service/);
    assert.match(hover(2, 12), /\*\*Image of `web`\*\*: `nginx:1.27`/);
  });

  it('finds schema entries through $ref, oneOf and pattern properties', () => {
    assert.match(schemaAt(['services', 'anything', 'healthcheck', 'interval'])?.description ?? '', /Time between running the check/);
    assert.equal(schemaAt(['services', 'web', 'not-a-key']), null);
  });

  it('says nothing on plain values', () => {
    assert.equal(hover(15, 20), '');
  });
});
