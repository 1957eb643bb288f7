/** Controls of the global filters (week, range, team); they report changes, the page writes the URL. */
import { useId } from 'react';
import type { Team } from '../../../server/contract/index.ts';
import { addWeeks, formatWeek, mondayOf, weeksInRange } from '../lib/dates.ts';
import { presetRange, RANGE_PRESETS_WEEKS } from '../routing/url-state.ts';

export function WeekPicker({
  week,
  latest,
  onChange,
}: {
  readonly week: string;
  readonly latest: string;
  readonly onChange: (week: string) => void;
}) {
  const inputId = useId();
  return (
    <div className="picker week-picker" role="group" aria-label="Week">
      <button
        type="button"
        className="button button-quiet"
        onClick={() => {
          onChange(addWeeks(week, -1));
        }}
      >
        <span aria-hidden="true">←</span> Previous week
      </button>
      <label htmlFor={inputId} className="week-picker-label">
        <span className="visually-hidden">Week containing</span>
        <input
          id={inputId}
          type="date"
          value={week}
          max={latest}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (/^\d{4}-\d{2}-\d{2}$/.test(value)) onChange(mondayOf(value));
          }}
        />
      </label>
      <span className="week-picker-range" aria-live="polite">
        {formatWeek(week)}
      </span>
      <button
        type="button"
        className="button button-quiet"
        disabled={week >= latest}
        onClick={() => {
          onChange(addWeeks(week, 1));
        }}
      >
        Next week <span aria-hidden="true">→</span>
      </button>
    </div>
  );
}

export function RangePicker({
  from,
  to,
  latest,
  onChange,
}: {
  readonly from: string;
  readonly to: string;
  readonly latest: string;
  readonly onChange: (range: { from: string; to: string }) => void;
}) {
  const fromId = useId();
  const toId = useId();
  const span = weeksInRange(from, to);
  return (
    <fieldset className="picker range-picker">
      <legend>Weeks shown</legend>
      <div className="range-presets">
        {RANGE_PRESETS_WEEKS.map((weeks) => {
          const preset = presetRange(latest, weeks);
          const active = preset.from === from && preset.to === to;
          return (
            <button
              key={weeks}
              type="button"
              className="button button-toggle"
              aria-pressed={active}
              onClick={() => {
                onChange(preset);
              }}
            >
              Last {weeks} weeks
            </button>
          );
        })}
      </div>
      <div className="range-dates">
        <label htmlFor={fromId}>From</label>
        <input
          id={fromId}
          type="date"
          value={from}
          max={to}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (/^\d{4}-\d{2}-\d{2}$/.test(value)) onChange({ from: mondayOf(value), to });
          }}
        />
        <label htmlFor={toId}>to week of</label>
        <input
          id={toId}
          type="date"
          value={to}
          min={from}
          max={latest}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (/^\d{4}-\d{2}-\d{2}$/.test(value)) onChange({ from, to: mondayOf(value) });
          }}
        />
        <span className="range-span">
          ({span} {span === 1 ? 'week' : 'weeks'})
        </span>
      </div>
    </fieldset>
  );
}

export function TeamPicker({
  teams,
  current,
  onChange,
}: {
  readonly teams: readonly Team[];
  readonly current: string;
  readonly onChange: (team: string) => void;
}) {
  const id = useId();
  return (
    <div className="picker team-picker">
      <label htmlFor={id}>Team</label>
      <select
        id={id}
        value={current}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      >
        {teams.map((team) => (
          <option key={team.path} value={team.path}>
            {'\u00a0\u00a0'.repeat(team.depth - 1)}
            {team.name}
          </option>
        ))}
      </select>
    </div>
  );
}
