/** CSV encoding: BOM, CRLF, quoting, and neutralised formulas in untrusted text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, toCsv } from './csv.js';

test('cells are quoted when needed and formulas are neutralised', () => {
  assert.equal(csvCell('pages/index/index'), 'pages/index/index');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-1.5), '-1.5');
});

test('a table is UTF-8 with a BOM and CRLF lines', () => {
  assert.equal(toCsv({ columns: ['页面', '次数'], rows: [['a', 1]] }), '\uFEFF页面,次数\r\na,1\r\n');
});
