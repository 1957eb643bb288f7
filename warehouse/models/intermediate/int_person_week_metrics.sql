-- Every person-week metric, defined in docs/metrics.md. Calendar metrics exist only for weeks an
-- imported calendar covers, message metrics only for weeks a Slack import covers and people with a
-- Slack account: elsewhere they are unknown (null), not zero.
WITH params AS (
    SELECT * FROM meta.build_params
),
calendar AS (
    SELECT
        person_id,
        week_start,
        sum(hours) FILTER (WHERE kind = 'working') AS working_hours,
        sum(hours) FILTER (WHERE kind = 'meeting') AS meeting_hours,
        sum(hours) FILTER (WHERE kind = 'meeting_in_hours') AS meeting_hours_in_hours,
        sum(hours) FILTER (WHERE kind = 'conflict') AS conflict_hours,
        sum(hours) FILTER (WHERE kind = 'focus') AS focus_hours,
        sum(hours) FILTER (WHERE kind = 'fragmented') AS fragmented_hours,
        sum(hours) FILTER (WHERE kind = 'recurring_meeting') AS recurring_meeting_hours,
        sum(hours) FILTER (WHERE kind = 'one_off_meeting') AS one_off_meeting_hours,
        sum(hours) FILTER (WHERE kind = 'one_on_one_meeting') AS one_on_one_meeting_hours,
        sum(hours) FILTER (WHERE kind = 'large_meeting') AS large_meeting_hours,
        sum(hours) FILTER (WHERE kind = 'long_meeting') AS long_meeting_hours,
        sum(intervals_started) FILTER (WHERE kind = 'each_meeting')::INTEGER AS meetings_count
    FROM intermediate.int_person_week_hours
    GROUP BY person_id, week_start
),
out_of_office AS (
    SELECT person_id, week_start, count(*) FILTER (WHERE is_out_of_office)::INTEGER AS out_of_office_days
    FROM intermediate.int_shifts
    GROUP BY person_id, week_start
),
-- A week is known only when an imported period covers all of it: an import window ending on a
-- Wednesday must not turn Thursday and Friday into focus time or silence.
calendar_known AS (
    SELECT DISTINCT weeks.person_id, weeks.week_start
    FROM intermediate.int_person_weeks AS weeks
    JOIN intermediate.int_coverage_unions AS coverage
      ON coverage.person_id = weeks.person_id
     AND coverage.kind = 'calendar_coverage'
     AND coverage.start_at <= weeks.week_start_at
     AND coverage.end_at >= weeks.week_end_at
),
slack_known AS (
    SELECT DISTINCT weeks.person_id, weeks.week_start
    FROM intermediate.int_person_weeks AS weeks
    JOIN (
        SELECT DISTINCT person_id FROM intermediate.int_slack_identities WHERE person_id IS NOT NULL AND NOT is_bot
    ) AS accounts USING (person_id)
    JOIN intermediate.int_coverage_unions AS coverage
      ON coverage.kind = 'slack_coverage'
     AND coverage.start_at <= weeks.week_start_at
     AND coverage.end_at >= weeks.week_end_at
),
messages AS (
    SELECT person_id, week_start, messages_sent, off_hours_messages, public_messages
    FROM intermediate.int_person_week_messages
),
responses AS (
    SELECT
        person_id,
        week_start,
        count(*)::INTEGER AS responses,
        quantile_cont(latency_working_minutes, 0.5) AS response_median_working_minutes,
        quantile_cont(latency_wall_minutes, 0.5) AS response_median_wall_minutes,
        avg(CASE WHEN latency_wall_minutes <= 5 THEN 1.0 ELSE 0.0 END) AS responses_within_5min_share
    FROM intermediate.int_responses
    GROUP BY person_id, week_start
),
joined AS (
    SELECT
        weeks.person_id,
        weeks.week_start,
        weeks.team_path,
        weeks.timezone,
        coalesce(calendar.working_hours, 0) AS working_hours,
        coalesce(out_of_office.out_of_office_days, 0) AS out_of_office_days,
        calendar_known.person_id IS NOT NULL AS has_calendar,
        slack_known.person_id IS NOT NULL AS has_slack,
        calendar.* EXCLUDE (person_id, week_start, working_hours),
        messages.* EXCLUDE (person_id, week_start),
        responses.* EXCLUDE (person_id, week_start)
    FROM intermediate.int_person_weeks AS weeks
    LEFT JOIN calendar USING (person_id, week_start)
    LEFT JOIN out_of_office USING (person_id, week_start)
    LEFT JOIN calendar_known USING (person_id, week_start)
    LEFT JOIN slack_known USING (person_id, week_start)
    LEFT JOIN messages USING (person_id, week_start)
    LEFT JOIN responses USING (person_id, week_start)
),
defined AS (
    SELECT
        person_id,
        week_start,
        team_path,
        timezone,
        working_hours,
        CASE WHEN has_calendar THEN out_of_office_days END AS out_of_office_days,
        has_calendar,
        has_slack,
        CASE WHEN has_calendar THEN coalesce(meetings_count, 0) END AS meetings_count,
        CASE WHEN has_calendar THEN coalesce(meeting_hours, 0) END AS meeting_hours,
        CASE WHEN has_calendar THEN coalesce(meeting_hours_in_hours, 0) END AS meeting_hours_in_hours,
        CASE WHEN has_calendar THEN coalesce(meeting_hours, 0) - coalesce(meeting_hours_in_hours, 0) END AS after_hours_meeting_hours,
        CASE WHEN has_calendar AND working_hours > 0 THEN 100 * coalesce(meeting_hours_in_hours, 0) / working_hours END AS meeting_load_pct,
        CASE WHEN has_calendar THEN coalesce(conflict_hours, 0) END AS conflict_hours,
        CASE WHEN has_calendar THEN coalesce(recurring_meeting_hours, 0) END AS recurring_meeting_hours,
        CASE WHEN has_calendar THEN coalesce(one_off_meeting_hours, 0) END AS one_off_meeting_hours,
        CASE WHEN has_calendar THEN coalesce(one_on_one_meeting_hours, 0) END AS one_on_one_meeting_hours,
        CASE WHEN has_calendar THEN coalesce(large_meeting_hours, 0) END AS large_meeting_hours,
        CASE WHEN has_calendar THEN coalesce(long_meeting_hours, 0) END AS long_meeting_hours,
        CASE WHEN has_calendar THEN coalesce(focus_hours, 0) END AS focus_hours,
        CASE WHEN has_calendar THEN coalesce(fragmented_hours, 0) END AS fragmented_hours,
        -- Every message metric tests has_slack itself, never the raw counts: in a week only partly
        -- inside the Slack period the raw counts describe part of the week.
        CASE WHEN has_slack THEN coalesce(messages_sent, 0) END AS messages_sent,
        CASE WHEN has_slack THEN coalesce(off_hours_messages, 0) END AS off_hours_messages,
        CASE WHEN has_slack AND messages_sent > 0 THEN off_hours_messages / messages_sent END AS off_hours_share,
        CASE WHEN has_slack THEN coalesce(public_messages, 0) END AS public_messages,
        CASE WHEN has_slack AND messages_sent > 0 THEN public_messages / messages_sent END AS public_share,
        CASE WHEN has_slack THEN coalesce(responses, 0) END AS responses,
        CASE WHEN has_slack THEN response_median_working_minutes END AS response_median_working_minutes,
        CASE WHEN has_slack THEN response_median_wall_minutes END AS response_median_wall_minutes,
        CASE WHEN has_slack THEN responses_within_5min_share END AS responses_within_5min_share
    FROM joined
)
SELECT
    defined.*,
    working_hours > 0 AND (coalesce(meeting_hours, 0) > 0 OR coalesce(messages_sent, 0) > 0) AS is_active,
    messages_sent * params.minutes_per_message / 60 AS async_hours,
    CASE
        WHEN has_calendar AND has_slack AND meeting_hours + messages_sent * params.minutes_per_message / 60 > 0
        THEN meeting_hours / (meeting_hours + messages_sent * params.minutes_per_message / 60)
    END AS sync_share
FROM defined
CROSS JOIN params
