import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, RuntimeFailure } from '../../../warehouse/errors.ts';
import { normaliseEmail } from '../../../warehouse/identity.ts';
import { WarehouseReads } from '../../../server/reads.ts';
import { deliveryCounts, listDeliveries } from '../../../server/report/queries.ts';
import { isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf, plural } from './shared.ts';

interface PreviewOptions {
  readonly manager: string;
  readonly week?: string;
  readonly out: string;
}

interface SendOptions {
  readonly week?: string;
  readonly manager?: string[];
  readonly dryRun?: boolean;
  readonly due?: boolean;
}

export function registerReport(program: Command, io: Io): void {
  const group = program
    .command('report')
    .description('the weekly email report to managers (team aggregates only)');

  group
    .command('preview')
    .description('write one manager’s report (HTML, text part, chart PNGs) into a folder')
    .requiredOption('--manager <email>', 'the manager whose report to render')
    .option(
      '--week <date>',
      'any date in the week (default: the latest complete week)',
      isoDateOption('--week'),
    )
    .requiredOption('--out <dir>', 'folder to write into (created when missing)')
    .action(async (options: PreviewOptions, command: Command) => {
      const context = contextOf(command, io);
      const manager = normaliseEmail(options.manager);
      // Rendering loads vega and resvg: only for the commands that draw.
      const { assertReportable, renderReport, reportTeams, reportWeek } =
        await import('../../../server/report/render.ts');
      await withWarehouse(
        context,
        async (db) => {
          await assertReportable(db, context.config);
          const reads = new WarehouseReads(db);
          const week = await reportWeek(reads, context.config, io.now(), options.week);
          if (week === null) throw new InputError('there is no complete week with data yet');
          const teams = await reportTeams(reads, context.config, manager);
          if (teams.length === 0)
            throw InputError.at({ field: '--manager' }, 'this address has no teams to report on');
          if (context.config.report.optOut.includes(manager))
            context.reporter.warn(
              'This address is in report.optOut: it is never sent this report.',
            );
          const report = await renderReport({
            db,
            config: context.config,
            manager,
            week,
            reads,
            teams,
          });
          const out = resolve(io.cwd, options.out);
          mkdirSync(out, { recursive: true });
          // message.html is the part as sent (images by cid:); report.html shows in a browser.
          writeFileSync(join(out, 'message.html'), report.html);
          let viewable = report.html;
          for (const attachment of report.attachments) {
            writeFileSync(join(out, attachment.filename), attachment.content);
            writeFileSync(join(out, attachment.filename.replace(/\.png$/, '.svg')), attachment.svg);
            viewable = viewable.replaceAll(`cid:${attachment.cid}`, attachment.filename);
          }
          writeFileSync(join(out, 'report.html'), viewable);
          writeFileSync(join(out, 'report.txt'), report.text);
          writeFileSync(join(out, 'subject.txt'), `${report.subject}\n`);
          context.reporter.result(
            `Wrote the report for the week of ${week} (${plural(teams.length, 'team')}, ${plural(report.attachments.length, 'chart')}) to ${out}`,
          );
        },
        { readOnly: true },
      );
    });

  group
    .command('send')
    .description(
      'send the week’s reports by SMTP, each manager exactly once (reruns skip sent ones)',
    )
    .option(
      '--week <date>',
      'any date in the week (default: the latest complete week)',
      isoDateOption('--week'),
    )
    .option('--manager <email...>', 'only these managers')
    .option('--dry-run', 'render and list what would be sent; send and record nothing')
    .option(
      '--due',
      'only managers whose report.schedule time has come in their zone (for schedulers)',
    )
    .action(async (options: SendOptions, command: Command) => {
      const context = contextOf(command, io);
      const { assertReportable } = await import('../../../server/report/render.ts');
      const { sendWeeklyReports } = await import('../../../server/report/send.ts');
      const { dryRunTransport, smtpPassword, smtpTransport } =
        await import('../../../server/report/smtp.ts');
      const summary = await withWarehouse(
        context,
        async (db) => {
          await assertReportable(db, context.config);
          const dryRun = options.dryRun === true;
          const transport = dryRun
            ? dryRunTransport()
            : smtpTransport(
                context.config.report.smtp,
                smtpPassword(context.env.SYNCBALANCE_SMTP_PASSWORD, context.dbPath),
                context.dbPath,
              );
          try {
            return await sendWeeklyReports({
              db,
              config: context.config,
              pseudonymizer: await context.pseudonymizer(db),
              transport,
              reporter: context.reporter,
              now: io.now,
              dryRun,
              onlyDue: options.due === true,
              ...(options.week === undefined ? {} : { week: options.week }),
              ...(options.manager === undefined ? {} : { managers: options.manager }),
            });
          } finally {
            transport.close();
          }
        },
        { readOnly: options.dryRun === true },
      );
      const counts = Object.entries(summary.counts)
        .map(([outcome, count]) => `${count} ${outcome}`)
        .join(', ');
      context.reporter.result(
        summary.week === null
          ? 'No complete week with data yet: nothing sent.'
          : `Week of ${summary.week}${summary.dryRun ? ' (dry run)' : ''}: ${counts || 'no managers'}`,
      );
      if (summary.stopped !== null) {
        throw new RuntimeFailure(
          `stopped: the SMTP server is not usable (${summary.stopped}); the rest wait for the next run`,
        );
      }
      const unsent = (summary.counts.failed ?? 0) + (summary.counts.retry ?? 0);
      if (unsent > 0)
        throw new RuntimeFailure(
          `${plural(unsent, 'report')} not sent: see 'syncbalance report status'`,
        );
    });

  group
    .command('status')
    .description('deliveries per week: sent, waiting for a retry, failed for good')
    .option('--week <date>', 'also list the failures of this week', isoDateOption('--week'))
    .action(async (options: { week?: string }, command: Command) => {
      const context = contextOf(command, io);
      await withWarehouse(
        context,
        async (db) => {
          const counts = await deliveryCounts(db);
          if (counts.length === 0) context.reporter.result('No reports sent yet.');
          for (const row of counts) {
            context.reporter.result(
              `${row.week}  ${row.sent} sent, ${row.retry} to retry, ${row.failed} failed, ${row.sending} in flight`,
            );
          }
          const week = options.week ?? counts[0]?.week;
          if (week === undefined) return;
          for (const delivery of await listDeliveries(db, week)) {
            if (delivery.status === 'sent') continue;
            context.reporter.result(
              `  ${delivery.manager_key}  ${delivery.status}  ${plural(delivery.attempts, 'attempt')}${delivery.next_attempt_at === null ? '' : `, next ${delivery.next_attempt_at}`}${delivery.last_error === null ? '' : `: ${delivery.last_error}`}`,
            );
          }
        },
        { readOnly: true },
      );
    });
}
