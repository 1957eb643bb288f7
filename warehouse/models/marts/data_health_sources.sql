-- The period each source's data covers (docs/metrics.md, Data coverage): the first and last day of
-- its coverage windows (UTC), and for the roster the dates of its first and latest snapshot. The
-- import and job logs (meta.import_runs, meta.job_runs) say when each last ran; the roster's
-- latest snapshot names its run, because roster snapshots come from the demo as well as imports.
SELECT
    source,
    CASE WHEN source = 'demo' THEN 'demo' WHEN kind = 'slack' THEN 'slack' ELSE 'calendar' END AS kind,
    min(window_start AT TIME ZONE 'UTC')::DATE AS covers_from,
    max((window_end - INTERVAL 1 MICROSECOND) AT TIME ZONE 'UTC')::DATE AS covers_to,
    count(*)::INTEGER AS windows,
    NULL::BIGINT AS latest_run_id
FROM (
    SELECT source, 'calendar' AS kind, window_start, window_end FROM staging.stg_calendar__coverage
    UNION ALL
    SELECT source, 'slack' AS kind, window_start, window_end FROM staging.stg_slack__coverage
)
GROUP BY ALL
UNION ALL
SELECT 'roster', 'roster', min(as_of), max(as_of), count(*)::INTEGER, arg_max(run_id, as_of)
FROM staging.stg_roster__snapshots
HAVING count(*) > 0
