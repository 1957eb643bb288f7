-- The events that count as meetings for their calendar's owner P: not cancelled, not all-day,
-- an ordinary event, busy, longer than zero and at most meetingMaxHours, at least two human
-- attendees counting P (rooms and resources are not attendees), and P accepted it, or P
-- organised it and did not decline.
WITH candidates AS (
    SELECT events.*
    FROM staging.stg_calendar__events AS events
    WHERE events.status <> 'cancelled'
      AND NOT events.is_all_day
      AND events.event_type = 'default'
      AND events.transparency = 'opaque'
      AND events.duration_hours > 0
      AND events.duration_hours <= (SELECT meeting_max_hours FROM meta.build_params)
),
-- People per event copy: an attendee is listed once per copy (the unique key of
-- stg_calendar__attendees, checked before the build commits), so counting rows counts people.
-- Neither count(DISTINCT), whose hash table holds every (copy, attendee) pair, nor a list of ids
-- per copy, which DuckDB cannot spill (20,000 people ran out of a 12 GB limit), is needed.
attendance AS (
    SELECT
        owner_id,
        event_key,
        recurrence_key,
        count(*) FILTER (WHERE attendee_kind = 'person') AS listed_people,
        bool_or(attendee_id = owner_id AND attendee_kind = 'person') AS owner_listed,
        max(response_status) FILTER (WHERE attendee_id = owner_id) AS owner_response
    FROM staging.stg_calendar__attendees
    GROUP BY owner_id, event_key, recurrence_key
),
qualified AS (
    SELECT
        candidates.owner_id AS person_id,
        candidates.event_key,
        candidates.recurrence_key,
        candidates.start_at,
        candidates.end_at,
        candidates.duration_hours,
        candidates.is_recurring,
        attendance.listed_people + CASE WHEN attendance.owner_listed THEN 0 ELSE 1 END AS human_attendees,
        coalesce(candidates.organizer_id = candidates.owner_id, false) AS is_organizer,
        attendance.owner_response
    FROM candidates
    JOIN attendance USING (owner_id, event_key, recurrence_key)
)
SELECT
    person_id,
    event_key,
    recurrence_key,
    start_at,
    end_at,
    duration_hours,
    is_recurring,
    human_attendees,
    human_attendees = 2 AS is_one_on_one,
    human_attendees >= 9 AS is_large,
    duration_hours > 1 AS is_long,
    is_organizer
FROM qualified
WHERE human_attendees >= 2
  AND (owner_response = 'accepted' OR (is_organizer AND coalesce(owner_response, '') <> 'declined'))
