-- Working shifts with the working time each person had accumulated before each one began, so the
-- working time between any two instants is a difference of two ASOF lookups instead of a join
-- against every shift in between.
SELECT
    person_id,
    shift_date,
    shift_start_at,
    shift_end_at,
    epoch_us(shift_end_at) - epoch_us(shift_start_at) AS shift_us,
    coalesce(sum(epoch_us(shift_end_at) - epoch_us(shift_start_at)) OVER (
        PARTITION BY person_id ORDER BY shift_start_at
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ), 0) AS worked_before_us
FROM intermediate.int_shifts
WHERE NOT is_out_of_office
