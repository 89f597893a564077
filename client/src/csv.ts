// CSV export of what a screen shows: the cells written and neutralised as in domain/csv.ts, with a UTF-8
// BOM so spreadsheet programs read Chinese.
import { toCsv, type CsvCell } from '../../domain/csv.ts';
import { saveBlob } from './save-file.ts';

export { neutraliseCell, toCsv, type CsvCell } from '../../domain/csv.ts';

export function downloadCsv(filename: string, rows: CsvCell[][]): void {
  saveBlob(new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' }), filename);
}
