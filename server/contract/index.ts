export * from './api.ts';
export * from './metric-docs.ts';
export * from './metrics.ts';
export * from './data-health.ts';
