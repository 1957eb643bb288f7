/**
 * What a team path is, once for every door: the roster import, the config's working agreements and
 * the API (server/contract re-exports the schema). A path the roster accepted but the API refused
 * would be a team nobody could ever view. Pure zod, so the browser bundle can use it too.
 */
import { z } from 'zod';

export const MAX_TEAM_PATH_LENGTH = 300;

/** Why `path` is not a team path, or null when it is one. */
export function teamPathProblem(path: string): string | null {
  if (path.length === 0) return 'is empty';
  if (path.length > MAX_TEAM_PATH_LENGTH)
    return `is ${path.length.toLocaleString('en-US')} characters long, over the ${MAX_TEAM_PATH_LENGTH} a team path may have`;
  if (/\p{Cc}/u.test(path))
    return 'contains a control character (such as NUL or a tab), which a team path may not';
  if (path.split('/').some((segment) => segment.trim() === ''))
    return 'has an empty part: expected a team path such as Engineering/Platform';
  return null;
}

export const teamPathSchema = z.string().superRefine((value, context) => {
  const problem = teamPathProblem(value);
  if (problem !== null)
    context.addIssue({
      code: 'custom',
      message: `expected a team path such as Engineering/Platform: ${problem}`,
    });
});
