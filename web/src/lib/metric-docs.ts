/**
 * Metric definitions for the info popovers, taken from docs/metrics.md at build time, so the
 * dashboard says exactly what the documentation says.
 */
import metricsMarkdown from '../../../docs/metrics.md?raw';
import {
  METRICS,
  parseMetricDefinitions,
  type MetricInfo,
  type TeamWeekMetric,
} from '../../../server/contract/index.ts';
import { markdownToPlainText } from './plain-text.ts';

const definitions = parseMetricDefinitions(metricsMarkdown);

const AGGREGATE_NOTES: Readonly<Record<MetricInfo['aggregate'], string>> = {
  median: 'Team value: the median of the members’ weekly values.',
  p25: 'Team value: the 25th percentile of the members’ weekly values.',
  p75: 'Team value: the 75th percentile of the members’ weekly values.',
  pooled: 'Team value: all members’ time or messages added up, then divided.',
  all: 'Team value: computed for all members together.',
};

export interface MetricExplanation {
  readonly label: string;
  readonly definition: string;
  readonly aggregation: string;
}

/** The written definition of a key in docs/metrics.md, or null when it has none. */
export function definitionOf(key: string): string | null {
  const definition = definitions[key];
  return definition === undefined || definition === '' ? null : markdownToPlainText(definition);
}

export function explainMetric(metric: TeamWeekMetric): MetricExplanation {
  const info = METRICS[metric];
  return {
    label: info.label,
    definition:
      definitionOf(info.key) ??
      definitionOf(info.definitionKey) ??
      'No definition has been written for this metric yet (docs/metrics.md).',
    aggregation: AGGREGATE_NOTES[info.aggregate],
  };
}
