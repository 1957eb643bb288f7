import type { Warehouse } from '../../warehouse/db.ts';
import { pseudonymizerFor, resolveSalt, type Pseudonymizer } from '../../warehouse/identity.ts';
import type { JobEnvironment } from '../types.ts';

/** The warehouse's pseudonymizer for an unattended job, with the salt every import uses. */
export async function jobPseudonymizer(
  context: JobEnvironment,
  db: Warehouse,
): Promise<Pseudonymizer> {
  const salt = resolveSalt(context.dbPath, context.env.SYNCBALANCE_SALT);
  if (salt.createdFile !== null)
    context.reporter.info(
      `Generated a pseudonymisation salt in ${salt.createdFile} (readable by you only).`,
    );
  return pseudonymizerFor(db, salt.salt);
}
