/**
 * What the numbers rest on (issue 15): each source's last import and error, per team and week how
 * many members have calendar and Slack data, roster people missing from a source, accounts that
 * match nobody (admins), and the build shown. Counts only, never names; a team-week that is hidden
 * elsewhere is hidden here too, with the same reason, so a count cannot point at one person.
 */
import { useState, type ReactNode } from 'react';
import type {
  DataHealthResponse,
  DataSourceHealth,
  TeamDataHealth,
} from '../../../server/contract/index.ts';
import { useDataHealthQuery } from '../api/hooks.ts';
import { RangePicker } from '../components/Pickers.tsx';
import { EmptyState, ErrorNotice, Loading } from '../components/States.tsx';
import { CoverageIcon, HolidayIcon } from '../components/WeekMarks.tsx';
import {
  COVERAGE_MEASURE_LABELS,
  COVERAGE_MEASURES,
  coverageCellText,
  coverageLevel,
  describeCoverage,
  formatShare,
  weekMarkPhrases,
  type CoverageMeasure,
} from '../lib/data-health.ts';
import {
  formatDay,
  formatInstant,
  formatShortDay,
  formatWeek,
  formatWeeksSpan,
  mondaysInRange,
} from '../lib/dates.ts';
import { Link, navigate, PageHeading } from '../routing/router.tsx';
import { formatLocation, type ResolvedFilters, type ViewState } from '../routing/url-state.ts';
import { useResolvedFilters } from '../routing/view-state.ts';

export function DataPage({
  state,
  latestCompleteWeek,
}: {
  readonly state: ViewState;
  readonly latestCompleteWeek: string | null;
}) {
  const filters = useResolvedFilters(state, latestCompleteWeek, ['from', 'to']);
  const health = useDataHealthQuery(filters);
  const setRange = (change: Partial<ResolvedFilters>) => {
    navigate(formatLocation({ ...state, ...change, week: null }), { newPage: false });
  };
  const data =
    health.status === 'success'
      ? health.data
      : health.status === 'loading'
        ? health.previous
        : undefined;

  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Data</PageHeading>
          <p className="lede">
            What the numbers rest on: where the data comes from, how many people each team’s numbers
            cover, and what is missing.{' '}
            {data &&
              (data.scope === 'organisation' ? 'The whole organisation.' : 'Your teams only.')}
          </p>
        </div>
      </div>
      {filters && latestCompleteWeek && (
        <RangePicker
          from={filters.from}
          to={filters.to}
          latest={latestCompleteWeek}
          onChange={setRange}
        />
      )}
      {health.status === 'error' && (
        <ErrorNotice error={health.error} retry={health.retry} what="the data’s health" />
      )}
      {health.status === 'loading' && data === undefined && <Loading what="the data’s health" />}
      {latestCompleteWeek === null && health.status !== 'success' && (
        <EmptyState title="No complete week of data yet">
          <p>
            Import a roster and calendar or Slack data, then build (<code>syncbalance build</code>
            ).
          </p>
        </EmptyState>
      )}
      {data && (
        <div
          aria-busy={health.status === 'loading'}
          className={health.status === 'loading' ? 'is-refreshing' : undefined}
        >
          <DataContent data={data} state={state} />
        </div>
      )}
    </>
  );
}

function DataContent({
  data,
  state,
}: {
  readonly data: DataHealthResponse;
  readonly state: ViewState;
}) {
  return (
    <>
      {data.warnings.length > 0 && (
        <div className="callout data-warnings" role="note" aria-labelledby="data-warnings-title">
          <strong id="data-warnings-title">
            {data.warnings.length === 1 ? '1 thing needs' : `${data.warnings.length} things need`}{' '}
            attention
          </strong>
          <ul>
            {data.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      <Sources sources={data.sources} />
      <Coverage data={data} state={state} />
      <RosterGaps teams={data.teams} minGroupSize={data.min_group_size} />
      {data.unmatched !== null && <Unmatched unmatched={data.unmatched} />}
      <Build data={data} />
    </>
  );
}

function DataSection({
  id,
  title,
  intro,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly intro?: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <section className="data-section" aria-labelledby={`data-${id}`} data-section={id}>
      <h2 id={`data-${id}`}>{title}</h2>
      {intro !== undefined && <p className="section-intro">{intro}</p>}
      {children}
    </section>
  );
}

/** What to run when a source failed or has never been imported. */
const SOURCE_FIXES: Readonly<Record<DataSourceHealth['kind'], string>> = {
  roster: 'syncbalance import roster FILE.csv',
  calendar: 'syncbalance sync google (or: syncbalance import ics FILES)',
  slack: 'syncbalance sync slack (or: syncbalance import slack-export EXPORT.zip)',
  demo: 'syncbalance demo',
};

function sourceStatus(source: DataSourceHealth): { text: string; tone: 'ok' | 'bad' | 'none' } {
  if (source.last_error !== null) return { text: 'Failing', tone: 'bad' };
  if (source.last_success_at === null) return { text: 'Never imported', tone: 'none' };
  return { text: 'OK', tone: 'ok' };
}

function Sources({ sources }: { readonly sources: readonly DataSourceHealth[] }) {
  return (
    <DataSection
      id="sources"
      title="Sources"
      intro="Each import or sync, the period its data covers, and its last failure if the last run failed."
    >
      {sources.length === 0 ? (
        <EmptyState title="Nothing has been imported yet">
          <p>
            Start with the roster (<code>{SOURCE_FIXES.roster}</code>), then calendars and Slack.
          </p>
        </EmptyState>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table sources-table">
            <caption className="visually-hidden">Sources and their last runs</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Last successful run</th>
                <th scope="col">Data covers</th>
                <th scope="col">Last error</th>
                <th scope="col">Next run</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((source) => {
                const status = sourceStatus(source);
                return (
                  <tr key={`${source.kind}:${source.source}`} data-source={source.source}>
                    <th scope="row">
                      {source.label}
                      <span className="data-meta">{source.kind}</span>
                    </th>
                    <td>
                      <span className={`source-status source-status-${status.tone}`}>
                        {status.tone === 'bad' ? '⚠ ' : status.tone === 'ok' ? '✓ ' : ''}
                        {status.text}
                      </span>
                    </td>
                    <td>
                      {source.last_success_at === null
                        ? 'never'
                        : formatInstant(source.last_success_at)}
                    </td>
                    <td>
                      {source.covers_from !== null && source.covers_to !== null
                        ? `${formatDay(source.covers_from)} – ${formatDay(source.covers_to)}`
                        : '—'}
                    </td>
                    <td>
                      {source.last_error === null ? (
                        'none'
                      ) : (
                        <>
                          <span className="source-error">
                            {formatInstant(source.last_error.at)}: {source.last_error.message}
                          </span>
                          <span className="data-fix">
                            After fixing the cause, run <code>{SOURCE_FIXES[source.kind]}</code>.
                          </span>
                        </>
                      )}
                    </td>
                    <td>
                      {source.next_run_at === null
                        ? 'not scheduled'
                        : formatInstant(source.next_run_at)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </DataSection>
  );
}

function depthOf(path: string): number {
  return path.split('/').length;
}

/**
 * The team × week heatmap. One measure at a time (both sources by default) keeps each cell to one
 * "16/18"; the toggle switches the measure, and "Show every count" opens the full table.
 */
function Coverage({
  data,
  state,
}: {
  readonly data: DataHealthResponse;
  readonly state: ViewState;
}) {
  const [measure, setMeasure] = useState<CoverageMeasure>('both');
  const weeks = mondaysInRange(data.from, data.to);
  // Each distinct reason for a hidden cell gets a footnote number, so a cell stays one word.
  const reasons = [
    ...new Set(
      data.teams.flatMap((team) =>
        team.weeks.flatMap((week) => {
          const reason =
            week.marks.coverage === null ? (week.reason ?? week.marks.coverage_reason) : null;
          return reason === null ? [] : [reason];
        }),
      ),
    ),
  ];
  if (data.teams.length === 0) {
    return (
      <DataSection id="coverage" title="Coverage per team and week">
        <EmptyState title="No teams to show">
          <p>The roster has no teams yet, or none is shared with you.</p>
        </EmptyState>
      </DataSection>
    );
  }
  return (
    <DataSection
      id="coverage"
      title="Coverage per team and week"
      intro={
        <>
          How many of each team’s members that week have data from each source, as “covered of
          members”. A team’s numbers rest only on the members with data. Weeks marked{' '}
          <span className="week-mark week-mark-holiday">
            <HolidayIcon /> holiday?
          </span>{' '}
          had activity far below the team’s usual (z-score below {data.holiday_z_threshold}); they
          stay in the charts but are left out of the 4-week comparison.
        </>
      }
    >
      <div className="coverage-controls" role="group" aria-label="Cells show">
        <span className="coverage-controls-label" aria-hidden="true">
          Cells show:
        </span>
        {COVERAGE_MEASURES.map((option) => (
          <button
            key={option}
            type="button"
            className="button button-toggle"
            aria-pressed={measure === option}
            onClick={() => {
              setMeasure(option);
            }}
          >
            {COVERAGE_MEASURE_LABELS[option]}
          </button>
        ))}
      </div>
      <div className="data-table-wrap">
        <table className="data-table coverage-table">
          <caption className="visually-hidden">
            Members with {COVERAGE_MEASURE_LABELS[measure].toLowerCase()} data per team and week,{' '}
            {formatWeeksSpan(data.from, data.to)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              {weeks.map((week) => (
                <th key={week} scope="col" className="coverage-week">
                  <abbr title={`Week of ${formatWeek(week)}`}>{formatShortDay(week)}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.teams.map((team) => (
              <CoverageRow
                key={team.team}
                team={team}
                weeks={weeks}
                measure={measure}
                reasons={reasons}
                state={state}
              />
            ))}
          </tbody>
        </table>
      </div>
      <CoverageLegend reasons={reasons} />
      <details className="chart-table coverage-details">
        <summary>Show every count</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Coverage per team and week, every count</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Week</th>
                <th scope="col">Members</th>
                <th scope="col">Calendar</th>
                <th scope="col">Slack</th>
                <th scope="col">Both</th>
                <th scope="col">Neither</th>
                <th scope="col">Marks</th>
              </tr>
            </thead>
            <tbody>
              {data.teams.flatMap((team) =>
                team.weeks.map((week) => {
                  const coverage = week.marks.coverage;
                  return (
                    <tr key={`${team.team}|${week.week_start}`}>
                      <th scope="row">{team.team}</th>
                      <td>{formatShortDay(week.week_start)}</td>
                      {coverage === null ? (
                        <td colSpan={5}>
                          Not shown: {week.reason ?? week.marks.coverage_reason ?? 'hidden'}
                        </td>
                      ) : (
                        <>
                          <td>{coverage.members}</td>
                          <td>{coverage.calendar}</td>
                          <td>{coverage.slack}</td>
                          <td>{coverage.both}</td>
                          <td>{coverage.neither}</td>
                        </>
                      )}
                      <td>{weekMarkPhrases(week.marks).join('; ') || '—'}</td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </DataSection>
  );
}

function CoverageRow({
  team,
  weeks,
  measure,
  reasons,
  state,
}: {
  readonly team: TeamDataHealth;
  readonly weeks: readonly string[];
  readonly measure: CoverageMeasure;
  readonly reasons: readonly string[];
  readonly state: ViewState;
}) {
  const byWeek = new Map(team.weeks.map((week) => [week.week_start, week]));
  return (
    <tr data-team={team.team}>
      <th
        scope="row"
        className="team-cell"
        style={{ paddingInlineStart: `${0.75 + (depthOf(team.team) - 1) * 1.1}rem` }}
      >
        <Link
          href={formatLocation({ ...state, route: { page: 'team', team: team.team } })}
          className="team-link"
        >
          {team.name}
        </Link>
      </th>
      {weeks.map((monday) => {
        const week = byWeek.get(monday);
        if (!week) {
          return (
            <td key={monday} className="coverage-cell coverage-none" data-week={monday}>
              <span aria-hidden="true">·</span>
              <span className="visually-hidden">no data</span>
            </td>
          );
        }
        const coverage = week.marks.coverage;
        if (coverage === null) {
          const reason = week.reason ?? week.marks.coverage_reason ?? 'hidden';
          return (
            <td
              key={monday}
              className="coverage-cell coverage-hidden"
              data-week={monday}
              title={`Not shown: ${reason}`}
            >
              <span aria-hidden="true">
                hidden<sup>{reasons.indexOf(reason) + 1}</sup>
              </span>
              <span className="visually-hidden">Not shown: {reason}</span>
            </td>
          );
        }
        const holiday = week.marks.probable_holiday;
        return (
          <td
            key={monday}
            className={`coverage-cell coverage-${coverageLevel(coverage, measure)}`}
            data-week={monday}
            data-holiday={holiday ? 'true' : undefined}
            title={describeCoverage(coverage)}
          >
            <span aria-hidden="true">{coverageCellText(coverage, measure)}</span>
            {holiday && (
              <span className="coverage-holiday" aria-hidden="true">
                <HolidayIcon /> holiday?
              </span>
            )}
            <span className="visually-hidden">
              {describeCoverage(coverage)}
              {holiday ? '; probable holiday week' : ''}
            </span>
          </td>
        );
      })}
    </tr>
  );
}

function CoverageLegend({ reasons }: { readonly reasons: readonly string[] }) {
  return (
    <div className="coverage-legend">
      <ul aria-label="Shades">
        <li>
          <span className="coverage-swatch coverage-full" aria-hidden="true" /> every member
        </li>
        <li>
          <span className="coverage-swatch coverage-most" aria-hidden="true" /> 75% or more
        </li>
        <li>
          <span className="coverage-swatch coverage-half" aria-hidden="true" /> 50–75%
        </li>
        <li>
          <span className="coverage-swatch coverage-low" aria-hidden="true" /> under half
        </li>
      </ul>
      {reasons.length > 0 && (
        <ol className="coverage-reasons" aria-label="Why cells are hidden">
          {reasons.map((reason, index) => (
            <li key={reason}>
              <sup>{index + 1}</sup> Not shown: {reason}. Counts for so few people would point at
              individuals.
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function RosterGaps({
  teams,
  minGroupSize,
}: {
  readonly teams: readonly TeamDataHealth[];
  readonly minGroupSize: number;
}) {
  const withGaps = teams.filter(
    (team) => (team.without_slack ?? 0) > 0 || (team.without_calendar ?? 0) > 0,
  );
  return (
    <DataSection
      id="roster-gaps"
      title="Roster people missing from a source"
      intro={
        <>
          People on each team now (sub-teams included) whose Slack account matches no roster row, or
          whose calendar has not been imported. Their weeks count as members but add nothing to the
          team’s numbers. Teams too small to show (fewer than {minGroupSize}) are hidden.
        </>
      }
    >
      {withGaps.length === 0 && teams.every((team) => team.gaps_reason === null) ? (
        <p className="data-ok">
          <span aria-hidden="true">✓ </span>Every roster person has a matched Slack account and an
          imported calendar.
        </p>
      ) : (
        <>
          <div className="data-table-wrap">
            <table className="data-table gaps-table">
              <caption className="visually-hidden">Roster people missing from a source</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Members now</th>
                  <th scope="col">Without a matched Slack account</th>
                  <th scope="col">Without a calendar</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => (
                  <tr key={team.team} data-team={team.team}>
                    <th
                      scope="row"
                      style={{ paddingInlineStart: `${0.75 + (depthOf(team.team) - 1) * 1.1}rem` }}
                    >
                      {team.name}
                    </th>
                    <td>{team.members_now}</td>
                    {team.gaps_reason !== null ? (
                      <td colSpan={2} className="gaps-hidden">
                        Not shown: {team.gaps_reason}
                      </td>
                    ) : (
                      <>
                        <GapCell count={team.without_slack} />
                        <GapCell count={team.without_calendar} />
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="data-fixes" aria-label="How to fix">
            <li>
              <strong>No matched Slack account:</strong> the account’s email differs from the
              roster’s. Put the person’s Slack user id in the roster’s <code>slack_user_id</code>{' '}
              column, re-import the roster and run <code>syncbalance build</code>.
            </li>
            <li>
              <strong>No calendar:</strong> the calendar source does not reach them. With Google,
              check the service account’s domain-wide delegation covers them and run{' '}
              <code>syncbalance sync google</code>; with files, <code>syncbalance import ics</code>{' '}
              their export.
            </li>
          </ul>
        </>
      )}
    </DataSection>
  );
}

function GapCell({ count }: { readonly count: number | null }) {
  if (count === null) return <td>—</td>;
  return (
    <td className={count > 0 ? 'gap-cell has-gap' : 'gap-cell'}>
      {count > 0 ? `⚠ ${count}` : '0'}
    </td>
  );
}

function Unmatched({
  unmatched,
}: {
  readonly unmatched: NonNullable<DataHealthResponse['unmatched']>;
}) {
  return (
    <DataSection
      id="unmatched"
      title="Accounts that match no roster person"
      intro="Organisation-wide counts, shown to administrators only. Their activity belongs to nobody’s numbers, though it still counts as the other side of conversations and meetings."
    >
      <dl className="data-figures">
        <div>
          <dt>Slack accounts matching no roster person</dt>
          <dd data-figure="slack_accounts">{unmatched.slack_accounts}</dd>
        </div>
        <div>
          <dt>Calendar owners matching no roster person</dt>
          <dd data-figure="calendar_owners">{unmatched.calendar_owners}</dd>
        </div>
        <div>
          <dt>Roster people with a matched Slack account</dt>
          <dd data-figure="roster_with_slack_share">
            {formatShare(unmatched.roster_with_slack_share)}
          </dd>
        </div>
        <div>
          <dt>Roster people with an imported calendar</dt>
          <dd data-figure="roster_with_calendar_share">
            {formatShare(unmatched.roster_with_calendar_share)}
          </dd>
        </div>
      </dl>
      <p className="data-fix">
        Guests, Slack Connect users and shared or room calendars are expected here. Someone who
        should be on the roster is missing from it, or is listed under another email: add them (or
        their <code>slack_user_id</code>) to the roster and re-import it.
      </p>
    </DataSection>
  );
}

function Build({ data }: { readonly data: DataHealthResponse }) {
  return (
    <DataSection id="build" title="The build shown">
      <dl className="data-figures data-figures-text">
        <div>
          <dt>Build</dt>
          <dd>{data.build === null ? 'none published' : <code>{data.build.build_id}</code>}</dd>
        </div>
        {data.build !== null && (
          <div>
            <dt>Built</dt>
            <dd>{formatInstant(data.build.built_at ?? data.build.published_at)}</dd>
          </div>
        )}
        {data.build !== null && (
          <div>
            <dt>Published</dt>
            <dd>{formatInstant(data.build.published_at)}</dd>
          </div>
        )}
        <div>
          <dt>Next scheduled refresh</dt>
          <dd>
            {data.next_refresh_at === null ? (
              <>
                none scheduled (set <code>schedule.refresh</code> in the configuration and run{' '}
                <code>syncbalance schedule</code>)
              </>
            ) : (
              formatInstant(data.next_refresh_at)
            )}
          </dd>
        </div>
      </dl>
      <p className="section-intro">
        <CoverageIcon /> On the overview and the team pages, a week whose numbers rest on part of
        the team says so (“calendar data for 12 of 18”), and probable holiday weeks are marked.
      </p>
    </DataSection>
  );
}
