-- Snapshots with the period each one is in force: from its own date (or from the beginning of
-- time for the earliest) until the next snapshot's date.
SELECT
    as_of,
    CASE WHEN row_number() OVER (ORDER BY as_of) = 1 THEN DATE '0001-01-01' ELSE as_of END AS valid_from,
    coalesce(lead(as_of) OVER (ORDER BY as_of), DATE '9999-12-31') AS valid_to,
    lead(as_of) OVER (ORDER BY as_of) IS NULL AS is_latest,
    people,
    run_id
FROM raw.roster_snapshots
