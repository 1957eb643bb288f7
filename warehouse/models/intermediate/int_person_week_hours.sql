-- The hours of every kind the person-week metrics add up, per person and local week: each interval
-- is split at the person's local week boundaries (an interval crossing Monday 00:00 counts in both
-- weeks for its part in each), and the pieces are summed in the same pass, so the millions of
-- pieces are never stored. Intervals are at most a day or so long, so each is offered to the weeks
-- of its start and end dates, a day either side. A meeting belongs to up to five breakdowns; it is
-- split by week once, as one row carrying its breakdowns as a list, and fanned out into one row per
-- breakdown only after the week join.
WITH intervals AS (
    SELECT person_id, ['working'] AS kinds, shift_start_at AS start_at, shift_end_at AS end_at
    FROM intermediate.int_shifts
    WHERE NOT is_out_of_office
    UNION ALL
    SELECT person_id, ['meeting'], start_at, end_at
    FROM intermediate.int_interval_unions
    WHERE kind = 'meeting'
    UNION ALL
    SELECT person_id, ['meeting_in_hours'], start_at, end_at
    FROM intermediate.int_meeting_time_in_shifts
    UNION ALL
    SELECT person_id, ['conflict'], start_at, end_at
    FROM intermediate.int_meeting_conflicts
    UNION ALL
    SELECT person_id, [CASE WHEN is_focus THEN 'focus' ELSE 'fragmented' END], start_at, end_at
    FROM intermediate.int_free_time
    UNION ALL
    -- Each meeting once per breakdown it belongs to, as plain (unmerged) durations.
    SELECT person_id, list_concat(
        ['each_meeting', CASE WHEN is_recurring THEN 'recurring_meeting' ELSE 'one_off_meeting' END],
        CASE WHEN is_one_on_one THEN ['one_on_one_meeting'] ELSE [] END,
        CASE WHEN is_large THEN ['large_meeting'] ELSE [] END,
        CASE WHEN is_long THEN ['long_meeting'] ELSE [] END
    ), start_at, end_at
    FROM intermediate.int_meetings
),
offered AS (
    SELECT
        *,
        -- The Mondays on or before the day before its start and the day after its end, counted
        -- from Monday 1970-01-05 (day 4) by arithmetic on microseconds: casting 4 M instants to
        -- dates and truncating them to weeks took most of the query's time.
        DATE '1970-01-05' + 7 * unnest(range(
            fdiv(fdiv(epoch_us(start_at), 86400000000) - 5, 7)::INTEGER,
            fdiv(fdiv(epoch_us(end_at), 86400000000) - 3, 7)::INTEGER + 1
        ))::INTEGER AS week_start
    FROM intervals
),
pieces AS (
    SELECT
        offered.person_id,
        offered.week_start,
        offered.kinds,
        (epoch_us(least(offered.end_at, weeks.week_end_at)) - epoch_us(greatest(offered.start_at, weeks.week_start_at))) / 3.6e9 AS hours,
        offered.start_at >= weeks.week_start_at AS starts_in_week
    FROM offered
    JOIN intermediate.int_person_weeks AS weeks USING (person_id, week_start)
    WHERE offered.start_at < weeks.week_end_at AND offered.end_at > weeks.week_start_at
)
SELECT
    person_id,
    week_start,
    kind,
    sum(hours) AS hours,
    count(*) FILTER (WHERE starts_in_week)::INTEGER AS intervals_started
FROM (SELECT person_id, week_start, unnest(kinds) AS kind, hours, starts_in_week FROM pieces)
GROUP BY person_id, week_start, kind
