-- Time-zone overlap: over the week's 15-minute slots (aligned in UTC, which every zone's quarter
-- hours share), the hours in which every member is inside their scheduled working hours, divided
-- by 5 (a per-working-day figure). Scheduled hours of every member, active or not, are used on
-- purpose: overlap describes the team's zones and schedules, one person's holiday should not erase
-- it, and a figure that moved when one person was away would tell who was away (docs/privacy.md).
WITH members AS (
    SELECT group_key, week_start, person_id
    FROM intermediate.int_group_members
),
sizes AS (
    SELECT group_key, week_start, count(*)::INTEGER AS people
    FROM members
    GROUP BY group_key, week_start
),
edges AS (
    SELECT members.group_key, members.week_start, shifts.shift_start_at AS edge_at, 1 AS delta
    FROM members
    JOIN intermediate.int_shifts AS shifts USING (person_id, week_start)
    UNION ALL
    SELECT members.group_key, members.week_start, shifts.shift_end_at, -1
    FROM members
    JOIN intermediate.int_shifts AS shifts USING (person_id, week_start)
),
netted AS (
    SELECT group_key, week_start, edge_at, sum(delta) AS delta
    FROM edges
    GROUP BY group_key, week_start, edge_at
    HAVING sum(delta) <> 0
),
levels AS (
    SELECT
        group_key,
        week_start,
        edge_at,
        sum(delta) OVER (PARTITION BY group_key, week_start ORDER BY edge_at ROWS UNBOUNDED PRECEDING) AS working,
        lead(edge_at) OVER (PARTITION BY group_key, week_start ORDER BY edge_at) AS next_edge_at
    FROM netted
),
whole_slots AS (
    SELECT
        levels.group_key,
        levels.week_start,
        -- Whole quarter hours inside [edge_at, next_edge_at): floor of the end minus ceiling of the start.
        greatest(epoch_us(levels.next_edge_at) // 900000000 - (epoch_us(levels.edge_at) + 899999999) // 900000000, 0) AS slots
    FROM levels
    JOIN sizes USING (group_key, week_start)
    WHERE levels.working >= sizes.people AND levels.next_edge_at IS NOT NULL
)
SELECT
    sizes.group_key,
    sizes.week_start,
    coalesce(sum(whole_slots.slots), 0) * 0.25 / 5 AS overlap_hours_all
FROM sizes
LEFT JOIN whole_slots USING (group_key, week_start)
GROUP BY sizes.group_key, sizes.week_start
