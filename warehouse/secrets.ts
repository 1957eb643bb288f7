/**
 * Secrets come only from environment variables, read once here and passed down. Keeping them out
 * of the config file means the config can be committed and shared.
 */
import { z } from 'zod';
import { InputError } from './errors.ts';

const secretsSchema = z.object({
  /** Salt for pseudonymous ids. Absent: generated once and stored beside the database. */
  SYNCBALANCE_SALT: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Signs session cookies. Absent: generated once and stored beside the database. */
  SYNCBALANCE_SESSION_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters' })
    .optional(),
  /** Password of `report.smtp.user`. Absent: read from the credential file beside the warehouse. */
  SYNCBALANCE_SMTP_PASSWORD: z.string().min(1).optional(),
  /** Path of the warehouse file, when `--db` is not given. */
  SYNCBALANCE_DB: z.string().min(1).optional(),
  /** A Slack token for `connect slack` and `sync slack`, instead of the stored credential file. */
  SLACK_TOKEN: z.string().min(1).optional(),
  /** Port of `npm start` and `syncbalance serve`, when `--port` is not given. */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type Environment = z.infer<typeof secretsSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const relevant = Object.fromEntries(
    Object.keys(secretsSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const result = secretsSchema.safeParse(relevant);
  if (result.success) return result.data;
  throw new InputError(
    'invalid environment',
    result.error.issues.map((issue) => ({
      location: { field: issue.path.map(String).join('.') },
      // Never echo a secret's value back, only what is wrong with it.
      message: issue.message,
    })),
  );
}
