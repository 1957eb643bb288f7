/**
 * A vega-lite spec to an SVG and a PNG, without a browser or the network: vega-lite compiles the
 * spec, a headless vega View (renderer 'none') draws it to SVG, and resvg rasterises that at 2× for
 * sharp text on phones. resvg loads only the DejaVu Sans file from `dejavu-fonts-ttf`, the family
 * the specs name in `config.font`, so the text vega measured is the text that is drawn (vega
 * estimates text widths without node-canvas, which is why chart labels are kept short).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './charts/trend.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const CHART_FONT_FILES = [
  join(FONT_DIR, 'DejaVuSans.ttf'),
  join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
] as const;

export const CHART_SCALE = 2;

export interface RenderedChart {
  readonly svg: string;
  readonly png: Buffer;
  /** CSS pixels (the PNG has CHART_SCALE times as many). */
  readonly width: number;
  readonly height: number;
}

/** A loader that refuses every request: a chart's data is inline, never fetched. */
const offline: Partial<Loader> = {
  load: () => Promise.reject(new Error('charts load no data from outside')),
  sanitize: () => Promise.reject(new Error('charts load no data from outside')),
};

export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const view = new View(parse(vegaSpec), { renderer: 'none', loader: offline as Loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const svg = await renderChartSvg(spec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: CHART_SCALE },
    font: {
      fontFiles: [...CHART_FONT_FILES],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
    },
  });
  const image = resvg.render();
  return {
    svg,
    png: image.asPng(),
    width: Math.round(image.width / CHART_SCALE),
    height: Math.round(image.height / CHART_SCALE),
  };
}
