// CSV text, as the web app's exports and the server's reports write it: quoted cells, and typed text
// that a spreadsheet would run as a formula neutralised.
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
