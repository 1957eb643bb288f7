/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * against the real server on a demo warehouse built by the real CLI.
 *
 * LARGE TEST: generating and building the demo organisation takes about a minute. Screenshots of
 * each page are written to test-results/ as artefacts.
 *
 * Without /usr/bin/chromium the tests are skipped with a warning, unless
 * SYNCBALANCE_REQUIRE_BROWSER=1 (set in CI), which makes them fail instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDashboard } from '../../scripts/build-web.ts';
import { BUILD_CHECK_MS } from '../../web/src/api/hooks.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import {
  CSV_METRICS,
  dataHealthResponseSchema,
  overviewResponseSchema,
  parseMetricDefinitions,
  teamWeeksResponseSchema,
} from '../../server/contract/index.ts';
import { parseConfig, type Config } from '../../warehouse/config.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { markdownToPlainText } from '../../web/src/lib/plain-text.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { Warehouse } from '../../warehouse/db.ts';
import {
  applyDemoGaps,
  HOLIDAY_TEAM,
  HOLIDAY_WEEK,
  PEOPLE_WITHOUT_CALENDARS,
  TEAM_WITHOUT_CALENDARS,
} from './demo-gaps.ts';
import { CLIENT_ID, FakeGoogle, HOSTED_DOMAIN } from '../server/helpers/google.ts';

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = !existsSync(CHROMIUM);
const browserRequired = process.env['SYNCBALANCE_REQUIRE_BROWSER'] === '1';
if (browserMissing && !browserRequired) {
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!!  SKIPPING the dashboard's browser tests: ${CHROMIUM} is missing.`,
      '!!  Install it with `apt-get install chromium`; CI sets SYNCBALANCE_REQUIRE_BROWSER=1.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}

const LAST_WEEK = '2026-11-09';
/** A Friday after the last demo week, so the last complete week is LAST_WEEK whatever the date. */
const NOW = new Date('2026-11-20T12:00:00Z');
const ADMIN = 'lead@example.com';
const IDENTITY_HEADER = 'X-Forwarded-Email';
const ARTEFACTS = join(REPO_ROOT, 'test-results');
const CSV_HEADER = [
  'team',
  'week_start',
  'members',
  'members_active',
  'suppressed',
  ...CSV_METRICS,
  'members_active_min',
  'members_active_max',
].join(',');

const CLI_ENV = { SYNCBALANCE_SALT: 'e2e-salt-0123456789abcdef' };

/** The page loads its data asynchronously; the machine may be busy with other test files. */
const POLL = { timeout: 20_000 };

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let directory: string;
let database: string;
let webRoot: string;
let browser: Browser | undefined;

function launched(): Browser {
  if (!browser) throw new Error('Chromium did not start (see the first failure)');
  return browser;
}

function serverFor(config: Config): Promise<RunningServer> {
  return startServer({
    config,
    env: {},
    dbPath: database,
    host: '127.0.0.1',
    port: 0,
    reporter: silentReporter,
    now: () => NOW,
    webRoot,
  });
}

/** Moves focus with Tab until `selector` matches the focused element; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) === 1) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

function dotsOf(page: Page, chart: string) {
  return page.locator(`[data-chart="${chart}"] .recharts-line-dots circle`);
}

describe.skipIf(browserMissing && !browserRequired)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    if (browserMissing) {
      throw new Error(
        `SYNCBALANCE_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: install Debian's chromium package`,
      );
    }
    directory = mkdtempSync(join(tmpdir(), 'syncbalance-e2e-'));
    database = join(directory, 'demo.duckdb');
    webRoot = join(directory, 'web');
    mkdirSync(ARTEFACTS, { recursive: true });
    const [demo] = await Promise.all([
      runCli(['--db', database, 'demo', '--last-week', LAST_WEEK, '--no-build'], { env: CLI_ENV }),
      buildDashboard(webRoot),
    ]);
    expect(demo.code, demo.stderr).toBe(0);
    // Two people without calendars and a holiday week, for the Data page and the week marks.
    await applyDemoGaps(database);
    const build = await runCli(['--db', database, 'build'], { env: CLI_ENV });
    expect(build.code, build.stderr).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('run locally without sign-in (npm start)', () => {
    let server: RunningServer;
    let context: BrowserContext;

    beforeAll(async () => {
      server = await serverFor(parseConfig({}));
      context = await launched().newContext({
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
      });
    });

    afterAll(async () => {
      await context.close();
      await server.close();
    });

    it('opens the overview on the last complete week, one row per team with sparklines', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      // The default week is written into the address, so a copied link keeps showing it.
      expect(new URL(page.url()).searchParams.get('week')).toBe(LAST_WEEK);
      await expect.poll(() => page.title(), POLL).toBe('Team overview · syncbalance');

      const teams = await page.request.get(`${server.url}/api/teams`);
      const visible = ((await teams.json()) as { teams: unknown[] }).teams.length;
      expect(await page.locator('.overview-table tbody tr').count()).toBe(visible);
      expect(await page.locator('.overview-table .sparkline polyline').count()).toBeGreaterThan(
        visible * 3,
      );
      // The demo's meeting-heavy team breaks its meeting-load agreement.
      expect(await page.locator('.metric-cell.is-breach').count()).toBeGreaterThan(0);
      await expect
        .poll(() => page.locator('.metric-cell.is-breach').first().textContent(), POLL)
        .toMatch(/target [≤≥]/);
      // The footer names the published build every number on the page comes from.
      const build = teams.headers()['x-syncbalance-build'];
      await expect
        .poll(() => page.locator('footer [data-build-id]').textContent(), POLL)
        .toBe(build);
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-overview.png'), fullPage: true });
      await page.close();
    });

    it('shows why a team too small to report has no numbers', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      const hidden = page.locator('.overview-table tr.row-suppressed').first();
      await hidden.waitFor();
      expect(await hidden.textContent()).toMatch(/Not shown: fewer than 5 active people\./);
      expect(await hidden.locator('.metric-value').count()).toBe(0);

      // Its own page says the same instead of drawing empty charts.
      await hidden.locator('a.team-link').click();
      await page.getByText('Every week in this range is hidden').waitFor();
      expect(await page.locator('main').textContent()).toMatch(/fewer than 5 active people/);
      expect(await page.locator('figure.chart').count()).toBe(0);

      // A team that is not shared (or no longer exists) is explained too.
      await page.goto(`${server.url}/teams/No%20such/team?week=${LAST_WEEK}`);
      await page.getByText('No such team among those shared with you').waitFor();
      await page.close();
    });

    it('opens a team with one chart point per week that has a value, and follows the range', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      const row = page.locator('.overview-table tbody tr:not(.row-suppressed)').nth(1);
      const team = await row.getAttribute('data-team');
      expect(team).not.toBeNull();
      await row.locator('a.team-link').click();
      await page.waitForURL(/\/teams\//);
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/teams/${team ?? ''}`);
      // The default range (12 weeks ending with the selected week) is spelled out in the address.
      await expect
        .poll(() => new URL(page.url()).searchParams.get('from'), POLL)
        .toBe('2026-08-24');
      expect(new URL(page.url()).searchParams.get('to')).toBe(LAST_WEEK);

      const valuesIn = async (from: string, to: string) => {
        const response = await page.request.get(
          `${server.url}/api/teams/${encodeURIComponent(team ?? '')}/weeks?from=${from}&to=${to}`,
        );
        const body = teamWeeksResponseSchema.parse(await response.json());
        return body.weeks.filter((week) => week.metrics.meeting_load_pct_median.value !== null)
          .length;
      };
      const twelveWeeks = await valuesIn('2026-08-24', LAST_WEEK);
      expect(twelveWeeks).toBeGreaterThan(8);
      await expect
        .poll(() => dotsOf(page, 'meeting_load_pct_median').count(), POLL)
        .toBe(twelveWeeks);
      // Each chart loads its own data: wait for each rather than for the page.
      await expect
        .poll(
          () => page.locator('[data-chart="working-week"] .recharts-bar-rectangle').count(),
          POLL,
        )
        .toBeGreaterThanOrEqual(twelveWeeks * 3);
      await page
        .locator('[data-chart="distribution-response_median_working_minutes"]')
        .first()
        .waitFor();
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-team.png'), fullPage: true });

      await page.getByRole('button', { name: 'Last 26 weeks' }).click();
      await expect
        .poll(() => new URL(page.url()).searchParams.get('from'), POLL)
        .toBe('2026-05-18');
      const allWeeks = await valuesIn('2026-05-18', LAST_WEEK);
      expect(allWeeks).toBeGreaterThan(twelveWeeks);
      await expect.poll(() => dotsOf(page, 'meeting_load_pct_median').count(), POLL).toBe(allWeeks);

      // The range is history: Back returns to the 12 weeks.
      await page.goBack();
      await expect
        .poll(() => new URL(page.url()).searchParams.get('from'), POLL)
        .toBe('2026-08-24');
      await expect
        .poll(() => dotsOf(page, 'meeting_load_pct_median').count(), POLL)
        .toBe(twelveWeeks);
      await page.close();
    });

    it('shows a distribution as shares of merged ranges, and counts of active people as bands', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/teams/Engineering%2FPayments?week=${LAST_WEEK}`);
      const chart = page.locator('[data-chart="distribution-response_median_working_minutes"]');
      await expect
        .poll(() => chart.locator('.recharts-bar-rectangle').count(), POLL)
        .toBeGreaterThanOrEqual(2);
      const labels = await chart
        .locator('.recharts-label-list text, .recharts-label')
        .allTextContents();
      expect(labels.length).toBeGreaterThanOrEqual(2);
      expect(labels.every((label) => /^\d+%$/.test(label.trim()))).toBe(true);

      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      const metas = await page.locator('.overview-table .team-meta').allTextContents();
      // Never "17 of 18 active": a band of five, or just the head count.
      expect(metas.every((meta) => /^(\d+(–\d+)? of \d+ active|\d+ people)$/.test(meta))).toBe(
        true,
      );
      expect(metas.some((meta) => /^\d+–\d+ of \d+ active$/.test(meta))).toBe(true);
      const engineering = page.locator('.overview-table tr[data-team="Engineering"] .team-meta');
      expect(await engineering.textContent()).toMatch(/^\d+ people$/);
      await page.close();
    });

    it('downloads the CSV of the team and range shown, with the contract header', async () => {
      const page = await context.newPage();
      await page.goto(
        `${server.url}/teams/Engineering?week=${LAST_WEEK}&from=2026-10-19&to=${LAST_WEEK}`,
      );
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download CSV/ }).click(),
      ]);
      const file = await download.path();
      const lines = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
      expect(lines[0]).toBe(CSV_HEADER);
      const rows = lines.slice(1).map((line) => line.split(','));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((row) => row[1]))).toEqual(
        new Set(['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']),
      );
      expect(
        rows.every((row) => row[0] === 'Engineering' || row[0]?.startsWith('Engineering/')),
      ).toBe(true);
      await page.close();
    });

    it('is operable by keyboard: popover opens and closes with Escape, team link opens the team', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      await page.locator('.overview-table tbody tr').first().waitFor();

      await tabTo(page, '.info-button');
      // The focus ring shows (focus-visible), as it does for keyboard users.
      expect(await page.locator('.info-button:focus-visible').count()).toBe(1);
      await page.keyboard.press('Enter');
      const popover = page.locator('.popover:popover-open');
      await popover.waitFor();
      const definitions = parseMetricDefinitions(
        readFileSync(join(REPO_ROOT, 'docs', 'metrics.md'), 'utf8'),
      );
      expect(await popover.textContent()).toContain(
        markdownToPlainText(definitions['meeting_load_pct'] ?? 'missing definition'),
      );
      await page.keyboard.press('Escape');
      await expect.poll(() => popover.count(), POLL).toBe(0);
      expect(await page.locator('.info-button:focus').count()).toBe(1);

      await tabTo(page, 'a.team-link');
      const name = await page.locator('a.team-link:focus').textContent();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/teams\//);
      // Focus moves to the new page's heading, which names the team.
      await expect.poll(() => page.locator('h1:focus').count(), POLL).toBe(1);
      expect(await page.locator('h1').textContent()).toBe(name);
      await page.close();
    });

    it('shows on the Data page the sources, coverage per team and week, gaps and unmatched accounts', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Data' })
        .click();
      await page.waitForURL(/\/data/);
      await expect.poll(() => page.title(), POLL).toBe('Data · syncbalance');
      // The default range (12 weeks ending with the last complete week) is written into the address.
      await expect.poll(() => new URL(page.url()).searchParams.get('to'), POLL).toBe(LAST_WEEK);
      const from = new URL(page.url()).searchParams.get('from') ?? '';
      const response = await page.request.get(
        `${server.url}/api/data-health?from=${from}&to=${LAST_WEEK}`,
      );
      const health = dataHealthResponseSchema.parse(await response.json());
      expect(health.scope).toBe('organisation');

      // Sources: one row each, with the demo's import.
      const sources = page.locator('[data-section="sources"] tbody tr');
      await expect.poll(() => sources.count(), POLL).toBe(health.sources.length);
      expect(health.sources.length).toBeGreaterThan(0);
      // The demo wrote every source it shows, the roster's snapshots included.
      expect(health.sources.filter((source) => source.last_success_at === null)).toEqual([]);
      expect(health.sources.map((source) => source.source)).toContain('roster');
      expect(await sources.first().textContent()).toMatch(/OK/);
      expect(await page.locator('[data-section="sources"]').textContent()).not.toMatch(
        /Never imported/,
      );

      // Coverage: a real table, one row per team and one column per week, counts in text.
      const coverage = page.locator('table.coverage-table');
      expect(await coverage.locator('thead th[scope="col"]').count()).toBe(1 + 12);
      expect(await coverage.locator('tbody tr').count()).toBe(health.teams.length);
      const design = health.teams.find((team) => team.team === TEAM_WITHOUT_CALENDARS);
      const lastWeek = design?.weeks.find((week) => week.week_start === LAST_WEEK);
      const counts = lastWeek?.marks.coverage;
      expect(counts?.calendar).toBe((counts?.members ?? 0) - PEOPLE_WITHOUT_CALENDARS);
      const designCell = coverage.locator(
        `tr[data-team="${TEAM_WITHOUT_CALENDARS}"] td[data-week="${LAST_WEEK}"]`,
      );
      expect(await designCell.locator('[aria-hidden="true"]').first().textContent()).toBe(
        `${counts?.both}/${counts?.members}`,
      );
      await page.getByRole('button', { name: 'Calendar', exact: true }).click();
      await expect
        .poll(() => designCell.locator('[aria-hidden="true"]').first().textContent(), POLL)
        .toBe(`${counts?.calendar}/${counts?.members}`);
      expect(await designCell.locator('.visually-hidden').textContent()).toContain(
        `${counts?.calendar} with calendar data`,
      );
      // A team-week hidden elsewhere is hidden here, with its reason instead of counts.
      const hidden = health.teams.flatMap((team) =>
        team.weeks.filter((week) => week.marks.coverage === null),
      );
      expect(hidden.length).toBeGreaterThan(0);
      expect(await coverage.locator('td.coverage-hidden').count()).toBe(hidden.length);
      expect(await page.locator('.coverage-reasons').textContent()).toMatch(/Not shown: /);
      // The injected holiday week is flagged in its cell.
      expect(
        await coverage
          .locator(`tr[data-team="${HOLIDAY_TEAM}"] td[data-week="${HOLIDAY_WEEK}"]`)
          .getAttribute('data-holiday'),
      ).toBe('true');

      // Roster gaps: the two people without calendars, counted, never named.
      expect(design?.without_calendar).toBe(PEOPLE_WITHOUT_CALENDARS);
      const gaps = page.locator(
        `[data-section="roster-gaps"] tr[data-team="${TEAM_WITHOUT_CALENDARS}"]`,
      );
      expect(await gaps.locator('td').nth(2).textContent()).toBe(`⚠ ${PEOPLE_WITHOUT_CALENDARS}`);

      // Unmatched accounts, organisation-wide (this viewer is an administrator).
      expect(health.unmatched).not.toBeNull();
      expect(await page.locator('[data-figure="slack_accounts"]').textContent()).toBe(
        String(health.unmatched?.slack_accounts),
      );
      expect(await page.locator('[data-section="build"] code').first().textContent()).toBe(
        health.build?.build_id,
      );
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-data.png'), fullPage: true });
      await page.close();
    });

    it('marks weeks resting on part of the team and probable holidays, and says the comparison skipped one', async () => {
      const page = await context.newPage();
      const overview = overviewResponseSchema.parse(
        await (await page.request.get(`${server.url}/api/overview?week=${LAST_WEEK}`)).json(),
      );
      const designRow = overview.rows.find((row) => row.team.path === TEAM_WITHOUT_CALENDARS);
      const coverage = designRow?.week?.marks.coverage;
      const holidayRow = overview.rows.find((row) => row.team.path === HOLIDAY_TEAM);
      expect(holidayRow?.baseline_skipped_holidays).toContain(HOLIDAY_WEEK);

      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      const design = page.locator(`.overview-table tr[data-team="${TEAM_WITHOUT_CALENDARS}"]`);
      await design.waitFor();
      await expect
        .poll(() => design.locator('[data-mark="coverage"]').textContent(), POLL)
        .toContain(`calendar data for ${coverage?.calendar} of ${coverage?.members}`);
      // The change badges' footnote says which week the 4-week average left out.
      const holidayTeam = page.locator(`.overview-table tr[data-team="${HOLIDAY_TEAM}"]`);
      expect(await holidayTeam.locator('.baseline-note').textContent()).toMatch(
        /leaving out (.+, )?19 Oct(, .+)? \(probable holidays?\)/,
      );
      const badge = holidayTeam.locator('.change[data-baseline-note]').first();
      expect(await badge.getAttribute('title')).toMatch(
        /leaving out (.+, )?19 Oct(, .+)? \(probable holidays?\)/,
      );

      // The flagged week itself carries the holiday mark on the overview …
      await page.goto(`${server.url}/?week=${HOLIDAY_WEEK}`);
      await expect
        .poll(() => holidayTeam.locator('[data-mark="holiday"]').textContent(), POLL)
        .toMatch(/probable holiday week/);

      // … and on the team page, where it stays in the charts with a labelled line.
      await page.goto(`${server.url}/teams/${encodeURIComponent(HOLIDAY_TEAM)}?week=${LAST_WEEK}`);
      await expect
        .poll(() => page.locator('.team-weeks-marks [data-mark="holiday"]').textContent(), POLL)
        .toMatch(/19 Oct/);
      await expect
        .poll(
          () => page.locator('[data-chart="meeting_load_pct_median"] .holiday-week').count(),
          POLL,
        )
        .toBeGreaterThan(0);
      await page.goto(
        `${server.url}/teams/${encodeURIComponent(TEAM_WITHOUT_CALENDARS)}?week=${LAST_WEEK}`,
      );
      await expect
        .poll(
          () => page.locator('.team-weeks-marks [data-mark="coverage"]').allTextContents(),
          POLL,
        )
        .toContainEqual(
          expect.stringContaining(
            `Calendar data for ${coverage?.calendar} of ${coverage?.members}: `,
          ),
        );
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-team-marks.png'), fullPage: true });
      await page.close();
    });

    it('fits a phone screen without sideways scrolling', async () => {
      const phone = await launched().newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      const page = await phone.newPage();
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
        true,
      );
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-phone.png') });
      await page.goto(`${server.url}/teams/Engineering?week=${LAST_WEEK}`);
      await dotsOf(page, 'meeting_load_pct_median').first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
        true,
      );
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-phone-team.png') });
      await page.goto(`${server.url}/data`);
      await page.locator('table.coverage-table tbody tr').first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
        true,
      );
      await phone.close();
    });

    it('follows a build published while the page is open: within a minute every view shows the new one', async () => {
      const watched = await launched().newContext({ viewport: { width: 1280, height: 800 } });
      await watched.clock.install();
      const page = await watched.newPage();
      const asked: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/')) asked.push(url.pathname);
      });
      await page.goto(`${server.url}/?week=${LAST_WEEK}`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      const shownBuild = () => page.locator('footer [data-build-id]').textContent();
      await expect.poll(shownBuild, POLL).toMatch(/\S/);
      const before = await shownBuild();

      const published = await runCli(['--db', database, 'publish'], { env: CLI_ENV });
      expect(published.code, published.stderr).toBe(0);
      const servedBuild = async () =>
        (await page.request.get(`${server.url}/api/health`)).headers()['x-syncbalance-build'];
      await expect.poll(servedBuild, POLL).not.toBe(before);
      const after = await servedBuild();
      // Nothing asks before the check is due: the page still shows the build it was opened on.
      expect(await shownBuild()).toBe(before);
      asked.length = 0;
      // The views ask again while still showing what they showed: the page never goes blank.
      await page.evaluate(`
        window.blanked = false;
        new MutationObserver(() => {
          if (document.querySelector('.overview-table tbody tr') === null) window.blanked = true;
        }).observe(document.body, { subtree: true, childList: true });
      `);

      await page.clock.fastForward(BUILD_CHECK_MS + 1_000);
      await expect.poll(shownBuild, POLL).toBe(after);
      await expect.poll(() => asked.includes('/api/overview'), POLL).toBe(true);
      expect(await page.evaluate('window.blanked')).toBe(false);
      await watched.close();
    });
  });

  describe('behind a sign-in proxy', () => {
    let server: RunningServer;

    beforeAll(async () => {
      server = await serverFor(
        parseConfig({
          admins: [ADMIN],
          server: {
            auth: { mode: 'proxy', header: IDENTITY_HEADER, trustedProxies: ['127.0.0.1', '::1'] },
          },
        }),
      );
    });

    afterAll(async () => {
      await server.close();
    });

    it('tells someone with no reports that no teams are shared with them', async () => {
      const stranger = await launched().newContext({
        extraHTTPHeaders: { [IDENTITY_HEADER]: 'nobody@example.com' },
      });
      const page = await stranger.newPage();
      await page.goto(`${server.url}/`);
      await expect
        .poll(() => page.locator('h1').textContent(), POLL)
        .toBe('No teams are shared with you');
      expect(await page.locator('.overview-table').count()).toBe(0);
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-no-teams.png') });
      await stranger.close();
    });

    it('shows a manager the Data page of their teams, without the organisation-wide counts', async () => {
      const reader = await Warehouse.open(database, { readOnly: true });
      const [manager] = await reader.parse(
        z.object({ manager_email: z.string() }),
        `SELECT manager_email FROM raw.roster_people
         WHERE as_of = (SELECT max(as_of) FROM raw.roster_people) AND team_path = $team
           AND manager_email IS NOT NULL
         GROUP BY manager_email ORDER BY count(*) DESC, manager_email LIMIT 1`,
        { team: TEAM_WITHOUT_CALENDARS },
      );
      reader.close();
      const context = await launched().newContext({
        extraHTTPHeaders: { [IDENTITY_HEADER]: manager?.manager_email ?? 'missing' },
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/data`);
      const rows = page.locator('table.coverage-table tbody tr');
      await rows.first().waitFor();
      const to = new URL(page.url()).searchParams.get('to') ?? '';
      const from = new URL(page.url()).searchParams.get('from') ?? '';
      const health = dataHealthResponseSchema.parse(
        await (
          await page.request.get(`${server.url}/api/data-health?from=${from}&to=${to}`)
        ).json(),
      );
      expect(health.scope).toBe('teams');
      expect(health.unmatched).toBeNull();
      expect(await rows.count()).toBe(health.teams.length);
      expect(health.teams.map((team) => team.team)).toContain(TEAM_WITHOUT_CALENDARS);
      expect(await page.locator('[data-section="unmatched"]').count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Your teams only.');
      await context.close();
    });

    it('shows an administrator every team', async () => {
      const admin = await launched().newContext({ extraHTTPHeaders: { [IDENTITY_HEADER]: ADMIN } });
      const page = await admin.newPage();
      await page.goto(`${server.url}/`);
      await page.locator('.overview-table tbody tr').first().waitFor();
      expect(await page.locator('.viewer-scope').textContent()).toBe('All teams');
      await page.goto(`${server.url}/data`);
      await page.locator('[data-section="unmatched"] [data-figure="slack_accounts"]').waitFor();
      await admin.close();
    });
  });

  describe('with Google sign-in', () => {
    const SIGNED_IN_ADMIN = `lead@${HOSTED_DOMAIN}`;
    let server: RunningServer;
    let google: FakeGoogle;

    beforeAll(async () => {
      // Google's signing keys and ID tokens, made locally: verification never leaves the machine.
      google = await FakeGoogle.start();
      server = await serverFor(
        parseConfig({
          admins: [SIGNED_IN_ADMIN],
          server: {
            auth: {
              mode: 'google',
              clientId: CLIENT_ID,
              hostedDomain: HOSTED_DOMAIN,
              certsUrl: google.certsUrl,
            },
          },
        }),
      );
    });

    afterAll(async () => {
      await server.close();
      await google.close();
    });

    it("signs in through Google's button, shows the teams, and signs out again", async () => {
      const context = await launched().newContext();
      const page = await context.newPage();
      // Stands in for accounts.google.com's script (no network in tests): it records the client
      // id and, when its button is pressed, hands the page the credential the test prepared.
      await page.route('https://accounts.google.com/gsi/client', (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          body: `window.google = { accounts: { id: {
            initialize(config) { window.__gis = config; },
            renderButton(parent) {
              const button = document.createElement('button');
              button.textContent = 'Sign in with Google';
              button.onclick = () => window.__gis.callback({ credential: window.__credential });
              parent.append(button);
            },
          } } };`,
        }),
      );
      await page.goto(`${server.url}/`);
      const button = page.getByRole('button', { name: 'Sign in with Google' });
      await button.waitFor();
      expect(await page.locator('h1').textContent()).toBe('Sign in');
      expect(await page.evaluate('window.__gis.client_id')).toBe(CLIENT_ID);
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-sign-in.png') });

      // A token Google did not sign is refused, and the page says so.
      const forged = google.idToken({ email: SIGNED_IN_ADMIN }, { impostor: true });
      await page.evaluate(`window.__credential = ${JSON.stringify(forged)}`);
      const posted = page.waitForRequest(
        (request) => request.url().endsWith('/api/auth/google') && request.method() === 'POST',
      );
      await button.click();
      const request = await posted;
      expect(request.postDataJSON()).toEqual({ credential: forged });
      expect(request.headers()['x-csrf-token']).toMatch(/.{16,}/);
      await expect
        .poll(() => page.getByRole('alert').textContent(), POLL)
        .toMatch(/could not be verified/);

      const genuine = google.idToken({ email: SIGNED_IN_ADMIN });
      await page.evaluate(`window.__credential = ${JSON.stringify(genuine)}`);
      await button.click();
      await page.locator('.overview-table tbody tr').first().waitFor();
      expect(await page.locator('.viewer-scope').textContent()).toBe('All teams');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Sign in');
      await context.close();
    });
  });
});
