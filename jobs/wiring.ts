/**
 * The one place that registers what `syncbalance refresh` and `syncbalance schedule` run: the live
 * sources, in the order a refresh runs them, and the weekly email. A source that is not configured
 * (no token, no credentials) is skipped, so a refresh with none is a build and a publish.
 */
import { registerReportJob, registerSource } from './registry.ts';
import { googleCalendarSource } from './sources/google-calendar.ts';
import { slackSource } from './sources/slack.ts';
import { weeklyReportJob } from './weekly-report.ts';

registerSource(googleCalendarSource);
registerSource(slackSource);
registerReportJob(weeklyReportJob);
