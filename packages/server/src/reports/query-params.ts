/**
 * Dashboard query strings → engine queries, validated with zod. Ranges default to the last 7 days
 * ending yesterday; filters are written `filter=field:v1,v2` (repeatable, all must hold).
 * NOTE: these schemas belong in @miniscope/contract once the dashboard consumes them.
 */
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { addDays, isDate } from '../metrics/dates.js';
import { FILTER_FIELDS, type Filter, type FilterField } from '../metrics/query.js';

const date = z.string().refine(isDate, 'must be a YYYY-MM-DD date');
const many = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const rangeSchema = z.object({
  from: date.optional(),
  to: date.optional(),
  filter: many.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export type RangeParams = z.infer<typeof rangeSchema>;

/** Parse `query` with `schema`; the first problem becomes a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  throw new HttpError(400, 'bad_query', where ? `${where}: ${issue.message}` : issue.message, where || undefined);
}

/** `field:v1,v2` → a filter; numbers for numeric fields (the engine checks the values). */
export function parseFilter(text: string): Filter {
  const colon = text.indexOf(':');
  const field = text.slice(0, colon) as FilterField;
  if (colon < 1 || !FILTER_FIELDS.includes(field))
    throw new HttpError(
      400,
      'bad_query',
      `filter "${text}": write field:value,… with field one of ${FILTER_FIELDS}`,
      'filter',
    );
  const raw = text.slice(colon + 1).split(',');
  const numeric = field === 'source' || field === 'scene' || field === 'gender';
  return { field, values: numeric ? raw.map(Number) : raw };
}

/** The range and filters of a request; missing dates default to the 7 days ending `yesterday`. */
export function rangeOf(p: RangeParams, yesterday: string): { from: string; to: string; filters: Filter[] } {
  const to = p.to ?? yesterday;
  const from = p.from ?? addDays(to, -6);
  return { from, to, filters: (p.filter ?? []).map(parseFilter) };
}
