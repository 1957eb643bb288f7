import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../warehouse/schedule.ts';
import { MAPPED_WINDOWS_ZONES, windowsZone } from './windows-zones.ts';

describe('windowsZone', () => {
  it('maps every Windows zone of the CLDR table to a zone this machine knows', () => {
    expect(MAPPED_WINDOWS_ZONES.length).toBeGreaterThanOrEqual(139);
    for (const [display, id, iana] of MAPPED_WINDOWS_ZONES) {
      expect(isTimeZone(iana), iana).toBe(true);
      expect(windowsZone(id), id).toBe(iana);
      expect(windowsZone(display), display).toBe(iana);
    }
  });

  it('reads display names as Outlook writes them, old and new', () => {
    for (const name of [
      '(UTC-05:00) Eastern Time (US & Canada)',
      '(UTC-05:00) Eastern Time (US and Canada)',
      '(GMT-05:00) Eastern Time (US & Canada)',
      'eastern standard time',
    ])
      expect(windowsZone(name), name).toBe('America/New_York');
  });

  it('reads offset names as fixed offsets, with the Etc zones’ inverted signs', () => {
    expect(windowsZone('UTC+01')).toBe('Etc/GMT-1');
    expect(windowsZone('UTC-05:00')).toBe('Etc/GMT+5');
    expect(windowsZone('GMT+0530')).toBe('+05:30');
    expect(windowsZone('UTC+00')).toBe('Etc/UTC');
    expect(windowsZone('UTC+15')).toBeNull();
    expect(windowsZone('Berlin Office')).toBeNull();
  });
});
