/**
 * The Monday view: one row per visible team for the selected week, the five headline metrics each
 * with a 12-week sparkline, the change against the team's previous 4 weeks and a mark where a
 * working agreement is missed. Small teams show why they are hidden instead of numbers.
 */
import {
  HEADLINE_METRICS,
  METRICS,
  type OverviewResponse,
} from '../../../server/contract/index.ts';
import { useOverviewQuery } from '../api/hooks.ts';
import { AgreementMark } from '../components/AgreementMark.tsx';
import { ChangeBadge } from '../components/ChangeBadge.tsx';
import { InfoPopover } from '../components/InfoPopover.tsx';
import { MetricInfo } from '../components/MetricInfo.tsx';
import { WeekPicker } from '../components/Pickers.tsx';
import { Sparkline } from '../components/Sparkline.tsx';
import { EmptyState, ErrorNotice, Loading } from '../components/States.tsx';
import { CoverageIcon, HolidayIcon, WeekMarks } from '../components/WeekMarks.tsx';
import { agreementStatus, compliance, describeCompliance, targetFor } from '../lib/agreements.ts';
import { describeBaseline } from '../lib/data-health.ts';
import { formatWeek } from '../lib/dates.ts';
import { formatActive, formatPeople, formatValue } from '../../../server/contract/format.ts';
import { Link, navigate, PageHeading } from '../routing/router.tsx';
import { formatLocation, type ViewState } from '../routing/url-state.ts';
import { useResolvedFilters } from '../routing/view-state.ts';

type OverviewRow = OverviewResponse['rows'][number];

type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

const SHORT_LABELS: Readonly<Record<HeadlineMetric, string>> = {
  meeting_load_pct_median: 'Meeting load',
  focus_hours_median: 'Focus time',
  response_median_working_minutes: 'Response time',
  off_hours_share_median: 'Off-hours messages',
  sync_share_median: 'Sync share',
};

export function OverviewPage({
  state,
  latestCompleteWeek,
}: {
  readonly state: ViewState;
  readonly latestCompleteWeek: string | null;
}) {
  const filters = useResolvedFilters(state, latestCompleteWeek, ['week']);
  const overview = useOverviewQuery(filters?.week ?? null);

  if (latestCompleteWeek === null || filters === null) {
    return (
      <>
        <PageHeading>Team overview</PageHeading>
        <EmptyState title="No complete week of data yet">
          <p>
            Once calendar or Slack data covering a whole week has been imported and the models are
            built (<code>syncbalance build</code>), each team appears here.
          </p>
        </EmptyState>
      </>
    );
  }

  const data =
    overview.status === 'success'
      ? overview.data
      : overview.status === 'loading'
        ? overview.previous
        : undefined;

  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Team overview</PageHeading>
          <p className="lede">
            Week of {formatWeek(filters.week)}. Each number is the team’s typical member (median)
            unless noted; arrows compare with the team’s own average over the 4 weeks before
            (probable holiday weeks left out, marked *).
          </p>
        </div>
        <WeekPicker
          week={filters.week}
          latest={latestCompleteWeek}
          onChange={(week) => {
            navigate(formatLocation({ ...state, week }), { newPage: false });
          }}
        />
      </div>
      {overview.status === 'error' && (
        <ErrorNotice error={overview.error} retry={overview.retry} what="the overview" />
      )}
      {overview.status === 'loading' && data === undefined && <Loading what="the overview" />}
      {data && (
        <div
          aria-busy={overview.status === 'loading'}
          className={overview.status === 'loading' ? 'is-refreshing' : undefined}
        >
          <Summary data={data} />
          <Legend />
          {data.rows.length === 0 ? (
            <EmptyState title="No teams to show">
              <p>The roster has no teams yet, or none is shared with you.</p>
            </EmptyState>
          ) : (
            <OverviewTable data={data} state={state} week={filters.week} />
          )}
        </div>
      )}
    </>
  );
}

function Summary({ data }: { readonly data: OverviewResponse }) {
  const shown = data.rows.filter((row) => row.week !== null && !row.week.suppressed);
  const missing = shown.filter((row) => row.week && compliance(row.week.agreements).missed > 0);
  const hidden = data.rows.length - shown.length;
  return (
    <ul className="summary" aria-label="This week in short">
      <li>
        <strong>{shown.length}</strong> of {data.rows.length} teams with numbers this week
      </li>
      <li className={missing.length > 0 ? 'summary-alert' : undefined}>
        <strong>{missing.length}</strong> {missing.length === 1 ? 'team' : 'teams'} missed at least
        one working agreement
      </li>
      {hidden > 0 && (
        <li>
          <strong>{hidden}</strong> hidden (fewer than {data.min_group_size} active people)
        </li>
      )}
    </ul>
  );
}

function Legend() {
  return (
    <p className="overview-legend">
      <span>
        <span className="change-better">▲▼</span> / <span className="change-worse">▲▼</span> change
        against the team’s previous 4 weeks, healthier / less healthy
      </span>
      <span>
        <span className="agreement-missed">⚠ target</span> working agreement missed
      </span>
      <span>
        <span className="week-mark">
          <CoverageIcon /> calendar data for 12 of 18
        </span>{' '}
        numbers rest on part of the team
      </span>
      <span>
        <span className="week-mark week-mark-holiday">
          <HolidayIcon /> probable holiday week
        </span>{' '}
        activity far below the team’s usual; left out of the 4-week comparison (*)
      </span>
      <span>
        <svg width="26" height="10" aria-hidden="true">
          <polyline className="sparkline-line" points="1,8 8,4 14,6 20,2 25,5" />
        </svg>{' '}
        last 12 weeks
      </span>
    </p>
  );
}

function OverviewTable({
  data,
  state,
  week,
}: {
  readonly data: OverviewResponse;
  readonly state: ViewState;
  readonly week: string;
}) {
  return (
    <div className="overview-table-wrap">
      <table className="overview-table">
        <caption className="visually-hidden">
          Headline metrics per team, week of {formatWeek(week)}, with 12-week trends
        </caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            {HEADLINE_METRICS.map((metric) => (
              <th key={metric} scope="col">
                <span className="th-label">
                  {SHORT_LABELS[metric]}
                  <MetricInfo metric={metric} />
                </span>
              </th>
            ))}
            <th scope="col">
              <span className="th-label">
                Agreements
                <InfoPopover subject="Working agreements">
                  <p>
                    Targets each team agreed on, set in the configuration: for example meeting load
                    at most 30%, focus time at least 12 h, response time at most 240 min, off-hours
                    messages at most 10%.
                  </p>
                  <p className="popover-note">
                    A number that misses its target is marked. A target cannot be checked when its
                    number is hidden or missing that week.
                  </p>
                </InfoPopover>
              </span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row) => (
            <OverviewTableRow key={row.team.path} row={row} state={state} week={week} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OverviewTableRow({
  row,
  state,
  week,
}: {
  readonly row: OverviewRow;
  readonly state: ViewState;
  readonly week: string;
}) {
  const href = formatLocation({ ...state, route: { page: 'team', team: row.team.path }, week });
  const teamWeek = row.week;
  const emptyReason =
    teamWeek === null
      ? 'no data for this week'
      : teamWeek.suppressed
        ? (teamWeek.reason ?? 'hidden')
        : null;
  const status = teamWeek ? compliance(teamWeek.agreements) : null;
  const baselineNote = describeBaseline(row.baseline_weeks, row.baseline_skipped_holidays);
  return (
    <tr className={emptyReason === null ? undefined : 'row-suppressed'} data-team={row.team.path}>
      <th
        scope="row"
        className="team-cell"
        style={{ paddingInlineStart: `${0.75 + (row.team.depth - 1) * 1.1}rem` }}
      >
        <Link href={href} className="team-link">
          {row.team.name}
        </Link>
        <span className="team-meta">
          {teamWeek
            ? formatActive(teamWeek.members_active_band, teamWeek.members)
            : formatPeople(row.team.members_now)}
        </span>
        {teamWeek && !teamWeek.suppressed && <WeekMarks marks={teamWeek.marks} />}
        {emptyReason === null && baselineNote !== null && (
          <span className="baseline-note" data-baseline-note>
            * {baselineNote}
          </span>
        )}
      </th>
      {emptyReason !== null ? (
        <td colSpan={HEADLINE_METRICS.length + 1} className="suppressed-cell">
          <span className="suppressed-reason">Not shown: {emptyReason}.</span>{' '}
          <span className="suppressed-hint">
            {teamWeek?.suppressed ? 'Numbers for small groups would point at individuals.' : ''}
          </span>
        </td>
      ) : (
        <>
          {HEADLINE_METRICS.map((metric) => (
            <MetricCell key={metric} metric={metric} row={row} baselineNote={baselineNote} />
          ))}
          <td
            data-label="Agreements"
            className={
              status && status.missed > 0 ? 'agreements-cell agreements-missed' : 'agreements-cell'
            }
          >
            {status ? describeCompliance(status) : '—'}
          </td>
        </>
      )}
    </tr>
  );
}

function MetricCell({
  metric,
  row,
  baselineNote,
}: {
  readonly metric: HeadlineMetric;
  readonly row: OverviewRow;
  readonly baselineNote: string | null;
}) {
  const info = METRICS[metric];
  const cell = row.week?.metrics[metric];
  const status = agreementStatus(row.week, metric);
  const target = targetFor(row.team.agreements, metric);
  return (
    <td
      data-label={SHORT_LABELS[metric]}
      className={status === 'missed' ? 'metric-cell is-breach' : 'metric-cell'}
    >
      <div className="metric-cell-top">
        <span className="metric-value">{formatValue(cell?.value ?? null, info.unit)}</span>
        <AgreementMark status={status} target={target} unit={info.unit} />
      </div>
      {cell?.value === null ? (
        <span className="cell-reason">{cell.reason}</span>
      ) : (
        <ChangeBadge
          metric={metric}
          change={row.change_vs_previous_4_weeks[metric] ?? null}
          footnote={baselineNote}
        />
      )}
      <Sparkline
        values={row.trend.map((week) => week.metrics[metric].value)}
        unit={info.unit}
        target={target?.target}
        label={info.label}
      />
    </td>
  );
}
