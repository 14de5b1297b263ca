/**
 * CSV made in the browser, for the reports the server has no CSV for (real time, a page's trend):
 * the same rules as the server's exports — UTF-8 with a byte-order mark so Excel reads Chinese,
 * CRLF lines, RFC 4180 quoting, and text a spreadsheet would run as a formula prefixed with '.
 */

export type Cell = string | number;

export interface Table {
  columns: string[];
  rows: Cell[][];
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(cell: Cell): string {
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: Table): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Offer `table` as a download named `<name>.csv`. */
export function downloadCsv(name: string, table: Table): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^\w.-]/g, '_')}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
