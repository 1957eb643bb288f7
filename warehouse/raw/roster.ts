/**
 * Writes a roster snapshot. The roster is the only place where email addresses live; every other
 * table refers to people by `person_id`. Names are not kept: no feature needs them.
 */
import type { Warehouse } from '../db.ts';
import type { Pseudonymizer } from '../identity.ts';
import type { ImportRun } from '../runs.ts';
import type { IsoWeekday } from '../schedule.ts';
import { StagingTable } from './append.ts';

export interface RosterEntry {
  /** Normalised (trimmed, lower case). */
  readonly email: string;
  /** `Engineering/Platform`: every prefix is a team of its own. */
  readonly teamPath: string;
  readonly managerEmail: string | null;
  readonly timezone: string | null;
  readonly workDays: readonly IsoWeekday[] | null;
  /** Minutes after local midnight; an end earlier than the start crosses midnight. */
  readonly workStartMinutes: number | null;
  readonly workEndMinutes: number | null;
  readonly slackUserId: string | null;
}

/** Replaces the snapshot dated `asOf` (YYYY-MM-DD) with `entries`; run it inside a transaction. */
export async function replaceRosterSnapshot(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
  asOf: string,
  entries: readonly RosterEntry[],
  run: ImportRun,
): Promise<void> {
  const staging = await StagingTable.create(db, 'roster', {
    person_id: 'VARCHAR',
    email: 'VARCHAR',
    team_path: 'VARCHAR',
    manager_email: 'VARCHAR',
    timezone: 'VARCHAR',
    work_days: 'VARCHAR',
    work_start_minutes: 'INTEGER',
    work_end_minutes: 'INTEGER',
    slack_user_key: 'VARCHAR',
  });
  try {
    for (const entry of entries) {
      staging.append([
        pseudonymizer.person(entry.email),
        entry.email,
        entry.teamPath,
        entry.managerEmail,
        entry.timezone,
        entry.workDays === null ? null : entry.workDays.join(','),
        entry.workStartMinutes,
        entry.workEndMinutes,
        entry.slackUserId === null ? null : pseudonymizer.slackUser(entry.slackUserId),
      ]);
    }
    staging.flush();
    await db.run('DELETE FROM raw.roster_people WHERE as_of = $1::DATE', [asOf]);
    await db.run('DELETE FROM raw.roster_snapshots WHERE as_of = $1::DATE', [asOf]);
    await db.run(
      `INSERT INTO raw.roster_people
       SELECT $1::DATE, person_id, email, team_path, manager_email, timezone,
              CASE WHEN work_days IS NULL THEN NULL
                   ELSE list_transform(string_split(work_days, ','), d -> d::TINYINT) END,
              CASE WHEN work_start_minutes IS NULL THEN NULL
                   ELSE TIME '00:00' + to_minutes(work_start_minutes) END,
              CASE WHEN work_end_minutes IS NULL THEN NULL
                   ELSE TIME '00:00' + to_minutes(work_end_minutes) END,
              slack_user_key
       FROM ${staging.name}`,
      [asOf],
    );
    await db.run('INSERT INTO raw.roster_snapshots VALUES ($1::DATE, $2, $3)', [
      asOf,
      run.runId,
      entries.length,
    ]);
  } finally {
    await staging.drop();
  }
}
