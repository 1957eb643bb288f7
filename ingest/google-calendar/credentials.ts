/**
 * The Google connection, kept in one owner-only credential file beside the warehouse
 * (`<warehouse>.google.json`, see `warehouse/credentials.ts`): either a desktop sign-in (the OAuth
 * client and the refresh token it was granted) or a copy of a service account key with the admin
 * it acts as to read the directory. Never in the warehouse, the config or a log; errors name the
 * file, never what is in it.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { credentialPath, readCredential, writeCredential } from '../../warehouse/credentials.ts';
import { InputError } from '../../warehouse/errors.ts';

const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'expected an email address' }));

export const desktopConnectionSchema = z.strictObject({
  kind: z.literal('desktop'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Who signed in: the owner of the primary calendar. */
  email: emailField,
});

export const serviceAccountConnectionSchema = z.strictObject({
  kind: z.literal('serviceAccount'),
  clientEmail: emailField,
  privateKey: z.string().min(1),
  /** A Workspace administrator, impersonated only to list the directory's users. */
  admin: emailField,
});

export const connectionSchema = z.discriminatedUnion('kind', [
  desktopConnectionSchema,
  serviceAccountConnectionSchema,
]);
export type GoogleConnection = z.infer<typeof connectionSchema>;

/** The connection file of the warehouse at `dbPath`. */
export function googleCredentialFile(dbPath: string): string {
  return credentialPath(dbPath, 'google.json');
}

/** Whether `connect google` has run for the warehouse at `dbPath`. */
export function isGoogleConfigured(dbPath: string): boolean {
  return existsSync(googleCredentialFile(dbPath));
}

export function saveConnection(file: string, connection: GoogleConnection): void {
  writeCredential(file, `${JSON.stringify(connection, null, 2)}\n`);
}

/** The stored connection, or null when Google was never connected. */
export function loadConnection(file: string): GoogleConnection | null {
  const text = readCredential(file);
  if (text === undefined) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw InputError.at(
      { file },
      'the Google connection file is not valid JSON: run `syncbalance connect google` again',
    );
  }
  const parsed = connectionSchema.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    throw InputError.at(
      { file, ...(field === '' ? {} : { field }) },
      'the Google connection file is damaged: run `syncbalance connect google` again',
    );
  }
  return parsed.data;
}

/** A downloaded OAuth client (`client_secret_….json`, type "Desktop app"). */
const clientSecretSchema = z.object({
  installed: z.object({
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    redirect_uris: z.array(z.string()).min(1),
  }),
});

export function parseClientSecret(
  file: string,
  text: string,
): { clientId: string; clientSecret: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw InputError.at(
      { file },
      'not valid JSON: download the OAuth client again from the Google Cloud console',
    );
  }
  const parsed = clientSecretSchema.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') ?? 'installed';
    throw InputError.at(
      { file, field },
      'not an OAuth client of type "Desktop app" (expected installed.client_id, client_secret and redirect_uris)',
    );
  }
  return {
    clientId: parsed.data.installed.client_id,
    clientSecret: parsed.data.installed.client_secret,
  };
}

/** A service account key (`….json` downloaded from IAM › Service accounts › Keys). */
const serviceAccountKeySchema = z.object({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().startsWith('-----BEGIN'),
});

export function parseServiceAccountKey(
  file: string,
  text: string,
): { clientEmail: string; privateKey: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw InputError.at({ file }, 'not valid JSON: download the service account key again');
  }
  const parsed = serviceAccountKeySchema.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') ?? 'type';
    // Never echo the value: it may be the private key.
    throw InputError.at(
      { file, field },
      'not a service account key (expected type "service_account", client_email and private_key)',
    );
  }
  return { clientEmail: parsed.data.client_email, privateKey: parsed.data.private_key };
}
