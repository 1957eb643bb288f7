/**
 * One team over the selected weeks: working agreements, meetings, focus, messages and responses,
 * time-zone overlap. Every chart shows the team against the organisation; weeks hidden to protect
 * small groups are gaps with the reason written underneath.
 */
import type { ReactNode } from 'react';
import {
  DISTRIBUTION_SUB_TEAMS_REASON,
  METRICS,
  type Team,
  type TeamsResponse,
  type TeamWeek,
  type TeamWeekMetric,
  type TeamWeeksResponse,
} from '../../../server/contract/index.ts';
import { apiPaths } from '../api/client.ts';
import { useDistributionQuery, useTeamWeeksQuery } from '../api/hooks.ts';
import { ChartFrame } from '../charts/ChartFrame.tsx';
import { DistributionChart } from '../charts/DistributionChart.tsx';
import { OKABE_ITO } from '../charts/palette.ts';
import { SeriesChart } from '../charts/SeriesChart.tsx';
import { StackedWeeksChart } from '../charts/StackedWeeksChart.tsx';
import { TrendChart } from '../charts/TrendChart.tsx';
import { InfoPopover } from '../components/InfoPopover.tsx';
import { MetricInfo } from '../components/MetricInfo.tsx';
import { RangePicker, TeamPicker } from '../components/Pickers.tsx';
import { EmptyState, ErrorNotice, Loading } from '../components/States.tsx';
import { CoverageIcon, HolidayIcon } from '../components/WeekMarks.tsx';
import {
  agreementStatus,
  agreementTargets,
  compliance,
  describeCompliance,
  formatTarget,
  targetFor,
} from '../lib/agreements.ts';
import {
  formatShortDay,
  formatWeek,
  formatWeeksSpan,
  mondaysInRange,
  weeksInRange,
} from '../lib/dates.ts';
import { formatPeople, formatTick, formatValue } from '../../../server/contract/format.ts';
import { describeCoverageGap } from '../lib/data-health.ts';
import { definitionOf } from '../lib/metric-docs.ts';
import { describeEmptyWeeks, emptyWeeks, trendPoints } from '../lib/series.ts';
import { Link, navigate, PageHeading } from '../routing/router.tsx';
import { formatLocation, type ResolvedFilters, type ViewState } from '../routing/url-state.ts';
import { useResolvedFilters } from '../routing/view-state.ts';

interface TeamPageProps {
  readonly team: string;
  readonly state: ViewState;
  readonly teams: TeamsResponse;
}

export function TeamPage({ team, state, teams }: TeamPageProps) {
  const known = teams.teams.find((candidate) => candidate.path === team);
  if (!known) {
    return (
      <>
        <Breadcrumb team={team} teams={teams.teams} state={state} />
        <PageHeading>{team.split('/').at(-1)}</PageHeading>
        <EmptyState title="No such team among those shared with you">
          <p>
            The roster has no team “{team}”, or it is not one of yours. Team names change when the
            roster does, so an old link can lead here.{' '}
            <Link href={formatLocation({ ...state, route: { page: 'overview' } })}>
              Back to the overview
            </Link>
          </p>
        </EmptyState>
      </>
    );
  }
  return <KnownTeamPage team={known} state={state} teams={teams} />;
}

function KnownTeamPage({
  team: teamInfo,
  state,
  teams,
}: {
  readonly team: Team;
  readonly state: ViewState;
  readonly teams: TeamsResponse;
}) {
  const team = teamInfo.path;
  const latest = teams.latest_complete_week;
  const filters = useResolvedFilters(state, latest, ['week', 'from', 'to']);
  const weeks = useTeamWeeksQuery(team, filters);
  const setFilters = (change: Partial<ResolvedFilters>) => {
    navigate(formatLocation({ ...state, ...change }), { newPage: false });
  };

  const data =
    weeks.status === 'success'
      ? weeks.data
      : weeks.status === 'loading'
        ? weeks.previous
        : undefined;

  return (
    <>
      <Breadcrumb team={team} teams={teams.teams} state={state} />
      <div className="page-head">
        <div>
          <PageHeading>{teamInfo.name}</PageHeading>
          <p className="lede">
            {`${formatPeople(teamInfo.members_now)} on the roster now, including sub-teams. `}
            {filters &&
              `${weeksInRange(filters.from, filters.to)} weeks, ${formatWeeksSpan(filters.from, filters.to)}.`}
          </p>
        </div>
        {filters && latest && (
          <div className="team-controls">
            <TeamPicker
              teams={teams.teams}
              current={team}
              onChange={(path) => {
                navigate(formatLocation({ ...state, route: { page: 'team', team: path } }));
              }}
            />
            <a
              className="button button-primary"
              href={apiPaths.exportCsv(team, filters.from, filters.to)}
              download
            >
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <path
                  d="M8 1v9m0 0 3.5-3.5M8 10 4.5 6.5M2 12v2.5h12V12"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              Download CSV
              <span className="visually-hidden">
                {' '}
                of this team and its sub-teams, {weeksInRange(filters.from, filters.to)} weeks
              </span>
            </a>
          </div>
        )}
      </div>
      {filters && latest && (
        <RangePicker from={filters.from} to={filters.to} latest={latest} onChange={setFilters} />
      )}
      {latest === null && (
        <EmptyState title="No complete week of data yet">
          <p>Charts appear once a whole week of calendar or Slack data has been imported.</p>
        </EmptyState>
      )}
      {weeks.status === 'error' && (
        <ErrorNotice error={weeks.error} retry={weeks.retry} what="this team" />
      )}
      {weeks.status === 'loading' && data === undefined && <Loading what="this team's weeks" />}
      {data && filters && (
        <div
          aria-busy={weeks.status === 'loading'}
          className={weeks.status === 'loading' ? 'is-refreshing' : undefined}
        >
          <TeamContent
            data={data}
            filters={filters}
            onWeekChange={(week) => {
              setFilters({ week });
            }}
          />
        </div>
      )}
    </>
  );
}

function Breadcrumb({
  team,
  teams,
  state,
}: {
  readonly team: string;
  readonly teams: readonly Team[];
  readonly state: ViewState;
}) {
  const segments = team.split('/');
  const ancestors = segments.slice(0, -1).map((_, index) => segments.slice(0, index + 1).join('/'));
  const visible = new Set(teams.map((candidate) => candidate.path));
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href={formatLocation({ ...state, route: { page: 'overview' } })}>Overview</Link>
        </li>
        {ancestors.map((path) => (
          <li key={path}>
            {visible.has(path) ? (
              <Link href={formatLocation({ ...state, route: { page: 'team', team: path } })}>
                {path.split('/').at(-1)}
              </Link>
            ) : (
              <span>{path.split('/').at(-1)}</span>
            )}
          </li>
        ))}
        <li aria-current="page">{segments.at(-1)}</li>
      </ol>
    </nav>
  );
}

function TeamContent({
  data,
  filters,
  onWeekChange,
}: {
  readonly data: TeamWeeksResponse;
  readonly filters: ResolvedFilters;
  readonly onWeekChange: (week: string) => void;
}) {
  const { weeks, team } = data;
  if (weeks.length === 0) {
    return (
      <EmptyState title="No weeks in this range">
        <p>Nothing has been imported for these weeks. Choose other weeks above.</p>
      </EmptyState>
    );
  }
  const suppressed = weeks.filter((week) => week.suppressed);
  const rowReasons = new Set(suppressed.map((week) => week.reason));
  if (suppressed.length === weeks.length) {
    return (
      <EmptyState title="Every week in this range is hidden">
        <p>
          This team had {[...rowReasons].join('; ')} in each of these weeks. Numbers for so few
          people would point at individuals, so syncbalance does not show them. The team’s people
          are still counted in its parent team.
        </p>
      </EmptyState>
    );
  }
  const notes = (...metrics: TeamWeekMetric[]) =>
    emptyWeeks(weeks, metrics)
      .filter((empty) => !rowReasons.has(empty.reason))
      .map(describeEmptyWeeks);
  const selected =
    filters.week >= filters.from && filters.week <= filters.to ? filters.week : undefined;
  const holidayWeeks = weeks
    .filter((week) => !week.suppressed && week.marks.probable_holiday)
    .map((week) => week.week_start);
  const trend = (
    metric: TeamWeekMetric,
    extra: { band?: [TeamWeekMetric, TeamWeekMetric]; description?: string; title?: string } = {},
  ) => (
    <TrendChart
      metric={metric}
      title={extra.title}
      description={extra.description}
      points={trendPoints(weeks, metric, extra.band)}
      target={targetFor(team.agreements, metric)}
      selectedWeek={selected}
      notes={notes(metric)}
      holidayWeeks={holidayWeeks}
    />
  );

  return (
    <>
      {suppressed.length > 0 && (
        <div className="callout" role="note">
          <strong>
            {suppressed.length} of {weeks.length} weeks are hidden
          </strong>{' '}
          ({[...rowReasons].join('; ')}):{' '}
          {suppressed.map((week) => formatShortDay(week.week_start)).join(', ')}. Numbers for so few
          people would point at individuals, so those weeks are gaps in every chart.
        </div>
      )}

      <WeeksRestOn
        weeks={weeks}
        dataHref={formatLocation({
          route: { page: 'data' },
          week: null,
          from: filters.from,
          to: filters.to,
        })}
      />

      <Section
        title="Working agreements"
        intro="The targets this team agreed on, and how many it met each week."
      >
        <Agreements weeks={weeks} team={team} />
      </Section>

      <Section
        title="Meetings"
        intro="How much of the working week goes to meetings, and which kinds."
      >
        {trend('meeting_load_pct_median', {
          description: 'Share of working hours spent in meetings.',
        })}
        {trend('meeting_hours_median', {
          band: ['meeting_hours_p25', 'meeting_hours_p75'],
          description: 'Hours in meetings per person; the band spans the middle half of the team.',
        })}
        <SeriesChart
          id="recurring-vs-one-off"
          title="Recurring and one-off meetings"
          description="Hours per person in meetings from a recurring series, and in single meetings."
          series={[
            { metric: 'recurring_meeting_hours_median', color: OKABE_ITO.blue },
            { metric: 'one_off_meeting_hours_median', color: OKABE_ITO.orange, dash: '6 3' },
          ]}
          weeks={weeks}
          selectedWeek={selected}
          holidayWeeks={holidayWeeks}
          notes={notes('recurring_meeting_hours_median', 'one_off_meeting_hours_median')}
        />
        <SeriesChart
          id="meeting-kinds"
          title="1:1, large, long and after-hours meetings"
          description="Hours per person in each kind. A meeting can be of several kinds, so they overlap and do not add up."
          series={[
            { metric: 'one_on_one_meeting_hours_median', color: OKABE_ITO.bluishGreen },
            { metric: 'large_meeting_hours_median', color: OKABE_ITO.reddishPurple, dash: '6 3' },
            { metric: 'long_meeting_hours_median', color: OKABE_ITO.orange, dash: '2 3' },
            {
              metric: 'after_hours_meeting_hours_median',
              color: OKABE_ITO.vermillion,
              dash: '10 3 2 3',
            },
          ]}
          weeks={weeks}
          selectedWeek={selected}
          holidayWeeks={holidayWeeks}
          notes={notes(
            'one_on_one_meeting_hours_median',
            'large_meeting_hours_median',
            'long_meeting_hours_median',
            'after_hours_meeting_hours_median',
          )}
        />
        {trend('conflict_hours_median', {
          description: 'Hours per person booked into two or more meetings at once.',
        })}
      </Section>

      <Section title="Focus time" intro="Uninterrupted time for deep work, and what breaks it up.">
        <WorkingWeek
          weeks={weeks}
          selected={selected}
          notes={notes('focus_share', 'fragmented_share', 'meeting_share')}
        />
        {trend('focus_hours_median', {
          band: ['focus_hours_p25', 'focus_hours_p75'],
          description: 'Hours per person in free blocks long enough for focused work.',
        })}
        {trend('fragmented_hours_median', {
          description: 'Free working time in blocks too short to focus.',
        })}
      </Section>

      <Section
        title="Messages and responses"
        intro="How quickly people answer, and how much happens outside working hours."
      >
        {trend('response_median_working_minutes', {
          band: ['response_median_working_minutes_p25', 'response_median_working_minutes_p75'],
          description: 'Typical time to reply, counting working hours only.',
        })}
        <LatencyDistribution
          team={team.path}
          weeks={weeks}
          week={filters.week}
          onWeekChange={onWeekChange}
        />
        {trend('off_hours_share_median', {
          description: 'Share of a person’s messages sent outside their working hours.',
        })}
        {trend('sync_share_median', {
          description: 'Meeting time out of meeting time plus time spent writing messages.',
        })}
        {trend('responses_within_5min_share_median', {
          description:
            'Share of replies sent within 5 minutes: chat used as a synchronous channel.',
        })}
        {trend('response_median_wall_minutes', {
          description: 'Typical time to reply, on the clock (nights and weekends count).',
        })}
        {trend('public_share', {
          description: 'Messages in public channels, out of all messages the team sent.',
        })}
        {trend('messages_sent_median', { description: 'Messages sent per person.' })}
      </Section>

      <Section
        title="Across time zones"
        intro="When everyone in the team is working at the same time."
      >
        {trend('overlap_hours_all', {
          description:
            'Hours per working day when every active member is inside their working hours.',
        })}
      </Section>
    </>
  );
}

/**
 * The weeks whose numbers rest on part of the team, and the probable holiday weeks, grouped by
 * what they say ("calendar data for 12 of 18: 7 Sep, 14 Sep"). Nothing when every shown week rests
 * on the whole team; hidden weeks carry no counts (they could point at the one person without).
 */
function WeeksRestOn({
  weeks,
  dataHref,
}: {
  readonly weeks: readonly TeamWeek[];
  readonly dataHref: string;
}) {
  const gaps = new Map<string, string[]>();
  for (const week of weeks) {
    if (week.suppressed) continue;
    const gap = describeCoverageGap(week.marks.coverage);
    if (gap !== null) gaps.set(gap, [...(gaps.get(gap) ?? []), week.week_start]);
  }
  const holidays = weeks.filter((week) => !week.suppressed && week.marks.probable_holiday);
  if (gaps.size === 0 && holidays.length === 0) return null;
  return (
    <div className="team-weeks-marks" role="note" aria-labelledby="weeks-rest-on">
      <strong id="weeks-rest-on">What these weeks rest on</strong>{' '}
      <Link href={dataHref}>(all sources and gaps)</Link>
      <ul>
        {[...gaps].map(([gap, list]) => (
          <li key={gap} data-mark="coverage">
            <span className="week-mark week-mark-coverage">
              <CoverageIcon /> {gap[0]?.toUpperCase()}
              {gap.slice(1)}
            </span>
            : {list.map(formatShortDay).join(', ')}. The numbers of those weeks describe the members
            with data only.
          </li>
        ))}
        {holidays.length > 0 && (
          <li data-mark="holiday">
            <span className="week-mark week-mark-holiday">
              <HolidayIcon /> Probable holiday {holidays.length === 1 ? 'week' : 'weeks'}
            </span>
            : {holidays.map((week) => formatShortDay(week.week_start)).join(', ')}. Activity
            (meeting hours plus messages) far below this team’s usual; still drawn in the charts
            (dotted line “holiday?”), left out of the overview’s 4-week comparison.
          </li>
        )}
      </ul>
    </div>
  );
}

function Section({
  title,
  intro,
  children,
}: {
  readonly title: string;
  readonly intro: string;
  readonly children: ReactNode;
}) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className="team-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="section-intro">{intro}</p>
      <div className="chart-grid">{children}</div>
    </section>
  );
}

function Agreements({ weeks, team }: { readonly weeks: readonly TeamWeek[]; readonly team: Team }) {
  const targets = agreementTargets(team.agreements);
  if (targets.length === 0) {
    return <EmptyState title="This team has no working agreements configured" />;
  }
  return (
    <>
      <div className="agreement-list">
        <h3 className="visually-hidden">Targets</h3>
        <ul>
          {targets.map((target) => {
            const { unit, label } = METRICS[target.metric];
            const statuses = weeks.map((week) => agreementStatus(week, target.metric));
            const met = statuses.filter((status) => status === 'met').length;
            const measured = statuses.filter(
              (status) => status === 'met' || status === 'missed',
            ).length;
            const last = weeks.at(-1);
            const lastStatus = last ? agreementStatus(last, target.metric) : 'none';
            return (
              <li key={target.metric} className={`agreement-item agreement-item-${lastStatus}`}>
                <span className="agreement-name">
                  {label} <strong>{formatTarget(target, unit)}</strong>
                  <MetricInfo metric={target.metric} />
                </span>
                <span className="agreement-score">
                  {measured === 0
                    ? 'not measurable in these weeks'
                    : `met in ${met} of ${measured} ${measured === 1 ? 'week' : 'weeks'}`}
                </span>
                {last && (
                  <span className="agreement-latest">
                    latest week: {formatValue(last.metrics[target.metric].value, unit)}
                    {lastStatus === 'missed' ? ' (missed)' : lastStatus === 'met' ? ' (met)' : ''}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
      <StackedWeeksChart
        id="agreement-compliance"
        title="Agreements met per week"
        info={
          <InfoPopover subject="Agreements met per week">
            <p>
              Each week, every target is checked against the team’s value. A target cannot be
              checked when the value is hidden or missing; those weeks count as “not measurable”.
            </p>
          </InfoPopover>
        }
        description={`Out of ${targets.length} ${targets.length === 1 ? 'target' : 'targets'}.`}
        parts={[
          { key: 'met', label: 'Met', color: OKABE_ITO.bluishGreen },
          { key: 'missed', label: 'Missed', color: OKABE_ITO.vermillion },
          { key: 'unknown', label: 'Not measurable', color: '#C4C9D0' },
        ]}
        rows={weeks.map((week) => {
          const result = compliance(week.agreements);
          return {
            week: week.week_start,
            values: { met: result.met, missed: result.missed, unknown: result.unknown },
          };
        })}
        format={(value) => (value === null ? '—' : String(value))}
        tick={(value) => String(value)}
        domainMax={targets.length}
        notes={
          weeks.length > 0
            ? [`Latest week: ${describeCompliance(compliance(weeks.at(-1)?.agreements ?? []))}.`]
            : []
        }
      />
    </>
  );
}

function WorkingWeek({
  weeks,
  selected,
  notes,
}: {
  readonly weeks: readonly TeamWeek[];
  readonly selected: string | undefined;
  readonly notes: readonly string[];
}) {
  const parts = [
    { key: 'meeting_share', label: 'Meetings', color: OKABE_ITO.orange },
    { key: 'fragmented_share', label: 'Fragmented time', color: OKABE_ITO.reddishPurple },
    { key: 'focus_share', label: 'Focus time', color: OKABE_ITO.bluishGreen },
  ] as const;
  return (
    <StackedWeeksChart
      id="working-week"
      title="The working week"
      info={
        <InfoPopover subject="The working week">
          {parts.map((part) => (
            <p key={part.key}>
              <strong>{part.label}:</strong>{' '}
              {definitionOf(METRICS[part.key].definitionKey) ?? METRICS[part.key].label}
            </p>
          ))}
          <p className="popover-note">
            Shares are pooled: all members’ hours added up, divided by all their working hours, so
            the three parts add up to the whole working week.
          </p>
        </InfoPopover>
      }
      description="All members’ working hours together, split into meetings, fragmented and focus time (adds up to 100%)."
      parts={parts}
      rows={weeks.map((week) => ({
        week: week.week_start,
        values: Object.fromEntries(parts.map((part) => [part.key, week.metrics[part.key].value])),
      }))}
      format={(value) => formatValue(value, 'share')}
      tick={(value) => formatTick(value, 'share')}
      domainMax={1}
      selectedWeek={selected}
      notes={notes}
    />
  );
}

function LatencyDistribution({
  team,
  weeks,
  week,
  onWeekChange,
}: {
  readonly team: string;
  readonly weeks: readonly TeamWeek[];
  readonly week: string;
  readonly onWeekChange: (week: string) => void;
}) {
  const metric = 'response_median_working_minutes';
  const distribution = useDistributionQuery(team, metric, week);
  const first = weeks[0]?.week_start ?? week;
  const last = weeks.at(-1)?.week_start ?? week;
  const options = mondaysInRange(first < week ? first : week, last > week ? last : week).reverse();
  const title = 'Response times across the team';
  const picker = (
    <label className="inline-picker">
      <span className="visually-hidden">Week shown in this chart</span>
      <select
        value={week}
        onChange={(event) => {
          onWeekChange(event.currentTarget.value);
        }}
      >
        {options.map((monday) => (
          <option key={monday} value={monday}>
            {formatWeek(monday)}
          </option>
        ))}
      </select>
    </label>
  );
  const description =
    'Each person’s own typical reply time in working hours, in minutes; each bar is a share of the team.';
  const info = <MetricInfo metric={metric} />;

  if (distribution.status === 'success' && !distribution.data.suppressed) {
    return (
      <DistributionChart
        title={title}
        info={info}
        actions={picker}
        distribution={distribution.data}
        description={`${description} Only people with 3 or more replies that week count.`}
      />
    );
  }
  return (
    <ChartFrame
      id={`distribution-${metric}`}
      title={title}
      info={info}
      actions={picker}
      description={description}
      table={{ columns: [{ label: 'Range' }, { label: 'People' }], rows: [] }}
    >
      {distribution.status === 'loading' && <Loading what="the distribution" />}
      {distribution.status === 'error' && (
        <ErrorNotice
          error={distribution.error}
          retry={distribution.retry}
          what="the distribution"
        />
      )}
      {distribution.status === 'success' &&
        (distribution.data.reason === DISTRIBUTION_SUB_TEAMS_REASON ? (
          <EmptyState title="Shown for each sub-team">
            <p>
              This team has sub-teams, so its spread is shown on each sub-team's page: a team's
              counts minus its sub-teams' could point at the people of a small sub-team.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="Not shown for this week">
            <p>
              {distribution.data.reason ?? 'Too few people with a value'}. Counts for so few people
              would point at individuals.
            </p>
          </EmptyState>
        ))}
    </ChartFrame>
  );
}
