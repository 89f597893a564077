// Checks of a PDF the server printed: its structure with no PDF library (CI has none), and its text through
// poppler's pdftotext where installed.
import { expect } from 'vitest';
import type { Response } from 'superagent';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A supertest parser that keeps a binary answer (a PDF) as one Buffer. */
export function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Structural checks of a PDF that need no PDF library: header, trailer, page objects, the embedded Noto font. */
export function pdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-1.')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  expect(text).toMatch(/\/FontFile2|\/FontFile3/);
  expect(text).toMatch(/NotoSansSC/);
  return (text.match(/\/Type \/Page\b/g) ?? []).length;
}

/** The PDF's text through poppler's pdftotext where installed (it is here, not in CI); undefined elsewhere. */
export function pdfText(pdf: Buffer): string | undefined {
  if (!existsSync('/usr/bin/pdftotext')) return undefined;
  const file = join(mkdtempSync(join(tmpdir(), 'pdf-')), 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

