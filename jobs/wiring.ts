/**
 * The one place that registers what `syncbalance refresh` and `syncbalance schedule` run. Nothing
 * is registered yet: each live source (ingest/google-calendar, ingest/slack-api) and the weekly
 * email (server/report) adds one line here, e.g.
 *
 *   registerSource(googleCalendarSource);
 *   registerReportJob(weeklyEmailJob);
 *
 * With no source registered (or none configured), a refresh is a build and a publish.
 */
export {};
