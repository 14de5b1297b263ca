/**
 * CSV made in the browser, for a download the dashboard words itself (real time, with its headers
 * in the chosen language): the contract's encoding, the one the server's exports use.
 */
import { type Table, toCsv } from '@miniscope/contract';

export type { Table } from '@miniscope/contract';

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
