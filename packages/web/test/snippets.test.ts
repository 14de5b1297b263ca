/**
 * The code of the 接入指南: the app's AppID and this server's address filled into the init() call
 * of each framework, as the SDK's README writes it, and the download command.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadCommand, initSnippet, isHttps, serverOf } from '../src/utils/snippets.js';

const input = { appid: 'wx0123456789abcdef', server: 'https://stats.example.com/' };

test('native: require the copied file, init before App()', () => {
  const { file, code } = initSnippet('native', input);
  assert.equal(file, 'app.js');
  assert.match(code, /^const miniscope = require\('\.\/libs\/miniscope\.js'\);/);
  assert.match(code, /appid: 'wx0123456789abcdef',/);
  assert.match(code, /server: 'https:\/\/stats\.example\.com',/, 'without the trailing slash');
  assert.ok(code.indexOf('miniscope.init(') < code.indexOf('App({'));
});

test('uni-app: the package, only for WeChat (#ifdef MP-WEIXIN), before createSSRApp', () => {
  const { file, code } = initSnippet('uniapp', input);
  assert.equal(file, 'src/main.js');
  assert.match(code, /^\/\/ #ifdef MP-WEIXIN\nimport \{ init \} from '@miniscope\/sdk';/);
  assert.ok(code.indexOf('// #endif') < code.indexOf('createSSRApp'));
  assert.match(code, /appid: 'wx0123456789abcdef'/);
});

test('Taro: the package, only for weapp', () => {
  const { file, code } = initSnippet('taro', input);
  assert.equal(file, 'src/app.js');
  assert.match(code, /if \(process\.env\.TARO_ENV === 'weapp'\) \{\n {2}init\(\{\n {4}appid: 'wx0123456789abcdef',/);
});

test('every snippet is JavaScript that runs the init call with both values', () => {
  for (const framework of ['native', 'uniapp', 'taro'] as const) {
    const { code } = initSnippet(framework, { appid: "wx'quote", server: 'http://10.0.0.2:3000' });
    const body = code
      .replace(/^.*require\(.*$/m, 'const miniscope = { init };')
      .replace(/^import .*$/gm, '')
      .replace(/^App\(\{[\s\S]*$/m, '');
    const calls: unknown[] = [];
    new Function('init', 'process', body)((o: unknown) => calls.push(o), { env: { TARO_ENV: 'weapp' } });
    assert.deepEqual(calls, [{ appid: "wx'quote", server: 'http://10.0.0.2:3000' }], framework);
  }
});

test('download command, origin, HTTPS', () => {
  assert.equal(
    downloadCommand(input.server, 'miniscope.js', 'libs/miniscope.js'),
    'curl -f --create-dirs -o libs/miniscope.js https://stats.example.com/sdk/miniscope.js',
  );
  assert.equal(serverOf('http://localhost:3000///'), 'http://localhost:3000');
  assert.equal(isHttps('https://a.example'), true);
  assert.equal(isHttps('http://a.example'), false);
});
