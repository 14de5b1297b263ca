/** Errors of the engine and other modules reach WeChat tools as WeChat's errcodes, through one map. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MiniscopeError } from '../errors.js';
import { wxErrorOf } from './errors.js';

test("Miniscope's error codes become WeChat's errcodes; anything unmapped is a system error", () => {
  const errcode = (code: ConstructorParameters<typeof MiniscopeError>[0]) =>
    wxErrorOf(new MiniscopeError(code, 'why')).toBody().errcode;
  assert.equal(errcode('bad_date'), 61500);
  assert.equal(errcode('bad_range'), 61501);
  assert.equal(errcode('bad_query'), 47001);
  assert.equal(errcode('unknown_app'), 40013);
  assert.equal(errcode('store_unavailable'), -1);
  assert.deepEqual(wxErrorOf(new MiniscopeError('bad_range', 'a range covers at most 400 days')).toBody(), {
    errcode: 61501,
    errmsg: 'date range error: a range covers at most 400 days',
  });
});
