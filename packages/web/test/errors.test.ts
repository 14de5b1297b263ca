/**
 * The dashboard's own message for every error code of the contract, in Chinese and in English (the
 * server's English message is never shown), with the wait a 429 names, and the network and
 * unknown cases.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ERROR_CODES } from '@miniscope/contract';
import { ApiError } from '../src/api/client.js';
import { ERRORS_EN, ERRORS_ZH, errorText } from '../src/i18n/errors.js';
import { locale } from '../src/i18n/index.js';

const HAN = /[\u4e00-\u9fff]/;

afterEach(() => {
  locale.value = 'zh-CN';
});

test('every error code has a Chinese and an English message, and no message is for a code that does not exist', () => {
  for (const code of ERROR_CODES) {
    assert.ok(ERRORS_ZH[code]?.trim(), `zh: ${code}`);
    assert.ok(ERRORS_EN[code]?.trim(), `en: ${code}`);
    assert.match(ERRORS_ZH[code], HAN, `zh: ${code} is Chinese`);
    assert.doesNotMatch(ERRORS_EN[code], HAN, `en: ${code} is English`);
  }
  assert.deepEqual(Object.keys(ERRORS_ZH).sort(), [...ERROR_CODES].sort());
  assert.deepEqual(Object.keys(ERRORS_EN).sort(), [...ERROR_CODES].sort());
});

test('the message follows the chosen language, never the server’s text', () => {
  const wrong = new ApiError(401, 'bad_credentials', 'Wrong WeChat ID or password');
  assert.equal(errorText(wrong), '微信号或密码错误');
  locale.value = 'en';
  assert.equal(errorText(wrong), 'Wrong WeChat ID or password');
  assert.equal(
    errorText(new ApiError(409, 'app_exists', 'An app with AppID wx… already exists')),
    ERRORS_EN.app_exists,
  );
});

test('a screen may word a code its own way (a wrong current password is bad_credentials too)', () => {
  const e = new ApiError(403, 'bad_credentials', 'The current password is wrong');
  assert.equal(errorText(e, { bad_credentials: '当前密码不正确' }), '当前密码不正确');
});

test('too many attempts says how long to wait when the server said', () => {
  assert.equal(errorText(new ApiError(429, 'too_many_attempts', 'x', 30)), '登录失败次数过多，请 30 秒后再试');
  assert.equal(errorText(new ApiError(429, 'too_many_attempts', 'x')), ERRORS_ZH.too_many_attempts);
  locale.value = 'en';
  assert.equal(errorText(new ApiError(429, 'too_many_attempts', 'x', 30)), 'Too many failed logins; try again in 30 s');
});

test('no network, a status without a code, and what is not a request failure', () => {
  assert.equal(errorText(new ApiError(0, 'network', 'network')), '无法连接服务器，请检查网络');
  assert.equal(errorText(new ApiError(502, 'http_error', 'HTTP 502')), '服务器出错了（HTTP 502），请稍后重试');
  assert.equal(errorText(new Error('boom')), '出错了，请稍后重试');
  locale.value = 'en';
  assert.equal(errorText(new ApiError(0, 'network', 'network')), 'Cannot reach the server; check the network');
});
