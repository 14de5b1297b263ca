/**
 * CSV encoding of report tables, as every download of the dashboard API writes them: UTF-8 with a
 * byte-order mark (so Excel reads the Chinese headers), CRLF lines, RFC 4180 quoting. Cells that a
 * spreadsheet would run as a formula (=, +, -, @ first, e.g. an untrusted page path) are prefixed
 * with an apostrophe; numbers are written as they are.
 */

export type Cell = string | number;

export interface Table {
  columns: string[];
  rows: Cell[][];
}

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(cell: Cell): string {
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: Table): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
