import { describe, expect, it } from 'vitest';
import { neutraliseCell, toCsv } from '../../client/src/csv.ts';

describe('CSV export', () => {
  it('puts an apostrophe before typed text a spreadsheet would run as a formula', () => {
    for (const formula of ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(neutraliseCell(formula)).toBe(`'${formula}`);
  });

  it('leaves ordinary text, numbers (negative too) and empty cells alone', () => {
    expect(neutraliseCell('Rossi family')).toBe('Rossi family');
    expect(neutraliseCell('a=b')).toBe('a=b');
    expect(neutraliseCell(-5)).toBe('-5');
    expect(neutraliseCell(null)).toBe('');
    expect(neutraliseCell(undefined)).toBe('');
  });

  it('neutralises before quoting, so a quoted formula cell starts with the apostrophe inside the quotes', () => {
    expect(toCsv([['name', 'qty'], ['=1+2, "x"', -3], ['-', 4]])).toBe(`name,qty\r\n"'=1+2, ""x""",-3\r\n'-,4`);
  });
});
