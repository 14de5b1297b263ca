/**
 * Every rate and share of the reports is a ratio whose zero divisor gives 0 (metrics.md), whether
 * it is computed in SQL or from figures already read.
 */

/** SQL of num ÷ den, 0 when den is 0. */
export const ratioSql = (num: string, den: string) => `if(${den} = 0, 0, ${num} / ${den})`;

/** num ÷ den, 0 when den is 0. */
export const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
