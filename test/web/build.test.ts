/**
 * The production build of the dashboard, as `npm run build:web` and `npm start` make it, ships no
 * source maps: neither `.map` files nor a `sourceMappingURL` comment pointing at one (issue 12).
 * Source maps are for `npm run dev` only, where Vite's dev server serves them inline.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-web.ts';

const outDir = mkdtempSync(join(tmpdir(), 'syncbalance-web-build-'));

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the production build of the dashboard', () => {
  it('has no source maps and no sourceMappingURL', async () => {
    await buildDashboard(outDir);
    const files = filesUnder(outDir);
    expect(files.some((file) => file.endsWith('index.html'))).toBe(true);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const pointing = files.filter((file) =>
      readFileSync(file, 'utf8').includes('sourceMappingURL'),
    );
    expect(pointing).toEqual([]);
  }, 240_000);
});
