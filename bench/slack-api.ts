/**
 * The Slack API sync against the emulator: a first sync of a workspace (default 500 people,
 * 400 conversations, 26 weeks), then a daily incremental run after one more day of messages.
 * Requests are counted per method; the time the same requests take at Slack's limits is computed
 * from the counts (Tier 3, conversations.history and .replies: 50 per minute; Tier 2, the lists: 20
 * per minute) rather than by sleeping. The real throughput, unthrottled on loopback, is measured.
 *
 *   node bench/slack-api.ts [--people 500] [--conversations 400] [--weeks 26] [--messages 300000]
 *
 * Figures, never assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syncSlack, type SlackSyncSummary } from '../ingest/slack-api/sync.ts';
import { parseConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { Pseudonymizer } from '../warehouse/identity.ts';
import { silentReporter } from '../warehouse/reporter.ts';
import { SlackEmulator } from '../test/slack-api/emulator.ts';
import { planExport } from '../test/slack-export/generate-export.ts';
import { message, tsAt, USER_TOKEN, workspaceFromExport } from '../test/slack-api/workspace.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '500' },
    conversations: { type: 'string', default: '400' },
    weeks: { type: 'string', default: '26' },
    messages: { type: 'string', default: '300000' },
  },
});
const people = Number(values.people);
const conversations = Number(values.conversations);
const weeks = Number(values.weeks);
const messages = Number(values.messages);
const days = weeks * 7;

const TIER_PER_MINUTE: Record<string, number> = {
  'auth.test': 100,
  'users.list': 20,
  'conversations.list': 20,
  'conversations.history': 50,
  'conversations.replies': 50,
};

// Channels carry most messages; DMs are many and quiet, as in a real workspace.
const channels = Math.round(conversations * 0.35);
const groupDms = Math.round(conversations * 0.1);
const dms = conversations - channels - groupDms;
const plan = planExport({ messages, days, channels, dms, groupDms, users: people });
const workspace = workspaceFromExport(plan);
const start = Date.UTC(2026, 0, 1);
const firstRun = start + days * 86_400_000;

/**
 * Minutes the requests take at Slack's limits. Slack counts each method's budget on its own
 * (per app, workspace and method), so history and replies proceed side by side: the slowest method
 * sets the pace. `shared` is the cautious figure if the Tier 3 methods shared one budget.
 */
function simulatedMinutes(byMethod: Readonly<Record<string, number>>): {
  perMethod: number;
  shared: number;
} {
  let perMethod = 0;
  const perTier = new Map<number, number>();
  for (const [method, count] of Object.entries(byMethod)) {
    const limit = TIER_PER_MINUTE[method] ?? 50;
    perMethod = Math.max(perMethod, count / limit);
    perTier.set(limit, (perTier.get(limit) ?? 0) + count / limit);
  }
  return { perMethod, shared: Math.max(...perTier.values()) };
}

function hours(minutes: number): string {
  return minutes < 120 ? `${minutes.toFixed(0)} min` : `${(minutes / 60).toFixed(1)} h`;
}

function report(label: string, summary: SlackSyncSummary, seconds: number): void {
  const { byMethod, total } = summary.requests;
  console.log(`\n${label}`);
  console.log(
    `  ${summary.conversationsRead} conversations, ${summary.messagesWritten.toLocaleString('en-US')} messages written, ${summary.threadsRead.toLocaleString('en-US')} threads read`,
  );
  for (const [method, count] of Object.entries(byMethod).sort())
    console.log(`  ${method.padEnd(24)} ${count.toLocaleString('en-US').padStart(9)} requests`);
  console.log(`  ${'total'.padEnd(24)} ${total.toLocaleString('en-US').padStart(9)} requests`);
  const minutes = simulatedMinutes(byMethod);
  console.log(
    `  at Slack's limits (Tier 3: 50/min per method): ${hours(minutes.perMethod)} (${hours(minutes.shared)} if history and replies shared one budget)`,
  );
  console.log(
    `  unthrottled on loopback: ${seconds.toFixed(1)} s (${Math.round(total / seconds)} requests/s)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'syncbalance-bench-slack-'));
const emulator = await SlackEmulator.start(workspace);
try {
  console.log(
    `Workspace: ${people} people, ${plan.conversations} conversations (${channels} channels, ${dms} DMs, ${groupDms} group DMs), ${weeks} weeks, ${plan.messages.toLocaleString('en-US')} messages`,
  );
  const db = await Warehouse.open(join(dir, 'bench.duckdb'));
  const config = parseConfig({ slack: { apiUrl: emulator.url } });
  const pseudonymizer = new Pseudonymizer('bench-salt-0123456789abcdef');
  const run = async (
    at: number,
    since?: string,
  ): Promise<{ summary: SlackSyncSummary; seconds: number }> => {
    const began = performance.now();
    const summary = await syncSlack({
      db,
      config,
      pseudonymizer,
      reporter: silentReporter,
      token: USER_TOKEN,
      clock: () => new Date(at),
      ...(since === undefined ? {} : { since }),
    });
    return { summary, seconds: (performance.now() - began) / 1000 };
  };
  const first = await run(firstRun, '2026-01-01');
  report('First sync', first.summary, first.seconds);

  // One more day: a day's share of new messages, a tenth of them replies to threads of the last
  // two weeks.
  const perDay = Math.round(plan.messages / days);
  const busy = workspace.conversations.filter((conversation) => conversation.messages.length > 0);
  for (let index = 0; index < perDay; index++) {
    const conversation = busy[index % busy.length];
    if (conversation === undefined) break;
    const user = conversation.members[index % conversation.members.length] ?? 'U00000001';
    const ts = tsAt(firstRun + 3_600_000 + index * 30_000, index);
    const recentParent =
      index % 10 === 0
        ? conversation.messages.find(
            (entry) =>
              entry.thread_ts === entry.ts && Number(entry.ts) * 1000 > firstRun - 13 * 86_400_000,
          )
        : undefined;
    conversation.messages.push(
      recentParent === undefined
        ? message(ts, user)
        : message(ts, user, {
            thread_ts: recentParent.ts,
            parent_user_id: recentParent.user ?? '',
          }),
    );
  }
  const daily = await run(firstRun + 86_400_000);
  report(
    `Daily incremental run (${perDay.toLocaleString('en-US')} new messages)`,
    daily.summary,
    daily.seconds,
  );
  db.close();
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
