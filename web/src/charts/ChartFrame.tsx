/**
 * What every chart has around it: a heading with its info button, a one-line reading guide, an
 * HTML legend (swatches show the line style too, not only the colour), notes on empty weeks, and
 * the same numbers as a table for screen readers and for anyone who wants exact values.
 */
import type { ReactNode } from 'react';

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly kind: 'line' | 'area';
  /** The line's SVG dash pattern, as drawn in the chart. */
  readonly dash?: string | undefined;
  /** Whether the line has a dot per week. */
  readonly dots?: boolean;
}

export interface TableColumn {
  readonly label: string;
}

export interface ChartFrameProps {
  /** Stable id for tests and links, e.g. "meeting_load_pct_median". */
  readonly id: string;
  readonly title: string;
  readonly info?: ReactNode;
  /** Controls that belong to this chart only (e.g. its week), shown beside the title. */
  readonly actions?: ReactNode;
  readonly description?: ReactNode;
  readonly legend?: readonly LegendItem[];
  readonly notes?: readonly string[];
  readonly table: {
    readonly columns: readonly TableColumn[];
    readonly rows: readonly (readonly string[])[];
  };
  readonly children: ReactNode;
}

function Swatch({ item }: { readonly item: LegendItem }) {
  if (item.kind === 'area') {
    return (
      <svg width="18" height="12" aria-hidden="true">
        <rect x="0" y="1" width="18" height="10" rx="2" fill={item.color} />
      </svg>
    );
  }
  return (
    <svg width="26" height="12" aria-hidden="true">
      <line
        x1="1"
        x2="25"
        y1="6"
        y2="6"
        stroke={item.color}
        strokeWidth="2.5"
        strokeDasharray={item.dash}
      />
      {item.dots === true && <circle cx="13" cy="6" r="3" fill={item.color} />}
    </svg>
  );
}

export function ChartFrame({
  id,
  title,
  info,
  actions,
  description,
  legend,
  notes,
  table,
  children,
}: ChartFrameProps) {
  const headingId = `chart-${id}`;
  return (
    <figure className="chart" data-chart={id} aria-labelledby={headingId}>
      <div className="chart-head">
        <h3 id={headingId}>{title}</h3>
        {info}
        {actions && <div className="chart-actions">{actions}</div>}
      </div>
      {description && <p className="chart-description">{description}</p>}
      {legend && legend.length > 0 && (
        <ul className="legend" aria-label="Legend">
          {legend.map((item) => (
            <li key={item.label}>
              <Swatch item={item} />
              {item.label}
            </li>
          ))}
        </ul>
      )}
      <div className="chart-body">{children}</div>
      {notes?.map((note) => (
        <p key={note} className="chart-note">
          {note}
        </p>
      ))}
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((column) => (
                  <th key={column.label} scope="col">
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.join('|')}>
                  {row.map((cell, index) =>
                    index === 0 ? (
                      <th key={index} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={index}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
