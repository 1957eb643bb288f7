-- The marks on each team-week (docs/metrics.md, Data coverage and Probable holidays): how many
-- members each source covers, and whether the week's activity is far below the team's own usual.
--
-- Coverage counts are counts like the active band, so they follow its rule (docs/privacy.md):
-- shown only for team-weeks that are shown at all and whose sums are not withheld; otherwise
-- "5 of 6 have calendars", or a parent minus its sub-teams, could point at the one without.
--
-- The flag: z = (x − mean) / sd of the team's OTHER judged weeks with the same activity sources
-- (leave-one-out, sample sd). A week is judged when it is not suppressed and has ended (in the
-- organisation's zone) before the build; it needs holiday_min_other_weeks other judged weeks and a
-- non-zero sd. Computed from partition sums of the deviations from the partition mean (exact up to
-- rounding, and linear in weeks where a self-join of 520 weeks would be quadratic).
WITH params AS (
    SELECT * FROM meta.build_params
),
base AS (
    SELECT
        coverage.*,
        weeks.suppressed,
        weeks.counts_withheld,
        CASE
            WHEN NOT weeks.suppressed
             AND timezone(params.default_timezone, (coverage.week_start + 7)::TIMESTAMP) <= params.built_at
            THEN coverage.activity_hours
        END AS judged_activity
    FROM intermediate.int_group_week_coverage AS coverage
    JOIN intermediate.int_group_weeks AS weeks USING (group_key, week_start)
    CROSS JOIN params
    WHERE coverage.group_key <> ''
),
centred AS (
    SELECT *, judged_activity - avg(judged_activity) OVER usual AS deviation
    FROM base
    WINDOW usual AS (PARTITION BY group_key, activity_sources)
),
sums AS (
    SELECT
        *,
        count(deviation) OVER usual AS judged_weeks,
        sum(deviation) OVER usual AS deviation_sum,
        sum(deviation * deviation) OVER usual AS deviation_squares
    FROM centred
    WINDOW usual AS (PARTITION BY group_key, activity_sources)
),
left_out AS (
    SELECT
        *,
        CASE WHEN deviation IS NOT NULL THEN (judged_weeks - 1)::INTEGER END AS other_weeks,
        CASE WHEN deviation IS NOT NULL AND judged_weeks >= 2 THEN (deviation_sum - deviation) / (judged_weeks - 1) END AS other_mean_deviation
    FROM sums
),
scored AS (
    SELECT
        *,
        CASE WHEN other_weeks >= 2 THEN sqrt(greatest(
            (deviation_squares - deviation * deviation - other_weeks * other_mean_deviation * other_mean_deviation) / (other_weeks - 1),
            0)) END AS other_sd
    FROM left_out
)
SELECT
    scored.group_key AS team_path,
    scored.week_start,
    scored.members,
    scored.suppressed,
    scored.counts_withheld,
    NOT scored.suppressed AND NOT scored.counts_withheld AS coverage_shown,
    CASE WHEN NOT scored.suppressed AND NOT scored.counts_withheld THEN scored.calendar_members END AS calendar_members,
    CASE WHEN NOT scored.suppressed AND NOT scored.counts_withheld THEN scored.slack_members END AS slack_members,
    CASE WHEN NOT scored.suppressed AND NOT scored.counts_withheld THEN scored.both_members END AS both_members,
    CASE WHEN NOT scored.suppressed AND NOT scored.counts_withheld THEN scored.neither_members END AS neither_members,
    CASE WHEN NOT scored.suppressed THEN scored.activity_sources END AS activity_sources,
    CASE WHEN NOT scored.suppressed THEN scored.activity_hours END AS activity_hours,
    scored.other_weeks,
    -- An sd this small is a flat series (rounding of equal values): no week stands out.
    CASE
        WHEN scored.other_weeks >= params.holiday_min_other_weeks AND scored.other_sd > 1e-9
        THEN (scored.deviation - scored.other_mean_deviation) / scored.other_sd
    END AS activity_z,
    coalesce(
        scored.other_weeks >= params.holiday_min_other_weeks AND scored.other_sd > 1e-9
        AND (scored.deviation - scored.other_mean_deviation) / scored.other_sd < params.holiday_z_score,
        false
    ) AS probable_holiday
FROM scored
CROSS JOIN params
