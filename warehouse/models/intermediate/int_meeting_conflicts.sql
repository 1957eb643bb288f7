-- Double-booked time: the stretches covered by two or more of a person's meetings at once. Starts
-- and ends at the same instant net out first, so back-to-back meetings do not conflict.
WITH edges AS (
    SELECT person_id, start_at AS edge_at, 1 AS delta FROM intermediate.int_meetings
    UNION ALL
    SELECT person_id, end_at, -1 FROM intermediate.int_meetings
),
netted AS (
    SELECT person_id, edge_at, sum(delta) AS delta
    FROM edges
    GROUP BY person_id, edge_at
),
levels AS (
    SELECT
        person_id,
        edge_at,
        sum(delta) OVER (PARTITION BY person_id ORDER BY edge_at ROWS UNBOUNDED PRECEDING) AS meetings_at_once,
        lead(edge_at) OVER (PARTITION BY person_id ORDER BY edge_at) AS next_edge_at
    FROM netted
)
SELECT person_id, edge_at AS start_at, next_edge_at AS end_at, meetings_at_once
FROM levels
WHERE meetings_at_once >= 2 AND next_edge_at > edge_at
