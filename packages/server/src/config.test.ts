/** Configuration: defaults, flags over environment, and a bad value named in the error. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, parseFlags } from './config.js';

test('defaults match the README', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  // The Miniscope folder's data/, whatever the current directory; an explicit path is taken from it.
  assert.equal(c.dataDir, fileURLToPath(new URL('../../../data', import.meta.url)));
  assert.equal(loadConfig({ MINISCOPE_DATA_DIR: 'x' }).dataDir, path.resolve('x'));
  assert.equal(c.clickhouseUrl, undefined);
  assert.equal(c.timeZone, 'Asia/Shanghai');
  assert.equal(c.trustProxy, false);
  assert.equal(c.lateDataDays, 90);
});

test('flags win over the environment', () => {
  const { flags } = parseFlags(['start', '--port', '4000', '--trust-proxy', '--data-dir=/tmp/x']);
  const c = loadConfig({ PORT: '5000', MINISCOPE_TRUST_PROXY: 'false' }, flags);
  assert.equal(c.port, 4000);
  assert.equal(c.trustProxy, true);
  assert.equal(c.dataDir, '/tmp/x');
});

test('every bad value is named with its variable and flag', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', MINISCOPE_TIME_ZONE: 'Mars/Olympus', CLICKHOUSE_URL: 'ftp://x' }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT \(--port\) = "eighty"/);
      assert.match(error.message, /MINISCOPE_TIME_ZONE \(--time-zone\) = "Mars\/Olympus": must be an IANA time zone/);
      assert.match(error.message, /CLICKHOUSE_URL \(--clickhouse-url\)/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ MINISCOPE_LATE_DATA_DAYS: '0' }), /MINISCOPE_LATE_DATA_DAYS/);
  // A zone name must be safe to write into column types.
  assert.throws(() => loadConfig({ MINISCOPE_TIME_ZONE: "UTC')--" }), /MINISCOPE_TIME_ZONE/);
});
