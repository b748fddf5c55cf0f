import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/compose-syntax';
import { findingsOf } from '../../helpers/check';

describe('compose-syntax', () => {
  it('reports a YAML error once, at its position', () => {
    const findings = findingsOf(rule, 'compose', 'services:\n  web:\n    image: "unterminated\n');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'error');
    assert.equal(findings[0].range.start.line, 2);
    assert.doesNotMatch(findings[0].message, /at line/);
  });

  it('reports a top level that is a list or a scalar', () => {
    assert.match(findingsOf(rule, 'compose', '- web\n- db\n')[0].message, /top level is a list/);
    assert.match(findingsOf(rule, 'compose', 'just text\n')[0].message, /top level is a scalar/);
  });

  it('accepts an empty file and a valid one', () => {
    assert.deepEqual(findingsOf(rule, 'compose', ''), []);
    assert.deepEqual(findingsOf(rule, 'compose', 'services:\n  web:\n    image: nginx:1.27\n'), []);
  });

  it('reports duplicate keys, which Compose rejects', () => {
    const findings = findingsOf(rule, 'compose', 'services:\n  web:\n    image: a:1\n    image: b:1\n');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 3);
  });
});
