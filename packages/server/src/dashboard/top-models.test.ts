/**
 * Device models beyond the top 20 are summed into one 其他 row (users are placed in one model each).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OTHER_MODELS, topWithOthers } from './pages.js';

test('the top models, and the rest summed as 其他', () => {
  // 23 models with 23, 22, … 1 active users; model i has i % 2 new users.
  const items = Array.from({ length: 23 }, (_, i) => ({ name: `m${i}`, visit_uv_new: i % 2, visit_uv: 23 - i }));
  const shown = topWithOthers(items);
  assert.equal(shown.length, 21);
  assert.deepEqual(shown[19], { name: 'm19', visit_uv_new: 1, visit_uv: 4 });
  // m20, m21, m22: active 3 + 2 + 1, new 0 + 1 + 0.
  assert.deepEqual(shown[20], { name: OTHER_MODELS, visit_uv_new: 1, visit_uv: 6 });
  assert.deepEqual(topWithOthers(items.slice(0, 20)), items.slice(0, 20));
});
