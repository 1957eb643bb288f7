/**
 * Rich output for the Deno Jupyter kernel: MIME bundles for tables, prose and charts. Outside a
 * kernel (a plain `deno run`, a test) the plain-text part goes to the console instead.
 */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

interface DenoJupyter {
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
}

function kernel(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return deno?.jupyter;
}

/** Shows a MIME bundle as one cell output. */
export async function show(bundle: MimeBundle): Promise<void> {
  const jupyter = kernel();
  if (jupyter) {
    await jupyter.display(bundle, { raw: true });
    // The kernel sends display messages on their own queue: one sent as the cell ends can reach
    // the client after the kernel's "idle", and nbconvert (nbclient) drops what comes after idle.
    // A moment's pause lets it go first (seen on a loaded machine as a missing chart).
    await new Promise((resolve) => setTimeout(resolve, 25));
  } else console.log(bundle['text/plain']);
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A paragraph of Markdown computed from the data (the notebook's conclusions). */
export function markdown(text: string): MimeBundle {
  return { 'text/markdown': text, 'text/plain': text };
}

export interface Column<T> {
  readonly label: string;
  readonly value: (row: T) => string | number | null;
  /** Right-align (numbers). */
  readonly numeric?: boolean;
}

/** A small HTML table (team aggregates only: callers pass team-level rows). */
export function table<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  caption?: string,
): MimeBundle {
  const cell = (value: string | number | null): string =>
    value === null ? '–' : typeof value === 'number' ? String(value) : value;
  const head = columns
    .map(
      (column) =>
        `<th style="text-align:${column.numeric ? 'right' : 'left'}">${escapeHtml(column.label)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns
          .map(
            (column) =>
              `<td style="text-align:${column.numeric ? 'right' : 'left'}">${escapeHtml(cell(column.value(row)))}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  const html = `<table>${caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
  const widths = columns.map((column) =>
    Math.max(column.label.length, ...rows.map((row) => cell(column.value(row)).length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) =>
        columns[i]?.numeric ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0),
      )
      .join('  ');
  const text = [
    ...(caption === undefined ? [] : [caption]),
    line(columns.map((column) => column.label)),
    ...rows.map((row) => line(columns.map((column) => cell(column.value(row))))),
  ].join('\n');
  return { 'text/html': html, 'text/plain': text };
}

/** A number with a fixed number of decimals, or '–' when unknown or suppressed. */
export function fixed(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(digits);
}

/** A signed number (+1.2, −3.4) with a true minus sign, for changes. */
export function signed(value: number, digits = 1): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `−${text}` : `+${text}`;
}

export type Unit = 'hours' | 'minutes' | 'percent' | 'share' | 'count';

/** A metric value as a reader expects it: shares as percentages, hours with one decimal. */
export function formatMetric(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'share':
      return `${(100 * value).toFixed(1)}%`;
    case 'hours':
      return `${value.toFixed(1)} h`;
    case 'minutes':
      return `${Math.round(value)} min`;
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
}

/** The number a chart plots for a metric (shares become percentages, like the table shows them). */
export function plotted(value: number | null, unit: Unit): number | null {
  return value === null ? null : unit === 'share' ? 100 * value : value;
}

/** The axis title for a metric's unit. */
export function unitTitle(unit: Unit): string {
  return {
    hours: 'hours per person-week',
    minutes: 'working minutes',
    percent: '% of working hours',
    share: '%',
    count: 'per person-week',
  }[unit];
}
