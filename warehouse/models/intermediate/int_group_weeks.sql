-- Team-week (and organisation-week) aggregates, with every disclosure decision made here, once
-- (docs/privacy.md). A group-week with fewer active members than minGroupSize is suppressed: every
-- metric is empty. Otherwise each metric is the median (linear interpolation) across active members
-- for whom it is defined; the latency metrics take only members with at least 3 responses that
-- week; a metric with fewer contributors than minGroupSize is empty, and a 25th or 75th percentile
-- with fewer than 2 × minGroupSize. public_share and the time shares are pooled over the group.
--
-- Sums can be subtracted, medians cannot: the count of active people (published as a band of
-- width minGroupSize) and the pooled shares are withheld for a group in which any team (itself or
-- one below it) has between 1 and minGroupSize − 1 own members that week. Then every set a viewer
-- can form by subtracting groups is a union of teams' own members, each none or at least
-- minGroupSize people, so no difference isolates a smaller set. The rule reads the roster only, so
-- withholding says nothing about who was active.
WITH params AS (
    SELECT * FROM meta.build_params
),
inputs AS (
    SELECT
        groups.group_key,
        metrics.*,
        CASE WHEN metrics.responses >= 3 THEN metrics.response_median_working_minutes END AS latency_working,
        CASE WHEN metrics.responses >= 3 THEN metrics.response_median_wall_minutes END AS latency_wall,
        CASE WHEN metrics.responses >= 3 THEN metrics.responses_within_5min_share END AS within_5min,
        CASE WHEN metrics.messages_sent > 0 THEN metrics.person_id END AS message_sender
    FROM intermediate.int_group_members AS groups
    JOIN intermediate.int_person_week_metrics AS metrics USING (person_id, week_start)
),
aggregated AS (
    SELECT
        group_key,
        week_start,
        count(*)::INTEGER AS members,
        count(*) FILTER (WHERE is_active)::INTEGER AS members_active,
        count(meeting_hours) FILTER (WHERE is_active)::INTEGER AS calendar_contributors,
        count(messages_sent) FILTER (WHERE is_active)::INTEGER AS message_contributors,
        count(message_sender) FILTER (WHERE is_active)::INTEGER AS sender_contributors,
        count(latency_working) FILTER (WHERE is_active)::INTEGER AS latency_contributors,
        count(sync_share) FILTER (WHERE is_active)::INTEGER AS sync_contributors,
        quantile_cont(meeting_hours, [0.25, 0.5, 0.75]) FILTER (WHERE is_active) AS meeting_hours_q,
        quantile_cont(meeting_load_pct, 0.5) FILTER (WHERE is_active) AS meeting_load_pct_median,
        quantile_cont(after_hours_meeting_hours, 0.5) FILTER (WHERE is_active) AS after_hours_meeting_hours_median,
        quantile_cont(conflict_hours, 0.5) FILTER (WHERE is_active) AS conflict_hours_median,
        quantile_cont(focus_hours, [0.25, 0.5, 0.75]) FILTER (WHERE is_active) AS focus_hours_q,
        quantile_cont(fragmented_hours, 0.5) FILTER (WHERE is_active) AS fragmented_hours_median,
        quantile_cont(messages_sent, 0.5) FILTER (WHERE is_active) AS messages_sent_median,
        quantile_cont(off_hours_share, 0.5) FILTER (WHERE is_active) AS off_hours_share_median,
        sum(public_messages) FILTER (WHERE is_active) / nullif(sum(messages_sent) FILTER (WHERE is_active), 0) AS public_share,
        quantile_cont(latency_working, [0.25, 0.5, 0.75]) FILTER (WHERE is_active) AS latency_working_q,
        quantile_cont(latency_wall, 0.5) FILTER (WHERE is_active) AS response_median_wall_minutes,
        quantile_cont(within_5min, 0.5) FILTER (WHERE is_active) AS responses_within_5min_share_median,
        quantile_cont(sync_share, 0.5) FILTER (WHERE is_active) AS sync_share_median,
        quantile_cont(meetings_count, 0.5) FILTER (WHERE is_active) AS meetings_count_median,
        quantile_cont(recurring_meeting_hours, 0.5) FILTER (WHERE is_active) AS recurring_meeting_hours_median,
        quantile_cont(one_off_meeting_hours, 0.5) FILTER (WHERE is_active) AS one_off_meeting_hours_median,
        quantile_cont(one_on_one_meeting_hours, 0.5) FILTER (WHERE is_active) AS one_on_one_meeting_hours_median,
        quantile_cont(large_meeting_hours, 0.5) FILTER (WHERE is_active) AS large_meeting_hours_median,
        quantile_cont(long_meeting_hours, 0.5) FILTER (WHERE is_active) AS long_meeting_hours_median,
        sum(focus_hours) FILTER (WHERE is_active AND has_calendar) / nullif(sum(working_hours) FILTER (WHERE is_active AND has_calendar), 0) AS focus_share,
        sum(fragmented_hours) FILTER (WHERE is_active AND has_calendar) / nullif(sum(working_hours) FILTER (WHERE is_active AND has_calendar), 0) AS fragmented_share,
        sum(meeting_hours_in_hours) FILTER (WHERE is_active AND has_calendar) / nullif(sum(working_hours) FILTER (WHERE is_active AND has_calendar), 0) AS meeting_share
    FROM inputs
    GROUP BY group_key, week_start
),
own_members AS (
    -- People whose team is exactly this path (not a sub-team), per week.
    SELECT team_path, week_start, count(*)::INTEGER AS own_members
    FROM intermediate.int_person_week_metrics
    GROUP BY team_path, week_start
),
withheld AS (
    -- Every group containing a team with 1 to minGroupSize − 1 own members, and the organisation.
    SELECT DISTINCT
        unnest(list_concat(
            list_transform(
                range(1, len(string_split(team_path, '/')) + 1),
                depth -> array_to_string(string_split(team_path, '/')[1:depth], '/')
            ),
            ['']
        )) AS group_key,
        week_start
    FROM own_members
    CROSS JOIN params
    WHERE own_members.own_members < params.min_group_size
),
gated AS (
    -- "enough(n)": the metric has at least minGroupSize contributors in a group that is not suppressed.
    SELECT
        aggregated.*,
        aggregated.members_active < params.min_group_size AS suppressed,
        withheld.group_key IS NOT NULL AS counts_withheld,
        aggregated.members_active >= params.min_group_size AND withheld.group_key IS NULL AS show_sums,
        params.min_group_size,
        aggregated.members_active >= params.min_group_size AND aggregated.calendar_contributors >= params.min_group_size AS enough_calendar,
        aggregated.members_active >= params.min_group_size AND aggregated.message_contributors >= params.min_group_size AS enough_messages,
        aggregated.members_active >= params.min_group_size AND aggregated.sender_contributors >= params.min_group_size AS enough_senders,
        aggregated.members_active >= params.min_group_size AND aggregated.latency_contributors >= params.min_group_size AS enough_latency,
        aggregated.members_active >= params.min_group_size AND aggregated.sync_contributors >= params.min_group_size AS enough_sync
    FROM aggregated
    CROSS JOIN params
    LEFT JOIN withheld USING (group_key, week_start)
)
SELECT
    gated.group_key,
    gated.week_start,
    gated.members,
    gated.members_active,
    gated.suppressed,
    gated.counts_withheld,
    -- The band [min, max] of width minGroupSize holding members_active, capped at members.
    CASE WHEN show_sums THEN (members_active // min_group_size) * min_group_size END AS members_active_min,
    CASE WHEN show_sums THEN least((members_active // min_group_size) * min_group_size + min_group_size - 1, members) END AS members_active_max,
    CASE WHEN enough_calendar THEN meeting_hours_q[2] END AS meeting_hours_median,
    CASE WHEN enough_calendar AND calendar_contributors >= 2 * min_group_size THEN meeting_hours_q[1] END AS meeting_hours_p25,
    CASE WHEN enough_calendar AND calendar_contributors >= 2 * min_group_size THEN meeting_hours_q[3] END AS meeting_hours_p75,
    CASE WHEN enough_calendar THEN meeting_load_pct_median END AS meeting_load_pct_median,
    CASE WHEN enough_calendar THEN after_hours_meeting_hours_median END AS after_hours_meeting_hours_median,
    CASE WHEN enough_calendar THEN conflict_hours_median END AS conflict_hours_median,
    CASE WHEN enough_calendar THEN focus_hours_q[2] END AS focus_hours_median,
    CASE WHEN enough_calendar AND calendar_contributors >= 2 * min_group_size THEN focus_hours_q[1] END AS focus_hours_p25,
    CASE WHEN enough_calendar AND calendar_contributors >= 2 * min_group_size THEN focus_hours_q[3] END AS focus_hours_p75,
    CASE WHEN enough_calendar THEN fragmented_hours_median END AS fragmented_hours_median,
    CASE WHEN enough_messages THEN messages_sent_median END AS messages_sent_median,
    CASE WHEN enough_senders THEN off_hours_share_median END AS off_hours_share_median,
    CASE WHEN enough_senders AND show_sums THEN public_share END AS public_share,
    CASE WHEN enough_latency THEN latency_working_q[2] END AS response_median_working_minutes,
    CASE WHEN enough_latency AND latency_contributors >= 2 * min_group_size THEN latency_working_q[1] END AS response_median_working_minutes_p25,
    CASE WHEN enough_latency AND latency_contributors >= 2 * min_group_size THEN latency_working_q[3] END AS response_median_working_minutes_p75,
    CASE WHEN enough_latency THEN response_median_wall_minutes END AS response_median_wall_minutes,
    CASE WHEN enough_latency THEN responses_within_5min_share_median END AS responses_within_5min_share_median,
    CASE WHEN enough_sync THEN sync_share_median END AS sync_share_median,
    CASE WHEN NOT suppressed THEN overlap.overlap_hours_all END AS overlap_hours_all,
    CASE WHEN enough_calendar THEN meetings_count_median END AS meetings_count_median,
    CASE WHEN enough_calendar THEN recurring_meeting_hours_median END AS recurring_meeting_hours_median,
    CASE WHEN enough_calendar THEN one_off_meeting_hours_median END AS one_off_meeting_hours_median,
    CASE WHEN enough_calendar THEN one_on_one_meeting_hours_median END AS one_on_one_meeting_hours_median,
    CASE WHEN enough_calendar THEN large_meeting_hours_median END AS large_meeting_hours_median,
    CASE WHEN enough_calendar THEN long_meeting_hours_median END AS long_meeting_hours_median,
    CASE WHEN enough_calendar AND show_sums THEN focus_share END AS focus_share,
    CASE WHEN enough_calendar AND show_sums THEN fragmented_share END AS fragmented_share,
    CASE WHEN enough_calendar AND show_sums THEN meeting_share END AS meeting_share,
    CASE WHEN NOT suppressed THEN calendar_contributors END AS calendar_contributors,
    CASE WHEN NOT suppressed THEN message_contributors END AS message_contributors,
    CASE WHEN NOT suppressed THEN latency_contributors END AS latency_contributors
FROM gated
LEFT JOIN intermediate.int_group_overlap AS overlap USING (group_key, week_start)
