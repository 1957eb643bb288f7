import { formatWeek } from '../lib/dates.ts';

/** The tooltip title of a week on the x axis. */
export function weekTooltipLabel(label: unknown): string {
  return typeof label === 'string' ? `Week of ${formatWeek(label)}` : '';
}
