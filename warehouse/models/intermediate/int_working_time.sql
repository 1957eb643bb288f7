-- Working shifts with the working time each person had accumulated before each one began, so the
-- working time between any two instants is a difference of two ASOF lookups instead of a join
-- against every shift in between.
--
-- Causal (see the .yml): given getvariable('incremental_scope_start'), an instant S at or before
-- every change of the shifts, it sums afresh the shifts from the first one ending after S, on top
-- of each person's working time in the shifts starting before that one, which are as they were.
-- A full build leaves S unset (NULL): every shift is summed, on top of nothing.
WITH working AS (
    SELECT
        person_id,
        shift_date,
        shift_start_at,
        shift_end_at,
        epoch_us(shift_end_at) - epoch_us(shift_start_at) AS shift_us
    FROM intermediate.int_shifts
    WHERE NOT is_out_of_office
),
summed_from AS (
    SELECT least(getvariable('incremental_scope_start'), min(shift_start_at)) AS first_at
    FROM working
    WHERE shift_end_at > getvariable('incremental_scope_start')
),
earlier AS (
    SELECT person_id, sum(shift_us) AS worked_us
    FROM working
    WHERE shift_start_at < (SELECT first_at FROM summed_from)
    GROUP BY person_id
)
SELECT
    working.person_id,
    shift_date,
    shift_start_at,
    shift_end_at,
    shift_us,
    coalesce(earlier.worked_us, 0) + coalesce(sum(shift_us) OVER (
        PARTITION BY working.person_id ORDER BY shift_start_at
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ), 0) AS worked_before_us
FROM working
LEFT JOIN earlier ON earlier.person_id = working.person_id
WHERE shift_start_at >= (SELECT first_at FROM summed_from) OR getvariable('incremental_scope_start') IS NULL
