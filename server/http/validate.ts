/**
 * Request validation: the first step of every route. A request that does not match its schema is
 * answered 400 with every problem named by its parameter; the values themselves are never echoed
 * (a query string may hold anything a user pasted into it).
 */
import type { z } from 'zod';
import { ApiError } from './errors.ts';

export function parseRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new ApiError('bad_request', [...new Set(problems)].join('; '));
}
