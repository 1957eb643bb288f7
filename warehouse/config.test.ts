import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers/warehouse.ts';
import {
  agreementsFor,
  defaultConfig,
  loadConfig,
  parseConfig,
  warehouseOpenSettings,
} from './config.ts';
import { InputError } from './errors.ts';

function problemsOf(data: unknown): string[] {
  try {
    parseConfig(data, 'syncbalance.config.yaml');
  } catch (error) {
    if (error instanceof InputError) return [...error.details];
    throw error;
  }
  return [];
}

describe('config', () => {
  it('has every default in one place', () => {
    const config = defaultConfig();
    expect(config.timezone).toBe('UTC');
    expect(config.workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
    expect(config.minGroupSize).toBe(5);
    expect(config.focusBlockMinutes).toBe(120);
    expect(config.minutesPerMessage).toBe(2);
    expect(config.meetingMaxHours).toBe(8);
    expect(config.latencyCapDays).toBe(7);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000, auth: { mode: 'none' } });
    expect(config.workingAgreements.default).toEqual({
      meetingLoadPctMax: 30,
      focusHoursMin: 12,
      responseMedianWorkingMinutesMax: 240,
      offHoursShareMax: 0.1,
    });
  });

  it('reports every problem at once, each with its path', () => {
    expect(
      problemsOf({
        timezone: 'Mars/Olympus',
        workingHours: { start: '9am', days: 'Mon-Funday' },
        minGroupSize: 2,
        focusBlockMinutes: 'long',
        server: { auth: { mode: 'proxy', header: 'X-Email', trustedProxies: ['not-an-ip'] } },
        admins: ['boss'],
        surprise: true,
      }),
    ).toEqual([
      'syncbalance.config.yaml timezone: expected an IANA time zone such as Europe/Berlin',
      "syncbalance.config.yaml workingHours.days: unknown day 'Funday' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)",
      'syncbalance.config.yaml workingHours.start: expected HH:MM',
      'syncbalance.config.yaml minGroupSize: must be at least 3: smaller groups would expose individuals',
      'syncbalance.config.yaml focusBlockMinutes: Invalid input: expected number, received string',
      'syncbalance.config.yaml admins.0: expected an email address',
      'syncbalance.config.yaml server.auth.trustedProxies.0: expected an IP address',
      'syncbalance.config.yaml: Unrecognized key: "surprise"',
    ]);
  });

  it('gives writers a memory limit from the machine’s memory and a spill folder beside the file', () => {
    const sixteenGiB = 16 * 2 ** 30;
    expect(warehouseOpenSettings(defaultConfig(), '/data/w.duckdb', sixteenGiB)).toEqual({
      memoryLimit: '9011MiB',
      tempDirectory: '/data/w.duckdb.tmp',
    });
    const configured = parseConfig({
      warehouse: { memoryLimit: '2GB', tempDirectory: '/big/tmp' },
    });
    expect(warehouseOpenSettings(configured, '/data/w.duckdb', sixteenGiB)).toEqual({
      memoryLimit: '2GB',
      tempDirectory: '/big/tmp',
    });
    expect(
      warehouseOpenSettings(parseConfig({ warehouse: { memoryLimit: '25%' } }), 'w', sixteenGiB)
        .memoryLimit,
    ).toBe('4096MiB');
    expect(problemsOf({ warehouse: { memoryLimit: 'lots' } })).toEqual([
      "syncbalance.config.yaml warehouse.memoryLimit: expected a size such as '4GB' or '2500MiB', or a share of the memory such as '55%'",
    ]);
    expect(problemsOf({ warehouse: { memoryLimit: '100%' } })).toHaveLength(1);
  });

  it('refuses a minimum group size below 3 and accepts 3', () => {
    expect(problemsOf({ minGroupSize: 2 })).toHaveLength(1);
    expect(parseConfig({ minGroupSize: 3 }).minGroupSize).toBe(3);
  });

  it('reads YAML and JSON files, and points at the line of a YAML syntax error', () => {
    const dir = tempDir();
    const yaml = join(dir, 'a.yaml');
    writeFileSync(yaml, 'timezone: Europe/Berlin\nworkingHours:\n  days: [Mon, Tue]\n');
    expect(loadConfig(yaml).config.workingHours.days).toEqual([1, 2]);
    const json = join(dir, 'b.json');
    writeFileSync(json, JSON.stringify({ minGroupSize: 7 }));
    expect(loadConfig(json).config.minGroupSize).toBe(7);
    const broken = join(dir, 'c.yaml');
    writeFileSync(broken, 'timezone: UTC\nworkingHours: [\n');
    expect(() => loadConfig(broken)).toThrow(/c\.yaml:\d+: not valid YAML/);
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml: cannot read the config file \(ENOENT\)/,
    );
  });

  it('uses syncbalance.config.yaml from the working directory when present, else the defaults', () => {
    const dir = tempDir();
    expect(loadConfig(undefined, dir)).toEqual({ config: defaultConfig(), file: null });
    writeFileSync(join(dir, 'syncbalance.config.yaml'), 'minGroupSize: 6\n');
    expect(loadConfig(undefined, dir).config.minGroupSize).toBe(6);
  });

  it('merges working agreements target by target: own entry, nearest ancestor, default; null switches off', () => {
    const config = parseConfig({
      workingAgreements: {
        default: { focusHoursMin: 10, offHoursShareMax: 0.1 },
        teams: {
          Engineering: { meetingLoadPctMax: 25 },
          'Engineering/Platform': { focusHoursMin: 15, offHoursShareMax: null },
        },
      },
    });
    expect(agreementsFor(config, 'Engineering/Platform/Kernel')).toEqual({
      focusHoursMin: 15,
      meetingLoadPctMax: 25,
    });
    expect(agreementsFor(config, 'Engineering/Apps')).toEqual({
      focusHoursMin: 10,
      offHoursShareMax: 0.1,
      meetingLoadPctMax: 25,
    });
    expect(agreementsFor(config, 'Sales')).toEqual({ focusHoursMin: 10, offHoursShareMax: 0.1 });
  });

  it('validates each sign-in mode’s own settings', () => {
    expect(problemsOf({ server: { auth: { mode: 'google', clientId: 'abc' } } })).toEqual([
      'syncbalance.config.yaml server.auth.hostedDomain: Invalid input: expected string, received undefined',
    ]);
    expect(
      parseConfig({
        server: {
          auth: { mode: 'proxy', header: 'X-Forwarded-Email', trustedProxies: ['10.0.0.1', '::1'] },
        },
      }).server.auth.mode,
    ).toBe('proxy');
  });
});
