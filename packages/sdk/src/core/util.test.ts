/**
 * Text the SDK sends: cut between code points, never into a lone surrogate, within the server's
 * UTF-16 limits; lone surrogates from the app's own data replaced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanPath, cut, wellFormed } from './util.js';

const lone = /[\uD800-\uDFFF]/u;

test('wellFormed(): lone halves become U+FFFD, pairs stay, the length in UTF-16 units does not change', () => {
  assert.equal(wellFormed('a\uD83Db'), 'a\uFFFDb');
  assert.equal(wellFormed('a\uDE00b'), 'a\uFFFDb');
  assert.equal(wellFormed('\uDE00\uDE00\uD83D'), '\uFFFD\uFFFD\uFFFD');
  assert.equal(wellFormed('\uDE00\uD83D'), '\uFFFD\uFFFD', 'a low half before a high half is no pair');
  assert.equal(wellFormed('😀 ok 中文'), '😀 ok 中文');
  assert.equal(wellFormed('\uD83D😀'), '\uFFFD😀');
});

test('cut(): an emoji at any cut position is left out whole; the result fits the UTF-16 limit', () => {
  for (let prefix = 0; prefix < 6; prefix++) {
    const text = `${'x'.repeat(prefix)}😀😀😀👍🏽中`;
    for (let max = 0; max <= text.length + 1; max++) {
      const result = cut(text, max);
      assert.ok(result.length <= max, `${max}: ${result.length}`);
      assert.ok(!lone.test(result), `lone surrogate at max ${max}: ${JSON.stringify(result)}`);
      assert.ok(text.startsWith(result));
      assert.ok(result.length >= Math.min(text.length, max) - 1, 'at most the half pair is lost');
    }
  }
  assert.equal(cut('ab😀', 3), 'ab');
  assert.equal(cut('ab😀', 4), 'ab😀');
  assert.equal(cut(12345, 3), '123');
});

test('cut() and cleanPath(): lone surrogates are replaced before the cut', () => {
  assert.equal(cut('a\uD83D', 5), 'a\uFFFD');
  assert.equal(cut('\uD83Dab', 2), '\uFFFDa');
  // 'pages/' and 249 letters are 255 units: the emoji's high half would be unit 256
  const path = cleanPath(`/pages/${'p'.repeat(249)}😀x?from=share`);
  assert.equal(path, `pages/${'p'.repeat(249)}`);
  assert.equal(cleanPath('/pages/a\uDC00?q=1'), 'pages/a\uFFFD');
});
