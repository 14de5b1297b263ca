/** The read-permission hook: unknown apps are 404, as forbidden ones will be. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http/errors.js';
import { Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';
import { canRead, requireReadable } from './access.js';

test('every read resolves its app through canRead', () => {
  const apps = new Apps(openMetaDb(':memory:'));
  apps.add('wx00000000000000a8', 'x');
  const caller = { kind: 'anonymous' as const };
  assert.equal(canRead(caller, 'wx00000000000000a8'), true); // PERMISSIONS PENDING: allow-all for now
  assert.equal(requireReadable(apps, caller, 'wx00000000000000a8'), 'wx00000000000000a8');
  assert.throws(
    () => requireReadable(apps, caller, 'wx00000000000000ff'),
    (e: unknown) => e instanceof HttpError && e.status === 404 && e.code === 'unknown_app',
  );
});
