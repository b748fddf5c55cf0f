import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSettings } from '../../../server/src/config/settings';
import { ConfigError, parseProjectConfig } from '../../../server/src/config/projectFile';
import { environmentClock, isoDay } from '../../../server/src/config/clock';

describe('end-of-life settings and clock', () => {
  it('reads shipshape.endOfLife.errorAfterDays, keeping only whole days', () => {
    assert.equal(normalizeSettings({ endOfLife: { errorAfterDays: 30 } }).endOfLifeErrorAfterDays, 30);
    assert.equal(normalizeSettings({ endOfLife: { errorAfterDays: 0 } }).endOfLifeErrorAfterDays, 0);
    for (const bad of [-1, 1.5, '30', null]) assert.ok(!('endOfLifeErrorAfterDays' in normalizeSettings({ endOfLife: { errorAfterDays: bad } })), String(bad));
    assert.ok(!('endOfLifeErrorAfterDays' in normalizeSettings({})));
  });

  it('reads endOfLife.errorAfterDays from a Shipshape config, and rejects a bad value', () => {
    assert.equal(parseProjectConfig('endOfLife:\n  errorAfterDays: 90\n', 'shipshape.yaml').endOfLifeErrorAfterDays, 90);
    assert.throws(() => parseProjectConfig('endOfLife:\n  errorAfterDays: soon\n', 'shipshape.yaml'), ConfigError);
  });

  it('takes the day from SHIPSHAPE_TODAY when it is a date, else from the system', () => {
    assert.equal(isoDay(environmentClock({ SHIPSHAPE_TODAY: '2031-01-15' })()), '2031-01-15');
    const system = isoDay(new Date());
    for (const value of [undefined, '', 'tomorrow', '2031-13-45']) assert.equal(isoDay(environmentClock({ SHIPSHAPE_TODAY: value })()), system, String(value));
  });
});
