/** Report routes resolve their app: unknown apps are 404, like apps the caller may not see. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http/errors.js';
import { Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';
import { requireReadable } from './access.js';

test('an unknown app is 404', () => {
  const apps = new Apps(openMetaDb(':memory:'));
  apps.add('wx00000000000000a8', 'x');
  assert.equal(requireReadable(apps, 'wx00000000000000a8'), 'wx00000000000000a8');
  assert.throws(
    () => requireReadable(apps, 'wx00000000000000ff'),
    (e: unknown) => e instanceof HttpError && e.status === 404 && e.code === 'unknown_app',
  );
});
