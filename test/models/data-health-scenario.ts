/**
 * A small organisation for the data-health tests (docs/metrics.md, Data coverage, Match rates,
 * Probable holidays), built through the real raw writers and model build:
 *
 * - Eng: 7 people, all with a matched Slack account; 5 with an imported calendar (the lead and
 *   e1–e4), 2 without (n1, n2). Every Tuesday for 8 weeks each of the 5 has a meeting of
 *   HOURS[week] hours; no one sends messages. So 5 are active each week (shown), coverage is
 *   members 7, calendar 5, Slack 7, both 5, neither 0, and the activity is HOURS[week] + 0.
 * - Ops: 3 people with calendars and no Slack, meeting every week: always suppressed.
 * - Strangers: one human Slack account matching nobody, one bot and one deactivated account
 *   (neither counts), and one imported calendar of someone not on the roster.
 */
import { Scenario } from '../metrics/scenario.ts';

export const WEEKS = [
  '2026-03-02',
  '2026-03-09',
  '2026-03-16',
  '2026-03-23',
  '2026-03-30',
  '2026-04-06',
  '2026-04-13',
  '2026-04-20',
] as const;
/** Meeting hours per calendar member and week; week 3 (23 March) is the holiday. */
export const HOURS = [4, 5, 4, 1, 5, 4, 5, 4] as const;
export const HOLIDAY = '2026-03-23';

export const ENG_LEAD = 'lead@example.com';
export const OPS_LEAD = 'ops.lead@example.com';
const WITH_CALENDAR = [
  ENG_LEAD,
  'e1@example.com',
  'e2@example.com',
  'e3@example.com',
  'e4@example.com',
];
const WITHOUT_CALENDAR = ['n1@example.com', 'n2@example.com'];
const OPS = [OPS_LEAD, 'o1@example.com', 'o2@example.com'];

const SCHEDULE = { timezone: 'Europe/Berlin', days: 'Mon-Fri', start: '09:00', end: '17:00' };

function tuesday(monday: string): string {
  return new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** `weeks`: how many of WEEKS have meetings (and so are reported), from the first. */
export function dataHealthOrganisation(
  config: unknown = {},
  weeks: number = WEEKS.length,
): Scenario {
  const scenario = new Scenario(config);
  for (const [index, email] of [...WITH_CALENDAR, ...WITHOUT_CALENDAR].entries()) {
    scenario.person(email, {
      ...SCHEDULE,
      team: 'Eng',
      slack: `UENG${index}`,
      calendar: WITH_CALENDAR.includes(email),
      ...(email === ENG_LEAD ? {} : { manager: ENG_LEAD }),
    });
  }
  for (const email of OPS) {
    scenario.person(email, {
      ...SCHEDULE,
      team: 'Ops',
      ...(email === OPS_LEAD ? {} : { manager: OPS_LEAD }),
    });
  }
  for (const [week, monday] of WEEKS.slice(0, weeks).entries()) {
    const day = tuesday(monday);
    for (const email of WITH_CALENDAR) {
      scenario.meeting(email, {
        start: `${day} 09:00`,
        end: `${day} ${String(9 + HOURS[week]!).padStart(2, '0')}:00`,
        with: ['partner@elsewhere.example'],
      });
    }
    for (const email of OPS) {
      scenario.meeting(email, {
        start: `${day} 10:00`,
        end: `${day} 11:00`,
        with: ['partner@elsewhere.example'],
      });
    }
  }
  return scenario
    .slackStranger('UGUEST')
    .slackStranger('UBOT', { bot: true })
    .slackStranger('ULEFT', { deleted: true })
    .calendarStranger('contractor@elsewhere.example');
}
