/**
 * Filter conditions of custom reports as SQL (custom-analysis.md "Filters", "Precise readings"):
 * string operators on the text as sent (case-sensitive, no trimming), number operators on a
 * number-typed property's value. `=` is false and `≠` true on a missing value, `not contains` too;
 * `between a and b` is a ≤ v ≤ b. Values are bound parameters.
 */
import type { Condition, Filters } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import type { Params } from '../sql/params.js';
import { type FieldNeeds, fieldLabel, fieldNumberSql, fieldTextSql, fieldType, type PropTypes } from './fields.js';

const STRING_OPS = new Set(['=', '!=', 'contains', 'not_contains', 'has_value', 'no_value']);

function numberCondition(c: Condition, params: Params, types: PropTypes): string {
  const v = fieldNumberSql(c.on, params, types);
  if (c.op === 'has_value') return `(${v}) IS NOT NULL`;
  if (c.op === 'no_value') return `(${v}) IS NULL`;
  if (typeof c.value !== 'number')
    throw new MiniscopeError('bad_query', `${fieldLabel(c.on)} is a number property: compare it with a number`);
  const x = params.add(c.value, 'Float64');
  switch (c.op) {
    case '=':
      return `ifNull((${v}) = ${x}, 0)`;
    case '!=':
      return `ifNull((${v}) != ${x}, 1)`;
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `ifNull((${v}) ${c.op} ${x}, 0)`;
    case 'between':
      return `ifNull((${v}) BETWEEN ${x} AND ${params.add(c.to!, 'Float64')}, 0)`;
    default:
      throw new MiniscopeError('bad_query', `${c.op} compares text, and ${fieldLabel(c.on)} is a number property`);
  }
}

function stringCondition(c: Condition, params: Params, needs: FieldNeeds): string {
  if (!STRING_OPS.has(c.op))
    throw new MiniscopeError('bad_query', `${c.op} compares numbers, and ${fieldLabel(c.on)} is text`);
  const v = fieldTextSql(c.on, params, needs);
  if (c.op === 'has_value') return `(${v}) IS NOT NULL`;
  if (c.op === 'no_value') return `(${v}) IS NULL`;
  const x = params.add(String(c.value), 'String');
  if (c.op === '=') return `ifNull((${v}) = ${x}, 0)`;
  if (c.op === '!=') return `ifNull((${v}) != ${x}, 1)`;
  const found = `position((${v}), ${x}) > 0`;
  return c.op === 'contains' ? `ifNull(${found}, 0)` : `ifNull(NOT ${found}, 1)`;
}

/** One condition as a boolean SQL expression. */
export function conditionSql(c: Condition, params: Params, types: PropTypes, needs: FieldNeeds): string {
  return fieldType(c.on, types) === 'number' ? numberCondition(c, params, types) : stringCondition(c, params, needs);
}

/** Conditions joined all by AND or all by OR ('1' when there are none). */
export function filtersSql(filters: Filters | undefined, params: Params, types: PropTypes, needs: FieldNeeds): string {
  const conditions = (filters?.conditions ?? []).map((c) => `(${conditionSql(c, params, types, needs)})`);
  if (conditions.length === 0) return '1';
  return conditions.join(filters?.match === 'any' ? ' OR ' : ' AND ');
}
