/**
 * Vega-Lite charts for the notebooks. Each chart is sent twice in one output: as the Vega-Lite
 * spec (interactive where the front end renders Vega-Lite: JupyterLab, VS Code) and as an SVG
 * rendered by Vega here in the kernel, which is what nbconvert's HTML and GitHub's viewer show.
 * The installed vega-lite 6 writes `$schema: …/vega-lite/v6.json`, so the MIME type is the
 * matching v6 one; a front end that only knows v5 falls back to the SVG.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MimeBundle } from './display.ts';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v6+json';
export const SVG_MIME = 'image/svg+xml';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const WIDTH = 620;
const HEIGHT = 240;

/** Fonts and sizes that stay legible in a screenshot of the HTML export. */
const CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  title: { fontSize: 15, anchor: 'start', offset: 12 },
  axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', labelLimit: 360 },
  view: { stroke: null },
} as const;

const WEEK_AXIS = {
  field: 'week',
  type: 'temporal',
  scale: { type: 'utc' },
  // Week starts are dates; the UTC scale keeps them on their own day whatever the kernel's zone.
  axis: { title: 'week starting', format: '%d %b', labelAngle: 0, tickCount: 8 },
} as const;

/** Renders a Vega-Lite spec to both MIME types. */
export async function chart(spec: TopLevelSpec): Promise<MimeBundle> {
  const full = { $schema: SCHEMA, config: CONFIG, ...spec } as TopLevelSpec;
  const view = new View(parse(compile(full).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const title = typeof full.title === 'string' ? full.title : 'chart';
  return { [VEGA_LITE_MIME]: full, [SVG_MIME]: svg, 'text/plain': `[chart: ${title}]` };
}

export interface SeriesPoint {
  readonly week: string;
  readonly series: string;
  readonly value: number | null;
}

/** Weekly lines, one per series (a team against the organisation, or coverage per source). */
export function weeklyLines(options: {
  readonly title: string;
  readonly yTitle: string;
  readonly points: readonly SeriesPoint[];
  /** Series names in legend order; the first is drawn in the accent colour. */
  readonly series: readonly string[];
  readonly zeroBased?: boolean;
  /** A fixed top of the y axis (e.g. 8 hours), so a flat series still has a readable axis. */
  readonly yMax?: number;
}): TopLevelSpec {
  return {
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: options.points.filter((point) => point.value !== null) },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: WEEK_AXIS,
      y: {
        field: 'value',
        type: 'quantitative',
        title: options.yTitle,
        scale:
          options.yMax === undefined
            ? { zero: options.zeroBased ?? false }
            : { domain: [0, options.yMax], clamp: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: [...options.series],
          range: ['#1f6fb2', '#9a9a9a', '#e08a1e', '#5b9e4d', '#b04a7a'],
        },
      },
    },
  };
}

export interface SegmentWeek {
  readonly week: string;
  readonly after: boolean;
  readonly value: number;
  readonly fitted: number;
  readonly counterfactual: number | null;
}

/** An interrupted time series: the weeks, the fitted line on each side, the counterfactual. */
export function segmentedTrend(options: {
  readonly title: string;
  readonly yTitle: string;
  readonly start: string;
  readonly weeks: readonly SegmentWeek[];
}): TopLevelSpec {
  const rows = options.weeks.flatMap((week) => [
    { week: week.week, line: 'team-week median', segment: 'observed', value: week.value },
    {
      week: week.week,
      line: 'fitted trend',
      segment: week.after ? 'after' : 'before',
      value: week.fitted,
    },
    ...(week.counterfactual === null
      ? []
      : [
          {
            week: week.week,
            line: 'without the policy (counterfactual)',
            segment: 'after',
            value: week.counterfactual,
          },
        ]),
  ]);
  // The counterfactual starts where the pre-start line ends, so the dashed line joins it.
  const lastBefore = [...options.weeks].reverse().find((week) => !week.after);
  if (lastBefore) {
    rows.push({
      week: lastBefore.week,
      line: 'without the policy (counterfactual)',
      segment: 'after',
      value: lastBefore.fitted,
    });
  }
  const lines = ['team-week median', 'fitted trend', 'without the policy (counterfactual)'];
  return {
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: WEEK_AXIS,
          y: {
            field: 'value',
            type: 'quantitative',
            title: options.yTitle,
            scale: { zero: false },
          },
          color: {
            field: 'line',
            type: 'nominal',
            title: null,
            scale: { domain: lines, range: ['#9a9a9a', '#1f6fb2', '#e08a1e'] },
          },
          strokeDash: {
            field: 'line',
            type: 'nominal',
            scale: {
              domain: lines,
              range: [
                [1, 0],
                [1, 0],
                [6, 4],
              ],
            },
            title: null,
          },
          detail: { field: 'segment', type: 'nominal' },
        },
      },
      {
        data: { values: rows.filter((row) => row.line === 'team-week median') },
        mark: { type: 'point', filled: true, size: 40, color: '#6d6d6d' },
        encoding: { x: WEEK_AXIS, y: { field: 'value', type: 'quantitative' } },
      },
      {
        // The rule marks the first week counted as after: the week that contains the start date.
        data: {
          values: [
            {
              week: options.weeks.find((week) => week.after)?.week ?? options.start,
              label: `policy from ${options.start}`,
            },
          ],
        },
        layer: [
          { mark: { type: 'rule', strokeDash: [2, 2], color: '#444' }, encoding: { x: WEEK_AXIS } },
          {
            mark: {
              type: 'text',
              align: 'left',
              dx: 4,
              dy: -4,
              baseline: 'bottom',
              fontSize: 12,
              color: '#444',
            },
            encoding: { x: WEEK_AXIS, y: { value: 0 }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}

export interface MatrixCell {
  readonly row: string;
  readonly column: string;
  readonly value: number | null;
  readonly label: string;
}

/** A labelled heat map (hours of overlap between locations). */
export function heatMap(options: {
  readonly title: string;
  readonly valueTitle: string;
  readonly cells: readonly MatrixCell[];
}): TopLevelSpec {
  return {
    title: options.title,
    data: { values: [...options.cells] },
    width: { step: 70 },
    height: { step: 34 },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          x: {
            field: 'column',
            type: 'nominal',
            title: null,
            axis: { labelAngle: -30, orient: 'top' },
          },
          y: { field: 'row', type: 'nominal', title: null },
          color: {
            field: 'value',
            type: 'quantitative',
            title: options.valueTitle,
            scale: { scheme: 'blues', domainMin: 0 },
            legend: { orient: 'right' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 12 },
        encoding: {
          x: { field: 'column', type: 'nominal' },
          y: { field: 'row', type: 'nominal' },
          text: { field: 'label' },
          color: { condition: { test: 'datum.value > 5', value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}

export interface Bar {
  readonly category: string;
  readonly value: number;
  readonly label: string;
  readonly group?: string;
}

/** Horizontal bars with their values written at the end. */
export function bars(options: {
  readonly title: string;
  readonly valueTitle: string;
  readonly bars: readonly Bar[];
  /** Whole numbers: no fractional ticks. */
  readonly counts?: boolean;
}): TopLevelSpec {
  const y = {
    field: 'category',
    type: 'nominal',
    title: null,
    sort: null,
    axis: { labelLimit: 320 },
  } as const;
  return {
    title: options.title,
    width: WIDTH - 120,
    height: { step: 26 },
    data: { values: [...options.bars] },
    layer: [
      {
        mark: { type: 'bar', color: '#1f6fb2' },
        encoding: {
          y,
          x: {
            field: 'value',
            type: 'quantitative',
            title: options.valueTitle,
            ...(options.counts === true ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
          },
          ...(options.bars.some((bar) => bar.group !== undefined)
            ? { color: { field: 'group', type: 'nominal', title: null } }
            : {}),
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 12 },
        encoding: { y, x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}
