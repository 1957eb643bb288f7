/**
 * The chart spec builders (pure) and the rendering (vega headless → SVG → resvg PNG). The SVG is
 * checked for its structure, not its bytes: two axes, one line per series, the target rule and its
 * label, a gap where a week is hidden; and the raster for clipping: nothing touches the edges.
 */
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { focusTimeSpec } from '../../server/report/charts/focus-time.ts';
import { meetingLoadSpec } from '../../server/report/charts/meeting-load.ts';
import {
  CHART_FONT,
  ORG_SERIES,
  TARGET_COLOUR,
  TEAM_SERIES,
  type TrendPoint,
} from '../../server/report/charts/trend.ts';
import {
  CHART_FONT_FILES,
  CHART_SCALE,
  renderChart,
  renderChartSvg,
} from '../../server/report/render-chart.ts';

const LABELS = [
  '24 Aug',
  '31 Aug',
  '7 Sept',
  '14 Sept',
  '21 Sept',
  '28 Sept',
  '5 Oct',
  '12 Oct',
  '19 Oct',
  '26 Oct',
  '2 Nov',
  '9 Nov',
];

function points(
  team: (index: number) => number | null,
  org: (index: number) => number | null,
): TrendPoint[] {
  return LABELS.map((label, index) => ({ label, team: team(index), org: org(index) }));
}

const MEETINGS = points(
  (index) => (index === 4 ? null : 44 + (index % 4)),
  (index) => 18 + (index % 3),
);

interface Layer {
  readonly name?: string;
  readonly encoding?: { readonly y?: { readonly datum?: number } };
}

function layersOf(spec: unknown): Layer[] {
  return (spec as { layer: Layer[] }).layer;
}

describe('chart specs', () => {
  it('meeting load: team and organisation lines over the weeks in order, and the target as a rule', () => {
    const spec = meetingLoadSpec(MEETINGS, { comparison: 'max', value: 30 });
    expect(spec.config?.font).toBe(CHART_FONT);
    expect(layersOf(spec).map((layer) => layer.name)).toEqual(['series', 'target', 'target_label']);
    expect(layersOf(spec)[1]?.encoding?.y?.datum).toBe(30);
    const values = (
      spec as { data: { values: { week: string; series: string; value: number | null }[] } }
    ).data.values;
    expect(values).toHaveLength(24);
    expect(
      values.filter((value) => value.series === TEAM_SERIES).map((value) => value.week),
    ).toEqual(LABELS);
    expect(
      values.find((value) => value.week === '21 Sept' && value.series === TEAM_SERIES)?.value,
    ).toBeNull();
    expect(
      values.find((value) => value.week === '21 Sept' && value.series === ORG_SERIES)?.value,
    ).toBe(19);
  });

  it('focus time: the same shape in hours; without a target there is no rule', () => {
    const spec = focusTimeSpec(
      points(
        () => 9,
        () => 25,
      ),
      null,
    );
    expect(layersOf(spec).map((layer) => layer.name)).toEqual(['series']);
    expect(JSON.stringify(spec)).toContain(`' h'`);
  });
});

function count(svg: string, pattern: RegExp): number {
  return svg.match(pattern)?.length ?? 0;
}

describe('rendered charts', () => {
  it('draw two axes, one line per series, the target rule with its label, and a gap for a hidden week', async () => {
    const svg = await renderChartSvg(meetingLoadSpec(MEETINGS, { comparison: 'max', value: 30 }));
    // Two labelled axes (vega-lite draws the y grid as a third, unlabelled axis group).
    expect(count(svg, /class="mark-text role-axis-label"/g)).toBe(2);
    expect(count(svg, /class="mark-rule role-axis-grid"/g)).toBe(1);
    // Every third week is labelled, ending with the latest.
    for (const label of ['7 Sept', '28 Sept', '19 Oct', '9 Nov'])
      expect(svg).toContain(`>${label}<`);
    expect(svg).not.toContain('>24 Aug<');
    expect(svg).not.toContain('>2 Nov<');
    for (const tick of ['0%', '20%', '40%']) expect(svg).toContain(`>${tick}<`);
    const lines = [
      ...svg.matchAll(/class="mark-line role-mark series_marks"[^]*?<path[^>]* d="([^"]+)"/g),
    ];
    expect(lines).toHaveLength(2);
    // The team line breaks at the hidden week (two sub-paths); the organisation's does not.
    const moves = lines.map((line) => count(line[1] ?? '', /M/g)).sort();
    expect(moves).toEqual([1, 2]);
    expect(svg).toMatch(
      new RegExp(`class="mark-rule role-mark target_marks"[^]*?stroke="${TARGET_COLOUR}"`),
    );
    expect(svg).toContain('>target ≤ 30%<');
    expect(svg).toContain(`>${TEAM_SERIES}<`);
    expect(svg).toContain(`>${ORG_SERIES}<`);
    expect(svg).toContain(`font-family="${CHART_FONT}"`);
  });

  it('keep the target’s label inside the plot, below the legend, when the target tops the data', async () => {
    const atTarget = points(
      (index) => 18 + (index % 5),
      () => 16,
    );
    for (const spec of [
      meetingLoadSpec(atTarget, { comparison: 'max', value: 30 }),
      meetingLoadSpec(
        points(
          () => 30,
          () => 30,
        ),
        { comparison: 'max', value: 30 },
      ),
    ]) {
      const svg = await renderChartSvg(spec);
      const label =
        /class="mark-text role-mark target_label_marks"[^]*?transform="translate\(([\d.]+),([\d.]+)\)"/.exec(
          svg,
        );
      expect(label).not.toBeNull();
      // The label's baseline is measured from the plot's top: one line of text must fit above it.
      expect(Number(label?.[2])).toBeGreaterThanOrEqual(14);
    }
  });

  it('rasterise at 2× with nothing clipped at any edge, even with long labels', async () => {
    const large = points(
      (index) => 880 + index,
      () => 1200,
    );
    for (const spec of [
      meetingLoadSpec(MEETINGS, { comparison: 'max', value: 30 }),
      focusTimeSpec(large, { comparison: 'min', value: 12 }),
    ]) {
      const chart = await renderChart(spec);
      expect(chart.png.subarray(1, 4).toString()).toBe('PNG');
      expect(chart.png.readUInt32BE(16)).toBe(chart.width * CHART_SCALE);
      const image = new Resvg(chart.svg, {
        font: {
          fontFiles: [...CHART_FONT_FILES],
          loadSystemFonts: false,
          defaultFontFamily: CHART_FONT,
        },
      }).render();
      const { width, height, pixels } = image;
      const white = (x: number, y: number) => {
        const offset = (y * width + x) * 4;
        return pixels[offset] === 255 && pixels[offset + 1] === 255 && pixels[offset + 2] === 255;
      };
      for (let x = 0; x < width; x++) {
        expect(white(x, 0) && white(x, height - 1), `column ${x}`).toBe(true);
      }
      for (let y = 0; y < height; y++) {
        expect(white(0, y) && white(width - 1, y), `row ${y}`).toBe(true);
      }
    }
  });
});
