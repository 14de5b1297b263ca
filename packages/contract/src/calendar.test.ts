/** Calendar helpers: periods, boundaries and the deployment's "today". */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, isDate, monthEnd, periodOf, periodsIn, shiftPeriod, todayIn } from './calendar.js';

test('dates are real calendar days', () => {
  assert.equal(isDate('2026-02-28'), true);
  assert.equal(isDate('2026-02-29'), false);
  assert.equal(isDate('2028-02-29'), true);
  assert.equal(isDate('2026-1-05'), false);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(monthEnd('2026-02-10'), '2026-02-28');
});

test('weeks run Monday to Sunday, months are calendar months', () => {
  // 2026-10-04 is a Sunday, 2026-10-05 a Monday.
  assert.deepEqual(periodOf('2026-10-04', 'week'), { start: '2026-09-28', end: '2026-10-04' });
  assert.deepEqual(periodOf('2026-10-05', 'week'), { start: '2026-10-05', end: '2026-10-11' });
  assert.deepEqual(shiftPeriod('2026-01-01', 1, 'month'), { start: '2026-02-01', end: '2026-02-28' });
  assert.deepEqual(
    periodsIn('2026-09-30', '2026-10-12', 'week').map((p) => p.start),
    ['2026-09-28', '2026-10-05', '2026-10-12'],
  );
});

test('today is taken in the deployment time zone', () => {
  const instant = Date.parse('2026-10-04T16:30:00Z'); // 00:30 on 10-05 in Shanghai
  assert.equal(todayIn('Asia/Shanghai', instant), '2026-10-05');
  assert.equal(todayIn('UTC', instant), '2026-10-04');
});
