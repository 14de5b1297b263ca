/** The app registry's input rules: AppIDs trimmed and in lower case, names counted in characters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MiniscopeError } from '../errors.js';
import { Apps, characters } from './apps.js';
import { openMetaDb } from './db.js';

const apps = () => new Apps(openMetaDb(':memory:'));

test('an AppID pasted with blanks around it is stored trimmed', () => {
  const registry = apps();
  assert.equal(registry.add('  wx0123456789abcdef\n', 'shop').appid, 'wx0123456789abcdef');
  assert.ok(registry.get('wx0123456789abcdef'));
});

test('an AppID in capitals is refused with its lower-case form', () => {
  assert.throws(
    () => apps().add('wx0123456789ABCDEF', 'shop'),
    (e: MiniscopeError) => e.code === 'invalid_appid' && /lower case.*wx0123456789abcdef/.test(e.message),
  );
  assert.throws(() => apps().add('wx0123', 'shop'), /wx followed by 16 hex digits/);
});

test('the name limit counts characters, not UTF-16 units', () => {
  assert.equal(characters('🛒'.repeat(33)), 33);
  assert.equal(characters('👍🏽'), 1);
  const registry = apps();
  assert.equal(registry.add('wx0123456789abcdef', '🛒'.repeat(64)).name, '🛒'.repeat(64));
  assert.throws(() => registry.add('wx0123456789abcde0', '🛒'.repeat(65)), /1 to 64 characters/);
  assert.throws(() => registry.add('wx0123456789abcde0', '   '), /1 to 64 characters/);
});
