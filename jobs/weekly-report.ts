/**
 * The weekly email as the scheduler's `report` job. It runs often (config `schedule.report`,
 * hourly by default) and sends only the reports whose moment has come in each manager's zone
 * (`report.schedule`), each (manager, week) exactly once; a run that finds nothing due sends
 * nothing.
 *
 * It needs the working warehouse, not the snapshot: recipients' addresses live only in the roster
 * tables and deliveries are recorded in `meta.report_deliveries`. Its numbers are the marts of the
 * last successful build, which is what servers show unless that build's publish failed (then
 * `status` and the dashboard say the shown data is stale). The scheduler runs it under the same
 * lock as a refresh, so it never competes with one for the file.
 */
import { Warehouse } from '../warehouse/db.ts';
import { RuntimeFailure } from '../warehouse/errors.ts';
import { jobPseudonymizer } from './sources/pseudonymizer.ts';
import type { ReportJob } from './types.ts';

export const weeklyReportJob: ReportJob = {
  secrets: (env) =>
    env.SYNCBALANCE_SMTP_PASSWORD === undefined ? [] : [env.SYNCBALANCE_SMTP_PASSWORD],
  async run(context) {
    const { assertReportable } = await import('../server/report/render.ts');
    const { sendWeeklyReports } = await import('../server/report/send.ts');
    const { smtpPassword, smtpTransport } = await import('../server/report/smtp.ts');
    const db = await Warehouse.open(context.dbPath);
    try {
      await assertReportable(db, context.config);
      const transport = smtpTransport(
        context.config.report.smtp,
        smtpPassword(context.env.SYNCBALANCE_SMTP_PASSWORD, context.dbPath),
        context.dbPath,
      );
      try {
        const summary = await sendWeeklyReports({
          db,
          config: context.config,
          pseudonymizer: await jobPseudonymizer(context, db),
          transport,
          reporter: context.reporter,
          now: context.now,
          onlyDue: true,
        });
        if (summary.stopped !== null)
          throw new RuntimeFailure(`the SMTP server is not usable (${summary.stopped})`);
        return { counts: { week: summary.week, ...summary.counts } };
      } finally {
        transport.close();
      }
    } finally {
      db.close();
    }
  },
};
