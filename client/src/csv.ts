// CSV export of what a screen shows: the cells written and neutralised as in domain/csv.ts, with a UTF-8
// BOM so spreadsheet programs read Chinese.
import { toCsv, type CsvCell } from '../../domain/csv.ts';

export { neutraliseCell, toCsv, type CsvCell } from '../../domain/csv.ts';

export function downloadCsv(filename: string, rows: CsvCell[][]): void {
  const blob = new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
