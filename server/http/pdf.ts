// Printable PDFs (the deliveries report, handover sheets) with pdfkit. The font is Noto Sans SC from the npm
// registry (@fontsource/noto-sans-sc), loaded from node_modules: zh and en print alike on any server, with no
// system font and nothing fetched at run time; only the glyphs a document uses are embedded. Small helpers lay
// out headings, tables that break across pages, and plain bar and line charts.
import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

export type Pdf = PDFKit.PDFDocument;

const require = createRequire(import.meta.url);
/** The simplified-Chinese subset: GB 2312's characters, Latin letters, digits and punctuation. */
const fontFile = (weight: 400 | 700) => require.resolve(`@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-${weight}-normal.woff`);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () => (fonts ??= { regular: sfntOf(readFileSync(fontFile(400))), bold: sfntOf(readFileSync(fontFile(700))) });

/**
 * A WOFF font unpacked into the plain OpenType file it wraps (each table inflated once). fontkit reads WOFF
 * too, but inflates a table again on every access: laying out one line of Chinese took seconds, a report a minute.
 */
export function sfntOf(woff: Buffer): Buffer {
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, packed, length] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const bytes = woff.subarray(offset, offset + packed);
    return { tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data: packed < length ? inflateSync(bytes) : bytes };
  });
  // The OpenType table directory: its search fields from the largest power of two not above the count.
  const power = 2 ** Math.floor(Math.log2(count));
  const head = Buffer.alloc(12 + 16 * count);
  head.writeUInt32BE(woff.readUInt32BE(4), 0);
  head.writeUInt16BE(count, 4);
  head.writeUInt16BE(power * 16, 6);
  head.writeUInt16BE(Math.log2(power), 8);
  head.writeUInt16BE((count - power) * 16, 10);
  let offset = head.length;
  const bodies = tables.map((table, i) => {
    head.writeUInt32BE(table.tag, 12 + i * 16);
    head.writeUInt32BE(table.checksum, 16 + i * 16);
    head.writeUInt32BE(offset, 20 + i * 16);
    head.writeUInt32BE(table.data.length, 24 + i * 16);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    offset += padded.length;
    return padded;
  });
  return Buffer.concat([head, ...bodies]);
}

export const MARGIN = 40;
const GREY = '#666666';
const RULE = '#cccccc';
export const COLOURS = ['#1f6fb2', '#d9822b', '#2e9e5b', '#a23b72', '#6b6b6b'];

/** An A4 document with the fonts registered (`regular`, `bold`), its title in the file's properties. */
export function newPdf(title: string): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Creator: 'Lifeline' } });
  const { regular, bold } = loadFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.font('regular').fontSize(10);
  return doc;
}

/** Ends the document, writing "page n / N" at the foot of every page; its bytes. */
export async function finishPdf(doc: Pdf, pageLabel: (n: number, of: number) => string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => (doc.on('end', resolve), doc.on('error', reject)));
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin would otherwise open a new page
    doc.font('regular').fontSize(8).fillColor(GREY).text(pageLabel(i + 1, count), MARGIN, doc.page.height - 28, { width: contentWidth(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export const contentWidth = (doc: Pdf) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomOf = (doc: Pdf) => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` points still fit on this one. */
export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > bottomOf(doc)) doc.addPage();
}

export function title(doc: Pdf, text: string, subtitle: string): void {
  doc.font('bold').fontSize(18).fillColor('black').text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.font('regular').fontSize(9).fillColor(GREY).text(subtitle, { width: contentWidth(doc) });
  doc.moveDown(0.8);
}

/** A section's heading, on a new page unless it and the first `keepWith` points of what follows fit here. */
export function heading(doc: Pdf, text: string, keepWith = 60): void {
  ensureSpace(doc, keepWith + 30);
  doc.moveDown(0.6);
  doc.font('bold').fontSize(13).fillColor('black').text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

export function subheading(doc: Pdf, text: string, keepWith = 40): void {
  ensureSpace(doc, keepWith + 20);
  doc.moveDown(0.3);
  doc.font('bold').fontSize(10.5).fillColor('black').text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.2);
}

/** A line of grey explanatory text. */
export function note(doc: Pdf, text: string): void {
  doc.font('regular').fontSize(8.5).fillColor(GREY).text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}

export interface Column {
  header: string;
  /** Share of the content width. */
  width: number;
  align?: 'left' | 'right';
  /** Wraps onto more lines instead of being cut with an ellipsis. */
  wrap?: boolean;
}

const ROW = 16;
const PAD = 3;

/** A table: the header row in bold, cells on one line (cut with an ellipsis) unless their column wraps; the header repeats on each new page. */
export function table(doc: Pdf, columns: Column[], rows: string[][], empty: string): void {
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const heightOf = (cells: string[]) =>
    Math.max(ROW, ...cells.map((cell, i) => (columns[i]!.wrap ? doc.heightOfString(cell, { width: widths[i]! - 2 * PAD }) + 2 * PAD : 0)));
  const line = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(9).fillColor('black');
    const height = bold ? ROW : heightOf(cells);
    if (doc.y + height > bottomOf(doc)) {
      doc.addPage();
      if (!bold) line(columns.map((c) => c.header), true);
      doc.font(bold ? 'bold' : 'regular').fontSize(9).fillColor('black');
    }
    let x = MARGIN;
    const y = doc.y;
    cells.forEach((cell, i) => {
      const wraps = !bold && columns[i]!.wrap;
      doc.text(cell, x + PAD, y + PAD + 1, { width: widths[i]! - 2 * PAD, align: columns[i]!.align ?? 'left', lineBreak: wraps, ellipsis: !wraps, height: wraps ? undefined : ROW });
      x += widths[i]!;
    });
    doc.moveTo(MARGIN, y + height).lineTo(MARGIN + total, y + height).lineWidth(bold ? 0.8 : 0.3).strokeColor(bold ? '#888888' : RULE).stroke();
    doc.x = MARGIN;
    doc.y = y + height;
  };
  ensureSpace(doc, ROW * 3);
  line(columns.map((c) => c.header), true);
  if (rows.length === 0) {
    note(doc, empty);
    return;
  }
  for (const row of rows) line(row, false);
  doc.moveDown(0.5);
}

/** Horizontal bars, one per label, the value written at the bar's end. */
export function barChart(doc: Pdf, bars: { label: string; value: number }[], format: (v: number) => string): void {
  if (bars.length === 0) return;
  // As wide as the longest label (a commodity with its unit runs long), up to 40% of the page.
  doc.font('regular').fontSize(8.5);
  const labelWidth = Math.min(contentWidth(doc) * 0.4, Math.max(80, ...bars.map((b) => doc.widthOfString(b.label) + 10)));
  const barHeight = 12;
  const gap = 5;
  const width = contentWidth(doc) - labelWidth - 60;
  const max = Math.max(...bars.map((b) => b.value), 1);
  ensureSpace(doc, Math.min(bars.length, 8) * (barHeight + gap) + 10);
  for (const bar of bars) {
    ensureSpace(doc, barHeight + gap);
    const y = doc.y;
    doc.font('regular').fontSize(8.5).fillColor('black').text(bar.label, MARGIN, y + 1.5, { width: labelWidth - 8, align: 'right', lineBreak: false, ellipsis: true, height: barHeight });
    const length = (bar.value / max) * width;
    doc.rect(MARGIN + labelWidth, y, Math.max(length, 0.5), barHeight).fill(COLOURS[0]!);
    doc.fillColor(GREY).text(format(bar.value), MARGIN + labelWidth + length + 4, y + 1.5, { lineBreak: false, width: 56 });
    doc.x = MARGIN;
    doc.y = y + barHeight + gap;
  }
  doc.moveDown(0.5);
}

/** Lines over the same x labels, values from 0 to `max`, with a legend and a few gridlines. */
export function lineChart(doc: Pdf, labels: string[], series: { name: string; values: number[] }[], max: number, format: (v: number) => string): void {
  if (labels.length === 0) return;
  const height = 140;
  const left = MARGIN + 36;
  const width = contentWidth(doc) - 36;
  ensureSpace(doc, height + 50);
  const top = doc.y + 4;
  const yOf = (v: number) => top + height - (Math.min(v, max) / max) * height;
  const xOf = (i: number) => (labels.length === 1 ? left + width / 2 : left + (i / (labels.length - 1)) * width);
  doc.font('regular').fontSize(7.5);
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    doc.moveTo(left, yOf(f * max)).lineTo(left + width, yOf(f * max)).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.fillColor(GREY).text(format(f * max), MARGIN, yOf(f * max) - 4, { width: 32, align: 'right', lineBreak: false });
  }
  // As many x labels as fit without overlapping, first and last always.
  const every = Math.max(1, Math.ceil(labels.length / Math.floor(width / 60)));
  const last = labels.length - 1;
  labels.forEach((label, i) => {
    if ((i % every === 0 && last - i >= every) || i === last) doc.fillColor(GREY).text(label, xOf(i) - 30, top + height + 6, { width: 60, align: 'center', lineBreak: false });
  });
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    s.values.forEach((v, i) => (i === 0 ? doc.moveTo(xOf(i), yOf(v)) : doc.lineTo(xOf(i), yOf(v))));
    doc.lineWidth(1.5).strokeColor(colour).stroke();
    s.values.forEach((v, i) => doc.circle(xOf(i), yOf(v), 1.8).fill(colour));
  });
  let x = left;
  const legendY = top + height + 22;
  for (const [k, s] of series.entries()) {
    doc.rect(x, legendY + 2, 10, 6).fill(COLOURS[k % COLOURS.length]!);
    doc.fillColor('black').fontSize(8).text(s.name, x + 14, legendY, { lineBreak: false });
    x += 24 + doc.widthOfString(s.name);
  }
  doc.x = MARGIN;
  doc.y = legendY + 18;
}
