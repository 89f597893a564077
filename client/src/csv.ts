// CSV export of what a screen shows: quoted cells, a UTF-8 BOM so spreadsheet programs read Chinese,
// and typed text that a spreadsheet would run as a formula neutralised.
export type CsvCell = string | number | null | undefined;

/**
 * Text that a spreadsheet program would read as a formula (=, +, -, @, or a leading tab or carriage
 * return) gets a leading apostrophe, so that a name typed by anyone cannot run on an exporter's machine
 * (CSV injection). Numbers are ours, not typed text, and stay as they are.
 */
export function neutraliseCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(rows: CsvCell[][]): string {
  const cell = (v: CsvCell) => {
    const s = neutraliseCell(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n');
}

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
